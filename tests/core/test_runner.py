"""`bistand run` keeps the system up: a child process that dies is started again (issue 20 #9)."""

from __future__ import annotations

import sys

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
