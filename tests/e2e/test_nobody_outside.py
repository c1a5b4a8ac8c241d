"""Issue 21 in Chromium, as the people it is about: a homeless applicant on paper whose money waits for an
account (Swedish and Arabic), a daughter registered as ombud for her father (registered, used, revoked), and a
caseworker at a family's contact (child perspective, plan visible to the family, orosanmälan routed).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bistand.casework import workspace
from bistand.casework.models import ActivityPlan
from bistand.identity.models import Person, User
from bistand.intake.models import PowerOfAttorney
from bistand.payments.services import plan_payments
from tests import samples
from tests.conftest import CITIZEN_PNR, make_citizen
from tests.e2e.conftest import assert_accessible, assert_fits_width
from tests.e2e.test_apply import sign_in
from tests.e2e.test_finance import sign_in as staff_sign_in
from tests.payments.conftest import CITIZEN_ACCOUNT, answers, make_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FATHER_PNR = "193801029202"  # Skatteverket test personnummer
DAUGHTER_PNR = "198112199289"  # Skatteverket test personnummer


def check(page) -> None:
    assert_accessible(page)
    assert_fits_width(page)


def homeless(population):
    """A single adult without income in the simulator's population (no account on file anywhere)."""
    for household in population.households:
        for person in population.members(household):
            if household.kind == "single" and person.situation == "no_income":
                return person
    raise LookupError


def test_a_homeless_applicant_on_paper_and_money_shown_truthfully(
    live_server, new_page, settings, registers_simulator, population, caseworker, unit, schedule, tmp_path
):
    settings.DEMO_MODE = True
    settings.REGISTERS_URL = registers_simulator
    person = homeless(population)

    # The caseworker registers the paper form: two scanned pages, no account yet.
    staff = new_page(width=1280, height=900)
    staff_sign_in(staff, live_server.url, caseworker, next_url="/casework/paper/")
    expect(staff.get_by_role("link", name="العربية")).to_be_visible()  # the form to print, in Arabic too
    staff.get_by_label("Den sökandes personnummer").fill(person.pnr)
    staff.get_by_label("Hyra (kronor)").fill("0")
    staff.get_by_label("Har inget konto ännu").check()
    pages = []
    for number in (1, 2):
        path = tmp_path / f"sida{number}.png"
        path.write_bytes(samples.png())
        pages.append(str(path))
    staff.get_by_label("Skannade sidor").set_input_files(pages)
    staff.get_by_role("button", name="Registrera ansökan").click()
    expect(staff.get_by_text("Ansökan är registrerad")).to_be_visible()
    expect(staff.locator("#scans a")).to_have_count(2)
    assert_accessible(staff)

    # Granted, and the order is held for want of an account: never called planned.
    registered = Person.objects.get(personnummer=person.pnr)
    assert registered.first_name == person.given_name  # the name came from the population register
    applicant = User.objects.create(username="hemlos", role=User.Role.CITIZEN, person=registered)
    (order,) = plan_payments(make_decision(applicant.person, unit, "4870", answers_=answers(account=None)))
    assert order.status == "held"

    page = new_page()
    sign_in(page, live_server.url, person.pnr)
    payments = page.locator("#payments")
    expect(payments).to_contain_text("väntar – inte planerad")
    expect(page.get_by_text("Utbetalning planerad")).to_have_count(0)
    check(page)
    payments.get_by_role("link", name="Ange ett konto för utbetalning").click()
    page.get_by_label("Till mitt bankkonto").check()
    page.get_by_label("Clearingnummer").fill("3300")
    page.get_by_label("Kontonummer").fill("800113-9298")  # one digit wrong
    page.get_by_role("button", name="Spara kontot").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page)
    page.get_by_label("Kontonummer").fill(CITIZEN_ACCOUNT["account_number"])
    page.get_by_role("button", name="Spara kontot").click()
    expect(page.get_by_text("Kontot är sparat")).to_be_visible()
    expect(page.locator("#payments")).to_contain_text("Utbetalning planerad 25 november")
    check(page)
    order.refresh_from_db()
    assert order.status == "planned"


def test_a_held_payment_in_arabic(live_server, new_page, settings, citizen, unit, schedule):
    settings.DEMO_MODE = True
    plan_payments(make_decision(citizen.person, unit, "11420", answers_=answers(account=None)))
    page = new_page(locale="ar")
    page.goto(live_server.url + "/my/")
    page.locator("a[href^='/login/dev-eid/']").click()
    page.get_by_label("الرقم الشخصي").fill(CITIZEN_PNR)
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#payments")).to_contain_text("ليست مخططًا لها")
    check(page)
    page.locator("#payments a").click()
    expect(page.locator("#held-payments")).to_contain_text("ليس لدينا حساب للدفع إليه.")
    check(page)


