"""What intake tells the floors above it. Sent inside the transaction that stores the fact.

Intake stands below the robot (`docs/architecture.md`) and must not import it: the package that reacts
connects a receiver in its `AppConfig.ready`. A receiver that starts work enqueues a task; with the
database task queue the task row commits together with the fact, or neither does.
"""

from django.dispatch import Signal

# An application is signed by everyone who must sign it and is now submitted.
# Keyword arguments: application (intake.models.Application).
application_submitted = Signal()

# The citizen's receipt is about to be shown. A package above that knows more about the application's
# progress returns extra template context (a dict); e.g. the robot says the month waits for its riksnorm.
# Keyword arguments: application. Receivers must be read-only.
receipt_shown = Signal()


def receipt_context(application) -> dict:
    """What the packages above add to the receipt (see `receipt_shown`)."""
    context: dict = {}
    for _receiver, extra in receipt_shown.send(sender=type(application), application=application):
        context.update(extra or {})
    return context
