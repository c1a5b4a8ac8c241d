"""Background work on cases. Every task is idempotent: the worker may run it again after a crash."""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task

from bistand.casework import pipeline
from bistand.intake.models import Application

logger = logging.getLogger(__name__)


@task()
def receive_application(application_id: int) -> int:
    """Put a submitted application on its case's timeline and start the robot on it. Returns the case id."""
    with transaction.atomic():
        application = Application.objects.select_related("municipality").get(pk=application_id)
        run = pipeline.begin(application)
    logger.info("application received", extra={"application_id": application_id, "case_id": run.case_id})
    return run.case_id


@task()
def advance_pipeline(run_id: int) -> str:
    """Run the robot's remaining steps for one application."""
    return pipeline.advance(run_id)
