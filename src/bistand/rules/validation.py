"""Input checking: JSON-shaped data in, a `Household` out, or field-level errors.

Invalid input is never guessed at (docs/calculation.md): every problem becomes
`{"field": "members[2].birth_date", "message": "..."}` in Swedish, or English with `lang="en"`.
A field the contract does not know is an error too: a misspelt `income` or `lunch_at_hom` would otherwise
be silently left out of the calculation.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bistand.rules.ages import ADULT_AGE, CHILD_AGE_LIMIT, LUNCH_AGE_LIMIT, SCHOOL_AGE, age_on
from bistand.rules.messages import message, month_name
from bistand.rules.model import COST_TYPES, INCOME_TYPES, ROLES, Cost, Household, Income, Member
from bistand.rules.parameters import ParameterSet, default_parameters

MAX_AMOUNT = Decimal(10_000_000)
MAX_HOUSEHOLD = 99
EARLIEST_BIRTH = date(1900, 1, 1)

TOP_FIELDS = frozenset(
    {"month", "municipality", "members", "household_size", "costs", "incomes", "assistance_months"}
)
MEMBER_FIELDS = frozenset(
    {"id", "role", "birth_date", "lunch_at_home", "days_in_household", "in_school", "assistance_months"}
)
COST_FIELDS = frozenset({"type", "amount"})
INCOME_FIELDS = frozenset({"member", "type", "amount", "earned_earlier_this_year"})
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_MAX_INT = int(MAX_AMOUNT)


class FieldError:
    """One problem with one field, the one error type of the rules, the e-application and the API.

    Either a `code` of the rules' message catalogue, made in the language asked for (`as_dict(lang)`), or a
    `text` made by the caller (the e-application's gettext messages, lazily in the active language).
    """

    __slots__ = ("code", "field", "params", "text")

    def __init__(self, field: str, code: str = "", *, text: Any = None, **params: Any) -> None:
        self.field = field
        self.code = code
        self.text = text
        self.params = params

    @property
    def message(self) -> str:
        """The message: the caller's text, or the catalogue's in Swedish."""
        return self.as_dict()["message"]

    def as_dict(self, lang: str = "sv") -> dict[str, str]:
        """The contract's `{"field": ..., "message": ...}`."""
        text = str(self.text) if self.text is not None else message(self.code, lang, **self.params)
        return {"field": self.field, "message": text}

    to_dict = as_dict

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldError):
            return NotImplemented
        return (self.field, self.code, self.message) == (other.field, other.code, other.message)

    def __hash__(self) -> int:
        return hash((self.field, self.code))

    def __repr__(self) -> str:
        return f"FieldError({self.field!r}, {self.code or self.message!r})"


class InvalidInput(ValueError):
    """The input cannot be calculated; `errors` names every field that is wrong."""

    def __init__(self, errors: list[FieldError], lang: str = "sv") -> None:
        self.errors = errors
        self.lang = lang
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in errors))

    def as_list(self, lang: str | None = None) -> list[dict[str, str]]:
        """The errors as the contract's list of `{field, message}`."""
        return [e.as_dict(lang or self.lang) for e in self.errors]


_MONTHS: dict[str, date] = {}
MONTHS_READ: Mapping[str, date] = _MONTHS  # every valid month `parse_month` has read, by its text (read-only)


def parse_month(text: Any) -> date | None:
    """`YYYY-MM` → the first day of that month, or None when the text is not such a month."""
    if not isinstance(text, str):
        return None
    known = _MONTHS.get(text)
    if known is not None:
        return known
    if len(text) != 7 or text[4] != "-":
        return None
    year, month = text[:4], text[5:]
    if not (year.isdigit() and month.isdigit() and year.isascii() and month.isascii()):
        return None
    m = int(month)
    if not 1 <= m <= 12 or int(year) < 1900:
        return None
    # Valid months are few (at most 12 a year), so remembering them is bounded and saves time in batches.
    parsed = _MONTHS[text] = date(int(year), m, 1)
    return parsed


_DATES: dict[str, date] = {}
DATES_READ: Mapping[str, date] = _DATES  # every valid date `parse_date` has read, by its text (read-only)


def parse_date(text: Any) -> date | None:
    """`YYYY-MM-DD` → a date, or None. Only the extended form: `20160501` is refused as ambiguous."""
    if not isinstance(text, str):
        return None
    known = _DATES.get(text)
    if known is not None:
        return known
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.isascii():
        return None
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        return None
    if len(_DATES) < 200_000:  # valid dates only, so the memo stays bounded (about 550 years of days)
        _DATES[text] = parsed
    return parsed


