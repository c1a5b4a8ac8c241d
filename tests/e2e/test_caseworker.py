"""The caseworker's workspace in Chromium, keyboard-friendly and accessible: from the queue to a decided,
adjusted case that the citizen then sees; and a documentation request answered from Mina sidor."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bistand.casework import pipeline
from tests import samples
from tests.casework.test_pipeline import THIS_MONTH, quiet_single, robot, run_to_end, submit  # noqa: F401
from tests.conftest import STAFF_PASSWORD, make_citizen
from tests.e2e.conftest import assert_accessible, assert_fits_width

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in_staff(new_page, live_server, user):
    page = new_page(width=1280, height=900)
    page.goto(live_server.url + "/staff/login/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_label("Lösenord").press("Enter")
    expect(page.get_by_role("heading", name="Ärenden", exact=True)).to_be_visible()
    return page


def sign_in_citizen(new_page, live_server, personnummer):
    page = new_page()
    page.goto(live_server.url + "/login/dev-eid/")
    page.get_by_label("Personnummer").fill(personnummer)
    page.get_by_role("button", name="Logga in", exact=True).click()
    return page


@pytest.fixture
def routed(find, unit, settings):
    settings.DEMO_MODE = True
    found = find(quiet_single)
    citizen = make_citizen(found.pnr, unit.municipality)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, costs=[{"type": "rent", "amount": "9900"}]))
    pipeline._gateway = None
    return run, found.pnr


def test_from_the_queue_to_an_adjusted_decision_the_citizen_sees(live_server, new_page, caseworker, routed):
    run, personnummer = routed
    page = sign_in_staff(new_page, live_server, caseworker)
    assert_accessible(page)
    expect(page.get_by_text("Hyran (9\u00a0900\u00a0kr) är högre än kommunens riktlinje")).to_be_visible()
    page.get_by_role("link", name=run.application.applicant.full_name).first.click()
    expect(page.get_by_text("Robotens förslag")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Ta ärendet").click()
    expect(page.get_by_text("Ärendet är tilldelat.")).to_be_visible()
    # Lowering the rent goes against the citizen: kommunicering first (FL 25 §), and their reply noted.
    page.get_by_label("Vad har kommit fram som kan påverka beslutet?").fill(
        "Hyran är högre än kommunens riktlinje för en person."
    )
    page.get_by_label("Svar senast").fill("2099-01-31")
    page.get_by_role("button", name="Skicka kommunicering").click()
    page.get_by_label("Den sökandes svar").fill("Jag söker en billigare bostad.")
    page.get_by_role("button", name="Anteckna svaret").click()
    expect(page.get_by_text("Jag söker en billigare bostad.")).to_be_visible()
    page.get_by_label("Skälig kostnad: Boendekostnad (hyra)").fill("7000")
    page.get_by_label("Skäl om du ändrar boendekostnad (hyra)").fill(
        "Hyran är högre än riktlinjen för en person."
    )
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Inget har skickats till den sökande.")).to_be_visible()
    assert_accessible(page)
    preview = page.get_by_role("link", name="Förhandsgranska brevet (PDF)").get_attribute("href")
    letter = page.request.get(live_server.url + preview)
    assert letter.headers["content-type"] == "application/pdf" and letter.body().startswith(b"%PDF")
    page.get_by_role("button", name="Fatta beslutet").click()
    expect(page.get_by_text("Beslutet är fattat och skickat till den sökande.")).to_be_visible()
    decision = run.application.decisions.get()
    assert decision.amount_granted == int(run.calculation["entitlement"]) - 2900
    assert "Hyran är högre än riktlinjen för en person." in decision.motivation

    # The citizen, on a phone, sees the decision and the reason for the changed line.
    citizen = sign_in_citizen(new_page, live_server, personnummer)
    citizen.goto(live_server.url + f"/my/decisions/{decision.pk}/")
    expect(citizen.get_by_role("heading", name="Beslut om försörjningsstöd", exact=False)).to_be_visible()
    expect(citizen.get_by_text("Hyran är högre än riktlinjen för en person.").first).to_be_visible()
    assert_accessible(citizen)
    assert_fits_width(citizen)


def test_a_documentation_request_round_trip(live_server, new_page, caseworker, routed, tmp_path, settings):
    run, personnummer = routed
    settings.MEDIA_ROOT = tmp_path
    page = sign_in_staff(new_page, live_server, caseworker)
    page.goto(live_server.url + f"/casework/cases/{run.case_id}/")
    page.get_by_label("Vad behöver den sökande skicka in?").fill("Hyreskontraktet, alla sidor.")
    page.get_by_role("button", name="Begär komplettering").click()
    expect(page.get_by_text("Begäran är skickad till den sökande.")).to_be_visible()

    citizen = sign_in_citizen(new_page, live_server, personnummer)
    citizen.goto(live_server.url + "/my/")
    citizen.get_by_role("link", name="Hyreskontraktet, alla sidor.").first.click()
    pdf = tmp_path / "hyreskontrakt.pdf"
    pdf.write_bytes(samples.pdf())
    citizen.locator("input[type=file]").set_input_files(str(pdf))
    citizen.get_by_role("button", name="Lägg till filen").click()
    assert_accessible(citizen)
    citizen.get_by_role("button", name="Skicka in underlaget").click()

    page.goto(live_server.url + f"/casework/cases/{run.case_id}/")
    expect(page.get_by_text("Hyreskontraktet, alla sidor.")).to_be_visible()
    expect(page.get_by_text("(1 filer)")).to_be_visible()
    # The caseworker opens the document the citizen sent.
    link = page.get_by_role("link", name="PDF", exact=False).first
    opened = page.request.get(live_server.url + link.get_attribute("href"))
    assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"


def test_a_paper_application_registered_in_the_browser_runs_through_the_pipeline(
    live_server, new_page, caseworker, find, settings, tmp_path, run_tasks
):
    from bistand.casework.models import PipelineRun

    settings.MEDIA_ROOT = tmp_path
    person = find(quiet_single)
    pipeline._gateway = None
    page = sign_in_staff(new_page, live_server, caseworker)
    page.get_by_role("link", name="Registrera papper- eller telefonansökan").click()
    assert_accessible(page)
    page.get_by_label("Den sökandes personnummer").fill(person.pnr)
    page.get_by_label("Förnamn").fill(person.given_name)
    page.get_by_label("Efternamn").fill(person.surname)
    page.get_by_label("Hyra (kronor)").fill("6 500")
    page.get_by_label("Till den sökandes bankkonto").check()
    page.get_by_label("Clearingnummer").fill("3300")
    page.get_by_label("Kontonummer").fill("800113-9297")
    page.get_by_role("button", name="Registrera ansökan").click()
    expect(page.get_by_text("Ansökan är registrerad och handläggs nu som alla andra.")).to_be_visible()
    run_tasks()
    run = PipelineRun.objects.get(application__channel="paper")
    assert run.status == "routed" and "first_application" in [r["code"] for r in run.routing_reasons]
    page.reload()
    expect(page.get_by_text("Pappersansökan").first).to_be_visible()
    expect(page.get_by_text("Robotens förslag")).to_be_visible()
    assert_accessible(page)
