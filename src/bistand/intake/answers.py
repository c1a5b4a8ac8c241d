"""An application's answers as the robot reads them: checked and decoded once, here, at intake's edge.

A stored application keeps each answer with its source (`{"value": …, "source": "citizen"}`, see
`intake.schema`). Everything above intake — the robot's steps, the household for the rules engine, the
comparison with the registers, the reform's rules — reads this typed object instead of unwrapping and
re-checking the stored dict itself: `answers_of(application)` is read where a step begins and passed on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bistand.intake.schema import validate_application, values_of

__all__ = [
    "Answers",
    "Asset",
    "Child",
    "Cost",
    "Housing",
    "Illness",
    "Income",
    "Need",
    "answers_of",
    "named_persons",
]


@dataclass(frozen=True)
class Child:
    personnummer: str
    lunch_at_home: bool | None = None
    in_school: bool | None = None  # asked for an 18–20-year-old; None: not answered
    days_in_household: int | None = None


@dataclass(frozen=True)
class Cost:
    type: str
    amount: Decimal


@dataclass(frozen=True)
class Need:
    """A cost beyond the norm (SoL 4 kap. 1 §, livsföringen i övrigt) the citizen asks for."""

    type: str
    amount: Decimal
    description: str = ""


@dataclass(frozen=True)
class Income:
    person: str  # "applicant", "co_applicant" or a child's personnummer
    type: str
    amount: Decimal


@dataclass(frozen=True)
class Asset:
    type: str
    value: Decimal
    description: str = ""


@dataclass(frozen=True)
class Housing:
    second_hand_lease: bool = False
    sublet_consent: bool | None = None


@dataclass(frozen=True)
class Illness:
    not_at_disposal: bool = False
    certificate_from: datetime.date | None = None
    certificate_to: datetime.date | None = None

    @property
    def certificate(self) -> tuple[datetime.date, datetime.date] | None:
        """The läkarintyg's period, when the citizen gave both ends."""
        if self.certificate_from and self.certificate_to:
            return self.certificate_from, self.certificate_to
        return None


@dataclass(frozen=True)
class Answers:
    """The checked answers of one application (`intake.schema.validate_application`), typed."""

    month: str  # YYYY-MM
    co_applicant: str | None
    children: tuple[Child, ...]
    household_size: int | None
    costs: tuple[Cost, ...]
    incomes: tuple[Income, ...]
    assets: tuple[Asset, ...]
    extra_needs: tuple[Need, ...]
    emergency: bool
    nothing_changed: bool
    language: str
    housing: Housing | None = None
    illness: Illness | None = None

    @property
    def first_day(self) -> datetime.date:
        return datetime.date.fromisoformat(f"{self.month}-01")

    @property
    def children_pnrs(self) -> tuple[str, ...]:
        return tuple(child.personnummer for child in self.children)

    def cost(self, kind: str) -> Decimal:
        """The sum of the stated costs of one type (e.g. "rent"); zero when none is stated."""
        return sum((c.amount for c in self.costs if c.type == kind), Decimal(0))

    @classmethod
    def decode(cls, values: dict[str, Any]) -> Answers:
        """From the checked plain values (`validate_application`'s result)."""
        illness = values.get("illness")
        housing = values.get("housing")
        return cls(
            month=values["month"],
            co_applicant=values.get("co_applicant") or None,
            children=tuple(
                Child(
                    personnummer=c["personnummer"],
                    lunch_at_home=c.get("lunch_at_home"),
                    in_school=c.get("in_school"),
                    days_in_household=c.get("days_in_household"),
                )
                for c in values.get("children") or []
            ),
            household_size=values.get("household_size"),
            costs=tuple(Cost(c["type"], Decimal(c["amount"])) for c in values.get("costs") or []),
            incomes=tuple(
                Income(i["person"], i["type"], Decimal(i["amount"])) for i in values.get("incomes") or []
            ),
            assets=tuple(
                Asset(a["type"], Decimal(a["value"]), a.get("description", ""))
                for a in values.get("assets") or []
            ),
            extra_needs=tuple(
                Need(n["type"], Decimal(n["amount"]), n.get("description", ""))
                for n in values.get("extra_needs") or []
            ),
            emergency=bool(values.get("emergency")),
            nothing_changed=bool(values.get("nothing_changed")),
            language=values.get("language") or "sv",
            housing=Housing(
                second_hand_lease=bool(housing.get("second_hand_lease")),
                sublet_consent=housing.get("sublet_consent"),
            )
            if housing
            else None,
            illness=Illness(
                not_at_disposal=bool(illness.get("not_at_disposal")),
                certificate_from=_date(illness.get("certificate_from")),
                certificate_to=_date(illness.get("certificate_to")),
            )
            if illness
            else None,
        )


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def answers_of(application: Any) -> Answers:
    """The application's answers, checked and typed; raises `ApplicationInvalid` naming each field.

    Read once where a step begins and passed on as it is, so no step below unwraps the stored dict again.
    """
    return Answers.decode(validate_application(values_of(application)))


def stated_flags(application: Any) -> tuple[bool, bool]:
    """Whether the stored answers ask for nödbistånd and name a co-applicant, checked or not.

    For routing an application that does not pass the checks: a person still sees that it is an emergency
    (decided the same day) and that a co-applicant has not signed, so this reads the stored answers leniently."""
    values = values_of(application)
    return values.get("emergency") is True, bool(values.get("co_applicant"))


def named_persons(application: Any) -> list[str]:
    """Every other person the stored answers name (co-applicant, children), checked or not.

    For shielding, not for deciding: a protected person named in an application that does not pass the
    checks is still protected, so this reads the stored answers leniently."""
    values = values_of(application)
    children = values.get("children") if isinstance(values.get("children"), list) else []
    named = [values.get("co_applicant"), *(c.get("personnummer") for c in children if isinstance(c, dict))]
    return [pnr for pnr in named if isinstance(pnr, str) and pnr]
