"""One household from the contract's dict, checked at the speed of the calculation (`calculate`).

The happy path is one `msgspec.convert` into `plain_shape.DictHousehold` — the JSON-lines reader's structs,
so the plain shape is defined once: types, required and unknown fields, roles, cost and income types — then
the rules that span fields, with the reader's own expression for a member (`plain_shape.member_refused`)
and the contract's own readers for dates and amounts (`validation.parse_date`, `parse_amount`). Anything
else — a failed conversion, a broken rule, a notice to give, a list given as a tuple — goes to
`validation.validate`, the one definition of the contract's errors, so the errors are worded exactly as
before. tests/rules/test_household_input.py holds both paths to the same households and refusals.
"""

from __future__ import annotations

from typing import Any

import msgspec

from bistand.rules.ages import LUNCH_AGE_LIMIT, age_on
from bistand.rules.model import Cost, Household, Income, Member
from bistand.rules.parameters import ParameterSet, default_parameters
from bistand.rules.plain_shape import DictHousehold, MonthInfo, member_refused, month_info, months_before
from bistand.rules.validation import DATES_READ, FieldError, parse_amount, parse_date, validate

_ROLE = {"applicant": 0, "co_applicant": 1, "child": 2}
_SCHOOL = {None: -1, False: 0, True: 1}
_dates_read = DATES_READ.get
_LISTS = ("members", "costs", "incomes", "assistance_months")
# Months by parameter set: a few texts each; the parameter sets are few and live for the process.
_MONTHS: dict[int, tuple[ParameterSet, dict[str, MonthInfo | None]]] = {}


def checked_household(data: Any, params: ParameterSet | None = None, lang: str = "sv") -> Household:
    """The typed household of `data`, or `InvalidInput` with the contract's field-level errors."""
    params = params or default_parameters()
    household = plain_household(data, params)
    return household if household is not None else validate(data, params, lang)


def plain_household(data: Any, params: ParameterSet) -> Household | None:
    """`data` as a `Household` when it is in the plain shape and breaks no rule; None otherwise (then
    `validate` judges it). Never accepts what `validate` refuses, and gives the same household."""
    if type(data) is not dict:
        return None
    for name in _LISTS:  # msgspec takes a tuple or a set for a list; the contract does not
        value = data.get(name)
        if value is not None and type(value) is not list:
            return None
    try:
        h = msgspec.convert(data, DictHousehold)
    except msgspec.ValidationError:
        return None
    info = _month(h.month, params)
    if info is None or (
        h.municipality is not None and not (len(h.municipality) == 4 and h.municipality.isdigit())
    ):
        return None
    month = info.month
    history: tuple | None = ()
    if h.assistance_months is not None:
        history = months_before(h.assistance_months, month)
        if history is None:
            return None

    members = []
    roles: dict[str, str] = {}
    by_role = [0, 0, 0]  # applicants, co-applicants, children
    last, days_in_month = info.last, info.days
    for k, m in enumerate(h.members):
        birth = _dates_read(m.birth_date) or parse_date(m.birth_date)  # a date read before: in C
        if birth is None or m.id in roles or m.id.isspace():
            return None
        role = _ROLE[m.role]
        age = max(0, age_on(birth, month))  # born during the month: "under 1 år" from its start
        days = m.days_in_household or 0
        own = m.assistance_months
        if member_refused(
            role, birth.toordinal(), last, age, _SCHOOL[m.in_school], days, days_in_month, own is not None
        ):
            return None
        if m.lunch_at_home is False and (role != 2 or age > LUNCH_AGE_LIMIT):
            return None  # ignored, with a notice `validate` words
        if own is not None:
            if type(data["members"][k]["assistance_months"]) is not list:
                return None
            own = months_before(own, month)
            if own is None:
                return None
        roles[m.id] = m.role
        by_role[role] += 1
        members.append(
            Member(
                m.id,
                m.role,
                birth,
                age,
                True if m.lunch_at_home is None else m.lunch_at_home,
                days if 0 < days < days_in_month else None,
                m.in_school,
                own,
            )
        )
    if by_role[0] != 1 or by_role[1] > 1:
        return None
    size = h.household_size or len(members)
    if size < len(members):
        return None

    errors: list[FieldError] = []  # any error sends the household to `validate`, which words it
    costs = [Cost(c.type, parse_amount(c.amount, "", errors)) for c in h.costs]
    incomes = []
    for i in h.incomes:
        role_of = roles.get(i.member)
        if role_of is None:
            return None
        child_salary = i.type == "salary" and role_of == "child"
        if child_salary and info.params.prisbasbelopp is None:
            return None
        earlier = i.earned_earlier_this_year
        if earlier is not None:
            if not child_salary:
                return None
            earlier = parse_amount(earlier, "", errors)
        incomes.append(Income(i.member, i.type, parse_amount(i.amount, "", errors), earlier))
    if errors:
        return None
    return Household(
        month=month,
        members=tuple(members),
        household_size=size,
        costs=tuple(costs),
        incomes=tuple(incomes),
        assistance_months=history,
        municipality=h.municipality,
    )


def _month(text: str, params: ParameterSet) -> MonthInfo | None:
    known = _MONTHS.get(id(params))
    if known is None or known[0] is not params:
        if len(_MONTHS) > 64:  # parameter sets made and dropped (variants): start again
            _MONTHS.clear()
        known = _MONTHS[id(params)] = (params, {})
    months = known[1]
    info = months.get(text)
    if info is None:
        info = month_info(text, params)
        if info is not None and len(months) < 1000:  # valid months only: bounded
            months[text] = info
    return info