def parse_amount(raw: Any, field: str, errors: list[FieldError]) -> Decimal | None:
    """Kronor, at most two decimals, not negative. Floats are read through their shortest text."""
    kind = type(raw)
    if kind is int and 0 <= raw <= _MAX_INT:  # the common case: whole kronor, nothing to check
        return Decimal(raw)
    if kind is Decimal:  # the other common case: kronor and öre in range, or on to the checks below
        try:
            if _ZERO <= raw <= MAX_AMOUNT and raw == raw.quantize(_CENT):
                return raw
        except InvalidOperation:  # NaN: worded below
            pass
    if isinstance(raw, bool) or raw is None:
        errors.append(FieldError(field, "amount_number"))
        return None
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        errors.append(FieldError(field, "amount_number"))
        return None
    if not value.is_finite():
        errors.append(FieldError(field, "amount_number"))
        return None
    if value < 0:
        errors.append(FieldError(field, "amount_negative"))
        return None
    if value > MAX_AMOUNT:
        errors.append(FieldError(field, "amount_too_large", max=f"{MAX_AMOUNT:,}".replace(",", " ")))
        return None
    try:
        if value != value.quantize(_CENT):
            errors.append(FieldError(field, "amount_decimals"))
            return None
    except InvalidOperation:
        errors.append(FieldError(field, "amount_number"))
        return None
    return value


def _unknown(data: Mapping[str, Any], known: frozenset[str], prefix: str, errors: list[FieldError]) -> None:
    for key in data:
        if key not in known:
            name = f"{prefix}{key}"
            errors.append(FieldError(name, "unknown_field", name=name, allowed=", ".join(sorted(known))))


def validate(data: Any, params: ParameterSet | None = None, lang: str = "sv") -> Household:
    """Check `data` (the contract's input shape) and return the typed household.

    Raises `InvalidInput` listing every problem found, not just the first.
    """
    if type(data) is not dict and not isinstance(data, Mapping):  # dict first: the ABC check is slow
        raise InvalidInput([FieldError("", "not_object")], lang)
    params = params or default_parameters()
    errors: list[FieldError] = []
    notices: list[tuple[str, dict[str, Any]]] = []
    if len(data) > len(TOP_FIELDS) or not TOP_FIELDS.issuperset(data):
        _unknown(data, TOP_FIELDS, "", errors)

    # month: selects the norm table, so it must be inside the years Bistånd has tables for
    month = None
    raw_month = data.get("month")
    if raw_month is None:
        errors.append(FieldError("month", "required"))
    else:
        month = parse_month(raw_month)
        if month is None:
            errors.append(FieldError("month", "month_format"))
        elif not params.covers(month):
            if month < params.first_month:
                first = params.first_month
                errors.append(FieldError("month", "month_too_early", month=raw_month, first=f"{first:%Y-%m}"))
            else:
                errors.append(FieldError("month", "month_too_late", year=month.year, last=params.last_year))
                month = None
    day_one = month

    municipality = data.get("municipality")
    if municipality is not None and not (
        isinstance(municipality, str) and len(municipality) == 4 and municipality.isdigit()
    ):
        errors.append(FieldError("municipality", "municipality_format"))

    members = _members(data.get("members"), day_one, errors, notices)
    member_roles = {m.id: m.role for m in members}

    size = data.get("household_size")
    household_size = len(members)
    if size is not None:
        if isinstance(size, bool) or not isinstance(size, int):
            errors.append(FieldError("household_size", "household_size_int"))
        elif size < max(len(members), 1):
            errors.append(FieldError("household_size", "household_size_small", members=len(members)))
        elif size > MAX_HOUSEHOLD:
            errors.append(FieldError("household_size", "household_size_large", max=MAX_HOUSEHOLD))
        else:
            household_size = size

    costs = _costs(data.get("costs"), errors)
    incomes = _incomes(data.get("incomes"), member_roles, errors)
    assistance = _assistance(data.get("assistance_months"), month, errors)
    if month is not None and not errors and params.at(month).prisbasbelopp is None:
        # The yearly exemption of a child's salary needs the year's prisbasbelopp (SoL 12 kap. 9 §).
        for i, income in enumerate(incomes):
            if income.type == "salary" and member_roles.get(income.member) == "child":
                errors.append(FieldError(f"incomes[{i}]", "prisbasbelopp_missing", year=month.year))

    if errors:
        raise InvalidInput(errors, lang)
    assert month is not None
    return Household(
        month=month,
        members=tuple(members),
        household_size=household_size,
        costs=tuple(costs),
        incomes=tuple(incomes),
        assistance_months=assistance,
        municipality=municipality,
        notices=tuple(notices),
    )


