"""Many households at once, vectorised with NumPy, for policy questions.

The batch path shares only input checking and the jobbstimulans history rule with the single path; the
arithmetic is done again here, column-wise, in whole öre as 64-bit integers (exact, never floats). A test
checks that both paths agree to the öre on thousands of random households.

    households = [validate(d) for d in inputs]
    columns = build_columns(households, params)
    totals = compute(columns, params)          # arrays of öre: norm, costs, income, deficit, entitlement
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from bistand.rules.engine import ADULT_ROLES, assistance_history, jobbstimulans_status
from bistand.rules.model import Household
from bistand.rules.parameters import BRACKETS, ParameterSet
from bistand.rules.validation import InvalidInput, validate

_AGE_TO_BRACKET = np.array([0, 1, 1, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7], dtype=np.int64)
KIND_OTHER, KIND_ADULT_SALARY, KIND_CHILD_SALARY = 0, 1, 2


def _ore(amount: Decimal) -> int:
    return int(amount * 100)


@dataclass
class Columns:
    """Households as columns. Children and incomes are flattened with the index of their household."""

    months: list[date]  # the distinct months; `month` indexes into it
    month: np.ndarray
    couple: np.ndarray
    size: np.ndarray
    members: np.ndarray
    costs: np.ndarray  # öre
    income_jobbstimulans: np.ndarray  # per income: the earner's own period covers the month
    child_household: np.ndarray
    child_bracket: np.ndarray
    child_without_lunch: np.ndarray
    child_days: np.ndarray  # 0 = the whole month
    child_days_in_month: np.ndarray
    income_household: np.ndarray
    income_amount: np.ndarray  # öre
    income_kind: np.ndarray
    income_earlier: np.ndarray  # öre
    income_child: np.ndarray  # a number per (household, child) for the yearly exemption; -1 otherwise

    def __len__(self) -> int:
        return len(self.month)


@dataclass
class Totals:
    """Per-household totals in öre (entitlement too: whole kronor × 100)."""

    norm: np.ndarray
    costs: np.ndarray
    income: np.ndarray
    deficit: np.ndarray
    entitlement: np.ndarray

    def as_decimal(self, i: int) -> dict[str, Decimal]:
        """One household's totals as kronor (for comparison with the single path)."""
        return {
            name: Decimal(int(getattr(self, name)[i])) / 100
            for name in ("norm", "costs", "income", "deficit", "entitlement")
        }


