"""Reading many households from JSON lines at the speed of the calculation (`bistand simulate`).

msgspec decodes each line straight into typed structs (in C: types, required fields and unknown fields are
checked there), and one short pass checks the contract's rules on them and appends the household to the
batch's columns, without building a `Household` per line. A line the fast path does not take as it is
(a float amount, a null list, a type error, an unknown field) goes to `validation.validate`, the one
definition of the contract's errors. A line the fast pass finds invalid is counted at once, and its errors
are written by `validate` when they are shown, so the messages — line number, field, text — are exactly
those of the single path. tests/rules/test_jsonl.py holds the fast pass to `validate` on random and broken
households: the same lines accepted, the same totals, the same errors.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec

from bistand.rules.ages import ADULT_AGE, CHILD_AGE_LIMIT, LUNCH_AGE_LIMIT, SCHOOL_AGE, age_on
from bistand.rules.batch import KIND_ADULT_SALARY, KIND_CHILD_SALARY, KIND_OTHER, ColumnBuilder, Columns
from bistand.rules.engine import jobbstimulans_status
from bistand.rules.model import COST_TYPES, INCOME_TYPES, Household
from bistand.rules.parameters import ParameterSet
from bistand.rules.validation import (
    EARLIEST_BIRTH,
    MAX_AMOUNT,
    MAX_HOUSEHOLD,
    InvalidInput,
    parse_date,
    parse_month,
    validate,
)

_MAX = int(MAX_AMOUNT)


class _Member(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: str
    role: str
    birth_date: str
    lunch_at_home: bool | None = None
    days_in_household: int | None = None
    in_school: bool | None = None
    assistance_months: list[str] | None = None


class _Cost(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    type: str
    amount: int


class _Income(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    member: str
    type: str
    amount: int
    earned_earlier_this_year: int | None = None


class _Household(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    month: str
    members: list[_Member]
    household_size: int | None = None
    costs: list[_Cost] = []
    incomes: list[_Income] = []
    assistance_months: list[str] | None = None
    municipality: str | None = None


_decode = msgspec.json.Decoder(_Household).decode
KEEP_INVALID = 1000  # invalid lines kept to be shown; more are counted (memory stays flat for any file)


class _Invalid(Exception):
    """The fast pass found a rule the line breaks; `validate` will say which, in words."""


@dataclass
class Batch:
    """What was read: the valid households as columns, and every invalid line."""

    columns: Columns
    invalid_count: int  # every invalid line
    invalid: list[tuple[int, str]]  # (line number, text) of the first KEEP_INVALID of them
    lang: str = "sv"
    params: ParameterSet | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.columns)

    def errors(self, limit: int | None = None) -> list[tuple[int, list[dict[str, str]]]]:
        """The invalid lines' errors, as `validate` words them: (line number, [{field, message}])."""
        return [(number, line_errors(text, self.params, self.lang)) for number, text in self.invalid[:limit]]


def line_errors(text: str, params: ParameterSet | None, lang: str = "sv") -> list[dict[str, str]]:
    """The errors of one invalid line (empty when it is valid after all)."""
    try:
        data: Any = json.loads(text, parse_float=Decimal)
    except ValueError as exc:
        return [{"field": "", "message": str(exc)}]
    try:
        validate(data, params, lang)
    except InvalidInput as exc:
        return exc.as_list(lang)
    return []


def read(lines: Iterable[str | bytes], params: ParameterSet, lang: str = "sv") -> Batch:
    """Read one household per line into columns; blank lines are skipped, invalid ones counted and kept."""
    builder = ColumnBuilder(params)
    invalid: list[tuple[int, str]] = []
    invalid_count = 0
    add = _Reader(params, builder).add
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            add(_decode(line))
            continue
        except (msgspec.DecodeError, msgspec.ValidationError):
            household = _validated(_text(line), params, lang)  # not the plain shape: `validate` judges
        except _Invalid:
            household = None
        if household is None:
            invalid_count += 1
            if len(invalid) < KEEP_INVALID:
                invalid.append((number, _text(line)))
        else:
            builder.add(household)
    return Batch(builder.columns(), invalid_count, invalid, lang, params)


def _validated(text: str, params: ParameterSet, lang: str) -> Household | None:
    try:
        return validate(json.loads(text, parse_float=Decimal), params, lang)
    except (ValueError, InvalidInput):
        return None


def _text(line: str | bytes) -> str:
    return line.decode("utf-8", "replace") if isinstance(line, bytes) else line


