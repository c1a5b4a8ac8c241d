"""Background work on cases. Every task is idempotent: the worker may run it again after a crash."""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task

from bistand.casework.models import Case, TimelineEvent
from bistand.identity.models import Unit
from bistand.intake.models import Application

logger = logging.getLogger(__name__)


@task()
def receive_application(application_id: int) -> int:
    """Put a submitted application on its case's timeline, opening the case at the intake unit if needed.

    Returns the case id.
    """
    with transaction.atomic():
        application = Application.objects.select_related("municipality").get(pk=application_id)
        unit = (
            Unit.objects.filter(municipality=application.municipality, handles_intake=True)
            .order_by("pk")
            .first()
        )
        if unit is None:
            raise LookupError(f"municipality {application.municipality.code} has no intake unit")
        case, _ = Case.objects.get_or_create(applicant_id=application.applicant_id, unit=unit)
        TimelineEvent.objects.get_or_create(
            application=application,
            kind=TimelineEvent.Kind.RECEIVED,
            defaults={
                "case": case,
                "actor": TimelineEvent.Actor.CITIZEN,
                "occurred_at": application.submitted_at,
                "data": {"month": application.month.isoformat()[:7], "channel": application.channel},
            },
        )
    logger.info("application received", extra={"application_id": application_id, "case_id": case.pk})
    return case.pk
