"""Register payments as incomes: which income type each one is, and which month it counts in.

This module is the one place that maps a register's benefit code to an income type of the application
schema. The prefill (what the citizen sees), the reconciliation (what the robot compares) and anything
else that reads register payments as income go through :func:`incomes` and :func:`for_month`, so they
can never classify or count a payment differently.

A payment counts in the month it is paid (``paid_on``, Utbetalningsdatum): försörjningsstöd looks at what
the household has to live on in the month. The period it is *for* (``covers_from``/``covers_to``,
AvserFrom/AvserTom) is kept beside it for the caseworker. A preliminary payment (Försäkringskassan's
``PreliminaraUtbetalningar``: decided, not yet made) is never added to a paid one; it stands in for the
month only when nothing of that benefit has been paid for the month yet, and says so.

Works on the typed facts of ``registers/facts.py``: a live answer has them, and a stored snapshot gives
them back through ``RegisterSnapshot.from_json``, so the same function reads both and no payment is
re-read from its JSON form by string keys. A production SSBTEK adapter fills the same fields from
AvserFrom/AvserTom, Utbetalningsdatum and the preliminary list.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from bistand.registers.facts import CsnFacts, FkFacts, SoFacts
from bistand.registers.sources import Source

__all__ = [
    "INCOME_SOURCES",
    "INCOME_TYPE_BY_CODE",
    "TYPES_BY_SOURCE",
    "RegisterIncome",
    "by_type",
    "for_month",
    "income_type",
    "incomes",
    "upcoming",
]

# Försäkringskassan's and Pensionsmyndigheten's benefit codes (LEFI) as the income type a citizen states.
INCOME_TYPE_BY_CODE: dict[str, str] = {
    "FK:ABB": "child_allowance",  # barnbidrag (with flerbarnstillägg)
    "FK:BOB": "housing_allowance",  # bostadsbidrag
    "FK:US": "maintenance_support",  # underhållsstöd
    "FK:SJP": "sickness_benefit",  # sjukpenning
    "FK:SA": "sickness_benefit",  # sjuk- och aktivitetsersättning: a benefit for illness, not a pension
    "FK:FP": "parental_benefit",  # föräldrapenning
    "FK:AS": "activity_support",  # aktivitetsstöd
    "FK:ET": "establishment_benefit",  # etableringsersättning
    "PM:AP": "pension",  # allmän pension
    "PM:BTI": "housing_allowance",  # bostadstillägg: a housing benefit paid with the pension
}
# The a-kassa and CSN are not coded per benefit; these stand for them in the rows.
SO_CODE = "SO"
CSN_CODE = "CSN"
# The sources that pay incomes, in the order their rows are listed.
INCOME_SOURCES: tuple[Source, ...] = (Source.FK, Source.SO, Source.CSN)
# The income types each source reports on: where the source answered, its figure for these types is known
# (zero included), so a stated amount can be compared with it.
TYPES_BY_SOURCE: dict[str, frozenset[str]] = {
    "fk": frozenset(INCOME_TYPE_BY_CODE.values()),
    "so": frozenset({"unemployment_benefit"}),
    "csn": frozenset({"student_grant", "student_loan"}),
}


def income_type(code: str) -> str:
    """The income type a register code is stated as; an unknown code is ``other`` (a person looks)."""
    return INCOME_TYPE_BY_CODE.get(code, "other")


@dataclass(frozen=True, slots=True)
class RegisterIncome:
    """One register payment as income, with the period it is for and the month it counts in."""

    source: str  # "fk", "so", "csn"
    code: str  # benefit code (FK:SA …), or SO / CSN
    label: str
    type: str  # income type of the schema
    amount: Decimal  # net, kronor
    month: str  # YYYY-MM the payment counts in: the month it is (or will be) paid
    paid_on: datetime.date  # Utbetalningsdatum
    covers_from: datetime.date  # AvserFrom
    covers_to: datetime.date  # AvserTom
    preliminary: bool = False  # decided but not yet paid

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "code": self.code,
            "label": self.label,
            "type": self.type,
            "amount": str(self.amount),
            "month": self.month,
            "paid_on": self.paid_on.isoformat(),
            "covers_from": self.covers_from.isoformat(),
            "covers_to": self.covers_to.isoformat(),
            "preliminary": self.preliminary,
        }


def incomes(facts: Iterable[object]) -> list[RegisterIncome]:
    """Every payment in the facts as income, classified.

    ``facts`` are the sources' typed facts (`FkFacts`, `SoFacts`, `CsnFacts`); None (a source that gave
    none) and the facts of sources that pay nothing are passed over, so a caller may hand over all it has.
    """
    rows: list[RegisterIncome] = []
    for source_facts in facts:
        if isinstance(source_facts, FkFacts):
            rows += [
                RegisterIncome(
                    "fk", p.code, p.label or p.code, income_type(p.code), p.net, _month(p.paid_on),
                    p.paid_on, p.covers_from, p.covers_to, p.preliminary,
                )
                for p in source_facts.payments
            ]  # fmt: skip
        elif isinstance(source_facts, SoFacts):
            rows += [
                RegisterIncome(
                    "so", SO_CODE, p.fund or "a-kassa", "unemployment_benefit", p.net_after_tax,
                    _month(p.paid_on), p.paid_on, p.covers_from, p.covers_to,
                )
                for p in source_facts.payments
            ]  # fmt: skip
        elif isinstance(source_facts, CsnFacts):
            rows += [
                RegisterIncome(
                    "csn", CSN_CODE, p.label or "CSN", kind, amount, _month(p.paid_on), p.paid_on,
                    p.covers_from, p.covers_to,
                )
                for p in source_facts.payments
                for kind, amount in (("student_grant", p.grant), ("student_loan", p.loan))
            ]  # fmt: skip
    return [row for row in rows if row.amount]


def _month(day: datetime.date) -> str:
    return day.isoformat()[:7]


def for_month(rows: Iterable[RegisterIncome], month: str) -> list[RegisterIncome]:
    """The payments that count in ``month`` (YYYY-MM), one amount per benefit code and income type.

    Payments made in the month are summed per code; a preliminary payment for the month is used only for
    a code with nothing paid in it (and stays marked preliminary). Payments of other months never count.
    """
    in_month = [row for row in rows if row.month == month]
    paid_codes = {(row.code, row.type) for row in in_month if not row.preliminary}
    counted = [row for row in in_month if not row.preliminary or (row.code, row.type) not in paid_codes]
    merged: dict[tuple[str, str, bool], RegisterIncome] = {}
    for row in counted:
        key = (row.code, row.type, row.preliminary)
        if key in merged:
            first = merged[key]
            merged[key] = replace(
                first,
                amount=first.amount + row.amount,
                paid_on=max(first.paid_on, row.paid_on),
                covers_from=min(first.covers_from, row.covers_from),
                covers_to=max(first.covers_to, row.covers_to),
            )
        else:
            merged[key] = row
    return [merged[key] for key in sorted(merged)]


def upcoming(rows: Iterable[RegisterIncome], month: str) -> list[RegisterIncome]:
    """Preliminary payments for a later month than ``month``: shown to the caseworker, never counted."""
    return [row for row in rows if row.preliminary and row.month > month]


def by_type(rows: Iterable[RegisterIncome]) -> dict[str, Decimal]:
    """The amounts summed per income type."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row.type] += row.amount
    return dict(totals)
