"""Background work for retention: the daily cull, enqueued by the worker's heartbeat."""

from __future__ import annotations

import datetime
import logging

from django.tasks import task
from django.utils import timezone

from bistand.audit.models import CullRun
from bistand.audit.retention import cull

logger = logging.getLogger(__name__)
EVERY = datetime.timedelta(hours=24)


@task()
def cull_expired() -> dict:
    """Cull every case past its retention period; the report is kept in `CullRun` and returned."""
    report = cull()
    for line in report.lines():
        logger.info(line)
    return report.as_dict()


def schedule_daily(now: datetime.datetime | None = None) -> bool:
    """Enqueue the cull when none has run in the last day and none is waiting. Safe to call often."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    if CullRun.objects.filter(dry_run=False, started_at__gt=now - EVERY).exists():
        return False
    if DBTaskResult.objects.filter(
        task_path=cull_expired.module_path, status__in=["READY", "RUNNING"]
    ).exists():
        return False
    cull_expired.enqueue()
    return True