def build_columns(households: Sequence[Household], params: ParameterSet) -> Columns:
    """Flatten validated households into columns (one Python pass; the arithmetic comes later)."""
    month_index: dict[date, int] = {}
    months: list[date] = []
    n = len(households)
    month = np.empty(n, dtype=np.int64)
    couple = np.empty(n, dtype=bool)
    size = np.empty(n, dtype=np.int64)
    members = np.empty(n, dtype=np.int64)
    costs = np.empty(n, dtype=np.int64)
    ch_hh: list[int] = []
    ch_age: list[int] = []
    ch_nolunch: list[bool] = []
    ch_days: list[int] = []
    ch_dim: list[int] = []
    in_hh: list[int] = []
    in_amount: list[int] = []
    in_kind: list[int] = []
    in_earlier: list[int] = []
    in_child: list[int] = []
    in_jobb: list[bool] = []
    child_keys: dict[tuple[int, str], int] = {}
    days_cache: dict[date, int] = {}
    for i, h in enumerate(households):
        m = h.month
        k = month_index.get(m)
        if k is None:
            k = month_index[m] = len(months)
            months.append(m)
        month[i] = k
        roles = {}
        adults = 0
        for member in h.members:
            roles[member.id] = member.role
            if member.role in ADULT_ROLES:
                adults += 1
            else:
                ch_hh.append(i)
                ch_age.append(member.age)
                ch_nolunch.append(not member.lunch_at_home and member.age <= 6)
                if member.days_in_household is None:
                    ch_days.append(0)
                    ch_dim.append(1)
                else:
                    dim = days_cache.get(m)
                    if dim is None:
                        dim = days_cache[m] = _days_in_month(m)
                    ch_days.append(member.days_in_household)
                    ch_dim.append(dim)
        couple[i] = adults == 2
        size[i] = h.household_size
        members[i] = len(h.members)
        costs[i] = sum(_ore(c.amount) for c in h.costs)
        mp = params.at(m)
        jobb: dict[str, bool] = {}
        for member in h.members:
            if member.role in ADULT_ROLES:
                history = assistance_history(h, member)
                jobb[member.id] = jobbstimulans_status(m, history, mp).applies if history else False
        for income in h.incomes:
            in_hh.append(i)
            in_amount.append(_ore(income.amount))
            child = -1
            if income.type != "salary":
                kind = KIND_OTHER
            elif roles[income.member] == "child":
                kind = KIND_CHILD_SALARY
                child = child_keys.setdefault((i, income.member), len(child_keys))
            else:
                kind = KIND_ADULT_SALARY
            in_kind.append(kind)
            in_child.append(child)
            in_jobb.append(kind == KIND_ADULT_SALARY and jobb[income.member])
            in_earlier.append(_ore(income.earned_earlier_this_year) if income.earned_earlier_this_year else 0)
    return Columns(
        months=months,
        month=month,
        couple=couple,
        size=size,
        members=members,
        costs=costs,
        child_household=np.array(ch_hh, dtype=np.int64),
        child_bracket=_AGE_TO_BRACKET[np.array(ch_age, dtype=np.int64)] if ch_age else np.array([], np.int64),
        child_without_lunch=np.array(ch_nolunch, dtype=bool),
        child_days=np.array(ch_days, dtype=np.int64),
        child_days_in_month=np.array(ch_dim, dtype=np.int64),
        income_household=np.array(in_hh, dtype=np.int64),
        income_amount=np.array(in_amount, dtype=np.int64),
        income_kind=np.array(in_kind, dtype=np.int64),
        income_earlier=np.array(in_earlier, dtype=np.int64),
        income_child=np.array(in_child, dtype=np.int64),
        income_jobbstimulans=np.array(in_jobb, dtype=bool),
    )


def _days_in_month(d: date) -> int:
    return calendar.monthrange(d.year, d.month)[1]


@dataclass
class _MonthTables:
    with_lunch: np.ndarray  # [month, bracket] öre
    without_lunch: np.ndarray  # [month, bracket]; brackets 7+ repeat with_lunch (never selected)
    single: np.ndarray
    couple: np.ndarray
    common: np.ndarray  # [month, persons 0..7]; column 0 unused
    child_limit: np.ndarray  # öre per calendar year
    jobb_num: np.ndarray  # jobbstimulans share as a fraction num/den; 0/1 before the rule existed
    jobb_den: np.ndarray


def _month_tables(months: list[date], params: ParameterSet) -> _MonthTables:
    count = len(months)
    with_lunch = np.zeros((count, len(BRACKETS)), dtype=np.int64)
    without = np.zeros((count, len(BRACKETS)), dtype=np.int64)
    single = np.zeros(count, dtype=np.int64)
    couple = np.zeros(count, dtype=np.int64)
    common = np.zeros((count, 8), dtype=np.int64)
    limit = np.zeros(count, dtype=np.int64)
    num = np.zeros(count, dtype=np.int64)
    den = np.ones(count, dtype=np.int64)
    for k, m in enumerate(months):
        mp = params.at(m)
        table = mp.table
        for b, key in enumerate(BRACKETS):
            with_lunch[k, b] = _ore(table.with_lunch[key].amount)
            source = table.without_lunch.get(key) or table.with_lunch[key]
            without[k, b] = _ore(source.amount)
        single[k] = _ore(table.adults["single"].amount)
        couple[k] = _ore(table.adults["couple"].amount)
        for persons in range(1, 8):
            common[k, persons] = _ore(table.common[persons].amount)
        limit[k] = _ore(mp.child_exemption_limit)
        if mp.jobbstimulans is not None:
            share = Fraction(mp.jobbstimulans.values["share"])
            num[k], den[k] = share.numerator, share.denominator
    return _MonthTables(with_lunch, without, single, couple, common, limit, num, den)


