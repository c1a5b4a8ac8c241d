"""Background work on payments. Each task may run twice, or be killed half-way: the services are idempotent."""

from __future__ import annotations

from django.tasks import task

from bistand.decisions.models import Decision
from bistand.payments import services


@task()
def plan_payments_for_decision(decision_id: int) -> list[int]:
    """Plan one decision's payments (what the pipeline enqueues). Returns the order ids."""
    decision = Decision.objects.get(pk=decision_id)
    return [order.pk for order in services.plan_payments(decision)]


@task()
def sweep_unplanned_decisions() -> int:
    """Plan decisions a killed worker left unplanned; run it on a schedule (cron or a periodic enqueue)."""
    return services.sweep_unplanned_decisions()
