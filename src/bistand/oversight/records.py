"""The case records oversight counts, read once per page into plain objects.

Every figure on the dashboards, the transparency page and in the open data is computed in Python from
these records (`statistics.py`), never with database-specific functions, so SQLite and PostgreSQL give the
same numbers and each figure can be checked against the rows it came from.

What is read about an application: month, channel, when it was submitted, the unit of its case, the
household type and application language (for the fairness figures), the robot's triage and proposal, and
its decisions. Never names, personnummer, addresses or amounts applied for.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from bistand.decisions.models import Decision
from bistand.decisions.stored_input import for_engine
from bistand.identity.models import Municipality
from bistand.intake.models import Application
from bistand.oversight.periods import Period
from bistand.rules import InvalidInput, calculate

# Household types, as the fairness figures group them. Derived from the application's own answers.
SINGLE = "single"
SINGLE_CHILDREN = "single_children"
COUPLE = "couple"
COUPLE_CHILDREN = "couple_children"
HOUSEHOLD_TYPES = (SINGLE, SINGLE_CHILDREN, COUPLE, COUPLE_CHILDREN)


def _value(answers: dict[str, Any], key: str) -> Any:
    entry = (answers or {}).get(key)
    return entry.get("value") if isinstance(entry, dict) else None


def household_type(co_applicant: Any, children: Any) -> str:
    """single / single_children / couple / couple_children, from the co-applicant and children answers."""
    if co_applicant:
        return COUPLE_CHILDREN if children else COUPLE
    return SINGLE_CHILDREN if children else SINGLE


def household_type_of(answers: dict[str, Any]) -> str:
    """The household type of an application's stored answers."""
    return household_type(_value(answers, "co_applicant"), _value(answers, "children"))


@dataclass
class DecisionRecord:
    """An application's first decision (version 1): how the case was decided when it was decided."""

    id: int
    automated: bool
    outcome: str
    amount: Decimal
    decided_at: datetime.datetime
    decided_by_id: int | None
    adjustments: list[dict[str, Any]]


@dataclass
class AppRecord:
    """One submitted application and what happened to it."""

    id: int
    month: datetime.date
    channel: str
    submitted_at: datetime.datetime
    unit_id: int | None
    case_id: int | None
    household_type: str
    language: str
    run_status: str | None  # None: the robot has not started on it
    reasons: list[str] = field(default_factory=list)  # routing reason codes, in triage order
    proposal: Decimal | None = None  # the robot's proposed amount (the entitlement it calculated)
    decision: DecisionRecord | None = None
    latest_version: int = 0

    @property
    def decided(self) -> bool:
        return self.decision is not None

    @property
    def hours_to_decision(self) -> float | None:
        if self.decision is None:
            return None
        return (self.decision.decided_at - self.submitted_at).total_seconds() / 3600


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def load(municipality: Municipality, period: Period, unit_ids: list[int] | None = None) -> list[AppRecord]:
    """Submitted applications for months in the period (optionally only those on the given units' cases),
    with their triage and first decision. Ordered by id."""
    apps = Application.objects.filter(
        municipality=municipality,
        status=Application.Status.SUBMITTED,
        month__gte=period.first,
        month__lt=period.end,
    )
    if unit_ids is not None:
        apps = apps.filter(pipeline__case__unit_id__in=unit_ids)
    rows = apps.order_by("pk").values(
        "pk",
        "month",
        "channel",
        "submitted_at",
        # Only the three answers the fairness figures group by, not the whole application.
        "answers__co_applicant__value",
        "answers__children__value",
        "answers__language__value",
        "pipeline__case_id",
        "pipeline__case__unit_id",
        "pipeline__status",
        "pipeline__triage",
        "pipeline__calculation__entitlement",
    )
    records: dict[int, AppRecord] = {}
    for row in rows:
        triage = row["pipeline__triage"] or {}
        records[row["pk"]] = AppRecord(
            id=row["pk"],
            month=row["month"],
            channel=row["channel"],
            submitted_at=row["submitted_at"],
            unit_id=row["pipeline__case__unit_id"],
            case_id=row["pipeline__case_id"],
            household_type=household_type(
                row["answers__co_applicant__value"], row["answers__children__value"]
            ),
            language=row["answers__language__value"] or "sv",
            run_status=row["pipeline__status"],
            reasons=[r.get("code", "") for r in triage.get("reasons", []) if isinstance(r, dict)],
            proposal=_decimal(row["pipeline__calculation__entitlement"]),
        )
    if not records:
        return []
    decisions = Decision.objects.filter(application_id__in=list(records)).values(
        "pk",
        "application_id",
        "version",
        "automated",
        "outcome",
        "amount_granted",
        "decided_at",
        "decided_by_id",
        "inputs__adjustments",
    )
    for row in decisions:
        record = records[row["application_id"]]
        record.latest_version = max(record.latest_version, row["version"])
        if row["version"] == 1:
            record.decision = DecisionRecord(
                id=row["pk"],
                automated=row["automated"],
                outcome=row["outcome"],
                amount=row["amount_granted"],
                decided_at=row["decided_at"],
                decided_by_id=row["decided_by_id"],
                adjustments=list(row["inputs__adjustments"] or []),
            )
    _fill_missing_proposals(records)
    return list(records.values())


def _fill_missing_proposals(records: dict[int, AppRecord]) -> None:
    """A person's decision on an application whose run kept no calculation: recompute the robot's proposal
    from the engine input stored on the decision, so "changed the proposal" can still be told."""
    wanting = [
        r.decision.id
        for r in records.values()
        if r.proposal is None and r.decision is not None and not r.decision.automated
    ]
    if not wanting:
        return

    for row in Decision.objects.filter(pk__in=wanting).values("application_id", "inputs__calculation_input"):
        data = row["inputs__calculation_input"]
        if not data:
            continue
        try:
            result = calculate(for_engine(data))
        except (InvalidInput, KeyError, TypeError, ValueError):
            continue
        records[row["application_id"]].proposal = result.entitlement


def unit_filter(unit_ids: list[int] | None, field_name: str) -> Q:
    """A filter on `field_name` (a unit id path) for the chosen units; everything when none are chosen."""
    return Q() if unit_ids is None else Q(**{f"{field_name}__in": unit_ids})
