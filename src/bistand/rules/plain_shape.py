"""The plain shape of one household, defined once for the JSON-lines reader and for one dict.

`LineHousehold` is what msgspec checks while decoding or converting (types, required and unknown fields,
roles, cost and income types); `member_refused` is the rule that spans a member's fields, written for one
member or many; `month_info` and `months_before` read months. No NumPy here: the single path
(`household_input`) imports this module without the batch's cost.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated, Any, Literal, NamedTuple

import msgspec

from bistand.rules.ages import ADULT_AGE, CHILD_AGE_LIMIT, SCHOOL_AGE
from bistand.rules.model import COST_TYPES, INCOME_TYPES
from bistand.rules.parameters import MonthParameters, ParameterSet
from bistand.rules.validation import (
    EARLIEST_BIRTH,
    MAX_AMOUNT,
    MAX_HOUSEHOLD,
    MONTHS_READ,
    parse_month,
)

_EARLIEST = EARLIEST_BIRTH.toordinal()

Amount = Annotated[int, msgspec.Meta(ge=0, le=int(MAX_AMOUNT))]


class LineMember[D](msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A member as one JSON line gives it, in the plain shape (anything else goes to `validate`)."""

    id: Annotated[str, msgspec.Meta(min_length=1)]
    role: Literal["applicant", "co_applicant", "child"]
    birth_date: D
    lunch_at_home: bool | None = None
    days_in_household: Annotated[int, msgspec.Meta(ge=1, le=31)] | None = None
    in_school: bool | None = None
    assistance_months: list[str] | None = None


class LineCost[A](msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A reasonable cost."""

    type: Literal[tuple(COST_TYPES)]  # type: ignore[valid-type]
    amount: A


class LineIncome[A](msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """An income."""

    member: str
    type: Literal[tuple(INCOME_TYPES)]  # type: ignore[valid-type]
    amount: A
    earned_earlier_this_year: A | None = None


class LineHousehold[A, D](msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """One household in the plain shape: a line of `bistand simulate`'s input (`JsonHousehold`), or a
    dict given to `calculate` (`DictHousehold`)."""

    month: str
    members: list[LineMember[D]]
    household_size: Annotated[int, msgspec.Meta(ge=1, le=MAX_HOUSEHOLD)] | None = None
    costs: list[LineCost[A]] = []
    incomes: list[LineIncome[A]] = []
    assistance_months: list[str] | None = None
    municipality: str | None = None


# The two readings differ only in two types. Amounts: whole kronor in range, checked in C, in JSON lines;
# anything in a dict, whose amounts may be Decimals, checked by `validation.parse_amount`. Birth dates: a
# `date` parsed in C in JSON lines; the text in a dict, read by `validation.parse_date` (msgspec would take
# a `date` object, which the contract refuses).
JsonHousehold = LineHousehold[Amount, date]


class DictHousehold(LineHousehold[Any, str]):
    """A class of its own, not an alias: msgspec finds a class's type information at once, while an alias
    is hashed in Python on every `convert` (about 3 µs)."""


class MonthInfo(NamedTuple):
    """A month the parameters cover, with what the checks need of it."""

    month: date
    days: int  # days in the month
    last: int  # ordinal of its last day: nobody is born after it
    params: MonthParameters


def member_refused(
    role: Any, born: Any, last: Any, age: Any, school: Any, days: Any, days_in_month: Any, own_months: Any
) -> Any:
    """Whether a member breaks a rule that spans their fields, for one member (plain values, from
    `household_input`) or many (NumPy arrays, from `append`): written with `< == & |` so both shapes take
    the same expression. `role` 0 applicant, 1 co-applicant, 2 child; `born`, `last` day ordinals (`last`:
    the month's last day); `age` on the first of the month; `school` -1 not given, 0 no, 1 yes; `days` in
    the household, 0 not given; `own_months` whether the member gives assistance months of their own."""
    child = role == 2
    adult = (role == 0) | (role == 1)
    bad = (role < 0) | (born < _EARLIEST) | (born > last)
    bad |= child & ((age >= CHILD_AGE_LIMIT) | own_months | (days > days_in_month))
    bad |= child & (((age >= SCHOOL_AGE) & (school != 1)) | ((age < SCHOOL_AGE) & (school != -1)))
    return bad | (adult & ((age < ADULT_AGE) | (school != -1) | (days != 0)))


def month_info(text: str, params: ParameterSet) -> MonthInfo | None:
    """The month `text` names when it is valid and has parameters, else None."""
    month = parse_month(text)
    if month is None or not params.covers(month):
        return None
    days = calendar.monthrange(month.year, month.month)[1]
    return MonthInfo(month, days, month.replace(day=days).toordinal(), params.at(month))


def months_before(raw: list[str], month: date) -> tuple[date, ...] | None:
    """Assistance months: each a month before `month`, sorted and distinct as `validate` gives them; None
    when one is not."""
    # Sorted as text (`YYYY-MM` sorts as its month does; a sorted list, the usual input, sorts in one pass),
    # made distinct only when a month repeats, then each month looked up among those already read; only a
    # month not read before (or not a month) goes through `parse_month`.
    texts = sorted(raw)
    if len(set(texts)) != len(texts):
        texts = sorted(set(texts))
    try:
        found = tuple([MONTHS_READ[text] for text in texts])
    except KeyError:
        found = tuple(map(parse_month, texts))
        if None in found:
            return None
    if found and found[-1] >= month:
        return None
    return found
