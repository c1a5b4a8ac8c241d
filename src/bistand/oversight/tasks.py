"""Background work for oversight: the monthly draw of random checks."""

from __future__ import annotations

import logging

from django.tasks import task

from bistand.identity.models import Municipality
from bistand.oversight.draw import DrawExists, perform_draw
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
