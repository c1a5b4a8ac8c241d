"""Applications for a month whose riksnorm is not published yet: kept, explained, and resumed by themselves.

In December citizens apply for January, but the government sets next year's riksnorm (SoF 2001:937 2 kap.
1 §) only in late autumn and the municipality loads it with `bistand norm import`. Until then the robot
parks the run as *waiting for the norm* (not an error, not routed), the citizen is told why and when the
municipality expects the norm, and a caseworker can still decide an urgent case by hand (nödbistånd). When
the table is in place, `resume_waiting` puts every waiting run back through the robot; the import calls it,
and so does the worker's sweep, so a table imported anywhere is picked up.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.casework.models import PipelineRun
from bistand.casework.policy import policy_for
from bistand.rules.parameters import ParameterSet, default_parameters

logger = logging.getLogger(__name__)


class NormNotPublished(Exception):
    """The month's riksnorm table is not loaded yet; the run waits for it."""

    def __init__(self, year: int) -> None:
        super().__init__(f"the riksnorm for {year} is not published yet")
        self.year = year


@dataclass(frozen=True)
class NormWait:
    """What to tell someone about a month that waits for its norm."""

    year: int
    expected: datetime.date | None  # the municipality's expected date, None when it has not set one


def norm_published(month: datetime.date, params: ParameterSet | None = None) -> bool:
    """Whether the riksnorm for `month` is loaded."""
    params = params or default_parameters()
    return params.table_for(month.replace(day=1)) is not None


def is_future_norm(month: datetime.date, params: ParameterSet | None = None) -> bool:
    """True for a month after the last year with a table: its norm is simply not published yet."""
    params = params or default_parameters()
    return month.year > params.last_year and not norm_published(month, params)


def expected_date(municipality, year: int) -> datetime.date | None:
    """When the municipality expects `year`'s norm to be in Bistånd (its policy's `norm_expected`, MM-DD
    in the year before), or None."""
    text = policy_for(municipality, datetime.date(year, 1, 1)).config.get("norm_expected")
    if not text:
        return None
    try:
        month, day = (int(part) for part in str(text).split("-"))
        return datetime.date(year - 1, month, day)
    except ValueError:
        logger.warning("the policy's norm_expected is not MM-DD", extra={"value": text})
        return None


def waiting_for(application, today: datetime.date | None = None) -> NormWait | None:
    """The wait an application is in, if its month's norm is not published (None when it can be calculated).

    An expected date that has passed is not repeated: the citizen is told only that the norm is awaited.
    """
    if not is_future_norm(application.month):
        return None
    year = application.month.year
    expected = expected_date(application.municipality, year)
    if expected is not None and expected < (today or timezone.localdate()):
        expected = None
    return NormWait(year, expected)


def start_waiting(run: PipelineRun, year: int) -> str:
    """Park the run until the norm for `year` is imported, and tell the citizen on the timeline."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            PipelineRun.objects.select_for_update().select_related("application__municipality").get(pk=run.pk)
        )
        if locked.status != PipelineRun.Status.RUNNING:
            return locked.status
        locked.status = PipelineRun.Status.WAITING_NORM
        locked.norm_wait_started = locked.norm_wait_started or now
        locked.norm_wait_ended = None
        locked.attempts = 0
        locked.last_error = ""
        locked.save()
        expected = expected_date(locked.application.municipality, year)
        events.record(
            locked.case,
            events.WaitingNorm(year=year, expected=expected.isoformat() if expected else None),
            actor=TimelineEvent.Actor.ROBOT,
            application=locked.application,
            occurred_at=now,
            once=True,
        )
    logger.info("pipeline waits for the riksnorm", extra={"run_id": run.pk, "year": year})
    return locked.status


def stop_waiting(run: PipelineRun) -> None:
    """A person decided the application (nödbistånd): it no longer waits for the robot."""
    PipelineRun.objects.filter(pk=run.pk, status=PipelineRun.Status.WAITING_NORM).update(
        status=PipelineRun.Status.ROUTED,
        norm_wait_ended=timezone.now(),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


@dataclass(frozen=True)
class WaitFigures:
    """Waiting for the riksnorm, for the oversight dashboard."""

    waiting: int  # applications waiting now
    longest_days: int | None  # the longest current wait, whole days
    resumed: int  # applications that waited and have been resumed or decided by hand
    median_days: float | None  # the median of those finished waits, days


def wait_figures(
    municipality, unit_ids: list[int] | None = None, now: datetime.datetime | None = None
) -> WaitFigures:
    """How many applications wait for the norm now, the longest wait, and how long finished waits took."""
    import statistics

    now = now or timezone.now()
    runs = PipelineRun.objects.filter(application__municipality=municipality, norm_wait_started__isnull=False)
    if unit_ids:
        runs = runs.filter(case__unit_id__in=unit_ids)
    current = [r.norm_wait_started for r in runs.filter(status=PipelineRun.Status.WAITING_NORM)]
    finished = [
        (ended - started).total_seconds() / 86400
        for started, ended in runs.filter(norm_wait_ended__isnull=False).values_list(
            "norm_wait_started", "norm_wait_ended"
        )
    ]
    return WaitFigures(
        waiting=len(current),
        longest_days=max((now - started).days for started in current) if current else None,
        resumed=len(finished),
        median_days=round(statistics.median(finished), 1) if finished else None,
    )