def test_a_daughter_as_ombud_for_her_father(
    live_server, new_page, settings, municipality, caseworker, tmp_path
):
    settings.DEMO_MODE = True
    father = make_citizen(FATHER_PNR, municipality, first_name="Gösta")
    daughter = make_citizen(DAUGHTER_PNR, municipality, first_name="Lena")

    staff = new_page(width=1280, height=900)
    staff_sign_in(staff, live_server.url, caseworker, next_url="/casework/powers/")
    staff.get_by_label("Personnummer för den som ger fullmakten").fill(FATHER_PNR)
    staff.get_by_label("Ombudets personnummer").fill(DAUGHTER_PNR)
    staff.get_by_label("Gäller från").fill("2026-12-01")
    scan = tmp_path / "fullmakt.png"
    scan.write_bytes(samples.png())
    staff.get_by_label("Den underskrivna fullmakten").set_input_files(str(scan))
    staff.get_by_role("button", name="Registrera fullmakten").click()
    expect(staff.get_by_text("Fullmakten är registrerad")).to_be_visible()
    expect(staff.locator("#powers")).to_contain_text("Lena Demosson för Gösta Demosson")
    assert_accessible(staff)

    # Used: the daughter acts for her father, and the pages speak of his account.
    page = new_page()
    sign_in(page, live_server.url, DAUGHTER_PNR)
    page.get_by_role("button", name="Ansök och följ ärendet för Gösta Demosson").click()
    expect(page.get_by_text("Du är inloggad som ombud för Gösta Demosson")).to_be_visible()
    check(page)

    # Revoked by the father on his own Mina sidor.
    own = new_page()
    sign_in(own, live_server.url, FATHER_PNR)
    expect(own.locator("#given-powers")).to_contain_text("Lena Demosson")
    check(own)
    own.get_by_role("button", name="Återkalla fullmakten för Lena Demosson").click()
    expect(own.get_by_text("Fullmakten är återkallad.")).to_be_visible()

    # The daughter's next page says why she can no longer act, rather than "not found".
    page.reload()
    expect(page.get_by_role("heading", name="Fullmakten gäller inte")).to_be_visible()
    expect(page.get_by_text("Gösta Demosson har återkallat fullmakten")).to_be_visible()
    check(page)
    power = PowerOfAttorney.objects.get()
    assert power.revoked_by == father and daughter.person == power.agent


def test_a_caseworker_at_a_familys_contact(live_server, new_page, settings, unit, monkeypatch):
    from tests.security.conftest import build_world

    settings.DEMO_MODE = True
    world = build_world(unit)
    case = world.case
    case.assigned_to = world.caseworker
    case.save()
    monkeypatch.setattr(workspace, "_has_children", lambda case: True)
    ActivityPlan.objects.create(
        case=case,
        person=case.applicant,
        kind="plan",
        valid_from=datetime.date(2026, 12, 1),
        note="Praktik på biblioteket tre dagar i veckan.",
    )

    staff = new_page(width=1280, height=900)
    staff_sign_in(staff, live_server.url, world.caseworker, next_url=f"/casework/cases/{case.pk}/")
    journal = staff.locator("#journal")
    journal.get_by_label("Sort").select_option("contact")
    journal.get_by_label("Anteckning", exact=True).fill("Hembesök. Barnen mår bra men bor trångt.")
    journal.get_by_role("button", name="Spara anteckning").click()
    # Refused for the child perspective, and nothing typed is lost.
    expect(staff.locator("#note-errors")).to_be_visible()
    expect(journal.get_by_label("Anteckning", exact=True)).to_have_value(
        "Hembesök. Barnen mår bra men bor trångt."
    )
    journal.get_by_label("Vid kontakt med barnfamilj").select_option("yes")
    journal.get_by_label("Vem får läsa").select_option("citizen")
    journal.get_by_role("button", name="Spara anteckning").click()
    expect(staff.get_by_text("Anteckningen är sparad.")).to_be_visible()

    # An orosanmälan: restricted, a task and a report to hand over.
    journal = staff.locator("#journal")
    journal.get_by_label("Sort").select_option("concern")
    journal.get_by_label("Anteckning", exact=True).fill("Det äldsta barnet berättar om slag hemma.")
    journal.get_by_role("button", name="Spara anteckning").click()
    concerns = staff.locator("#concerns")
    expect(concerns).to_contain_text("Att anmäla")
    concerns.get_by_role("button", name="Markera som lämnad till Socialtjänstens").click()
    expect(staff.locator("#concerns")).to_contain_text("Anmäld")
    assert_accessible(staff)

    # The family reads the note meant for them and the plan; never the orosanmälan.
    page = new_page()
    sign_in(page, live_server.url, CITIZEN_PNR)
    meetings = page.locator("#from-meetings")
    expect(meetings).to_contain_text("Barnen mår bra men bor trångt.")
    expect(meetings).to_contain_text("Praktik på biblioteket")
    expect(page.get_by_text("slag hemma")).to_have_count(0)
    check(page)


