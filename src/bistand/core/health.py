"""What /healthz checks: the database answers and a worker has been seen recently."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from bistand.core.models import WorkerHeartbeat


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return False, f"database unreachable: {type(error).__name__}"
    return True, "ok"


def check_worker() -> tuple[bool, str]:

    try:
        latest = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    except DatabaseError:
        return False, "unknown: database unreachable"
    if latest is None:
        return False, "no worker has started"
    age = timezone.now() - latest
    if age > timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE):
        return False, f"last heartbeat {int(age.total_seconds())} s ago"
    return True, "ok"
