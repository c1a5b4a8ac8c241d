"""The robot, against the registers simulator over real HTTP: decide what it may, route the rest with reasons."""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.cases.models import TimelineEvent
from bistand.casework import pipeline
from bistand.casework.deciding import decide_by_person
from bistand.casework.models import ActivityPlan, AutomationPolicy, PipelineRun
from bistand.casework.policy import default_policy
from bistand.casework.register_gap import has_passing_gap
from bistand.decisions.models import Decision
from bistand.decisions.replay import verify
from bistand.identity.models import Person
from bistand.intake import prefill
from bistand.intake.models import Application
from bistand.intake.schema import validate_application, with_provenance
from bistand.registers.snapshot import RegisterSnapshot
from tests.conftest import TEST_DELEGATION, make_citizen
from tests.stored_facts import whole

pytestmark = pytest.mark.django_db

THIS_MONTH = datetime.date(2026, 11, 1)
LAST_MONTH = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def robot(settings, registers_simulator, registers, tmp_path):
    settings.REGISTERS_URL = registers_simulator
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"
    pipeline._gateway = None  # a fresh client (and circuit breakers) for each test
    yield registers
    if pipeline._gateway is not None:
        pipeline._gateway.close()
    pipeline._gateway = None


def quiet_single(person, household) -> bool:
    return (
        household.kind == "single"
        and person.situation == "no_income"
        and not person.vehicles
        and person.capital_base == 0
        and household.bostadsbidrag is None
        and person.protection == "none"
        and person.registered
    )


def answers(month: datetime.date, **overrides) -> dict:
    data = {
        "month": month.isoformat()[:7],
        "costs": [{"type": "rent", "amount": "5900"}, {"type": "electricity", "amount": "300"}],
        "incomes": [],
        "nothing_changed": True,
    }
    data.update(overrides)
    return with_provenance(validate_application(data))


def submit(person: Person, unit, month: datetime.date, **overrides) -> PipelineRun:
    application = Application.objects.create(
        applicant=person, municipality=unit.municipality, month=month, answers=answers(month, **overrides)
    )
    application.submit()
    return pipeline.start(application)


def run_to_end(run: PipelineRun) -> PipelineRun:
    pipeline.advance(run.pk)
    run.refresh_from_db()
    return run


def returning(person, unit, caseworker) -> None:
    """Last month: routed as a first application and granted by a caseworker."""
    first = run_to_end(submit(person, unit, LAST_MONTH))
    assert first.status == PipelineRun.Status.ROUTED
    assert "first_application" in [r["code"] for r in first.routing_reasons]
    decide_by_person(first, caseworker)


def codes(run: PipelineRun) -> list[str]:
    return [r["code"] for r in run.routing_reasons]


