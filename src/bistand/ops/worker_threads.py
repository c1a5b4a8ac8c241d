"""Several task loops in one worker process, so the robot is not idle while the registers answer.

A register look-up waits about 200 ms for the agencies; a worker that runs one task at a time spends that
wait doing nothing. With `bistand manage worker --concurrency N` one process runs N loops of
django-tasks-db's `Worker`, each in its own thread with its own database connection, each claiming its own
task (`SELECT … FOR UPDATE SKIP LOCKED`, as separate processes do), so one loop computes while the others
wait. The process still uses one core (the GIL): "2 workers" stays 2 processes on 2 cores.

Letters are CPU-bound and gain nothing from threads, so only the first loop takes the `letters` queue;
the others take the remaining queues (the robot's work). A letter is therefore never drawn by two threads
of one process at once.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

from bistand.decisions.tasks import LETTERS_QUEUE

logger = logging.getLogger(__name__)


class ConcurrencyError(ValueError):
    """The options cannot run several loops (the message names the option)."""


def queues_per_loop(queue_names: list[str], concurrency: int) -> list[list[str]]:
    """The queues each of `concurrency` loops takes: all of them for the first, all but letters for the rest."""
    if concurrency < 1:
        raise ConcurrencyError("--concurrency: must be 1 or more")
    others = [name for name in queue_names if name != LETTERS_QUEUE]
    if concurrency > 1 and (not others or "*" in queue_names):
        raise ConcurrencyError(
            "--concurrency: more than one loop needs a queue other than letters, named (not '*')"
        )
    return [list(queue_names)] + [others] * (concurrency - 1)


def run_loops(worker_options: dict, concurrency: int, worker_id: str) -> None:
    """Run `concurrency` task loops until SIGTERM/SIGINT; each finishes its current task, then stops.

    `worker_options` are the keyword arguments of django-tasks-db's `Worker` except `queue_names` and
    `worker_id`; loop i claims tasks as ``{worker_id}-{i}``.
    """
    workers = [
        Worker(**worker_options, queue_names=queues, worker_id=f"{worker_id}-{index}"[:64])
        for index, queues in enumerate(queues_per_loop(worker_options.pop("queue_names"), concurrency))
    ]
    _install_signals(workers)
    crashed = threading.Event()
    threads = [
        threading.Thread(
            target=_loop, args=(worker, workers, crashed), name=f"task-loop-{index}", daemon=True
        )
        for index, worker in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Joined with a timeout, so that the main thread stays free to take the signals.
        while thread.is_alive():
            thread.join(timeout=0.5)
    if crashed.is_set():
        sys.exit(1)


def _loop(worker: Worker, workers: list[Worker], crashed: threading.Event) -> None:
    try:
        worker.run()
    except Exception:
        # As a one-loop worker would, the process stops (non-zero) so that its supervisor restarts it,
        # rather than living on with fewer loops than it was started with.
        logger.exception("a task loop stopped", extra={"worker_id": worker.worker_id})
        crashed.set()
        for other in workers:
            other.running = False
    finally:
        connection.close()  # this thread's own connection


def _install_signals(workers: list[Worker]) -> None:
    def stop(signum: int, frame: FrameType | None) -> None:
        if not all(w.running for w in workers):
            logger.warning("second %s: stopping now", signal.strsignal(signum))
            sys.exit(1)
        logger.warning("%s: each loop stops after its current task", signal.strsignal(signum))
        for worker in workers:
            worker.running = False

    handler: Callable[[int, FrameType | None], None] = stop
    for name in ("SIGINT", "SIGTERM", "SIGQUIT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)
