"""The e-application in Chromium on a 360 px phone: a first application by a couple with two children
(co-signed, each with their own eID), a short re-application, drafts surviving a new browser, and a
protected-identity applicant."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from bistand.intake.models import Application
from tests.e2e.conftest import assert_accessible, assert_fits_width
from tests.intake.helpers import couple_with_two_children, protected_adult, single_adult

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Counter:
    """Counts what a person does: each click and each field typed in is one interaction."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def fill(self, locator, text: str) -> None:
        self.count += 1
        locator.fill(text)

    def check(self, locator) -> None:
        self.count += 1
        locator.check()


def check_page(page) -> None:
    assert_accessible(page)
    assert_fits_width(page)


def sign_in(page, base_url: str, pnr: str, counter: Counter | None = None, start: str = "/my/") -> None:
    act = counter or Counter(page)
    page.goto(base_url + start)
    act.click(page.get_by_role("link", name="Logga in med utvecklings-e-legitimation"))
    act.fill(page.get_by_label("Personnummer"), pnr)
    act.click(page.get_by_role("button", name="Logga in", exact=True))


def next_step(page) -> None:
    page.get_by_role("button", name="Spara och fortsätt").click()


@pytest.fixture
def demo(settings, registers_simulator, unit):
    settings.DEMO_MODE = True
    settings.REGISTERS_URL = registers_simulator
    return unit