def letter_text(decision, translated: bool = False) -> str:
    """The text of a decision's letter, drawn as the letters queue draws it."""
    from bistand.decisions.letters import ensure_letters

    decision = ensure_letters(decision)
    letter = decision.letter_for(language=decision.letter_language if translated else "sv")
    return subprocess.run(
        ["pdftotext", letter.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_returning_household_with_no_changes_is_decided_automatically(find, unit, caseworker):
    found = find(quiet_single)
    citizen = make_citizen(found.pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)

    run = run_to_end(submit(citizen.person, unit, THIS_MONTH))

    assert run.status == PipelineRun.Status.DECIDED, run.routing_reasons
    decision = Decision.objects.get(application=run.application)
    assert decision.automated and decision.outcome == "grant"
    # 2026: single adult living alone 5 220 kr (norm incl. common costs) + rent 5 900 + electricity 300.
    assert decision.amount_granted == 11420
    assert decision.delegation["reference"] == TEST_DELEGATION["reference"]
    assert "förvaltningslagen 28 §" in decision.motivation.lower()
    assert "inom tre veckor" in decision.motivation
    assert not decision.letters.exists()  # stored and shown at once; the letter is drawn on its own queue
    text = letter_text(decision)
    assert "Beslut om försörjningsstöd" in text
    # A decision is not a draft: no letter asks anyone to check its amounts.
    assert "Kontrollera beloppen" not in text and "Kontrollera" not in decision.motivation
    assert TEST_DELEGATION["reference"] in " ".join(text.split())
    assert "11 420" in text
    assert "automatisk beslutsfunktion" in text
    assert "Kontrollera beloppen" not in text  # no letter asks anyone to check amounts
    event = TimelineEvent.objects.get(application=run.application, kind="decision")
    assert event.actor == "robot" and event.visible_to_citizen
    # The decision replays to the same outcome.
    assert verify() == (2, [])


def test_norm_amounts_the_policy_does_not_accept_go_to_a_person_with_that_reason(find, unit, caseworker):
    """The 2026 table is a secondary source; a municipality that accepts only official amounts gets a person."""
    AutomationPolicy.objects.create(
        municipality=unit.municipality,
        version="only-official",
        valid_from=datetime.date(2026, 1, 1),
        delegation=TEST_DELEGATION,
        config={
            "decides_automatically": {**default_policy().rules, "norm_reliability_accepted": ["official"]}
        },
    )
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)

    run = run_to_end(submit(citizen.person, unit, THIS_MONTH))

    assert run.status == PipelineRun.Status.ROUTED
    assert codes(run) == ["norm_reliability"]
    assert "andrahandskälla" in run.routing_reasons[0]["message"]


def test_a_returning_household_with_a_register_benefit_and_nothing_changed_is_decided_automatically(
    find, unit, caseworker, client
):
    """Issue 14: the prefill showed sjukersättning twice, and the robot then asked to explain a difference
    it had made itself. Prefilled once, accepted as it stands, a returning household is decided."""
    found = find(
        lambda p, h: (
            h.kind == "single"
            and p.situation == "sickness_compensation"
            and not p.vehicles
            and p.capital_base == 0
            and h.bostadsbidrag is None
            and p.protection == "none"
            and p.registered
        )
    )
    citizen = make_citizen(found.pnr, unit.municipality)

    def prefilled(month: datetime.date) -> list[dict]:
        rows = prefill.fetch(found.pnr, month.isoformat()[:7])["incomes"]
        assert [row["code"] for row in rows] == ["FK:SA"], rows  # once, at the month's amount
        return [{"person": r["person"], "type": r["type"], "amount": r["amount"]} for r in rows]

    first = run_to_end(submit(citizen.person, unit, LAST_MONTH, incomes=prefilled(LAST_MONTH)))
    decide_by_person(first, caseworker)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, incomes=prefilled(THIS_MONTH)))

    assert run.status == PipelineRun.Status.DECIDED, run.routing_reasons
    decision = Decision.objects.get(application=run.application)
    assert decision.amount_granted == decision.amount_applied == Decimal(str(run.calculation["entitlement"]))
    # Next month's preliminary payment is shown to the caseworker as such, never counted.
    assert [f["code"] for f in run.findings] == ["preliminary_payment"]
    client.force_login(caseworker)
    page = client.get(reverse("casework:case", args=[run.case_id])).content.decode()
    assert "Registeruppgifter" in page and "preliminär, inte gjord ännu" in page
    # Each amount with the period it is for, and the month it counts in.
    assert "december 2026" in page and "den här månaden" in page and "Avser perioden" in page


def test_undeclared_income_goes_to_a_caseworker_with_that_reason(find, unit, caseworker):
    found = find(
        lambda p, h: h.kind == "single" and p.situation == "sick" and p.protection == "none" and p.registered
    )
    citizen = make_citizen(found.pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)

    run = run_to_end(submit(citizen.person, unit, THIS_MONTH))

    assert run.status == PipelineRun.Status.ROUTED
    assert "undeclared_income" in codes(run)
    reason = next(r for r in run.routing_reasons if r["code"] == "undeclared_income")
    assert "sjukpenning" in reason["message"]
    assert not Decision.objects.filter(application=run.application).exists()
    # The proposal is what the citizen's own answers give; the register's figure is for a person to weigh
    # (and, if it lowers the amount, to put to the citizen first: FL 25 §).
    assert all(p["source"] == "citizen" for p in run.calculation_input["income_provenance"])


def test_a_first_application_is_never_decided_by_the_robot(find, unit):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH))
    assert run.status == PipelineRun.Status.ROUTED
    assert codes(run) == ["first_application"]
    routed = TimelineEvent.objects.get(application=run.application, kind="routed")
    assert routed.data["reasons"] == ["first_application"]


def test_emergency_is_urgent_and_goes_to_a_person(find, unit, caseworker):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, emergency=True))
    assert run.urgent
    assert "emergency" in codes(run)


def test_changes_and_extra_needs_are_named(find, unit, caseworker):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    run = run_to_end(
        submit(
            citizen.person,
            unit,
            THIS_MONTH,
            nothing_changed=False,
            costs=[{"type": "rent", "amount": "9900"}],
            extra_needs=[{"type": "dental", "amount": "1200", "description": "akut"}],
        )
    )
    assert {"reported_change", "changed_since_last_month", "extra_needs", "rent_above_guidance"} <= set(
        codes(run)
    )


