"""`bistand run` keeps the system up: a child process that dies is started again (issue 20 #9)."""

from __future__ import annotations

import sys

import pytest

from bistand.ops import runner


def test_a_dead_child_is_restarted_and_the_others_keep_running():
    dies = [sys.executable, "-c", "pass"]  # exits at once, like a crashed worker
    lives = [sys.executable, "-c", "import time; time.sleep(30)"]
    import subprocess

    processes = {name: subprocess.Popen(command) for name, command in (("worker", dies), ("web", lives))}
    web = processes["web"]
    polls = iter(range(100_000))  # a guard only: supervision ends when the worker keeps dying
    started = []
    real_popen = subprocess.Popen

    def popen(command, **kwargs):
        started.append(command)
        return real_popen(command, **kwargs)

    runner.subprocess.Popen = popen
    try:
        processes["worker"].wait()
        code = runner.supervise(
            processes, {"worker": dies, "web": lives}, {}, lambda: next(polls, None) is None, poll=0.01
        )
    finally:
        runner.subprocess.Popen = real_popen
        for process in processes.values():
            process.kill()
            process.wait()
    # The worker kept dying within the minute: restarted up to the limit, then everything stopped —
    # but the web server was never restarted, and was not stopped by the worker's first death.
    assert started and all(command == dies for command in started)
    assert len(started) == runner.RESTARTS_PER_MINUTE
    assert code == 1
    assert processes["web"] is web


def test_a_child_that_dies_once_is_restarted_and_supervision_goes_on():
    import subprocess

    once = subprocess.Popen([sys.executable, "-c", "pass"])
    once.wait()
    lives = [sys.executable, "-c", "import time; time.sleep(30)"]
    processes = {"worker": once}
    polls = iter(range(20))
    try:
        code = runner.supervise(
            processes, {"worker": lives}, {}, lambda: next(polls, None) is None, poll=0.01
        )
        assert code == 0
        assert processes["worker"] is not once and processes["worker"].poll() is None
    finally:
        processes["worker"].kill()
        processes["worker"].wait()


@pytest.mark.django_db
def test_the_database_is_prepared_while_the_registers_simulator_starts(monkeypatch):
    """`bistand run` waits for the registers only before the demo history (the robot reads them): the
    simulator's start (population, test CA) overlaps the migration and the demo data."""
    import django.core.management

    from bistand.ops import demo

    order = []
    monkeypatch.setattr(django.core.management, "call_command", lambda *a, **k: order.append("migrate"))
    monkeypatch.setattr(demo, "load_demo_data", lambda: order.append("demo data"))
    monkeypatch.setattr(demo, "load_demo_history", lambda: order.append("history"))
    monkeypatch.setattr(demo, "read_logins", lambda: [])
    runner._prepare(True, lambda: order.append("registers ready"))
    assert order == ["migrate", "demo data", "registers ready", "history"]
    order.clear()
    runner._prepare(False, lambda: order.append("registers ready"))
    assert order == ["migrate", "registers ready"]
