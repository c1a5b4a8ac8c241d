"""Tilläggsbeslut: a person decides a tilläggsansökan on its one need, beside the month's regular decision.

The decision has a calculation of one cost line (`costs.<need>`), citing the law for that cost type in force
in the month (SoL 12 kap. 7 § första stycket 2 for a försörjningsstöd item, 12 kap. 1 § for livsföringen i
övrigt), so the letter, the page and the API read it like any other decision, and payments pay it as a
decision of its own. `decisions/needs.py` refuses it if the need is already granted for the month.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from bistand.casework.deciding import decide_by_person
from bistand.casework.kommunicering import KommuniceringMissing
from bistand.casework.models import PipelineRun
from bistand.casework.norm_wait import stop_waiting
from bistand.casework.workspace import WorkspaceError, _money, _same_unit
from bistand.decisions.grounds import reference
from bistand.decisions.needs import NeedRefused
from bistand.identity.models import User
from bistand.intake.supplement import SupplementRequest, supplement_of
from bistand.rules.model import COST_TYPES


def _kronor(amount: Decimal) -> int | str:
    return int(amount) if amount == amount.to_integral() else str(amount)


def supplement_calculation(month: datetime.date, need: str, amount: Decimal) -> dict[str, Any]:
    """The tilläggsbeslut's calculation: the one need, at the amount the caseworker found reasonable."""

    label, label_en, statutory = COST_TYPES[need]
    law = reference("statutory_costs" if statutory else "other_costs", month)
    value = _kronor(amount)
    return {
        "month": month.isoformat()[:7],
        "norm_table": None,
        "norm_total": 0,
        "costs_total": value,
        "income_total": 0,
        "deficit": value,
        "entitlement": value,
        "lines": [
            {
                "section": "costs",
                "member": "household",
                "label": f"Tillägg: {label}",
                "label_en": f"Supplement: {label_en}",
                "amount": value,
                "rule": f"costs.{need}",
                "reference": law,
                "parameter": None,
                "verified": True,
            }
        ],
        "warnings": [],
        "jobbstimulans": {"applies": False},
    }


def decide_supplement(
    run: PipelineRun,
    user: User,
    *,
    outcome: str,
    amount: Any,
    motivation: str,
    kommunicering_exception: str = "",
):
    """A caseworker grants (wholly or partly) or rejects a tilläggsansökan, on its need alone. Less than
    asked for needs kommunicering first, or the FL 25 § exception, as any adverse decision."""

    _same_unit(run.case, user)
    request: SupplementRequest | None = supplement_of(run.application)
    if request is None:
        raise WorkspaceError("Ansökan är inte en ansökan om tillägg.")
    if run.application.decisions.exists():
        raise WorkspaceError("Ansökan är redan beslutad.")
    if not motivation.strip():
        raise WorkspaceError("Skriv en motivering: den sökande ska förstå beslutet (förvaltningslagen 32 §).")
    if outcome == "reject":
        granted = Decimal(0)
    else:
        granted = _money(amount, "Belopp")
        if granted <= 0 or granted > request.amount:
            raise WorkspaceError(
                f"Belopp: skriv ett belopp över 0 och högst det sökta, {_kronor(request.amount)} kronor."
            )
        outcome = "grant" if granted == request.amount else "partial"
    calculation = supplement_calculation(run.application.month, request.need, request.amount)
    if outcome != "grant":
        calculation["entitlement"] = _kronor(granted)
    try:
        decision = decide_by_person(
            run,
            user,
            outcome=outcome,
            amount=granted,
            calculation=calculation,
            calculation_input=None,
            adjustments=[{"kind": "supplement", "need": request.need, "reason": request.description}],
            note=motivation,
            ground="" if outcome == "grant" else "assessment",
            kommunicering_exception=kommunicering_exception,
        )
    except (NeedRefused, KommuniceringMissing) as refused:
        raise WorkspaceError(str(refused)) from None
    stop_waiting(run)
    return decision
