"""Payments' reaction to a stored decision: connected in `PaymentsConfig.ready`."""

from __future__ import annotations

from django.dispatch import receiver

from bistand.decisions.models import Decision
from bistand.decisions.signals import decision_stored
from bistand.payments.services import plan_payments


@receiver(decision_stored, dispatch_uid="payments.plan_payments")
def plan(sender, decision: Decision, **kwargs) -> None:
    """Plan the decision's money in the transaction that stores it: the one trigger for every decision.

    Inside the same transaction, a decision is never stored without its plan; `plan_payments` is
    idempotent and the sweep (`sweep_unplanned_decisions`) stays as the safety net for older decisions.
    """
    plan_payments(decision)
