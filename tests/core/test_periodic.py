"""The worker's periodic jobs: registered by each package, run by one mechanism."""

from __future__ import annotations

from bistand.core import periodic


def test_each_package_registers_its_sweeps():
    names = {job.name for job in periodic.registered()}
    assert {
        "casework.resume_stalled",
        "casework.resume_waiting",
        "casework.remove_abandoned_scans",
        "decisions.sweep_unlettered",
        "payments.sweep_unplanned_decisions",
        "conversation.remind_due_requests",
        "oversight.schedule_monthly_draw",
        "audit.schedule_daily_cull",
    } <= names


def test_the_stalled_run_sweep_runs_each_beat_and_the_others_every_sixth(monkeypatch):
    ran = []
    monkeypatch.setattr(periodic, "_jobs", {})
    periodic.register("each", lambda: ran.append("each"))
    periodic.register("sixth", lambda: ran.append("sixth"), every=6)
    for beat in range(7):
        periodic.run_due(beat)
    assert ran.count("each") == 7
    assert ran.count("sixth") == 2  # beats 0 and 6


def test_one_failing_job_does_not_stop_the_others(monkeypatch):
    ran = []
    monkeypatch.setattr(periodic, "_jobs", {})

    def broken():
        raise RuntimeError("a locked table")

    periodic.register("broken", broken)
    periodic.register("fine", lambda: ran.append("fine"))
    assert periodic.run_due(0) == ["broken"]
    assert ran == ["fine"]
