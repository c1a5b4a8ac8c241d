"""An activity plan a caseworker accepted carries over while Arbetsförmedlingen shows nothing new
(policy `aktivitetskrav.accepted_plan_carries_over`, docs/automation-policy.md)."""

from __future__ import annotations

import datetime

import pytest

from bistand.casework.models import ActivityPlan, PipelineRun
from bistand.registers.interface import to_jsonable
from tests.casework import test_policy, test_reform
from tests.casework.test_policy import codes, with_changes

quiet_run = test_policy.quiet_run  # the fixture: a returning household, nothing changed, nothing found

NOVEMBER = datetime.date(2026, 11, 1)


def _af(registered: bool) -> dict:
    """Arbetsförmedlingen's answer as stored: whole facts, no activity report."""
    return {"status": "ok", "facts": to_jsonable(test_reform._af(registered).facts)}


NOT_REGISTERED = _af(registered=False)
REGISTERED_NO_REPORT = _af(registered=True)
UNANSWERED = {"status": "error", "facts": None, "error": {"kind": "unavailable"}}


def _under_aktivitetskrav(run: PipelineRun, af: dict) -> PipelineRun:
    """August, September and October granted: November is under the aktivitetskrav (from October 2026)."""
    run.months[:] = ["2026-08", "2026-09", "2026-10"]
    run.register_snapshot = {"applicant": {"sources": {"af": af}}}
    return run


def _plan(run: PipelineRun, accepted: str, until: datetime.date | None) -> None:
    ActivityPlan.objects.create(
        case=run.case,
        person=run.application.applicant,
        kind="plan",
        valid_from=datetime.date(2026, 9, 1),
        valid_until=until,
        hours_per_week=40,
        job_search_hours=10,
        af_status_accepted=accepted,
    )


@pytest.mark.parametrize(
    ("carries_over", "accepted", "until", "af", "routed"),
    [
        # Accepted while not registered at AF (the municipality's activities), still so: the judgement stands.
        (True, "500", datetime.date(2027, 2, 28), NOT_REGISTERED, False),
        (True, "500", None, NOT_REGISTERED, False),  # a plan without an end date covers the month
        (False, "500", datetime.date(2027, 2, 28), NOT_REGISTERED, True),  # the nämnd wants a person
        (True, "200", datetime.date(2027, 2, 28), NOT_REGISTERED, True),  # registered then, not now: news
        (True, "", datetime.date(2027, 2, 28), NOT_REGISTERED, True),  # nothing recorded: nothing to rely on
        (True, "500", datetime.date(2026, 11, 15), NOT_REGISTERED, True),  # expires within the month
        (True, "500", datetime.date(2027, 2, 28), REGISTERED_NO_REPORT, True),  # no activity report (501)
        (True, "500", datetime.date(2027, 2, 28), UNANSWERED, True),  # AF did not answer: unknown (502)
    ],
)
def test_an_accepted_plan_carries_over_only_while_af_shows_nothing_new(
    quiet_run, carries_over, accepted, until, af, routed
):
    run = _under_aktivitetskrav(quiet_run, af)
    _plan(run, accepted, until)
    policy = with_changes(aktivitetskrav__accepted_plan_carries_over=carries_over)
    assert ("aktivitetskrav" in codes(run, policy)) is routed


def test_without_any_plan_the_carry_over_changes_nothing(quiet_run):
    run = _under_aktivitetskrav(quiet_run, NOT_REGISTERED)
    assert "aktivitetskrav" in codes(run, with_changes(aktivitetskrav__accepted_plan_carries_over=True))


def test_a_plan_the_caseworker_records_keeps_the_af_status_they_saw(quiet_run, caseworker, client):
    run = _under_aktivitetskrav(quiet_run, NOT_REGISTERED)
    run.save()  # the case's latest run, with AF's answer: not registered
    client.force_login(caseworker)
    response = client.post(
        f"/casework/cases/{run.case_id}/plans/",
        {
            "person": run.application.applicant.personnummer,
            "kind": "plan",
            "valid_from": "2026-11-01",
            "valid_until": "2027-04-30",
            "hours_per_week": "40",
            "job_search_hours": "10",
            "note": "Arbetsträning i kommunens regi",
        },
    )
    assert response.status_code == 302
    plan = ActivityPlan.objects.get(case=run.case)
    assert plan.af_status_accepted == "500"
    page = client.get(f"/casework/cases/{run.case_id}/").content.decode()
    assert "Arbetsförmedlingen när planen godtogs: 500 inte inskriven på Arbetsförmedlingen" in page


@pytest.mark.parametrize("carries_over", [True, False])
def test_the_public_policy_says_whether_an_accepted_plan_carries_over(carries_over):
    from bistand.casework.policy import describe

    text = "\n".join(describe(with_changes(aktivitetskrav__accepted_plan_carries_over=carries_over)))
    assert (
        "gäller hela planens tid, så länge Arbetsförmedlingen inte visar något nytt" in text
    ) is carries_over
