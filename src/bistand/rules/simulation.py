"""A policy simulation: the same households under the baseline rules and under a variant, compared.

The variant is a changed parameter set (norm × factor, another jobbstimulans share) and optionally a cap
on the försörjningsstöd a household can get in a month. Both are computed by the batch path from the one
definition of the rules (`formulas`); the comparison gives the cost, who gains and who loses, and the
distribution by household type, which `bistand simulate` prints as a table and draws as a chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from bistand.rules import formulas
from bistand.rules.batch import Columns, Totals, compute
from bistand.rules.money import from_ore
from bistand.rules.parameters import ParameterSet

# Household types by adults and children, in the order a table and a chart show them.
HOUSEHOLD_TYPES: tuple[tuple[str, str, str], ...] = (
    ("single", "Ensamstående utan barn", "Single adult, no children"),
    ("single_children", "Ensamstående med barn", "Single parent"),
    ("couple", "Sammanboende utan barn", "Couple, no children"),
    ("couple_children", "Sammanboende med barn", "Couple with children"),
)


@dataclass(frozen=True)
class Variant:
    """What the variant changes: its parameters, and a cap per household and month in kronor (or none)."""

    params: ParameterSet
    cap: Decimal | None = None
    label: str = ""


@dataclass
class Group:
    """Baseline against variant for a set of households (all of them, one household type or one month)."""

    key: str
    households: int
    with_support: int
    with_support_after: int
    total: Decimal  # kronor per month
    total_after: Decimal
    gainers: int
    losers: int

    @property
    def difference(self) -> Decimal:
        """The variant's cost minus the baseline's."""
        return self.total_after - self.total

    def as_dict(self) -> dict:
        """JSON-ready (Decimals stay Decimals; use `money.dumps`)."""
        return {
            "key": self.key,
            "households": self.households,
            "with_support": self.with_support,
            "with_support_after": self.with_support_after,
            "total": self.total,
            "total_after": self.total_after,
            "difference": self.difference,
            "gainers": self.gainers,
            "losers": self.losers,
        }


@dataclass
class Comparison:
    """The whole population, and the same split by household type and by month."""

    overall: Group
    by_type: list[Group]
    by_month: list[Group]
    base: Totals
    after: Totals


def household_types(columns: Columns) -> np.ndarray:
    """Each household's index into `HOUSEHOLD_TYPES`: couple or single, with or without children."""
    children = np.bincount(columns.child_household, minlength=len(columns))
    return columns.couple.astype(np.int64) * 2 + (children > 0)


def run(columns: Columns, base_params: ParameterSet, variant: Variant) -> Comparison:
    """Compute the baseline and the variant for every household and compare them."""
    base = compute(columns, base_params)
    after = compute(columns, variant.params)
    if variant.cap is not None:
        after.entitlement = formulas.capped(after.entitlement, int(variant.cap * 100))
    types = household_types(columns)
    by_type = [_group(key, types == index, base, after) for index, (key, _, _) in enumerate(HOUSEHOLD_TYPES)]
    by_month = [
        _group(f"{month:%Y-%m}", columns.month == index, base, after)
        for index, month in sorted(enumerate(columns.months), key=lambda pair: pair[1])
    ]
    overall = _group("all", np.ones(len(columns), dtype=bool), base, after)
    return Comparison(overall, by_type, by_month, base, after)


def _group(key: str, mask: np.ndarray, base: Totals, after: Totals) -> Group:
    before_e = base.entitlement[mask]
    after_e = after.entitlement[mask]
    return Group(
        key=key,
        households=int(mask.sum()),
        with_support=int((before_e > 0).sum()),
        with_support_after=int((after_e > 0).sum()),
        total=from_ore(before_e.sum()),
        total_after=from_ore(after_e.sum()),
        gainers=int((after_e > before_e).sum()),
        losers=int((after_e < before_e).sum()),
    )
