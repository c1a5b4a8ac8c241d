"""Mina sidor fixtures: a submitted application on a case, and decisions on it as the robot stores them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from bistand.cases.models import Case, TimelineEvent
from bistand.decisions.models import Decision, Letter
from bistand.intake.models import Application

CALCULATION = {
    "month": "2026-12",
    "norm_total": 4370,
    "costs_total": 7800,
    "income_total": 0,
    "deficit": 12170,
    "entitlement": 12170,
    "lines": [
        {
            "section": "norm",
            "member": "a",
            "label": "Personliga kostnader, ensamstående",
            "amount": 3520,
            "rule": "riksnorm.adults.single",
            "reference": "SoF (2001:937) 2 kap. 1 §",
        },
        {
            "section": "norm",
            "member": "*",
            "label": "Gemensamma hushållskostnader, 1 person",
            "amount": 850,
            "rule": "riksnorm.household",
            "reference": "SoF (2001:937) 2 kap. 1 §",
        },
        {
            "section": "costs",
            "member": "*",
            "label": "Hyra",
            "amount": 7800,
            "rule": "costs.rent",
            "reference": "SoL (2025:400) 12 kap. 7 §",
        },
    ],
    "warnings": [],
}


@pytest.fixture
def case_with_application(citizen, unit):
    application = Application.objects.create(
        applicant=citizen.person,
        municipality=unit.municipality,
        month=datetime.date(2026, 12, 1),
        answers={"month": {"value": "2026-12", "source": "citizen"}},
    )
    application.submit()
    case = Case.objects.create(applicant=citizen.person, unit=unit)
    TimelineEvent.objects.create(
        case=case,
        application=application,
        kind="received",
        actor="citizen",
        occurred_at=application.submitted_at,
    )
    return case, application


def make_decision(case, application, *, version=1, supersedes=None, calculation=None, reason="", days_ago=0):
    calculation = calculation or CALCULATION
    decision = Decision(
        case=case,
        application=application,
        version=version,
        supersedes=supersedes,
        correction="rattelse" if supersedes else "",
        correction_reason=reason,
        month=application.month,
        outcome="grant",
        amount_applied=Decimal(calculation["entitlement"]),
        amount_granted=Decimal(calculation["entitlement"]),
        calculation=calculation,
        motivation="Du får försörjningsstöd.\n\nBeräkningen följer riksnormen.",
        automated=supersedes is None,
        decided_at=timezone.now() - datetime.timedelta(days=days_ago),
        inputs={},
        rules_version="test",
    )
    decision.save()
    letter = Letter(decision=decision, recipient=application.applicant, language="sv", sha256="0" * 64)
    letter.file.save(f"letter-{version}.pdf", ContentFile(b"%PDF-1.7 test letter"))
    TimelineEvent.objects.create(
        case=case,
        application=application,
        kind="correction" if supersedes else "decision",
        actor="robot",
        occurred_at=decision.decided_at,
        data={"decision_id": decision.pk, "version": version, "amount": str(decision.amount_granted)},
    )
    return decision