def _half_up_div(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator rounded half up, for non-negative integers (exact)."""
    return (2 * numerator + denominator) // (2 * denominator)


def compute(columns: Columns, params: ParameterSet) -> Totals:
    """The totals of every household, vectorised. Same rules and rounding as `engine.calculate`."""
    t = _month_tables(columns.months, params)
    n = len(columns)
    mk = columns.month

    # personal costs, adults
    norm = np.where(columns.couple, t.couple[mk], t.single[mk])

    # personal costs, children (part-month children by days, rounded half up to öre)
    if len(columns.child_household):
        cm = mk[columns.child_household]
        full = np.where(
            columns.child_without_lunch,
            t.without_lunch[cm, columns.child_bracket],
            t.with_lunch[cm, columns.child_bracket],
        )
        partial = columns.child_days > 0
        amount = np.where(partial, _half_up_div(full * columns.child_days, columns.child_days_in_month), full)
        np.add.at(norm, columns.child_household, amount)

    # common household costs: above 7 persons each extra person adds common(7) − common(6)
    size = columns.size
    capped = np.minimum(size, 7)
    base = t.common[mk, capped] + np.maximum(size - 7, 0) * (t.common[mk, 7] - t.common[mk, 6])
    share = np.where(columns.members == size, base, _half_up_div(base * columns.members, size))
    norm = norm + share

    # incomes
    income = np.zeros(n, dtype=np.int64)
    if len(columns.income_household):
        ih = columns.income_household
        amounts = columns.income_amount
        np.add.at(income, ih, amounts)
        kind = columns.income_kind
        adult = columns.income_jobbstimulans
        if adult.any():
            im = mk[ih[adult]]
            left_out = _half_up_div(amounts[adult] * t.jobb_num[im], t.jobb_den[im])
            np.subtract.at(income, ih[adult], left_out)
        child = kind == KIND_CHILD_SALARY
        if child.any():
            idx = np.flatnonzero(child)
            keys = columns.income_child[idx]
            order = np.argsort(keys, kind="stable")  # input order within each child
            idx = idx[order]
            keys = keys[order]
            a = amounts[idx]
            running = np.cumsum(a)
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            group_start = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
            earned_before = running - a - (running[group_start] - a[group_start])
            remaining = t.child_limit[mk[ih[idx]]] - columns.income_earlier[idx] - earned_before
            exempt = np.clip(np.minimum(a, remaining), 0, None)
            np.subtract.at(income, ih[idx], exempt)

    deficit = norm + columns.costs - income
    entitlement = np.where(deficit > 0, (deficit + 50) // 100 * 100, 0)
    return Totals(
        norm=norm, costs=columns.costs.copy(), income=income, deficit=deficit, entitlement=entitlement
    )


def read_jsonl(
    lines: Iterable[str], params: ParameterSet, lang: str = "sv"
) -> tuple[list[Household], list[tuple[int, list[dict[str, str]]]]]:
    """Validate one household per line. Returns the households and, per bad line, its errors."""
    households: list[Household] = []
    errors: list[tuple[int, list[dict[str, str]]]] = []
    decode = json.JSONDecoder(parse_float=Decimal).decode
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            data: Any = decode(text)
        except ValueError as exc:
            errors.append((number, [{"field": "", "message": str(exc)}]))
            continue
        try:
            households.append(validate(data, params, lang))
        except InvalidInput as exc:
            errors.append((number, exc.as_list(lang)))
    return households, errors
