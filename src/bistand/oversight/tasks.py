"""Background work for oversight: the monthly draw of random checks."""

from __future__ import annotations

import datetime
import logging

from django.tasks import task
from django.utils import timezone

from bistand.identity.models import Municipality
from bistand.oversight.draw import DrawExists, perform_draw
from bistand.oversight.models import RandomCheckDraw
from bistand.oversight.periods import parse_month

logger = logging.getLogger(__name__)


@task()
def draw_random_checks(month: str, seed: int | None = None) -> list[int]:
    """Draw `month` (YYYY-MM) in every municipality not yet drawn. Returns the new draws' ids.

    Idempotent: a municipality already drawn for the month is left as it is, so a retry is harmless.
    Run it at the start of each month for that month's households (cron, or an operator), for example
    `bistand manage draw_random_checks --month 2026-12`, which can also enqueue it with `--enqueue`.
    """
    first = parse_month(month)
    drawn = []
    for municipality in Municipality.objects.order_by("code"):
        try:
            drawn.append(perform_draw(municipality, first, seed=seed).pk)
        except DrawExists:
            logger.info(
                "random checks already drawn", extra={"municipality": municipality.code, "month": month}
            )
    return drawn


def schedule_monthly_draw(today: datetime.date | None = None) -> bool:
    """Enqueue last month's draw where a municipality has none and none is waiting. Safe to call often.

    Drawn after the month has ended, when every decision for it has been made; the drawn households are
    asked for documents for the months before (the draw's `months_back`).
    """
    from django_tasks_db.models import DBTaskResult

    today = today or timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    drawn = set(RandomCheckDraw.objects.filter(month=last_month).values_list("municipality_id", flat=True))
    if not Municipality.objects.exclude(pk__in=drawn).exists():
        return False
    if DBTaskResult.objects.filter(
        task_path=draw_random_checks.module_path, status__in=["READY", "RUNNING"]
    ).exists():
        return False
    draw_random_checks.enqueue(last_month.isoformat()[:7])
    return True
