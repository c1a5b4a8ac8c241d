"""The robot's reactions to what happens below it: connected in `CaseworkConfig.ready`."""

from __future__ import annotations

from django.dispatch import receiver

from bistand.casework.norm_wait import waiting_for
from bistand.casework.pipeline import begin, receive_application
from bistand.intake.models import Application
from bistand.intake.signals import application_submitted, receipt_shown


@receiver(application_submitted, dispatch_uid="casework.receive_application")
def start_robot(sender, application: Application, **kwargs) -> None:
    """Queue the receipt and the robot's run. Called inside the submitting transaction: the task row
    commits with the application (the task queue is in the same database), so neither is ever alone.

    A tilläggsansökan gets its run at once, in the same transaction: the month already has a case, and the
    caseworker who registers one decides it on the case page straight after (the run is what they decide)."""
    if application.kind == Application.Kind.SUPPLEMENT:
        begin(application)
    else:
        receive_application.enqueue(application.pk)


@receiver(receipt_shown, dispatch_uid="casework.norm_wait_on_receipt")
def norm_wait_on_receipt(sender, application: Application, **kwargs) -> dict:
    """The receipt says when the month waits for its riksnorm, and when the municipality expects it."""
    return {"norm_wait": waiting_for(application)}
