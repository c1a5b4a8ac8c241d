"""Making decisions: by the robot under delegation, and corrections as new versions."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bistand.casework import kommunicering
from bistand.casework.models import TimelineEvent
from bistand.decisions import needs
from bistand.decisions.grounds import ground_for
from bistand.decisions.models import Decision
from bistand.decisions.motivation import motivation_text
from bistand.decisions.tasks import render_letters
from bistand.decisions.versioning import rules_version
from bistand.intake.schema import answer

logger = logging.getLogger(__name__)


def _inputs(run) -> dict[str, Any]:
    """Everything the decision rests on, so it can be replayed."""
    return {
        "answers": run.application.answers,
        "register_snapshot": run.register_snapshot,
        "findings": run.findings,
        "calculation_input": run.calculation_input,
        "triage": run.triage,
    }


def decide_automatically(run) -> Decision:
    """The robot's decision for a run that triage found automatable: a full grant of the entitlement."""
    application = run.application
    existing = Decision.objects.filter(application=application, version=1).first()
    if existing is not None:
        return existing
    calculation = run.calculation
    amount = Decimal(str(calculation["entitlement"]))
    decision = Decision(
        case=run.case,
        application=application,
        version=1,
        month=application.month,
        outcome=Decision.Outcome.GRANT,
        amount_applied=amount,
        amount_granted=amount,
        calculation=calculation,
        findings=run.findings or [],
        automated=True,
        delegation={**run.triage["delegation"], "policy_version": run.triage["policy_version"]},
        decided_at=timezone.now(),
        inputs=_inputs(run),
        rules_version=rules_version(),
        policy_version=run.triage["policy_version"],
        letter_language=answer(application.answers, "language") or "sv",
    )
    return _store(decision, actor=TimelineEvent.Actor.ROBOT)


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
    inputs = _inputs(run)
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
    decision = _store(decision, actor=TimelineEvent.Actor.CASEWORKER)
    _plan_payments(decision)
    return decision


def correct(
    decision: Decision,
    *,
    kind: str,
    reason: str,
    by,
    outcome: str | None = None,
    amount_granted: Decimal | None = None,
    calculation: dict | None = None,
) -> Decision:
    """A rättelse (FL 36 §) or ändring (FL 37–38 §§): a new version linked to the one it replaces.

    The earlier version stays as it was; the citizen is told why on the timeline and in the new letter.
    """
    if kind not in (Decision.Correction.RATTELSE, Decision.Correction.ANDRING):
        raise ValueError("kind must be rättelse or ändring")
    if not reason.strip():
        raise ValueError("a correction needs a reason the citizen can read")
    if not decision.is_in_force:
        raise ValueError("only the version in force can be corrected")
    new = Decision(
        case=decision.case,
        application=decision.application,
        version=decision.version + 1,
        supersedes=decision,
        correction=kind,
        correction_reason=reason.strip(),
        month=decision.month,
        outcome=outcome or decision.outcome,
        ground=ground_for(outcome or decision.outcome, calculation or decision.calculation, decision.ground),
        amount_applied=decision.amount_applied,
        amount_granted=decision.amount_granted if amount_granted is None else amount_granted,
        calculation=calculation or decision.calculation,
        findings=decision.findings,
        automated=False,
        decided_by=by,
        decided_at=timezone.now(),
        inputs={**decision.inputs, "corrects_version": decision.version},
        rules_version=rules_version(),
        policy_version=decision.policy_version,
        letter_language=decision.letter_language,
    )
    stored = _store(new, actor=TimelineEvent.Actor.CASEWORKER, kind=TimelineEvent.Kind.CORRECTION)
    _plan_payments(stored)
    return stored


def _plan_payments(decision: Decision) -> None:
    """Every decision goes to payments: a grant is paid, a correction adjusts or opens a recovery case."""
    from bistand.payments.services import plan_payments

    plan_payments(decision)


def _store(decision: Decision, *, actor: str, kind: str = TimelineEvent.Kind.DECISION) -> Decision:
    decision.motivation = motivation_text(decision, "sv")
    try:
        with transaction.atomic():
            # The same need is never granted twice in a month, whichever decisions stand beside this one.
            needs.check(decision)
            decision.save()
            # The letters render on their own queue: the decision is shown at once (decisions/tasks.py).
            render_letters.enqueue(decision.pk)
            TimelineEvent.objects.create(
                case=decision.case,
                application=decision.application,
                kind=kind,
                actor=actor,
                occurred_at=decision.decided_at,
                data={
                    "decision_id": decision.pk,
                    "version": decision.version,
                    "outcome": decision.outcome,
                    "amount": str(decision.amount_granted),
                    "automated": decision.automated,
                    "correction_reason": decision.correction_reason,
                },
            )
    except IntegrityError:
        # Another worker stored this version first: that one stands, this one is dropped.
        return Decision.objects.get(application=decision.application, version=decision.version)
    logger.info(
        "decision stored",
        extra={"decision_id": decision.pk, "version": decision.version, "automated": decision.automated},
    )
    return decision
