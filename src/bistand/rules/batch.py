"""Many households at once, vectorised with NumPy, for policy questions.

The rules that make amounts are those of `formulas`, the same functions the single path calls, applied
here to columns of whole öre as 64-bit integers (exact, never floats). A test checks that both paths agree
to the öre on thousands of random households.

    households = [validate(d) for d in inputs]
    columns = build_columns(households, params)
    totals = compute(columns, params)          # arrays of öre: norm, costs, income, deficit, entitlement
"""

from __future__ import annotations

import calendar
import json
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from bistand.rules import formulas
from bistand.rules.ages import BRACKET_INDEX_BY_AGE
from bistand.rules.engine import ADULT_ROLES, assistance_history, jobbstimulans_status
from bistand.rules.model import Household, month_text
from bistand.rules.money import from_ore, to_ore
from bistand.rules.parameters import ParameterSet
from bistand.rules.validation import InvalidInput, validate

_AGE_TO_BRACKET = np.array(BRACKET_INDEX_BY_AGE, dtype=np.int64)
KIND_OTHER, KIND_ADULT_SALARY, KIND_CHILD_SALARY = 0, 1, 2
_LISTS = (
    "month", "couple", "size", "members", "costs", "ch_hh", "ch_age", "ch_away",
    "ch_days", "ch_dim", "in_hh", "in_amount", "in_kind", "in_earlier", "in_child", "in_jobb",
)  # fmt: skip


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
    child_age: np.ndarray
    child_bracket: np.ndarray
    child_lunch_away: np.ndarray
    child_days: np.ndarray  # 0 = the whole month
    child_days_in_month: np.ndarray
    income_household: np.ndarray
    income_amount: np.ndarray  # öre
    income_kind: np.ndarray
    income_earlier: np.ndarray  # öre
    income_child: np.ndarray  # a number per (household, child) for the yearly exemption; -1 otherwise

    def __len__(self) -> int:
        return len(self.month)

    def month_labels(self) -> list[str]:
        """Each household's month as `YYYY-MM`."""
        names = [month_text(m) for m in self.months]
        return [names[k] for k in self.month.tolist()]


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
            name: from_ore(getattr(self, name)[i])
            for name in ("norm", "costs", "income", "deficit", "entitlement")
        }