def _advance_until_it_leaves_collect(run: PipelineRun, times: int) -> PipelineRun:
    """Run the scheduled retries as the worker would, at most `times` times."""
    for _ in range(times):
        pipeline.advance(run.pk)
        run.refresh_from_db()
        if run.step != PipelineRun.Step.COLLECT or run.status != PipelineRun.Status.RUNNING:
            break
    return run


def test_register_timeouts_are_retried_then_routed_without_inventing_anything(
    find, unit, caseworker, robot, settings
):
    settings.REGISTER_GAP_WAIT_SECONDS = 0  # the wait for the source is over at once
    found = find(quiet_single)
    citizen = make_citizen(found.pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    robot.faults({"source": "fk", "person": found.pnr, "mode": "error", "variant": "bt"})
    run = _advance_until_it_leaves_collect(
        submit(citizen.person, unit, THIS_MONTH), pipeline.REGISTER_ATTEMPTS
    )
    pipeline.advance(run.pk)
    run.refresh_from_db()

    assert run.status == PipelineRun.Status.ROUTED
    assert "register_incomplete" in codes(run)
    # Unknown is not protected: nobody in this household is, and the gap has its own reason.
    assert "protected_identity" not in codes(run)
    assert run.register_snapshot["applicant"]["sources"]["fk"]["facts"] is None
    assert not Decision.objects.filter(application=run.application).exists()


def test_data_the_municipality_may_not_see_is_shown_as_not_available_never_as_none(
    find, unit, caseworker, robot
):
    """SSBTEK leaves out an agency the agreement does not cover (and LEFI names benefits it may not
    show): the case goes to a person with that said, and nothing is read as "no income"."""
    found = find(quiet_single)
    citizen = make_citizen(found.pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    robot.faults({"source": "so", "person": found.pnr, "mode": "not_entitled"})
    robot.faults({"source": "fk", "person": found.pnr, "mode": "not_entitled"})
    run = _advance_until_it_leaves_collect(submit(citizen.person, unit, THIS_MONTH), 1)
    pipeline.advance(run.pk)
    run.refresh_from_db()

    assert run.status == PipelineRun.Status.ROUTED
    assert "register_not_available" in codes(run)
    sources = run.register_snapshot["applicant"]["sources"]
    assert sources["so"]["facts"] is None and sources["so"]["error"]["kind"] == "not_available"
    assert "FK:ABB" in sources["fk"]["facts"]["unavailable"]
    assert not Decision.objects.filter(application=run.application).exists()


def test_a_register_outage_waits_and_the_case_is_decided_when_the_source_is_back(
    find, unit, caseworker, robot
):
    """Issue 20 #5: an outage sent cases to manual handling for good, labelled "protected identity"."""
    found = find(quiet_single)
    citizen = make_citizen(found.pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    robot.faults({"source": "fk", "person": found.pnr, "mode": "error", "variant": "bt"})
    run = _advance_until_it_leaves_collect(
        submit(citizen.person, unit, THIS_MONTH), 2 * pipeline.MAX_ATTEMPTS
    )

    assert (run.status, run.step) == (PipelineRun.Status.RUNNING, PipelineRun.Step.COLLECT)
    assert "frågar igen" in run.last_error  # what a person reading the run sees: waiting, not failing
    robot.clear_faults()  # the registers are back
    pipeline._gateway = None  # a fresh client: its circuit breaker opened during the outage
    run = _advance_until_it_leaves_collect(run, 1)
    pipeline.advance(run.pk)
    run.refresh_from_db()

    assert run.status == PipelineRun.Status.DECIDED, codes(run)
    assert run.register_snapshot["applicant"]["complete"] is True
    assert Decision.objects.filter(application=run.application).count() == 1


def _routed_with_a_gap(find, unit, caseworker, robot, settings) -> PipelineRun:
    """A returning household whose FK answer failed past the wait: routed with `register_incomplete`."""
    settings.REGISTER_GAP_WAIT_SECONDS = 0
    settings.REGISTER_GAP_RETRY_SECONDS = 0
    found = find(quiet_single)
    citizen = make_citizen(found.pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    robot.faults({"source": "fk", "person": found.pnr, "mode": "error", "variant": "bt"})
    run = _advance_until_it_leaves_collect(
        submit(citizen.person, unit, THIS_MONTH), pipeline.REGISTER_ATTEMPTS
    )
    pipeline.advance(run.pk)
    run.refresh_from_db()
    assert run.status == PipelineRun.Status.ROUTED and "register_incomplete" in codes(run)
    return run


def test_after_the_wait_a_case_with_a_register_gap_returns_to_the_robot_when_the_source_is_back(
    find, unit, caseworker, robot, settings
):
    """Issue 20 #5: after the register wait a case went to a person and never came back to the robot."""
    from bistand.casework.register_gap import recollect_gaps

    run = _routed_with_a_gap(find, unit, caseworker, robot, settings)
    assert recollect_gaps() == 0  # still down: the case stays in the person's queue
    run.refresh_from_db()
    assert run.status == PipelineRun.Status.ROUTED

    robot.clear_faults()  # the registers are back
    pipeline._gateway = None  # a fresh client: its circuit breaker opened during the outage
    assert recollect_gaps() == 1
    run.refresh_from_db()
    assert (run.status, run.step) == (PipelineRun.Status.RUNNING, PipelineRun.Step.RECONCILE)
    assert run.register_snapshot["applicant"]["complete"] is True
    pipeline.advance(run.pk)
    run.refresh_from_db()
    assert run.status == PipelineRun.Status.DECIDED, codes(run)
    assert Decision.objects.filter(application=run.application).count() == 1
    assert recollect_gaps() == 0  # decided: nothing to do twice


def test_a_case_with_a_register_gap_that_a_person_has_begun_on_stays_with_them(
    find, unit, caseworker, robot, settings
):
    from bistand.casework.models import JournalNote
    from bistand.casework.register_gap import recollect_gaps

    run = _routed_with_a_gap(find, unit, caseworker, robot, settings)
    JournalNote.objects.create(case=run.case, author=caseworker, text="Ringde FK om sjukpenningen.")
    robot.clear_faults()
    pipeline._gateway = None
    assert recollect_gaps() == 0
    run.refresh_from_db()
    assert run.status == PipelineRun.Status.ROUTED
    assert not Decision.objects.filter(application=run.application).exists()


def test_a_step_that_keeps_failing_lands_in_needs_attention(find, unit, monkeypatch):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = submit(citizen.person, unit, THIS_MONTH)

    def broken(run):
        raise RuntimeError("the calculation service is down")

    monkeypatch.setitem(pipeline.STEPS, PipelineRun.Step.CALCULATE, (broken, PipelineRun.Step.TRIAGE))
    for _ in range(pipeline.MAX_ATTEMPTS):
        pipeline.advance(run.pk)
    run.refresh_from_db()
    assert run.status == PipelineRun.Status.NEEDS_ATTENTION
    assert run.step == PipelineRun.Step.CALCULATE
    # Issue 20 #6: the person who gets the run reads a sentence; the traceback is in the log only.
    assert "Beräknar" in run.last_error and "Handlägg ansökan manuellt" in run.last_error
    assert "Traceback" not in run.last_error and "pipeline.py" not in run.last_error
    # What was done before the failure is kept.
    assert run.register_snapshot is not None and run.findings is not None


def test_a_crash_between_steps_resumes_where_it_stopped(find, unit, caseworker, monkeypatch):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    run = submit(citizen.person, unit, THIS_MONTH)
    original = pipeline.STEPS[PipelineRun.Step.DECIDE]

    def killed(run):
        raise SystemExit("worker killed")

    monkeypatch.setitem(pipeline.STEPS, PipelineRun.Step.DECIDE, (killed, PipelineRun.Step.PAY))
    with pytest.raises(SystemExit):
        pipeline.advance(run.pk)
    run.refresh_from_db()
    assert run.step == PipelineRun.Step.DECIDE and run.status == PipelineRun.Status.RUNNING

    # A new worker finds the stalled run and finishes it; running it twice decides once.
    monkeypatch.setitem(pipeline.STEPS, PipelineRun.Step.DECIDE, original)
    PipelineRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=5))
    assert pipeline.resume_stalled() == 1
    pipeline.advance(run.pk)
    pipeline.advance(run.pk)
    assert Decision.objects.filter(application=run.application).count() == 1
    run.refresh_from_db()
    assert run.status == PipelineRun.Status.DECIDED


def test_aktivitetskrav_after_three_granted_months_needs_a_plan(find, unit, caseworker):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    person = citizen.person
    # August and September granted: October is applied for after two months, which is not three.
    for month in (datetime.date(2026, 8, 1), datetime.date(2026, 9, 1)):
        run = run_to_end(submit(person, unit, month))
        decide_by_person(run, caseworker)
    october = run_to_end(submit(person, unit, LAST_MONTH))
    assert "aktivitetskrav" not in codes(october)
    decide_by_person(october, caseworker)

    run = run_to_end(submit(person, unit, THIS_MONTH))
    assert "aktivitetskrav" in codes(run)
    reason = next(r for r in run.routing_reasons if r["code"] == "aktivitetskrav")
    assert "3 månader i följd" in reason["message"]

    # A plan as enacted: hours a week and the job-search time in them (prop. 2025/26:207).
    ActivityPlan.objects.create(
        case=run.case,
        person=person,
        kind="plan",
        valid_from=LAST_MONTH,
        hours_per_week=40,
        job_search_hours=10,
    )
    december = run_to_end(submit(person, unit, datetime.date(2026, 12, 1)))
    assert "aktivitetskrav" not in codes(december)


def test_protected_identity_goes_to_a_person(find, unit, caseworker):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality, protection="skyddad_folkbokforing")
    returning(citizen.person, unit, caseworker)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH))
    assert "protected_identity" in codes(run)


