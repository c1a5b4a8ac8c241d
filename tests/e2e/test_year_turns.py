"""The year turns, in Chromium: on 3 December 2026 a citizen applies for January 2027, before the 2027
riksnorm is published. The application is kept and the citizen told why it waits; the caseworker sees it
waiting for the norm; when the table is imported it goes through the robot by itself and is decided."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bistand.casework import pipeline
from bistand.casework.models import PipelineRun
from bistand.ops.cli import main
from bistand.rules.parameters import reset_default_parameters
from tests.e2e.conftest import assert_accessible, assert_fits_width
from tests.e2e.test_apply import next_step, sign_in
from tests.e2e.test_caseworker import sign_in_staff
from tests.intake.helpers import single_adult

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2026, 12, 3)
TABLE_2027 = Path(__file__).resolve().parents[1] / "rules" / "data" / "riksnorm-2027-referensvarde.yaml"


@pytest.fixture
def december(settings, registers_simulator, unit, tmp_path, monkeypatch):
    """Today is 3 December 2026 (pinned), and the 2027 norm is not in Bistånd."""
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    monkeypatch.setenv("BISTAND_DATA_DIR", str(tmp_path / "data"))
    reset_default_parameters()
    settings.DEMO_MODE = True
    settings.REGISTERS_URL = registers_simulator
    pipeline._gateway = None  # a register client for this test's simulator
    yield unit
    pipeline._gateway = None
    reset_default_parameters()


def test_january_applied_for_in_december_waits_for_the_norm_then_is_decided(
    live_server, new_page, december, population, run_tasks, caseworker, capsys
):
    person = single_adult(population)
    page = new_page()
    sign_in(page, live_server.url, person.pnr, start="/apply/")
    page.get_by_role("button", name="Börja ansökan").click()
    page.get_by_label("januari 2027").check()
    next_step(page)
    for _step in range(5):
        if page.get_by_label("Nej", exact=True).count():
            page.get_by_label("Nej", exact=True).check()
        next_step(page)
    page.get_by_label("Till mitt bankkonto").check()
    page.get_by_label("Clearingnummer").fill("6789")
    page.get_by_label("Kontonummer").fill("123456789")
    next_step(page)
    page.get_by_role("button", name="Skriv under och skicka").click()

    # The citizen is told plainly why nothing is calculated yet, and when the municipality expects the norm.
    expect(page.get_by_role("heading", name="Vi har tagit emot din ansökan")).to_be_visible()
    expect(page.get_by_text("Riksnormen för 2027 är inte fastställd ännu")).to_be_visible()
    expect(page.get_by_text("Riksnormen bestäms av regeringen. Din ansökan är sparad")).to_be_visible()
    expect(page.get_by_text("omkring 20 december 2026")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)

    run_tasks()
    run = PipelineRun.objects.get(application__applicant__personnummer=person.pnr)
    assert run.status == PipelineRun.Status.WAITING_NORM and run.application.month == datetime.date(
        2027, 1, 1
    )

    # The caseworker sees it waiting for the norm, not as an error.
    staff = sign_in_staff(new_page, live_server, caseworker)
    expect(staff.get_by_role("heading", name="Väntar på riksnormen")).to_be_visible()
    expect(staff.get_by_text("Ett tekniskt fel")).to_have_count(0)
    staff.locator("#norm-waiting + p + ul").get_by_role("link").first.click()
    expect(staff.get_by_text("Väntar på riksnormen för 2027.")).to_be_visible()
    expect(staff.get_by_role("button", name="Besluta nödbistånd")).to_be_visible()
    assert_accessible(staff)

    # The municipality imports the 2027 table; the waiting application resumes by itself.
    assert main(["norm", "import", str(TABLE_2027), "--force"]) == 0
    assert "1 ansökningar som väntade på riksnormen handläggs nu." in capsys.readouterr().out
    run_tasks()
    run.refresh_from_db()
    assert run.status == PipelineRun.Status.ROUTED and run.calculation["norm_table"]["id"] == "riksnorm-2027"

    staff.reload()
    expect(staff.get_by_text("Robotens förslag")).to_be_visible()
    staff.get_by_role("button", name="Ta ärendet").click()
    staff.get_by_role("button", name="Spara utkast").click()
    expect(staff.get_by_text("Inget har skickats till den sökande.")).to_be_visible()
    staff.get_by_role("button", name="Fatta beslutet").click()
    expect(staff.get_by_text("Beslutet är fattat och skickat till den sökande.")).to_be_visible()
    decision = run.application.decisions.get()
    assert decision.amount_granted == run.calculation["entitlement"] > 0

    # The citizen finds the decision on Mina sidor.
    page.goto(live_server.url + f"/my/decisions/{decision.pk}/")
    expect(page.get_by_role("heading", name="Beslut om försörjningsstöd", exact=False)).to_be_visible()
    assert_accessible(page)