def _members(raw: Any, month: date | None, errors: list[FieldError], notices: list) -> list[Member]:
    if raw is None:
        errors.append(FieldError("members", "required"))
        return []
    if not isinstance(raw, list):
        errors.append(FieldError("members", "must_be_list"))
        return []
    if not raw:
        errors.append(FieldError("members", "members_empty"))
        return []
    members: list[Member] = []
    seen: set[str] = set()
    applicants = co_applicants = 0
    if month is not None:
        days_in_month = calendar.monthrange(month.year, month.month)[1]
        last_day = month.replace(day=days_in_month)
    for i, item in enumerate(raw):
        where = f"members[{i}]"
        if type(item) is not dict and not isinstance(item, Mapping):
            errors.append(FieldError(where, "must_be_object"))
            continue
        if not MEMBER_FIELDS.issuperset(item):
            _unknown(item, MEMBER_FIELDS, f"{where}.", errors)
        ok = True
        member_id = item.get("id")
        if not isinstance(member_id, str) or not member_id.strip():
            errors.append(FieldError(f"{where}.id", "member_id"))
            ok = False
        elif member_id in seen:
            errors.append(FieldError(f"{where}.id", "member_id_duplicate", id=member_id))
            ok = False
        else:
            seen.add(member_id)
        role = item.get("role")
        if role not in ROLES:
            errors.append(FieldError(f"{where}.role", "role_invalid" if role is not None else "required"))
            ok = False
        elif role == "applicant":
            applicants += 1
            if applicants > 1:
                errors.append(FieldError(f"{where}.role", "applicant_many"))
        elif role == "co_applicant":
            co_applicants += 1
            if co_applicants > 1:
                errors.append(FieldError(f"{where}.role", "co_applicant_many"))
        birth = parse_date(item.get("birth_date"))
        age = 0
        if birth is None:
            code = "required" if item.get("birth_date") is None else "birth_date_format"
            errors.append(FieldError(f"{where}.birth_date", code))
            ok = False
        elif birth < EARLIEST_BIRTH:
            errors.append(FieldError(f"{where}.birth_date", "birth_date_too_early", date=birth.isoformat()))
            ok = False
        elif month is not None:
            if birth > last_day:
                errors.append(FieldError(f"{where}.birth_date", "birth_date_future", month=f"{month:%Y-%m}"))
                ok = False
            else:
                # A child born during the month is "under 1 år" from the start of the month.
                age = max(0, age_on(birth, month))
                if role == "child" and age >= CHILD_AGE_LIMIT:
                    errors.append(FieldError(f"{where}.birth_date", "child_too_old", age=age))
                    ok = False
                elif role in ("applicant", "co_applicant") and age < ADULT_AGE:
                    errors.append(FieldError(f"{where}.birth_date", "adult_too_young", age=age, role=role))
                    ok = False
        in_school = item.get("in_school")
        young_adult = ok and role == "child" and age >= SCHOOL_AGE
        if in_school is not None and not isinstance(in_school, bool):
            errors.append(FieldError(f"{where}.in_school", "must_be_bool"))
            ok = False
        elif in_school is not None and ok and not young_adult:
            errors.append(FieldError(f"{where}.in_school", "in_school_not_young_adult"))
            ok = False
        elif young_adult and in_school is None:
            # The child's norm and the salary exemption hold only in upper-secondary school; not knowing
            # is for a person to settle, never assumed.
            errors.append(FieldError(f"{where}.in_school", "school_unknown", age=age))
            ok = False
        elif young_adult and in_school is False:
            # Not in upper-secondary school: no longer maintained by the parents, so not a child in
            # the household's norm; the young adult applies in a case of their own.
            errors.append(FieldError(f"{where}.in_school", "young_adult_own_case", age=age))
            ok = False
        own_months: tuple[date, ...] | None = None
        if item.get("assistance_months") is not None:
            if role == "child":
                errors.append(FieldError(f"{where}.assistance_months", "assistance_months_adult"))
                ok = False
            else:
                own_months = _assistance(
                    item["assistance_months"], month, errors, f"{where}.assistance_months"
                )
        lunch = item.get("lunch_at_home")
        if lunch is None:  # not given (or null): eats lunch at home, the contract's default
            lunch = True
        if not isinstance(lunch, bool):
            errors.append(FieldError(f"{where}.lunch_at_home", "must_be_bool"))
            ok = False
        elif not lunch and ok and (role != "child" or age > LUNCH_AGE_LIMIT):
            notices.append(("lunch_ignored", {"field": f"{where}.lunch_at_home", "age": age}))
            lunch = True
        days = item.get("days_in_household")
        if days is not None:
            if role != "child":
                errors.append(FieldError(f"{where}.days_in_household", "days_not_child"))
                ok = False
            elif month is not None:
                in_month = days_in_month
                if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= in_month:
                    errors.append(
                        FieldError(
                            f"{where}.days_in_household",
                            "days_invalid",
                            days=in_month,
                            month_name=month_name(month.month),
                        )
                    )
                    ok = False
                elif days == in_month:
                    days = None  # the whole month: the same as not saying
        if ok and birth is not None:
            members.append(Member(member_id, role, birth, age, lunch, days, in_school, own_months))
        elif isinstance(member_id, str) and role in ROLES:
            # Keep the id known so that incomes naming it do not get a second, misleading error.
            members.append(Member(member_id, role, date.min, 0, True, None))
    if applicants == 0 and not any(e.field.endswith(".role") for e in errors):
        errors.append(FieldError("members", "applicant_missing"))
    return members


