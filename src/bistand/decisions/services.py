"""Making decisions: by the robot under delegation, and corrections as new versions."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.decisions import needs
from bistand.decisions.grounds import ground_for
from bistand.decisions.models import Decision
from bistand.decisions.signals import decision_stored
from bistand.decisions.statement import motivation_text
from bistand.decisions.tasks import render_letters
from bistand.decisions.versioning import rules_version
from bistand.intake.schema import answer

logger = logging.getLogger(__name__)


def inputs_of(run) -> dict[str, Any]:
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
        inputs=inputs_of(run),
        rules_version=rules_version(),
        policy_version=run.triage["policy_version"],
        letter_language=answer(application.answers, "language") or "sv",
    )
    return store(decision, actor=TimelineEvent.Actor.ROBOT)


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
    return store(new, actor=TimelineEvent.Actor.CASEWORKER, kind=TimelineEvent.Kind.CORRECTION)


def store(decision: Decision, *, actor: str, kind: str = TimelineEvent.Kind.DECISION) -> Decision:
    decision.motivation = motivation_text(decision, "sv")
    try:
        with transaction.atomic():
            # The same need is never granted twice in a month, whichever decisions stand beside this one.
            needs.check(decision)
            decision.save()
            # The letters render on their own queue: the decision is shown at once (decisions/tasks.py).
            render_letters.enqueue(decision.pk)
            payload = (
                events.DecisionCorrected if kind == TimelineEvent.Kind.CORRECTION else events.DecisionStored
            )
            events.record(
                decision.case,
                payload(
                    decision_id=decision.pk,
                    version=decision.version,
                    outcome=decision.outcome,
                    amount=str(decision.amount_granted),
                    automated=decision.automated,
                    correction_reason=decision.correction_reason,
                ),
                actor=actor,
                application=decision.application,
                occurred_at=decision.decided_at,
            )
            # Payments plans the money in this same transaction (payments/handoffs.py).
            decision_stored.send(sender=Decision, decision=decision)
    except IntegrityError:
        # Another worker stored this version first: that one stands, this one is dropped.
        return Decision.objects.get(application=decision.application, version=decision.version)
    logger.info(
        "decision stored",
        extra={"decision_id": decision.pk, "version": decision.version, "automated": decision.automated},
    )
    return decision