def test_a_person_in_acute_need_is_decided_and_paid_the_same_day(
    live_server, new_page, settings, registers_simulator, population, unit, caseworker, schedule, run_tasks
):
    """Asked first, promised today with a number to call, decided by a person and paid the same bank day —
    and then the same month's regular application, which the emergency did not use up, goes to a person who
    is told to check that nothing is paid twice."""
    from bistand.casework.models import PipelineRun
    from bistand.intake.models import Application
    from bistand.payments.holidays import next_bank_day_on_or_after
    from tests.intake.helpers import single_adult

    settings.DEMO_MODE = True
    settings.REGISTERS_URL = registers_simulator
    unit.municipality.phone = "070-174 06 50"
    unit.municipality.save()
    schedule.emergency_payout = "same_day"
    schedule.save()
    person = single_adult(population)

    page = new_page()
    sign_in(page, live_server.url, person.pnr, start="/apply/")
    page.get_by_role("button", name="Börja ansökan").click()
    page.get_by_label("akut behov").check()  # the first question, not the sixth page
    page.get_by_role("button", name="Spara och fortsätt").click()
    for _step in range(5):
        if page.get_by_label("Nej", exact=True).count():
            page.get_by_label("Nej", exact=True).check()
        page.get_by_role("button", name="Spara och fortsätt").click()
    page.get_by_label("Till mitt bankkonto").check()
    page.get_by_label("Clearingnummer").fill("3300")
    page.get_by_label("Kontonummer").fill("800113-9297")
    page.get_by_role("button", name="Spara och fortsätt").click()
    page.get_by_role("button", name="Skriv under och skicka").click()
    promise = page.locator("#emergency-promise")
    expect(promise).to_contain_text("i dag")
    expect(promise.get_by_role("link", name="070-174 06 50")).to_be_visible()
    check(page)

    run_tasks()
    run = PipelineRun.objects.get(application=Application.objects.get(applicant__personnummer=person.pnr))
    assert run.status == "routed" and run.urgent  # nödbistånd: always a person, first in the queue
    workspace.take(run.case, caseworker)
    draft = workspace.save_draft(run, caseworker, outcome="grant")
    decision = workspace.submit(draft, caseworker)
    order = decision.payment_orders.get()
    # The same bank day as the decision, whichever day the test runs (a weekend rolls to Monday).
    today = next_bank_day_on_or_after(timezone.localdate())
    assert order.status == "planned" and order.payout_date == today

    page.goto(live_server.url + "/my/")
    expect(page.locator("#payments")).to_contain_text("Utbetalning planerad")
    check(page)

    # The same month's regular application: nödbistånd stood beside it and did not use up the month.
    emergency = run.application
    page.get_by_role("button", name="Börja ansökan").click()
    expect(page.get_by_label("akut behov")).not_to_be_checked()
    page.get_by_role("button", name="Spara och fortsätt").click()
    for _step in range(5):
        if page.get_by_label("Nej", exact=True).count():
            page.get_by_label("Nej", exact=True).check()
        page.get_by_role("button", name="Spara och fortsätt").click()
    page.get_by_label("Till mitt bankkonto").check()
    page.get_by_label("Clearingnummer").fill("3300")
    page.get_by_label("Kontonummer").fill("800113-9297")
    page.get_by_role("button", name="Spara och fortsätt").click()
    page.get_by_role("button", name="Skriv under och skicka").click()
    expect(page.locator("#emergency-promise")).to_have_count(0)
    check(page)
    regular = Application.objects.exclude(pk=emergency.pk).get(applicant__personnummer=person.pnr)
    assert regular.is_submitted and not regular.emergency and regular.month == emergency.month
    run_tasks()
    regular_run = PipelineRun.objects.get(application=regular)
    assert regular_run.status == "routed"
    assert "same_month" in {reason["code"] for reason in regular_run.routing_reasons}
    # The emergency's payment stands as it was: its own order, once.
    order.refresh_from_db()
    assert order.status == "planned" and decision.payment_orders.count() == 1
