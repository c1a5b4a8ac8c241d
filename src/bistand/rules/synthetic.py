"""Random but valid households in the contract's input shape, for tests, benchmarks and demonstrations.

Nothing here is personal data: ids are letters, dates are drawn at random.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bistand.rules.model import COST_TYPES, INCOME_TYPES, month_text

_COST_TYPES = list(COST_TYPES)
_INCOME_TYPES = list(INCOME_TYPES)


def _money(rng: random.Random, low: int, high: int, ore: bool) -> Decimal:
    whole = rng.randint(low, high)
    if ore and rng.random() < 0.3:
        return Decimal(whole) + Decimal(rng.randint(1, 99)) / 100
    return Decimal(whole)


def random_household(
    rng: random.Random, first_year: int = 2013, last_year: int = 2026, *, ore: bool = True
) -> dict[str, Any]:
    """One household dict that `validate` accepts, drawing on every feature of the contract."""
    year = rng.randint(first_year, last_year)
    month = date(year, rng.randint(1, 12), 1)
    members: list[dict[str, Any]] = [
        {"id": "a", "role": "applicant", "birth_date": _birth(rng, month, rng.randint(18, 70)).isoformat()}
    ]
    if rng.random() < 0.45:
        members.append(
            {
                "id": "b",
                "role": "co_applicant",
                "birth_date": _birth(rng, month, rng.randint(18, 70)).isoformat(),
            }
        )
    for n in range(rng.choice((0, 0, 1, 1, 2, 2, 3, 4, 6))):
        age = rng.randint(0, 20)
        child: dict[str, Any] = {
            "id": f"c{n}",
            "role": "child",
            "birth_date": _birth(rng, month, age).isoformat(),
        }
        if age <= 6 and rng.random() < 0.5:
            child["lunch_at_home"] = False
        if age >= 18:
            child["in_school"] = True  # a young adult not in school has a case of their own
        if rng.random() < 0.1:
            child["days_in_household"] = rng.randint(1, calendar.monthrange(month.year, month.month)[1])
        members.append(child)
    data: dict[str, Any] = {"month": month_text(month), "members": members}
    if rng.random() < 0.2:
        data["household_size"] = len(members) + rng.randint(1, 6)
    data["costs"] = [
        {"type": rng.choice(_COST_TYPES), "amount": _money(rng, 0, 12000, ore)}
        for _ in range(rng.randint(0, 4))
    ]
    incomes = []
    for _ in range(rng.randint(0, 4)):
        member = rng.choice(members)
        kind = "salary" if rng.random() < 0.4 else rng.choice(_INCOME_TYPES)
        income: dict[str, Any] = {"member": member["id"], "type": kind, "amount": _money(rng, 0, 20000, ore)}
        if kind == "salary" and member["role"] == "child" and rng.random() < 0.6:
            income["earned_earlier_this_year"] = _money(rng, 0, 70000, ore)
        incomes.append(income)
    data["incomes"] = incomes
    if rng.random() < 0.6:
        start = rng.randint(1, 40)
        months = set()
        cursor = start
        while cursor > 0:
            run = rng.randint(1, 9)
            for k in range(run):
                if cursor - k > 0:
                    months.add(cursor - k)
            cursor -= run + rng.randint(0, 3)
        data["assistance_months"] = sorted(month_text(_months_before(month, k)) for k in months)
    adults = [m for m in members if m["role"] != "child"]
    if rng.random() < 0.3:
        # Jobbstimulans is personal: an adult's own months, e.g. a new sambo with none, or a longer history.
        adult = rng.choice(adults)
        own = data.get("assistance_months", [])
        adult["assistance_months"] = (
            []
            if rng.random() < 0.4
            else [*own[: rng.randint(0, len(own))]]
            + [
                month_text(_months_before(month, k))
                for k in range(len(own) + 1, len(own) + rng.randint(1, 9))
            ]
        )
        adult["assistance_months"] = sorted(set(adult["assistance_months"]))
    return data


def _birth(rng: random.Random, month: date, age: int) -> date:
    """A birth date giving `age` on the first day of `month` (sometimes a birthday later that month)."""
    if age == 0 and rng.random() < 0.1:
        return month + timedelta(days=rng.randint(0, 27))  # born during the month
    anniversary = month.replace(year=month.year - age)
    return anniversary - timedelta(days=rng.randint(0, 364))


def _months_before(month: date, k: int) -> date:
    n = month.year * 12 + month.month - 1 - k
    return date(n // 12, n % 12 + 1, 1)