def test_first_application_couple_with_two_children_co_signed(
    live_server, new_page, demo, population, run_tasks
):
    adult, partner, kids = couple_with_two_children(population)
    page = new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Ansök nu").click()
    sign_in(page, live_server.url, adult.pnr, start="/apply/")
    expect(page.get_by_role("heading", name="Ansökan om försörjningsstöd")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Börja ansökan").click()

    expect(page.get_by_role("heading", name="Månad")).to_be_visible()
    check_page(page)
    next_step(page)

    # The household comes prefilled from the population register, each value saying so.
    expect(page.get_by_role("heading", name="Hushållet")).to_be_visible()
    expect(page.get_by_label("Ja", exact=True)).to_be_checked()
    expect(page.get_by_label("Personnummer för din make, maka eller sambo")).to_have_value(partner.pnr)
    expect(page.get_by_text("Från Skatteverket (folkbokföringen)")).to_have_count(2)
    for kid in kids:
        expect(page.get_by_role("heading", name=kid.given_name)).to_be_visible()
    check_page(page)
    next_step(page)

    expect(page.get_by_role("heading", name="Boende och kostnader")).to_be_visible()
    page.get_by_label("Hyra eller avgift för bostaden").fill("9 200")
    check_page(page)
    next_step(page)

    expect(page.get_by_role("heading", name="Inkomster")).to_be_visible()
    expect(page.get_by_text("Hämtat från Försäkringskassan").first).to_be_visible()
    check_page(page)
    next_step(page)
    expect(page.get_by_role("heading", name="Tillgångar")).to_be_visible()
    check_page(page)
    next_step(page)
    expect(page.get_by_role("heading", name="Andra behov")).to_be_visible()
    page.get_by_label("Tandvård").fill("1 500")
    check_page(page)
    next_step(page)

    expect(page.get_by_role("heading", name="Utbetalning")).to_be_visible()
    page.get_by_label("Till mitt bankkonto").check()
    page.get_by_label("Clearingnummer").fill("6789")
    page.get_by_label("Kontonummer").fill("12345678")
    next_step(page)
    # A wrong account number: the message says what to do, and what was typed stays.
    expect(page.get_by_role("alert")).to_contain_text("Kontonummer")
    expect(page.get_by_label("Clearingnummer")).to_have_value("6789")
    check_page(page)
    page.get_by_label("Kontonummer").fill("123 456 789")
    next_step(page)

    expect(page.get_by_role("heading", name="Kontrollera och skriv under")).to_be_visible()
    expect(page.get_by_text("9 200 kr")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Skriv under och skicka").click()

    # The first signer sees it waiting for the other adult (not named: nobody looked them up yet).
    expect(
        page.get_by_role("heading", name="Ansökan väntar på att din medsökande skriver under")
    ).to_be_visible()
    check_page(page)
    run_tasks()
    assert Application.objects.get().status == Application.Status.SIGNING

    # The co-applicant, in their own browser with their own eID.
    other = new_page()
    sign_in(other, live_server.url, partner.pnr)
    expect(other.get_by_role("heading", name="Väntar på din underskrift")).to_be_visible()
    check_page(other)
    other.get_by_role("link", name="Läs och skriv under").click()
    expect(other.get_by_text("9 200 kr")).to_be_visible()
    check_page(other)
    other.get_by_role("button", name="Skriv under och skicka").click()
    expect(other.get_by_role("heading", name="Vi har tagit emot din ansökan")).to_be_visible()
    check_page(other)

    run_tasks()
    page.goto(live_server.url + "/my/")
    expect(page.get_by_text("Ansökan mottagen")).to_be_visible()
    check_page(page)
    application = Application.objects.get()
    assert application.is_submitted
    assert {s.role for s in application.signatures.all()} == {"applicant", "co_applicant"}


def test_short_re_application_in_ten_interactions(live_server, new_page, demo, population, client):
    """A returning household with no changes: sign in, confirm, sign. Counted and timed."""
    from tests.intake.helpers import fill_first_application

    person = single_adult(population)
    # Last month's application, made the long way (through the same views, without a browser).
    from django.urls import reverse

    from bistand.identity.views import account_for

    client.force_login(account_for(person.pnr))
    client.post(reverse("intake:start"))
    first = Application.objects.get()
    fill_first_application(client, first)
    client.post(reverse("intake:sign", args=[first.reference]))

    page = new_page()
    act = Counter(page)
    started = time.monotonic()
    page.goto(live_server.url + "/")
    act.click(page.get_by_role("link", name="Ansök nu"))
    sign_in(page, live_server.url, person.pnr, act, start="/apply/")  # the start page is already open
    act.click(page.get_by_role("button", name="Ansök för"))
    expect(page.get_by_role("heading", name="Ansökan för")).to_be_visible()
    check_page(page)
    act.click(page.get_by_role("button", name="Inget har ändrats – skriv under och skicka"))
    expect(page.get_by_role("heading", name="Vi har tagit emot din ansökan")).to_be_visible()
    elapsed = time.monotonic() - started
    assert act.count <= 10, act.count
    assert elapsed < 120
    print(f"short re-application: {act.count} interactions, {elapsed:.1f} s")
    renewal = Application.objects.filter(kind="renewal").get()
    assert renewal.is_submitted


def test_a_draft_survives_a_new_browser(live_server, new_page, demo, population):
    person = single_adult(population)
    page = new_page()
    sign_in(page, live_server.url, person.pnr, start="/apply/")
    page.get_by_role("button", name="Börja ansökan").click()
    next_step(page)
    page.get_by_label("Nej", exact=True).check()
    next_step(page)
    page.get_by_label("Hyra eller avgift för bostaden").fill("6 400")
    next_step(page)
    page.context.close()

    # Another browser, another day: the draft is where it was left, with what was typed.
    fresh = new_page()
    sign_in(fresh, live_server.url, person.pnr)
    expect(fresh.get_by_text("Du har ett sparat utkast")).to_be_visible()
    check_page(fresh)
    fresh.get_by_role("link", name="Fortsätt där du slutade").click()
    expect(fresh.get_by_role("heading", name="Inkomster")).to_be_visible()
    fresh.get_by_role("button", name="Tillbaka").click()
    expect(fresh.get_by_label("Hyra eller avgift för bostaden")).to_have_value("6 400")


def test_protected_identity_applies_digitally_and_no_address_is_shown(
    live_server, new_page, demo, population, run_tasks
):
    person, address = protected_adult(population)
    page = new_page()
    sign_in(page, live_server.url, person.pnr, start="/apply/")
    seen = []
    page.get_by_role("button", name="Börja ansökan").click()
    for _step in range(6):
        seen.append(page.content())
        if page.get_by_label("Nej", exact=True).count():
            page.get_by_label("Nej", exact=True).check()
        next_step(page)
    page.get_by_label("Till mitt bankkonto").check()
    page.get_by_label("Clearingnummer").fill("6789")
    page.get_by_label("Kontonummer").fill("123456789")
    next_step(page)
    seen.append(page.content())
    page.get_by_role("button", name="Skriv under och skicka").click()
    expect(page.get_by_role("heading", name="Vi har tagit emot din ansökan")).to_be_visible()
    seen.append(page.content())
    run_tasks()
    page.goto(live_server.url + "/my/")
    expect(page.get_by_text("Dina personuppgifter är skyddade")).to_be_visible()
    check_page(page)
    seen.append(page.content())
    for html in seen:
        assert address.street not in html
        assert address.postal_code not in html


def test_first_and_short_re_application_in_arabic(live_server, new_page, demo, population):
    """Right to left, on a phone, in Arabic: a first application, then next month's in a few taps."""
    person = single_adult(population)
    page = new_page(locale="ar")
    page.goto(live_server.url + "/apply/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("a[href^='/login/dev-eid/']").click()
    page.get_by_label("الرقم الشخصي").fill(person.pnr)
    page.locator("main form button[type=submit]").last.click()
    check_page(page)
    page.get_by_role("button", name="ابدأ الطلب").click()
    page.get_by_role("button", name="احفظ وتابع").click()
    page.get_by_label("لا", exact=True).check()
    check_page(page)
    page.get_by_role("button", name="احفظ وتابع").click()
    page.get_by_label("الإيجار أو رسوم السكن").fill("سبعة آلاف")
    page.get_by_role("button", name="احفظ وتابع").click()
    # Words for an amount: the message says, in Arabic, what to write instead.
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page)
    page.get_by_label("الإيجار أو رسوم السكن").fill("٧٨٠٠")  # Arabic-Indic digits are understood
    for _step in ("housing", "income", "assets", "needs"):
        page.get_by_role("button", name="احفظ وتابع").click()
    page.get_by_label("إلى حسابي المصرفي").check()
    page.get_by_label("رقم المقاصة (clearingnummer)").fill("6789")
    page.get_by_label("رقم الحساب").fill("123456789")
    check_page(page)
    page.get_by_role("button", name="احفظ وتابع").click()
    expect(page.get_by_role("heading", name="راجع ووقّع")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="وقّع وأرسل").click()
    expect(page.locator("h1")).to_be_visible()
    check_page(page)
    assert Application.objects.get().is_submitted

    page.goto(live_server.url + "/apply/")
    page.get_by_role("button", name="قدّم طلبًا لشهر").click()
    check_page(page)
    page.get_by_role("button", name="لم يتغير شيء – وقّع وأرسل").click()
    expect(page.locator("h1")).to_be_visible()
    check_page(page)
    assert Application.objects.filter(kind="renewal", status="submitted").count() == 1


def tab_to(page, text: str, limit: int = 60) -> None:
    """Press Tab until the focused element shows ``text`` (fails if it never does), as a keyboard user."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "document.activeElement && (document.activeElement.innerText || document.activeElement.value || document.activeElement.labels?.[0]?.innerText || '')"
        )
        if text in (focused or ""):
            return
    raise AssertionError(f"could not reach {text!r} with the keyboard")


def test_keyboard_only_sign_in_and_re_application(live_server, new_page, demo, population, client):
    from django.urls import reverse

    from bistand.identity.views import account_for
    from tests.intake.helpers import fill_first_application

    person = single_adult(population)
    client.force_login(account_for(person.pnr))
    client.post(reverse("intake:start"))
    first = Application.objects.get()
    fill_first_application(client, first)
    client.post(reverse("intake:sign", args=[first.reference]))

    page = new_page()
    page.goto(live_server.url + "/apply/")
    tab_to(page, "Logga in med utvecklings-e-legitimation")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Utvecklingsinloggning")).to_be_visible()
    tab_to(page, "Personnummer")
    page.keyboard.type(person.pnr)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ansökan om försörjningsstöd")).to_be_visible()
    tab_to(page, "Ansök för")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ansökan för")).to_be_visible()
    tab_to(page, "Inget har ändrats")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Vi har tagit emot din ansökan")).to_be_visible()
