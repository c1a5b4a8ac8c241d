"""Oversight fixtures: case records built straight with the ORM, with known times, reasons and outcomes.

No robot runs here: an application, its pipeline run (triage reasons, proposed amount) and its decision are
written as the robot and the caseworker workspace would leave them, so every figure can be checked against
rows the test itself made.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from bistand.cases.models import Case
from bistand.casework.models import PipelineRun
from bistand.decisions.models import Decision
from bistand.identity.models import Person, User
from bistand.intake.models import Application
from bistand.testdata import skatteverket_personnummer
from tests.conftest import make_staff

# Adults born 1950–1999 from Skatteverket's test list; the test pnrs in tests/conftest.py are left out.
_RESERVED = {"198001139297", "198001249286", "198502069993"}
ADULT_PNRS = [p for p in skatteverket_personnummer() if "1950" <= p[:4] <= "1999" and p not in _RESERVED]


def at(day: str, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Stockholm time."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, minute))
    )


@dataclass
class Made:
    application: Application
    run: PipelineRun | None
    decision: Decision | None
    case: Case


class World:
    """Builds applications with their run and first decision, one new household each time."""

    def __init__(self, unit) -> None:
        self.unit = unit
        self.municipality = unit.municipality
        self._pnrs = iter(ADULT_PNRS)
        self._users = itertools.count(1)

    def person(self) -> Person:
        pnr = next(self._pnrs)
        while Person.objects.filter(personnummer=pnr).exists():  # another World in the same test took it
            pnr = next(self._pnrs)
        return Person.objects.create(
            personnummer=pnr,
            first_name="Test",
            last_name="Person",
            municipality=self.municipality,
        )

    def caseworker(self, unit=None) -> User:
        name = f"hl{next(self._users)}"
        while User.objects.filter(username=name).exists():
            name = f"hl{next(self._users)}"
        return make_staff(name, unit or self.unit)

    def application(
        self,
        *,
        month: str = "2026-03",
        channel: str = "e_service",
        submitted: datetime.datetime | None = None,
        couple: bool = False,
        children: int = 0,
        language: str = "sv",
        run: str | None = "decided",
        reasons: tuple[str, ...] = (),
        proposal: Decimal | int | None = 10000,
        decided_after_hours: float | None = None,
        automated: bool | None = None,
        outcome: str = "grant",
        amount: Decimal | int | None = None,
        decided_by: User | None = None,
        adjustments: list | None = None,
        unit=None,
        person: Person | None = None,
        calculation_input: dict | None = None,
    ) -> Made:
        person = person or self.person()
        unit = unit or self.unit
        submitted = submitted or at(f"{month}-01")
        answers = {
            "month": {"value": month, "source": "citizen"},
            "language": {"value": language, "source": "citizen"},
            "co_applicant": {"value": ADULT_PNRS[-1] if couple else None, "source": "citizen"},
            "children": {
                "value": [{"personnummer": "201501012395"} for _ in range(children)],
                "source": "citizen",
            },
        }
        application = Application.objects.create(
            applicant=person,
            municipality=unit.municipality,
            month=datetime.date.fromisoformat(f"{month}-01"),
            channel=channel,
            status=Application.Status.SUBMITTED,
            submitted_at=submitted,
            answers=answers,
        )
        case, _ = Case.objects.get_or_create(applicant=person, unit=unit)
        pipeline = None
        if run is not None:
            pipeline = PipelineRun.objects.create(
                application=application,
                case=case,
                step="done",
                status=run,
                triage={
                    "automatic": run == "decided",
                    "reasons": [{"code": code, "message": f"skäl {code}"} for code in reasons],
                },
                calculation=None if proposal is None else {"entitlement": int(proposal)},
            )
        decision = None
        if decided_after_hours is not None:
            automated = (run == "decided") if automated is None else automated
            granted = Decimal(amount if amount is not None else (proposal or 0))
            inputs = {"adjustments": adjustments or []}
            if calculation_input is not None:
                inputs["calculation_input"] = calculation_input
            decision = Decision.objects.create(
                case=case,
                application=application,
                version=1,
                month=application.month,
                outcome=outcome,
                amount_applied=granted,
                amount_granted=granted,
                calculation={"entitlement": int(granted)},
                motivation="Test.",
                automated=automated,
                decided_by=None if automated else (decided_by or self.caseworker()),
                decided_at=submitted + datetime.timedelta(hours=decided_after_hours),
                inputs=inputs,
                rules_version="test",
            )
        return Made(application, pipeline, decision, case)

    def correct(self, decision: Decision, *, hours_later: float = 24, by: User | None = None) -> Decision:
        """A second version (a rättelse) of a decision."""
        return Decision.objects.create(
            case=decision.case,
            application=decision.application,
            version=decision.version + 1,
            supersedes=decision,
            correction="rattelse",
            correction_reason="Fel hyra.",
            month=decision.month,
            outcome=decision.outcome,
            amount_applied=decision.amount_applied,
            amount_granted=decision.amount_granted,
            calculation=decision.calculation,
            motivation="Test.",
            automated=False,
            decided_by=by or self.caseworker(),
            decided_at=decision.decided_at + datetime.timedelta(hours=hours_later),
            inputs={},
            rules_version="test",
        )


@pytest.fixture
def world(unit) -> World:
    return World(unit)


@pytest.fixture
def team_lead(unit) -> User:
    return make_staff("gruppledare1", unit, role=User.Role.TEAM_LEAD)
