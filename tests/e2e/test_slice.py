"""The thin slice, in Chromium: a citizen applies on a phone; a caseworker sees it in the unit's queue."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import STAFF_PASSWORD
from tests.e2e.conftest import assert_accessible, assert_fits_width

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_applies_and_caseworker_sees_it(
    live_server, new_page, settings, citizen, caseworker, run_tasks
):
    settings.DEMO_MODE = True
    settings.REGISTERS_URL = "http://127.0.0.1:9"  # no registers: the application works without prefill
    page = new_page()

    page.goto(live_server.url + "/")
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("link", name="Ansök nu").click()

    # Not signed in: the eID page, and in demo mode the development eID.
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Logga in med utvecklings-e-legitimation").click()
    expect(page.get_by_text("inte riktig e-legitimation")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_label("Personnummer").fill("19800113-9297")
    page.get_by_role("button", name="Logga in", exact=True).click()

    # Back at the application it asked for: the e-application, step by step.
    expect(page.get_by_role("heading", name="Ansökan om försörjningsstöd")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("button", name="Börja ansökan").click()
    page.get_by_role("button", name="Spara och fortsätt").click()
    page.get_by_label("Nej", exact=True).check()
    page.get_by_role("button", name="Spara och fortsätt").click()
    page.get_by_label("Hyra eller avgift för bostaden").fill("sjutusen")
    page.get_by_role("button", name="Spara och fortsätt").click()

    # A mistake: a clear message in Swedish, and nothing already typed is lost.
    expect(page.get_by_role("alert")).to_contain_text("Skriv ett belopp i kronor med siffror")
    expect(page.get_by_label("Hyra eller avgift för bostaden")).to_have_value("sjutusen")
    assert_accessible(page)
    page.get_by_label("Hyra eller avgift för bostaden").fill("7 800")
    for _step in ("housing", "income", "assets", "needs"):
        page.get_by_role("button", name="Spara och fortsätt").click()
    page.get_by_label("Till mitt bankkonto").check()
    page.get_by_label("Clearingnummer").fill("6789")
    page.get_by_label("Kontonummer").fill("123456789")
    page.get_by_role("button", name="Spara och fortsätt").click()
    page.get_by_role("button", name="Skriv under och skicka").click()

    expect(page.get_by_role("heading", name="Vi har tagit emot din ansökan")).to_be_visible()
    assert_accessible(page)

    # The worker puts the application on the case's timeline.
    run_tasks()
    page.get_by_role("link", name="Till Mina sidor").click()
    expect(page.get_by_text("Ansökan mottagen")).to_be_visible()
    assert_accessible(page)

    # The caseworker, in their own browser, signs in and finds it in the unit's queue.
    staff = new_page(width=1280, height=900)
    staff.goto(live_server.url + "/staff/login/")
    assert_accessible(staff)
    staff.get_by_label("Användarnamn").fill(caseworker.username)
    staff.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Logga in").click()
    expect(staff.get_by_role("heading", name="Ärenden", exact=True)).to_be_visible()
    assert_accessible(staff)
    # The case may stand in more than one list (e.g. routed and a contact due): any of its links opens it.
    staff.get_by_role("link", name=citizen.person.full_name).first.click()
    expect(staff).to_have_url(re.compile(r"/casework/cases/\d+/$"))
    expect(staff.get_by_text("Ansökan mottagen")).to_be_visible()
    assert_accessible(staff)


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_language_switcher_in_the_browser(live_server, new_page, language, direction):
    page = new_page()
    page.goto(live_server.url + "/")
    page.locator(f'button[lang="{language}"]').click()
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    assert_fits_width(page)