class ColumnBuilder:
    """Households appended one by one as flat lists, then turned into `Columns` once.

    `add` takes a validated `Household`; the JSON-lines reader (`rules.jsonl`) appends its checked rows to
    the same lists directly.
    """

    def __init__(self, params: ParameterSet) -> None:
        self.params = params
        self.months: list[date] = []
        self.month_index: dict[date, int] = {}
        # Typed arrays rather than lists: 8 bytes an entry (1 for flags), so a million households fit.
        self.month = array("q")
        self.couple = array("b")
        self.size = array("q")
        self.members = array("q")
        self.costs = array("q")
        self.ch_hh = array("q")
        self.ch_age = array("q")
        self.ch_away = array("b")
        self.ch_days = array("q")
        self.ch_dim = array("q")
        self.in_hh = array("q")
        self.in_amount = array("q")
        self.in_kind = array("q")
        self.in_earlier = array("q")
        self.in_child = array("q")
        self.in_jobb = array("b")
        self._child_keys: dict[tuple[int, str], int] = {}
        self.next_child_key = 0  # child keys handed out so far (`child_key`, and ranges for `extend`)
        # What `extend` appended, and the typed arrays before it, as NumPy arrays in order: an appended
        # array is kept as it is rather than copied into a typed array (a copy and a reallocation).
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name in _LISTS}
        self._households_in_parts = 0

    def child_key(self, household: int, member: str) -> int:
        """A number for one child of one household (its salaries share the yearly exemption)."""
        key = self._child_keys.get((household, member))
        if key is None:
            key = self._child_keys[(household, member)] = self.next_child_key
            self.next_child_key += 1
        return key

    def extend(self, rows: dict[str, np.ndarray]) -> None:
        """Append many checked households at once: one int64 or bool array per list of the builder
        (`month`, `couple`, …, `in_jobb`), with household indices already counted from `len(self)`."""
        self._flush()
        for name, values in rows.items():
            dtype = np.int8 if getattr(self, name).typecode == "b" else np.int64
            self._parts[name].append(np.asarray(values, dtype=dtype))
        self._households_in_parts += len(rows["month"])

    def _flush(self) -> None:
        """Move what `add` appended to the typed arrays into the parts, keeping the order."""
        if not any(len(getattr(self, name)) for name in _LISTS):
            return
        self._households_in_parts += len(self.month)
        for name in _LISTS:
            values: array = getattr(self, name)
            dtype = np.int8 if values.typecode == "b" else np.int64
            self._parts[name].append(np.frombuffer(values, dtype=dtype))
            setattr(self, name, array(values.typecode))

    def month_key(self, m: date) -> int:
        """The index of month `m` among the batch's distinct months."""
        k = self.month_index.get(m)
        if k is None:
            k = self.month_index[m] = len(self.months)
            self.months.append(m)
        return k

    def add(self, h: Household) -> None:
        """Append one validated household."""
        i = len(self)
        m = h.month
        self.month.append(self.month_key(m))
        roles = {}
        adults = 0
        dim = 1
        for member in h.members:
            roles[member.id] = member.role
            if member.role in ADULT_ROLES:
                adults += 1
            else:
                self.ch_hh.append(i)
                self.ch_age.append(member.age)
                self.ch_away.append(not member.lunch_at_home)
                if member.days_in_household is None:
                    self.ch_days.append(0)
                    self.ch_dim.append(1)
                else:
                    dim = _days_in_month(m)
                    self.ch_days.append(member.days_in_household)
                    self.ch_dim.append(dim)
        self.couple.append(adults == 2)
        self.size.append(h.household_size)
        self.members.append(len(h.members))
        self.costs.append(sum(to_ore(c.amount) for c in h.costs))
        mp = self.params.at(m)
        jobb: dict[str, bool] = {}
        for member in h.members:
            if member.role in ADULT_ROLES:
                history = assistance_history(h, member)
                jobb[member.id] = jobbstimulans_status(m, history, mp).applies if history else False
        for income in h.incomes:
            self.in_hh.append(i)
            self.in_amount.append(to_ore(income.amount))
            child = -1
            if income.type != "salary":
                kind = KIND_OTHER
            elif roles[income.member] == "child":
                kind = KIND_CHILD_SALARY
                child = self.child_key(i, income.member)
            else:
                kind = KIND_ADULT_SALARY
            self.in_kind.append(kind)
            self.in_child.append(child)
            self.in_jobb.append(kind == KIND_ADULT_SALARY and jobb[income.member])
            earlier = income.earned_earlier_this_year
            self.in_earlier.append(to_ore(earlier) if earlier else 0)

    def columns(self) -> Columns:
        """The households appended so far, as columns."""
        self._flush()

        def ints(name: str) -> np.ndarray:
            parts = self._parts[name]
            if len(parts) > 1:  # joined one column at a time: the parts go as each is made
                parts[:] = [np.concatenate(parts)]
            return parts[0] if parts else np.zeros(0, dtype=np.int64)

        def flags(name: str) -> np.ndarray:
            return ints(name).astype(bool)

        ages = ints("ch_age")
        return Columns(
            months=self.months,
            month=ints("month"),
            couple=flags("couple"),
            size=ints("size"),
            members=ints("members"),
            costs=ints("costs"),
            child_household=ints("ch_hh"),
            child_age=ages,
            child_bracket=_AGE_TO_BRACKET[ages],
            child_lunch_away=flags("ch_away"),
            child_days=ints("ch_days"),
            child_days_in_month=ints("ch_dim"),
            income_household=ints("in_hh"),
            income_amount=ints("in_amount"),
            income_kind=ints("in_kind"),
            income_earlier=ints("in_earlier"),
            income_child=ints("in_child"),
            income_jobbstimulans=flags("in_jobb"),
        )

    def __len__(self) -> int:
        return self._households_in_parts + len(self.month)


