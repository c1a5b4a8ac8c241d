"""Replay: recompute every decision from its stored inputs and list those whose outcome would differ."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from bistand.decisions.models import Decision
from bistand.decisions.stored_input import for_engine
from bistand.rules import InvalidInput, calculate


@dataclass(frozen=True)
class Difference:
    decision_id: int
    version: int
    stored: str
    replayed: str

    def __str__(self) -> str:
        return f"decision {self.decision_id} v{self.version}: stored {self.stored}, replayed {self.replayed}"


def replay(decision: Decision) -> Difference | None:
    """Recompute one decision. Adjusted decisions are replayed with the adjusted input they stored."""
    household = (decision.inputs.get("calculation_input") or {}).get("household")
    if household is None:
        return None  # decided without a calculation (e.g. an incomplete application decided by a person)
    try:
        result = json.loads(calculate(for_engine(household)).to_json(indent=None))
    except InvalidInput as invalid:
        return Difference(
            decision.pk, decision.version, _summary(decision.calculation), f"invalid: {invalid}"
        )
    stored = decision.calculation
    keys = ("norm_total", "costs_total", "income_total", "deficit", "entitlement")
    if any(Decimal(str(stored.get(k))) != Decimal(str(result.get(k))) for k in keys):
        return Difference(decision.pk, decision.version, _summary(stored), _summary(result))
    if decision.automated and Decimal(str(result["entitlement"])) != decision.amount_granted:
        return Difference(
            decision.pk, decision.version, f"granted {decision.amount_granted}", _summary(result)
        )
    return None


def verify(since: datetime.date | None = None) -> tuple[int, list[Difference]]:
    """Replay every decision (decided on or after `since`). Returns how many were checked and the differences."""
    decisions = Decision.objects.order_by("pk")
    if since is not None:
        decisions = decisions.filter(decided_at__date__gte=since)
    checked, differences = 0, []
    for decision in decisions.iterator():
        checked += 1
        if (difference := replay(decision)) is not None:
            differences.append(difference)
    return checked, differences


def _summary(calculation: dict) -> str:
    return f"entitlement {calculation.get('entitlement')} (norm {calculation.get('norm_total')})"
