"""What decisions tell the floors above them. Sent inside the transaction that stores the decision.

Decisions stand below payments and the caseworker's office (`docs/architecture.md`): payments connects its
receiver in `PaymentsConfig.ready`, so a stored decision — the robot's, a person's or a correction — has
exactly one trigger for planning its money.
"""

from django.dispatch import Signal

# A decision version was stored (not sent again for a version another worker stored first).
# Keyword arguments: decision (decisions.models.Decision).
decision_stored = Signal()