def build_columns(households: Sequence[Household], params: ParameterSet) -> Columns:
    """Flatten validated households into columns (one Python pass; the arithmetic comes later)."""
    builder = ColumnBuilder(params)
    for h in households:
        builder.add(h)
    return builder.columns()


def _days_in_month(d: date) -> int:
    return calendar.monthrange(d.year, d.month)[1]


@dataclass
class _MonthTables:
    """`MonthParameters.amounts` of every month, stacked: [month] or [month, bracket] / [month, persons]."""

    with_lunch: np.ndarray
    without_lunch: np.ndarray  # brackets 7+ repeat with_lunch (never selected)
    single: np.ndarray
    couple: np.ndarray
    common: np.ndarray  # persons 0..7; column 0 unused
    child_limit: np.ndarray  # öre per calendar year
    jobb_num: np.ndarray  # jobbstimulans share as a fraction num/den; 0/1 before the rule existed
    jobb_den: np.ndarray


def _month_tables(months: list[date], params: ParameterSet) -> _MonthTables:
    rows = [params.at(m).amounts for m in months]

    def stack(name: str) -> np.ndarray:
        return np.array([getattr(row, name) for row in rows], dtype=np.int64)

    share = np.array([row.jobbstimulans_share for row in rows], dtype=np.int64).reshape(len(rows), 2)
    return _MonthTables(
        with_lunch=stack("with_lunch"),
        without_lunch=stack("without_lunch"),
        single=stack("single"),
        couple=stack("couple"),
        common=stack("common"),
        child_limit=stack("child_limit"),
        jobb_num=share[:, 0],
        jobb_den=share[:, 1],
    )


def compute(columns: Columns, params: ParameterSet) -> Totals:
    """The totals of every household: the rules of `formulas`, applied to columns."""
    t = _month_tables(columns.months, params)
    n = len(columns)
    mk = columns.month

    norm = formulas.adults_norm(columns.couple, t.single[mk], t.couple[mk])

    if len(columns.child_household):
        cm = mk[columns.child_household]
        bracket = columns.child_bracket
        full = np.where(
            formulas.without_lunch(columns.child_lunch_away, columns.child_age),
            t.without_lunch[cm, bracket],
            t.with_lunch[cm, bracket],
        )
        amount = formulas.child_norm(full, columns.child_days, columns.child_days_in_month)
        np.add.at(norm, columns.child_household, amount)

    size = columns.size
    common = t.common[mk]
    base = formulas.common_costs(size, common[np.arange(n), np.minimum(size, 7)], common[:, 7], common[:, 6])
    norm = norm + formulas.common_share(base, columns.members, size)

    income = np.zeros(n, dtype=np.int64)
    if len(columns.income_household):
        ih = columns.income_household
        amounts = columns.income_amount
        np.add.at(income, ih, amounts)
        adult = columns.income_jobbstimulans
        if adult.any():
            im = mk[ih[adult]]
            left_out = formulas.jobbstimulans_left_out(amounts[adult], t.jobb_num[im], t.jobb_den[im])
            np.subtract.at(income, ih[adult], left_out)
        child = columns.income_kind == KIND_CHILD_SALARY
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
            earned_this_month = running - a - (running[group_start] - a[group_start])
            exempt = formulas.child_salary_exempt(
                a, t.child_limit[mk[ih[idx]]], columns.income_earlier[idx] + earned_this_month
            )
            np.subtract.at(income, ih[idx], exempt)

    shortfall = formulas.deficit(norm, columns.costs, income)
    return Totals(
        norm=norm,
        costs=columns.costs.copy(),
        income=income,
        deficit=shortfall,
        entitlement=formulas.entitlement(shortfall),
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
