"""The background worker: django-tasks-db's `db_worker`, plus a heartbeat that /healthz reads."""

from __future__ import annotations

import logging
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from bistand.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)
SWEEP_EVERY_BEATS = 6


def beat(worker_id: str, started_at) -> None:
    """Record that this worker is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname(), "started_at": started_at, "last_seen": timezone.now()},
    )


def _heartbeat_loop(worker_id: str, started_at, stop: threading.Event) -> None:
    from bistand.audit.tasks import schedule_daily as schedule_daily_cull
    from bistand.casework.norm_wait import resume_waiting
    from bistand.casework.paper import remove_abandoned_scans
    from bistand.casework.pipeline import resume_stalled
    from bistand.casework.register_gap import recollect_gaps
    from bistand.decisions.tasks import sweep_unlettered
    from bistand.oversight.tasks import schedule_monthly_draw
    from bistand.payments.services import sweep_unplanned_decisions
    from bistand.portal.services import remind_due_requests

    beats = 0
    while not stop.is_set():
        try:
            beat(worker_id, started_at)
            # A worker that died mid-step left its run behind: pick it up again.
            resume_stalled()
            if beats % SWEEP_EVERY_BEATS == 0:
                # Decisions a killed worker stored but did not plan payments for.
                sweep_unplanned_decisions()
                # Decisions whose letter task a killed worker had claimed.
                sweep_unlettered()
                # Retention (gallring): the daily cull, enqueued once a day (docs/security.md).
                schedule_daily_cull()
                # Documentation requests due within two days: a reminder on Mina sidor.
                remind_due_requests()
                # Scans read by OCR for an application that was never registered.
                remove_abandoned_scans()
                # Random checks (stickprov): last month's draw, once per municipality.
                schedule_monthly_draw()
                # Applications waiting for a riksnorm that has been imported since (the import also does this).
                resume_waiting()
                # Cases routed for a register that did not answer: back to the robot once it answers.
                recollect_gaps()
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

    def handle(self, *args, **options) -> None:
        if options["batch"]:
            # Draining the queue once (tests, cron): no long-lived process to report on.
            super().handle(*args, **options)
            return
        worker_id = options["worker_id"]
        started_at = timezone.now()
        beat(worker_id, started_at)
        stop = threading.Event()
        threading.Thread(
            target=_heartbeat_loop, args=(worker_id, started_at, stop), name="heartbeat", daemon=True
        ).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
