"""The year turns: an application for a month whose riksnorm is not published yet is kept and explained,
waits (not an error), and goes through the robot by itself when the table is imported (issue 17)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from bistand.cases.models import TimelineEvent
from bistand.casework.models import PipelineRun
from bistand.casework.norm_wait import wait_figures
from bistand.casework.pipeline import resume_waiting
from bistand.ops.cli import main
from bistand.rules.parameters import reset_default_parameters
from tests.casework.test_pipeline import THIS_MONTH, quiet_single, robot, run_to_end, submit  # noqa: F401
from tests.conftest import make_citizen

pytestmark = pytest.mark.django_db

JANUARY = datetime.date(2027, 1, 1)
TODAY = datetime.date(2026, 12, 3)
TABLE_2027 = Path(__file__).resolve().parents[1] / "rules" / "data" / "riksnorm-2027-referensvarde.yaml"


@pytest.fixture(autouse=True)
def own_parameters(tmp_path, monkeypatch):
    """The packaged tables (2026 the last) and an empty overlay that an import in the test writes to."""
    monkeypatch.setenv("BISTAND_DATA_DIR", str(tmp_path / "data"))
    real_localdate = timezone.localdate
    monkeypatch.setattr(  # today is 3 December 2026, whatever the clock says
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: TODAY if value is None else real_localdate(value, timezone),
    )
    reset_default_parameters()
    yield
    reset_default_parameters()


@pytest.fixture
def january(find, unit):
    found = find(quiet_single)
    citizen = make_citizen(found.pnr, unit.municipality)
    return run_to_end(submit(citizen.person, unit, JANUARY)), citizen


def test_a_january_application_waits_for_the_norm_and_is_not_an_error(january, client, caseworker):
    run, citizen = january
    assert run.status == PipelineRun.Status.WAITING_NORM
    assert run.last_error == "" and run.norm_wait_started is not None and run.calculation is None
    event = TimelineEvent.objects.get(application=run.application, kind="waiting_norm")
    # The municipality's expected date (the default policy: 20 December the year before).
    assert event.visible_to_citizen and event.data == {"year": 2027, "expected": "2026-12-20"}

    client.force_login(citizen)
    receipt = client.get(f"/apply/{run.application.reference}/received/").content.decode()
    assert "Riksnormen för 2027 är inte fastställd ännu" in receipt
    assert "Riksnormen bestäms av regeringen. Din ansökan är sparad" in receipt
    assert "20 december 2026" in receipt
    home = client.get("/my/").content.decode()
    assert "Väntar på riksnormen för 2027" in home

    client.force_login(caseworker)
    queue = client.get("/casework/").content.decode()
    assert "Väntar på riksnormen" in queue and "Ett tekniskt fel" not in queue
    case = client.get(f"/casework/cases/{run.case_id}/").content.decode()
    assert "Väntar på riksnormen för 2027" in case and "Besluta nödbistånd" in case


def test_importing_the_table_resumes_every_waiting_application(january, capsys):
    run, _ = january
    assert resume_waiting() == 0  # nothing to resume before the table is there

    assert main(["norm", "import", str(TABLE_2027), "--force"]) == 0
    out = capsys.readouterr().out
    assert "Ny form: 2026 är en tabell per person" in out
    assert "1 ansökningar som väntade på riksnormen handläggs nu." in out

    run.refresh_from_db()
    assert run.status == PipelineRun.Status.RUNNING and run.step == PipelineRun.Step.COLLECT
    assert run.norm_wait_ended is not None
    run = run_to_end(run)
    assert run.status == PipelineRun.Status.ROUTED  # a first application: a person decides
    assert run.calculation["month"] == "2027-01"
    assert run.calculation["norm_table"]["id"] == "riksnorm-2027"
    # 2027 example table: single 4 020 + common (1 person) 1 310, rent 5 900, electricity 300.
    assert run.calculation["entitlement"] == 4020 + 1310 + 5900 + 300


def test_the_waiting_time_is_on_the_oversight_figures(january, unit):
    run, _ = january
    later = run.norm_wait_started + datetime.timedelta(days=9, hours=1)
    assert wait_figures(unit.municipality, now=later).waiting == 1
    assert wait_figures(unit.municipality, now=later).longest_days == 9
    PipelineRun.objects.filter(pk=run.pk).update(norm_wait_ended=later, status="running")
    figures = wait_figures(unit.municipality, now=later)
    assert (figures.waiting, figures.resumed, figures.median_days) == (0, 1, 9.0)


def test_a_caseworker_decides_nodbistand_by_hand_while_the_norm_waits(january, caseworker, client):
    run, _ = january
    client.force_login(caseworker)
    response = client.post(
        f"/casework/cases/{run.case_id}/emergency/",
        {"need": "Mat för en vecka", "amount": "1 200", "motivation": "Akut behov av mat."},
    )
    assert response.status_code == 302
    decision = run.application.decisions.get()
    assert decision.amount_granted == 1200 and not decision.automated
    assert decision.calculation["lines"][0]["reference"].startswith("SoL (2025:400) 12 kap. 1 §")
    run.refresh_from_db()
    assert run.status == PipelineRun.Status.ROUTED and run.norm_wait_ended is not None
    # Decided by hand: the import leaves it alone.
    assert main(["norm", "import", str(TABLE_2027), "--force"]) == 0
    run.refresh_from_db()
    assert run.status == PipelineRun.Status.ROUTED


@pytest.mark.parametrize(
    ("post", "field"),
    [
        ({"need": "", "amount": "1200", "motivation": "x"}, "Akut behov"),
        ({"need": "Mat", "amount": "-5", "motivation": "x"}, "Belopp"),
        ({"need": "Mat", "amount": "1200", "motivation": ""}, "Motivering"),
    ],
)
def test_nodbistand_with_bad_input_says_which_field(january, caseworker, client, post, field):
    run, _ = january
    client.force_login(caseworker)
    page = client.post(f"/casework/cases/{run.case_id}/emergency/", post, follow=True).content.decode()
    assert field in page and not run.application.decisions.exists()


def test_a_month_with_a_norm_is_not_held_back(find, unit):
    found = find(quiet_single)
    citizen = make_citizen(found.pnr, unit.municipality)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH))
    assert run.status != PipelineRun.Status.WAITING_NORM and run.calculation["month"] == "2026-11"


def test_the_oversight_dashboard_shows_the_wait(january, unit, client):
    from bistand.identity.models import User
    from tests.conftest import make_staff

    lead = make_staff("gruppledare1", unit, role=User.Role.TEAM_LEAD)
    client.force_login(lead)
    page = client.get("/oversight/", {"first": "2026-11", "last": "2026-12"}).content.decode()
    assert "Ansökningar som väntar på nästa års riksnorm nu: 1." in page


def test_an_expected_date_that_has_passed_is_not_promised_again(january):
    from bistand.casework.norm_wait import waiting_for

    run, _ = january
    assert waiting_for(run.application, today=datetime.date(2026, 12, 3)).expected == datetime.date(
        2026, 12, 20
    )
    assert waiting_for(run.application, today=datetime.date(2026, 12, 21)).expected is None
