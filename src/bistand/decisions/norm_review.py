"""Decisions whose riksnorm lines would change with the tables in use now (`bistand decisions review-norm`).

When a norm table is replaced (a secondary table by the SFS text, a derived amount by a found one), a
decision already taken may rest on an amount that was too low. The riksnorm is a floor, so such a decision
should be corrected in the citizen's favour (FL 36 §, rättelse): this lists each one with the difference.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from bistand.decisions.models import Decision
from bistand.decisions.stored_input import for_engine
from bistand.rules import InvalidInput, calculate


@dataclass(frozen=True)
class NormLineChange:
    """One norm line: the amount the decision used and the amount the current table gives."""

    member: str
    parameter: str
    stored: Decimal
    current: Decimal

    @property
    def difference(self) -> Decimal:
        return self.current - self.stored


@dataclass(frozen=True)
class NormReview:
    """A decision in force whose norm would change, and by how much a month."""

    decision_id: int
    version: int
    case_id: int
    month: str
    stored_norm: Decimal
    current_norm: Decimal
    amount_granted: Decimal
    current_entitlement: Decimal
    lines: list[NormLineChange] = field(default_factory=list)

    @property
    def difference(self) -> Decimal:
        """How much higher (positive) or lower the norm is with the current tables."""
        return self.current_norm - self.stored_norm

    def __str__(self) -> str:
        sign = "+" if self.difference >= 0 else ""
        head = (
            f"decision {self.decision_id} v{self.version} (case {self.case_id}, {self.month}): norm "
            f"{self.stored_norm} -> {self.current_norm} ({sign}{self.difference} kr); granted "
            f"{self.amount_granted}, with the current tables {self.current_entitlement}"
        )
        details = [
            f"    {c.parameter} ({c.member}): {c.stored} -> {c.current}"
            + f" ({'+' if c.difference >= 0 else ''}{c.difference} kr)"
            for c in self.lines
        ]
        return "\n".join([head, *details])

    def to_dict(self) -> dict:
        data = asdict(self)
        data["difference"] = self.difference
        for line, change in zip(data["lines"], self.lines, strict=True):
            line["difference"] = change.difference
        return data


def _norm_lines(calculation: dict) -> dict[tuple[str, str], Decimal]:
    return {
        (line["member"], line.get("parameter") or line["rule"]): Decimal(str(line["amount"]))
        for line in calculation.get("lines", [])
        if line.get("section") == "norm"
    }


def review(decision: Decision) -> NormReview | None:
    """The decision's norm lines against the current tables; None when nothing would change."""
    household = (decision.inputs.get("calculation_input") or {}).get("household")
    if household is None:
        return None
    try:
        result = json.loads(calculate(for_engine(household)).to_json(indent=None))
    except InvalidInput:
        return None  # `bistand decisions verify` reports inputs that no longer calculate
    stored, current = _norm_lines(decision.calculation), _norm_lines(result)
    changes = [
        NormLineChange(key[0], key[1], stored.get(key, Decimal(0)), current.get(key, Decimal(0)))
        for key in sorted(set(stored) | set(current))
        if stored.get(key) != current.get(key)
    ]
    if not changes:
        return None
    return NormReview(
        decision_id=decision.pk,
        version=decision.version,
        case_id=decision.case_id,
        month=decision.month.isoformat()[:7],
        stored_norm=Decimal(str(decision.calculation["norm_total"])),
        current_norm=Decimal(str(result["norm_total"])),
        amount_granted=decision.amount_granted,
        current_entitlement=Decimal(str(result["entitlement"])),
        lines=changes,
    )


def review_all(since: datetime.date | None = None) -> tuple[int, list[NormReview]]:
    """Review every decision in force (for months from `since`). Returns how many were checked and the changes."""
    decisions = Decision.objects.filter(superseded_by__isnull=True).order_by("month", "pk")
    if since is not None:
        decisions = decisions.filter(month__gte=since)
    checked, found = 0, []
    for decision in decisions.iterator():
        checked += 1
        if (change := review(decision)) is not None:
            found.append(change)
    return checked, found
