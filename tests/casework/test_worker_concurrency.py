"""One worker process, several task loops (`bistand manage worker --concurrency N`, ops/worker_threads.py).

The loops each claim their own task, so the robot computes in one while the others wait for the registers;
every run still ends decided exactly once, letters are drawn by the first loop only, and SIGTERM lets the
process finish its tasks and exit cleanly.
"""

from __future__ import annotations

import signal
import subprocess
import time

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from bistand.casework import pipeline
from bistand.casework.deciding import decide_by_person
from bistand.casework.models import PipelineRun
from bistand.casework.pipeline import advance_pipeline
from bistand.decisions.models import Decision
from bistand.ops.worker_threads import ConcurrencyError, queues_per_loop
from tests.casework.test_pipeline import LAST_MONTH, THIS_MONTH, quiet_single, submit
from tests.casework.test_worker_crash import start_worker
from tests.conftest import make_citizen

HOUSEHOLDS = 6


def test_only_the_first_loop_takes_letters():
    assert queues_per_loop(["default", "letters"], 3) == [["default", "letters"], ["default"], ["default"]]
    assert queues_per_loop(["default"], 2) == [["default"], ["default"]]
    assert queues_per_loop(["letters"], 1) == [["letters"]]


@pytest.mark.parametrize("queues, concurrency", [(["letters"], 2), (["*"], 2), (["default"], 0)])
def test_impossible_concurrency_is_refused_with_the_option_named(queues, concurrency):
    with pytest.raises(ConcurrencyError, match="--concurrency"):
        queues_per_loop(queues, concurrency)


@pytest.mark.django_db
def test_the_command_refuses_a_bad_concurrency_with_the_option_named():
    with pytest.raises(CommandError, match="--concurrency"):
        call_command("worker", "--no-reload", "--concurrency", "0", "--worker-id", "refused")


@pytest.mark.django_db(transaction=True)
def test_one_process_with_three_loops_decides_each_run_once(
    tmp_path, settings, registers_simulator, registers, population, unit, caseworker
):
    settings.REGISTERS_URL = registers_simulator
    settings.MEDIA_ROOT = tmp_path / "files"
    pipeline._gateway = None
    people = [
        p
        for h in population.households
        for p in population.members(h)
        if p.role == "applicant" and quiet_single(p, h)
    ][:HOUSEHOLDS]
    runs = []
    for found in people:
        citizen = make_citizen(found.pnr, unit.municipality)
        last = submit(citizen.person, unit, LAST_MONTH)
        pipeline.advance(last.pk)
        last.refresh_from_db()
        decide_by_person(last, caseworker)
        run = submit(citizen.person, unit, THIS_MONTH)
        advance_pipeline.enqueue(run.pk)
        runs.append(run.pk)
    pipeline._gateway = None
    # Slow registers: while one loop waits for them, the others claim the next applications.
    registers.faults({"mode": "latency", "latency_ms": 300})

    worker = start_worker(tmp_path, registers_simulator, "--concurrency", "3", "--worker-id", "pool")
    try:
        deadline = time.monotonic() + 90
        while (
            PipelineRun.objects.filter(pk__in=runs, status="running").exists()
            or Decision.objects.filter(application__pipeline__in=runs, letters__isnull=True).exists()
        ):
            assert worker.poll() is None, "the worker process stopped"
            assert time.monotonic() < deadline, "runs left unfinished"
            time.sleep(0.3)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            code = worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            raise
    assert code == 0, "SIGTERM should let the loops finish and the process exit cleanly"

    finished = PipelineRun.objects.filter(pk__in=runs)
    assert {run.status for run in finished} == {"decided"}
    for run in finished:
        assert Decision.objects.filter(application=run.application).count() == 1
    done = DBTaskResult.objects.filter(status="SUCCESSFUL")
    robot_loops = {t.worker_ids[-1] for t in done.filter(task_path=advance_pipeline.module_path)}
    letter_loops = {t.worker_ids[-1] for t in done.filter(queue_name="letters")}
    assert len(robot_loops) > 1, "the applications should be spread over the loops"
    assert letter_loops == {"pool-0"}