def _costs(raw: Any, errors: list[FieldError]) -> list[Cost]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append(FieldError("costs", "must_be_list"))
        return []
    costs = []
    for i, item in enumerate(raw):
        where = f"costs[{i}]"
        if type(item) is not dict and not isinstance(item, Mapping):
            errors.append(FieldError(where, "must_be_object"))
            continue
        if not COST_FIELDS.issuperset(item):
            _unknown(item, COST_FIELDS, f"{where}.", errors)
        kind = item.get("type")
        if not isinstance(kind, str) or kind not in COST_TYPES:  # a list or object here is not hashable
            if kind is None:
                errors.append(FieldError(f"{where}.type", "required"))
            else:
                errors.append(
                    FieldError(
                        f"{where}.type", "cost_type_unknown", value=kind, allowed=", ".join(COST_TYPES)
                    )
                )
        if "amount" not in item:
            errors.append(FieldError(f"{where}.amount", "required"))
            continue
        amount = parse_amount(item["amount"], f"{where}.amount", errors)
        if amount is not None and isinstance(kind, str) and kind in COST_TYPES:
            costs.append(Cost(kind, amount))
    return costs


def _incomes(raw: Any, roles: dict[str, str], errors: list[FieldError]) -> list[Income]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append(FieldError("incomes", "must_be_list"))
        return []
    incomes = []
    for i, item in enumerate(raw):
        where = f"incomes[{i}]"
        if type(item) is not dict and not isinstance(item, Mapping):
            errors.append(FieldError(where, "must_be_object"))
            continue
        if not INCOME_FIELDS.issuperset(item):
            _unknown(item, INCOME_FIELDS, f"{where}.", errors)
        ok = True
        member = item.get("member")
        if member is None:
            errors.append(FieldError(f"{where}.member", "required"))
            ok = False
        elif not isinstance(member, str) or member not in roles:
            errors.append(FieldError(f"{where}.member", "income_member_unknown", id=member))
            ok = False
        kind = item.get("type")
        if not isinstance(kind, str) or kind not in INCOME_TYPES:  # a list or object here is not hashable
            ok = False
            if kind is None:
                errors.append(FieldError(f"{where}.type", "required"))
            else:
                errors.append(
                    FieldError(
                        f"{where}.type", "income_type_unknown", value=kind, allowed=", ".join(INCOME_TYPES)
                    )
                )
        if "amount" not in item:
            errors.append(FieldError(f"{where}.amount", "required"))
            continue
        amount = parse_amount(item["amount"], f"{where}.amount", errors)
        earlier = None
        if item.get("earned_earlier_this_year") is not None:
            if ok and (kind != "salary" or roles.get(member) != "child"):
                errors.append(FieldError(f"{where}.earned_earlier_this_year", "earlier_not_child_salary"))
                ok = False
            else:
                earlier = parse_amount(
                    item["earned_earlier_this_year"], f"{where}.earned_earlier_this_year", errors
                )
        if ok and amount is not None:
            incomes.append(Income(member, kind, amount, earlier))
    return incomes


def _assistance(
    raw: Any, month: date | None, errors: list[FieldError], field: str = "assistance_months"
) -> tuple[date, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        errors.append(FieldError(field, "must_be_list"))
        return ()
    months = set()
    for i, item in enumerate(raw):
        parsed = parse_month(item)
        if parsed is None:
            errors.append(FieldError(f"{field}[{i}]", "month_format"))
        elif month is not None and parsed >= month:
            errors.append(FieldError(f"{field}[{i}]", "assistance_month_not_before", month=f"{month:%Y-%m}"))
        else:
            months.add(parsed)
    return tuple(sorted(months))
