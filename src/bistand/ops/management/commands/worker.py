"""The background worker: django-tasks-db's `db_worker`, plus a heartbeat that /healthz reads."""

from __future__ import annotations

import logging
import socket
import threading

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from bistand.core import periodic
from bistand.core.models import WorkerHeartbeat
from bistand.ops import worker_threads

logger = logging.getLogger(__name__)


def beat(worker_id: str, started_at) -> None:
    """Record that this worker is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname(), "started_at": started_at, "last_seen": timezone.now()},
    )


def _heartbeat_loop(worker_id: str, started_at, stop: threading.Event) -> None:
    beats = 0
    while not stop.is_set():
        try:
            beat(worker_id, started_at)
            # Each package's sweeps, registered in its AppConfig.ready (core/periodic.py).
            periodic.run_due(beats)
            beats += 1
        except DatabaseError:
            # A locked or briefly unreachable database: /healthz will say so if it lasts.
            logger.warning("worker heartbeat could not be written", exc_info=True)
        finally:
            close_old_connections()
        stop.wait(settings.WORKER_HEARTBEAT_SECONDS)
    connection.close()


class Command(db_worker.Command):
    help = "Run the background worker (django-tasks-db) with a heartbeat for /healthz"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # Both queues by default: the robot's work first (priority), letters after (decisions/tasks.py).
        parser.set_defaults(queue_name="default,letters")
        parser.add_argument(
            "--concurrency",
            type=int,
            default=1,
            help="task loops in this process, each in its own thread with its own database connection: "
            "the robot computes in one while others wait for the registers (default 1; letters stay on "
            "the first loop)",
        )

    def handle(self, *args, **options) -> None:
        if options["batch"]:
            # Draining the queue once (tests, cron): no long-lived process to report on.
            super().handle(*args, **options)
            return
        try:  # a bad --concurrency is refused before anything starts
            worker_threads.queues_per_loop(options["queue_name"].split(","), options["concurrency"])
        except worker_threads.ConcurrencyError as error:
            raise CommandError(str(error)) from error
        worker_id = options["worker_id"]
        started_at = timezone.now()
        beat(worker_id, started_at)
        stop = threading.Event()
        threading.Thread(
            target=_heartbeat_loop, args=(worker_id, started_at, stop), name="heartbeat", daemon=True
        ).start()
        try:
            if options["concurrency"] == 1:
                super().handle(*args, **options)
            else:
                self._run_loops(options)
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

    def _run_loops(self, options: dict) -> None:
        """Several task loops in this process (ops/worker_threads.py)."""
        self.configure_logging(options["verbosity"])
        worker_options = {
            "queue_names": options["queue_name"].split(","),
            "interval": options["interval"],
            "batch": False,
            "backend_name": options["backend_name"],
            "startup_delay": options["startup_delay"],
            "max_tasks": options["max_tasks"],
            "excluded_queue_names": [],
        }
        worker_threads.run_loops(worker_options, options["concurrency"], options["worker_id"])
