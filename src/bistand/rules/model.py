"""Typed input and result of the calculation (the public contract in docs/calculation.md).

The input's classes are frozen msgspec Structs rather than frozen dataclasses: made in C, about 0.15 µs
a member against 1.3 µs, which is a third of checking one household (`household_input`, `validate`).
They are not tracked by the garbage collector (`gc=False`): frozen, holding only text, numbers, dates, each
other and the notices' small dicts of message values, they are never part of a reference cycle, and
untracked they are cheaper to make and to free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec

ROLES = ("applicant", "co_applicant", "child")

# Cost types and their labels. `statutory` costs are the försörjningsstöd items of SoL 12 kap. 7 § första
# stycket 2; the others are "livsföringen i övrigt" (SoL 12 kap. 1 §), granted after individual assessment.
COST_TYPES: dict[str, tuple[str, str, bool]] = {
    "rent": ("Boendekostnad (hyra)", "Housing cost (rent)", True),
    "electricity": ("Hushållsel", "Household electricity", True),
    "home_insurance": ("Hemförsäkring", "Home insurance", True),
    "work_travel": ("Arbetsresor", "Travel to work", True),
    "union_fee": ("Avgift till fackförening", "Trade union fee", True),
    "unemployment_fund_fee": ("Avgift till a-kassa", "Unemployment fund fee", True),
    "childcare": ("Avgift för förskola eller fritidshem", "Childcare fee", False),
    "medical": ("Läkarvård", "Medical care", False),
    "medicine": ("Medicin", "Medicine", False),
    "dental": ("Tandvård", "Dental care", False),
    "glasses": ("Glasögon", "Glasses", False),
    "other": ("Annan godkänd kostnad", "Other approved cost", False),
}

INCOME_TYPES: dict[str, tuple[str, str]] = {
    "salary": ("Lön efter skatt", "Salary after tax"),
    "child_allowance": ("Barnbidrag", "Child allowance"),
    "housing_allowance": ("Bostadsbidrag", "Housing allowance"),
    "maintenance_support": ("Underhållsstöd", "Maintenance support"),
    "sickness_benefit": ("Sjukpenning", "Sickness benefit"),
    "parental_benefit": ("Föräldrapenning", "Parental benefit"),
    "unemployment_benefit": ("Ersättning från a-kassan", "Unemployment benefit"),
    "activity_support": ("Aktivitetsstöd", "Activity support"),
    "establishment_benefit": ("Etableringsersättning", "Establishment benefit"),
    "student_grant": ("Studiebidrag", "Student grant"),
    "student_loan": ("Studielån", "Student loan"),
    "pension": ("Pension", "Pension"),
    "capital": ("Inkomst av kapital", "Capital income"),
    "other": ("Annan inkomst", "Other income"),
}


class Member(msgspec.Struct, frozen=True, gc=False):
    """A person in the case. `age` is the age on the first day of the month (it selects the bracket)."""

    id: str
    role: str
    birth_date: date
    age: int
    lunch_at_home: bool = True
    days_in_household: int | None = None
    # A child aged 18–20 is in upper-secondary school (validation refuses anything else: not in school is
    # a case of their own, unknown is for a person to settle); None for everyone else.
    in_school: bool | None = None
    # An adult's own months with försörjningsstöd, in any case (jobbstimulans is personal, SoL 12 kap. 8 §);
    # None: not given, the household's deprecated `assistance_months` is used instead.
    assistance_months: tuple[date, ...] | None = None


class Cost(msgspec.Struct, frozen=True, gc=False):
    """A cost already found reasonable, per month."""

    type: str
    amount: Decimal


class Income(msgspec.Struct, frozen=True, gc=False):
    """A net income per month of one member."""

    member: str
    type: str
    amount: Decimal
    earned_earlier_this_year: Decimal | None = None


class Household(msgspec.Struct, frozen=True, gc=False):
    """A validated household: the input of the calculation."""

    month: date  # first day of the month
    members: tuple[Member, ...]
    household_size: int
    costs: tuple[Cost, ...] = ()
    incomes: tuple[Income, ...] = ()
    assistance_months: tuple[date, ...] = ()  # sorted, distinct, all before `month`
    municipality: str | None = None
    notices: tuple[tuple[str, dict[str, Any]], ...] = ()  # (message code, params): ignored input

    @property
    def month_label(self) -> str:
        """The month as `YYYY-MM`."""
        return month_text(self.month)


def month_text(day: date) -> str:
    """The month of `day` as the contract writes it, `YYYY-MM` (`validation.parse_month` reads it back)."""
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(slots=True)
class Line:
    """One amount that went into a total, with the rule, parameter and law behind it."""

    section: str  # norm | costs | income
    member: str
    label: str
    label_en: str
    amount: Decimal
    rule: str
    reference: str
    parameter: str | None = None
    verified: bool = True
    details: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON shape for a line."""
        out: dict[str, Any] = {
            "section": self.section,
            "member": self.member,
            "label": self.label,
            "label_en": self.label_en,
            "amount": self.amount,
            "rule": self.rule,
            "reference": self.reference,
            "parameter": self.parameter,
            "verified": self.verified,
        }
        if self.details:
            out["details"] = self.details
        return out


