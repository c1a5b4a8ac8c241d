"""What intake tells the floors above it. Sent inside the transaction that stores the fact.

Intake stands below the robot (`docs/architecture.md`) and must not import it: the package that reacts
connects a receiver in its `AppConfig.ready`. A receiver that starts work enqueues a task; with the
database task queue the task row commits together with the fact, or neither does.
"""

from django.dispatch import Signal

# An application is signed by everyone who must sign it and is now submitted.
# Keyword arguments: application (intake.models.Application).
application_submitted = Signal()
