"""The worker's periodic jobs, registered by the package each belongs to.

A package registers its sweeps in its `AppConfig.ready` (`periodic.register(...)`); the worker
(`ops/management/commands/worker.py`) runs whatever is registered on its heartbeat, so adding a sweep never
means editing the worker. Every job must be idempotent and quick: the worker may run it again at any time,
and several workers may run it at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str  # `package.what_it_does`, shown in the log when it fails
    run: Callable[[], object]
    every: int  # run on every `every`-th heartbeat (1: each beat); the first beat runs them all


_jobs: dict[str, PeriodicJob] = {}


def register(name: str, run: Callable[[], object], *, every: int = 1) -> None:
    """Register (or re-register, e.g. on a reloaded app) a periodic job under its name."""
    if every < 1:
        raise ValueError("every must be at least 1")
    _jobs[name] = PeriodicJob(name, run, every)


def registered() -> list[PeriodicJob]:
    """The registered jobs, in the order they were first registered."""
    return list(_jobs.values())


def run_due(beat: int) -> list[str]:
    """Run every job due on this heartbeat (0, 1, 2, …); returns the names of those that failed.

    One failing job (a locked table, a bug) is logged and does not keep the others from running.
    """
    failed = []
    for job in registered():
        if beat % job.every:
            continue
        try:
            job.run()
        except Exception:
            logger.warning("periodic job failed", extra={"job": job.name}, exc_info=True)
            failed.append(job.name)
    return failed