YOUNG_ADULT = "200601212384"  # Skatteverket test personnummer, born 2006-01-21: 20 years old in November 2026


def test_a_young_adult_whose_schooling_is_not_known_goes_to_a_person(find, unit, caseworker):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, children=[{"personnummer": YOUNG_ADULT}]))
    assert run.status == PipelineRun.Status.ROUTED
    assert "school_status" in codes(run) and "calculation_failed" not in codes(run)
    reason = next(r for r in run.routing_reasons if r["code"] == "school_status")
    assert "gymnasiet" in reason["message"]


def test_a_childs_earlier_salary_this_year_counts_against_the_yearly_cap(find, unit, caseworker):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    child = {"personnummer": YOUNG_ADULT, "in_school": True}
    salary = {"person": YOUNG_ADULT, "type": "salary"}
    october = run_to_end(
        submit(citizen.person, unit, LAST_MONTH, children=[child], incomes=[{**salary, "amount": "50000"}])
    )
    decide_by_person(october, caseworker)
    run = run_to_end(
        submit(citizen.person, unit, THIS_MONTH, children=[child], incomes=[{**salary, "amount": "15000"}])
    )
    household = run.calculation_input["household"]
    assert household["members"][1]["in_school"] is True
    line = next(i for i in household["incomes"] if i["member"] == "c1")
    assert line["earned_earlier_this_year"] == "50000"
    exemption = next(x for x in run.calculation["lines"] if x["rule"] == "income.child_salary_exemption")
    assert exemption["amount"] == -9200  # 59 200 − 50 000, not all 15 000