@dataclass(frozen=True, slots=True)
class JobbstimulansStatus:
    """What the assistance history means for jobbstimulans in the month (SoL 12 kap. 8 §)."""

    applies: bool
    run_first: date | None = None  # first of the six consecutive months that started the period
    run_last: date | None = None  # the sixth month
    period_first: date | None = None  # first month of the 24-month period
    period_last: date | None = None  # last month of the period
    in_force: bool = True  # false before the rule existed (1 July 2013)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: whether it applies and the period that makes it apply (or the last one)."""

        def ym(d: date | None) -> str | None:
            return None if d is None else month_text(d)

        out: dict[str, Any] = {"applies": self.applies}
        if self.run_first:
            out["qualifying_months"] = {"from": ym(self.run_first), "to": ym(self.run_last)}
            out["period"] = {"from": ym(self.period_first), "to": ym(self.period_last)}
        return out


@dataclass(slots=True)
class Result:
    """The calculation's answer, in the contract's shape (see `to_dict`).

    The totals are kept in whole öre, as the formulas give them; the Decimal amounts (`norm_total`, …),
    the `norm_table` summary, the `warnings` and the `lines` are made when read, so a caller that needs only the
    entitlement pays for nothing else (tests/rules/test_lazy_result.py holds them equal to eager ones).
    """

    month: str
    norm_ore: int
    costs_ore: int
    income_ore: int
    deficit_ore: int
    entitlement_ore: int  # whole kronor, in öre
    warnings_maker: Callable[[], list[str]]  # the warnings, made on first reading of `warnings`
    jobbstimulans: (
        JobbstimulansStatus  # the applicant's (kept for one version; see `jobbstimulans_by_member`)
    )
    household: Household
    lang: str = "sv"
    jobbstimulans_by_member: dict[str, JobbstimulansStatus] | None = None  # every adult's own status
    line_maker: Callable[[], list[Line]] | None = field(default=None, repr=False, compare=False)
    norm_table_maker: Callable[[], dict[str, Any]] | None = field(default=None, repr=False, compare=False)
    _lines: list[Line] | None = field(default=None, repr=False, compare=False)
    _norm_table: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    _warnings: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def warnings(self) -> list[str]:
        """What a person should know about the amount (ignored input, unverified amounts, the reform's
        rules); made when first read."""
        if self._warnings is None:
            self._warnings = self.warnings_maker()
        return self._warnings

    @property
    def norm_total(self) -> Decimal:
        """The riksnorm for the case, in kronor."""
        return Decimal(self.norm_ore) / 100

    @property
    def costs_total(self) -> Decimal:
        """The reasonable costs, in kronor."""
        return Decimal(self.costs_ore) / 100

    @property
    def income_total(self) -> Decimal:
        """The income that counts, in kronor."""
        return Decimal(self.income_ore) / 100

    @property
    def deficit(self) -> Decimal:
        """norm + costs − income, exact, in kronor (may be negative)."""
        return Decimal(self.deficit_ore) / 100

    @property
    def entitlement(self) -> Decimal:
        """The försörjningsstöd in whole kronor."""
        return Decimal(self.entitlement_ore // 100)

    @property
    def norm_table(self) -> dict[str, Any]:
        """The riksnorm table used: id, source, whether the amounts used are verified, their reliability."""
        if self._norm_table is None:
            self._norm_table = self.norm_table_maker() if self.norm_table_maker else {}
        return self._norm_table

    @property
    def lines(self) -> list[Line]:
        """Every amount with its label, rule and law; made when first read (the totals need none)."""
        if self._lines is None:
            self._lines = self.line_maker() if self.line_maker else []
        return self._lines

    def jobbstimulans_for(self, member: str) -> JobbstimulansStatus:
        """The jobbstimulans status of one adult (SoL 12 kap. 8 § speaks of the person)."""
        return (self.jobbstimulans_by_member or {}).get(member, self.jobbstimulans)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (Decimals stay Decimals; use `money.dumps`)."""
        return {
            "month": self.month,
            "norm_table": self.norm_table,
            "norm_total": self.norm_total,
            "costs_total": self.costs_total,
            "income_total": self.income_total,
            "deficit": self.deficit,
            "entitlement": self.entitlement,
            "lines": [line.to_dict() for line in self.lines],
            "warnings": list(self.warnings),
            "jobbstimulans": {
                **self.jobbstimulans.to_dict(),
                "members": {k: v.to_dict() for k, v in (self.jobbstimulans_by_member or {}).items()},
            },
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The result as JSON text with exact amounts."""
        # lazy: no cycle; left as it is in the rules' own file (issue 19 owns it)
        from bistand.rules.money import dumps

        return dumps(self.to_dict(), indent=indent)
