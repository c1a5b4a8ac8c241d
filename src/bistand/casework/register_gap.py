"""Register gaps filled when the source is back: the case returns to the robot.

A register that does not answer is waited out (`pipeline.AwaitRegisters`, up to
`REGISTER_GAP_WAIT_SECONDS`). A run that waited that long goes to a person with the gap named
(`register_incomplete`) — but an outage of an hour must not send every application in flight to manual
handling for good. So the worker asks again, every `REGISTER_GAP_RETRY_SECONDS`, for runs routed with a gap
that passes (timeout, unavailable, open circuit); once every register answers, the run takes the fresh facts
and goes on from the reconciliation as if the gap had never been.

Unless a person has begun on it: a proposal (draft), a kommunicering, a decision, a journal note or a
document request since it was routed. Then it stays with that person, who handles it as they see fit. (Who
is assigned to the case is not the test: that lasts across months, and says nothing about this one.)
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bistand.cases.protection import learn_from_registers
from bistand.casework import pipeline
from bistand.casework.models import PipelineRun
from bistand.casework.pipeline import advance_pipeline
from bistand.conversation.models import DocumentRequest
from bistand.decisions.models import Decision
from bistand.registers.snapshot import RegisterSnapshot

logger = logging.getLogger(__name__)

MAX_AGE_DAYS = 14  # an application routed longer ago than this is a person's for good
LIMIT = 50  # runs asked about per sweep, oldest first, so an outage's backlog drains in steps


def has_passing_gap(snapshot: RegisterSnapshot) -> bool:
    """Whether a register answer in the snapshot is missing for a reason that passes."""
    return any(result.error_kind in pipeline.TRANSIENT_REGISTER_ERRORS for _, result in snapshot.results())


def begun_by_a_person(run: PipelineRun) -> bool:
    """Whether a person has begun on the run's application since it was routed."""

    since = run.finished_at or run.updated_at
    return (
        run.drafts.exists()
        or run.kommuniceringar.exists()
        or Decision.objects.filter(application_id=run.application_id).exists()
        or run.case.journal.filter(created_at__gte=since).exists()
        or DocumentRequest.objects.filter(case_id=run.case_id, requested_at__gte=since).exists()
    )


def recollect_gaps(limit: int = LIMIT) -> int:
    """Ask the registers again for runs routed with a passing gap; send back to the robot those that are
    complete now and that no person has begun on. Returns how many went back."""

    now = timezone.now()
    due = now - timedelta(seconds=settings.REGISTER_GAP_RETRY_SECONDS)
    routed = PipelineRun.objects.filter(
        status=PipelineRun.Status.ROUTED,
        finished_at__gte=now - timedelta(days=MAX_AGE_DAYS),
        updated_at__lte=due,
    ).order_by("finished_at")
    # Findings are small; the snapshot is read only for runs that name a register gap.
    with_gap = [
        pk
        for pk, findings in routed.values_list("pk", "findings")
        if any(f.get("code") == "register_incomplete" for f in findings or [])
    ][:limit]
    returned = 0
    for run in PipelineRun.objects.filter(pk__in=with_gap).select_related("application__applicant", "case"):
        if not has_passing_gap(RegisterSnapshot.from_json(run.register_snapshot)) or begun_by_a_person(run):
            continue
        persons, snapshot, transient = pipeline.ask_registers(run.application)
        if transient:
            # Still down: asked again after the retry interval.
            PipelineRun.objects.filter(pk=run.pk).update(updated_at=timezone.now())
            continue
        with transaction.atomic():
            locked = PipelineRun.objects.select_for_update().get(pk=run.pk)
            if locked.status != PipelineRun.Status.ROUTED or begun_by_a_person(locked):
                continue
            learn_from_registers(persons, snapshot)
            locked.register_snapshot = snapshot
            locked.findings = locked.calculation_input = locked.calculation = locked.triage = None
            locked.step = PipelineRun.Step.RECONCILE
            locked.status = PipelineRun.Status.RUNNING
            locked.attempts = 0
            locked.last_error = ""
            locked.finished_at = None
            locked.save()
            advance_pipeline.enqueue(locked.pk)
        returned += 1
    if returned:
        logger.info("runs with a register gap returned to the robot", extra={"count": returned})
    return returned
