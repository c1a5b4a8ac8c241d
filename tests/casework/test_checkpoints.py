"""The run is stored at two checkpoints, each step's output kept in its own field (issue 15).

collect → reconcile → calculate → triage run in memory and are stored together; the decision is stored by
its own step, and the run's end with it. Each stored output is the same as a step-by-step run's, and a step
that fails keeps what the steps before it produced.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bistand.casework import pipeline
from bistand.casework.models import PipelineRun
from bistand.decisions.models import Decision
from tests.casework.test_pipeline import (  # noqa: F401 - `robot` is an autouse fixture
    THIS_MONTH,
    codes,
    quiet_single,
    returning,
    robot,
    submit,
)
from tests.conftest import make_citizen

pytestmark = pytest.mark.django_db

RUN_WRITE = re.compile(r'^UPDATE "casework_pipelinerun"')


def run_writes(queries: list[dict]) -> int:
    return sum(1 for q in queries if RUN_WRITE.match(q["sql"]))


def test_a_decided_run_is_written_twice_with_every_steps_output(find, unit, caseworker):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    run = submit(citizen.person, unit, THIS_MONTH)
    with CaptureQueriesContext(connection) as queries:
        assert pipeline.advance(run.pk) == PipelineRun.Status.DECIDED, codes(run)
    # Before: once per step and once at the end (seven writes, each after a re-read and a row lock).
    assert run_writes(queries.captured_queries) == 2
    run.refresh_from_db()
    assert run.step == PipelineRun.Step.DONE and run.finished_at is not None
    assert run.register_snapshot["applicant"]["complete"] is True
    assert run.findings == [] and run.triage["automatic"] is True
    assert run.calculation_input["household"] and run.calculation["entitlement"] > 0
    decision = Decision.objects.get(application=run.application)
    assert decision.calculation == run.calculation


def test_a_routed_run_is_written_twice_and_names_its_reasons(find, unit):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = submit(citizen.person, unit, THIS_MONTH)  # a first application: a person decides
    with CaptureQueriesContext(connection) as queries:
        assert pipeline.advance(run.pk) == PipelineRun.Status.ROUTED
    assert run_writes(queries.captured_queries) == 2
    run.refresh_from_db()
    assert "first_application" in codes(run)
    assert run.case.events.filter(kind="routed").count() == 1


def test_a_failing_step_keeps_the_outputs_before_it_and_resumes_there(find, unit, caseworker, monkeypatch):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)
    run = submit(citizen.person, unit, THIS_MONTH)
    calculate = pipeline.STEPS[PipelineRun.Step.CALCULATE]

    def broken(run):
        raise RuntimeError("a passing failure")

    monkeypatch.setitem(pipeline.STEPS, PipelineRun.Step.CALCULATE, (broken, PipelineRun.Step.TRIAGE))
    pipeline.advance(run.pk)
    run.refresh_from_db()
    assert (run.step, run.attempts) == (PipelineRun.Step.CALCULATE, 1)
    assert run.register_snapshot is not None and run.findings == [] and run.calculation is None

    monkeypatch.setitem(pipeline.STEPS, PipelineRun.Step.CALCULATE, calculate)
    assert pipeline.advance(run.pk) == PipelineRun.Status.DECIDED
    run.refresh_from_db()
    assert run.attempts == 0 and run.last_error == ""
    assert Decision.objects.filter(application=run.application).count() == 1
