"""Workers killed mid-run: every application still ends decided or with a person, and nothing twice.

Real worker processes against the test database and the registers simulator; the first worker is killed
with SIGKILL while it is working, a second one finds the stalled runs and finishes them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from bistand.casework import pipeline
from bistand.casework.models import PipelineRun
from bistand.casework.pipeline import advance_pipeline
from bistand.decisions.models import Decision
from tests.casework.test_pipeline import LAST_MONTH, THIS_MONTH, quiet_single, submit
from tests.conftest import database_url, make_citizen

HOUSEHOLDS = 6


def start_worker(tmp_path, registers_url: str, *options: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "BISTAND_DATA_DIR": str(tmp_path),
        "BISTAND_REGISTERS_URL": registers_url,
        "BISTAND_WORKER_HEARTBEAT": "0.5",
        "BISTAND_PIPELINE_STALLED_AFTER": "2",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "bistand.ops.cli",
        "manage",
        "worker",
        "--no-reload",
        "--interval",
        "0.1",
        *options,
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.django_db(transaction=True)
def test_killed_worker_loses_nothing_and_decides_nothing_twice(
    tmp_path, settings, registers_simulator, registers, population, unit, caseworker
):
    from bistand.casework.deciding import decide_by_person

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
    # Slow registers, so the first worker is surely in the middle of something when it dies.
    registers.faults({"mode": "latency", "latency_ms": 300})

    first = start_worker(tmp_path, registers_simulator)
    time.sleep(2.5)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert PipelineRun.objects.filter(pk__in=runs, status="running").exists(), (
        "killed too late to prove anything"
    )

    second = start_worker(tmp_path, registers_simulator)
    try:
        deadline = time.monotonic() + 90
        while PipelineRun.objects.filter(pk__in=runs, status="running").exists():
            assert time.monotonic() < deadline, "runs left unfinished after the crash"
            time.sleep(0.3)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=15)

    finished = PipelineRun.objects.filter(pk__in=runs)
    assert {run.status for run in finished} == {"decided"}
    for run in finished:
        decisions = Decision.objects.filter(application=run.application)
        assert decisions.count() == 1, f"application {run.application_id} decided {decisions.count()} times"
    try:
        from bistand.payments.models import PaymentOrder
    except (ImportError, RuntimeError):
        return
    for run in finished:
        decision = Decision.objects.get(application=run.application)
        assert PaymentOrder.objects.filter(decision=decision).count() == 1
