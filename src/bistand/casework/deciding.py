"""A caseworker's decision on the robot's run: the FL 25 § kommunicering checked, then stored by decisions.

Decisions stores a decision and knows nothing of the caseworker's office; the check that an adverse decision
was kommunicerad first belongs here, beside `casework.kommunicering`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from bistand.cases.models import TimelineEvent
from bistand.casework import kommunicering
from bistand.decisions.grounds import ground_for
from bistand.decisions.models import Decision
from bistand.decisions.services import inputs_of, store
from bistand.decisions.versioning import rules_version
from bistand.intake.schema import answer


def decide_as_proposed(run, by) -> Decision:
    """A caseworker's decision that accepts the robot's proposed calculation as it stands."""
    return decide_by_person(run, by)


def decide_by_person(
    run,
    by,
    *,
    outcome: str | None = None,
    amount: Decimal | None = None,
    calculation: dict | None = None,
    calculation_input: dict | None = None,
    adjustments: list[dict] | None = None,
    note: str = "",
    ground: str = "",
    approved_by=None,
    kommunicering_exception: str = "",
) -> Decision:
    """A caseworker's decision on a run: the proposal, or an adjusted calculation with the reasons.

    `adjustments` (each with its reason) become part of the motivation; `note` is the caseworker's own
        ground=ground_for(outcome, calculation, ground),
    motivation for a partial grant or a rejection. A decision against the citizen needs kommunicering
    first, or the FL 25 § exception that made it unnecessary (raises ``KommuniceringMissing``).
    `amount_applied` is what the citizen's own answers give, whatever the caseworker adjusted.
    """
    application = run.application
    existing = Decision.objects.filter(application=application, version=1).first()
    if existing is not None:
        return existing
    calculation = calculation or run.calculation
    if not calculation or "entitlement" not in calculation:
        raise ValueError("there is no calculation to decide on")
    entitlement = Decimal(str(calculation["entitlement"]))
    amount = entitlement if amount is None else amount
    if outcome is None:
        outcome = Decision.Outcome.GRANT if amount > 0 else Decision.Outcome.REJECT
    outcome = kommunicering.outcome_for(run, outcome, amount)
    kommunicering.check(run, outcome=outcome, amount=amount, exception=kommunicering_exception)
    applied = kommunicering.applied_amount(run)
    inputs = inputs_of(run)
    if kommunicering_exception:
        inputs["kommunicering_exception"] = kommunicering_exception
    inputs["kommunicering"] = kommunicering.record_of(run)
    if calculation_input is not None:
        inputs["calculation_input"] = calculation_input
    inputs["adjustments"] = list(adjustments or [])
    if note.strip():
        inputs["adjustments"].append({"kind": "motivation", "reason": note.strip()})
    decision = Decision(
        case=run.case,
        application=application,
        version=1,
        month=application.month,
        outcome=outcome,
        ground=ground_for(outcome, calculation, ground),
        amount_applied=entitlement if applied is None else applied,
        amount_granted=amount,
        calculation=calculation,
        findings=run.findings or [],
        automated=False,
        decided_by=by,
        approved_by=approved_by,
        decided_at=timezone.now(),
        inputs=inputs,
        rules_version=rules_version(),
        policy_version=(run.triage or {}).get("policy_version", ""),
        letter_language=answer(application.answers, "language") or "sv",
    )
    return store(decision, actor=TimelineEvent.Actor.CASEWORKER)
