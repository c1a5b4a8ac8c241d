"""A decision's stored calculation input, as the rules engine takes it again (replay, review, explanation)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def for_engine(household: dict[str, Any]) -> dict[str, Any]:
    """The stored input with its amounts as numbers again.

    Amounts are stored as exact decimal strings (JSON has no decimal type); the engine takes numbers.
    """
    converted = dict(household)
    converted["costs"] = [
        {**item, "amount": Decimal(str(item["amount"]))} for item in household.get("costs", [])
    ]
    converted["incomes"] = [
        {
            **item,
            "amount": Decimal(str(item["amount"])),
            **(
                {"earned_earlier_this_year": Decimal(str(item["earned_earlier_this_year"]))}
                if "earned_earlier_this_year" in item
                else {}
            ),
        }
        for item in household.get("incomes", [])
    ]
    return converted