class _Reader:
    """The contract's rules on a decoded line, appending to the builder when it passes."""

    def __init__(self, params: ParameterSet, builder: ColumnBuilder) -> None:
        self.params = params
        self.b = builder
        self.month_cache: dict[str, tuple[date, Any, int, dict[str, int]]] = {}

    def _month(self, text: str) -> tuple[date, Any, int, dict[str, int]]:
        known = self.month_cache.get(text)
        if known is None:
            month = parse_month(text)
            if month is None or not self.params.covers(month):
                raise _Invalid
            days = calendar.monthrange(month.year, month.month)[1]
            known = (month, self.params.at(month), days, {})
            self.month_cache[text] = known
        return known

    def _age(self, birth_text: str, month: date, ages: dict[str, int]) -> int:
        """The age on the first of the month of a person born on `birth_text`; -1 when that date is not
        a valid birth date for the month. Remembered per month: a population has few distinct dates."""
        birth = parse_date(birth_text)
        if birth is None or birth < EARLIEST_BIRTH or birth > _last_day(month):
            age = -1
        else:
            age = max(0, age_on(birth, month))  # born during the month: "under 1 år" from its start
        if len(ages) < 100_000:
            ages[birth_text] = age
        return age

    def add(self, h: _Household) -> None:
        """Append the household, or raise `_Invalid` when it breaks a rule of the contract."""
        month, mp, days_in_month, ages = self._month(h.month)
        if h.municipality is not None and not (len(h.municipality) == 4 and h.municipality.isdigit()):
            raise _Invalid
        members = h.members
        if not members:
            raise _Invalid
        roles: dict[str, str] = {}
        applicants = co_applicants = 0
        children: list[tuple[int, bool, int]] = []
        adults: list[tuple[str, tuple[date, ...] | None]] = []
        for m in members:
            member_id = m.id
            if member_id in roles or not member_id or member_id.isspace():
                raise _Invalid
            role = m.role
            age = ages.get(m.birth_date)
            if age is None:
                age = self._age(m.birth_date, month, ages)
            if age < 0:
                raise _Invalid
            in_school = m.in_school
            if role == "child":
                if age >= CHILD_AGE_LIMIT or m.assistance_months is not None:
                    raise _Invalid
                if age >= SCHOOL_AGE:
                    if in_school is not True:
                        raise _Invalid
                elif in_school is not None:
                    raise _Invalid
                days = m.days_in_household
                if days is None or days == days_in_month:
                    days = 0
                elif not 1 <= days < days_in_month:
                    raise _Invalid
                children.append((age, m.lunch_at_home is False and age <= LUNCH_AGE_LIMIT, days))
            elif role == "applicant" or role == "co_applicant":
                if role == "applicant":
                    applicants += 1
                else:
                    co_applicants += 1
                if age < ADULT_AGE or in_school is not None or m.days_in_household is not None:
                    raise _Invalid
                own = None if m.assistance_months is None else _months(m.assistance_months, month)
                adults.append((member_id, own))
            else:
                raise _Invalid
            roles[member_id] = role
        if applicants != 1 or co_applicants > 1:
            raise _Invalid
        count = len(members)
        size = h.household_size
        if size is None:
            size = count
        elif size < count or size > MAX_HOUSEHOLD:
            raise _Invalid

        costs = 0
        for cost in h.costs:
            amount = cost.amount
            if cost.type not in COST_TYPES or not 0 <= amount <= _MAX:
                raise _Invalid
            costs += amount * 100

        history = () if h.assistance_months is None else _months(h.assistance_months, month)
        incomes: list[tuple[int, int, int, str]] = []
        for income in h.incomes:
            member = income.member
            role = roles.get(member)
            amount = income.amount
            if role is None or income.type not in INCOME_TYPES or not 0 <= amount <= _MAX:
                raise _Invalid
            earlier = income.earned_earlier_this_year
            if income.type != "salary":
                kind = KIND_OTHER
            elif role == "child":
                kind = KIND_CHILD_SALARY
                if mp.prisbasbelopp is None:
                    raise _Invalid
            else:
                kind = KIND_ADULT_SALARY
            if earlier is not None and (kind != KIND_CHILD_SALARY or not 0 <= earlier <= _MAX):
                raise _Invalid
            incomes.append((kind, amount * 100, (earlier or 0) * 100, member))

        # Every rule holds: append.
        b = self.b
        i = len(b.month)
        b.month.append(b.month_key(month))
        b.couple.append(len(adults) == 2)
        b.size.append(size)
        b.members.append(count)
        b.costs.append(costs)
        for age, away, days in children:
            b.ch_hh.append(i)
            b.ch_age.append(age)
            b.ch_away.append(away)
            b.ch_days.append(days)
            b.ch_dim.append(days_in_month if days else 1)
        if incomes:
            jobb = {}
            for member_id, own in adults:
                months = history if own is None else own  # the person's own months, when given
                jobb[member_id] = bool(months) and jobbstimulans_status(month, months, mp).applies
            for kind, amount, earlier, member in incomes:
                b.in_hh.append(i)
                b.in_amount.append(amount)
                b.in_kind.append(kind)
                b.in_earlier.append(earlier)
                b.in_child.append(b.child_key(i, member) if kind == KIND_CHILD_SALARY else -1)
                b.in_jobb.append(kind == KIND_ADULT_SALARY and jobb[member])


def _last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _months(raw: list[str], month: date) -> tuple[date, ...]:
    """Assistance months: each a month before `month`; sorted and distinct, as `validate` gives them."""
    found = set()
    for text in raw:
        parsed = parse_month(text)
        if parsed is None or parsed >= month:
            raise _Invalid
        found.add(parsed)
    return tuple(sorted(found))