def test_jobbstimulans_history_is_each_adults_own(find, unit, caseworker):
    from bistand.casework.history import person_assistance_months

    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    assert person_assistance_months(citizen.person.personnummer, THIS_MONTH) == ["2026-10"]
    assert person_assistance_months(YOUNG_ADULT, THIS_MONTH) == []
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH))
    assert run.calculation_input["household"]["members"][0]["assistance_months"] == ["2026-10"]


def test_emergency_beside_the_regular_application_warns_the_caseworker(find, unit):
    """Issue 20 #4: nödbistånd may stand beside the month's regular application, but never unseen."""
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    regular = run_to_end(submit(citizen.person, unit, THIS_MONTH))
    emergency = run_to_end(submit(citizen.person, unit, THIS_MONTH, emergency=True))
    assert "same_month" not in codes(regular)
    assert emergency.status == PipelineRun.Status.ROUTED and "same_month" in codes(emergency)


@pytest.mark.parametrize(
    ("error", "passes"),
    [
        ({"kind": "timeout"}, True),
        ({"kind": "circuit_open"}, True),
        ({"kind": "not_available"}, False),
        (None, False),
    ],
)
def test_only_a_gap_that_passes_sends_a_routed_case_back_to_ask_again(error, passes):
    stored = {
        "applicant": {
            "sources": {
                "navet": {"status": "ok", "facts": whole("navet", {"registered": True})},
                "fk": {
                    "status": "error" if error else "ok",
                    "facts": None if error else whole("fk", {}),
                    "error": error,
                },
            }
        }
    }
    assert has_passing_gap(RegisterSnapshot.from_json(stored)) is passes
    assert has_passing_gap(RegisterSnapshot.from_json(None)) is False
