"""Fixtures for payments: finance staff, a payout schedule, and decisions to pay.

Bank accounts here are test data, never anyone's account:
* the citizen's Nordea personkonto is clearing 3300 with Skatteverket's test personnummer 800113-9297 as the
  account number (a personkonto number is the holder's personnummer);
* the partner's Swedbank account 8327-9, 123 456 789-7 is the sequence 1-9 with the check digit that makes it
  pass; the municipality's SEB account 5000-100 10 00 is likewise constructed to pass the check;
* the landlord's Bankgiro 5050-1055 is the example number of Bankgirot's technical manuals.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from bistand.cases.models import Case
from bistand.decisions.models import Decision
from bistand.intake.models import Application

CITIZEN_ACCOUNT = {"clearing_number": "3300", "account_number": "800113-9297"}
PARTNER_ACCOUNT = {
    "clearing_number": "8327-9",
    "account_number": "123 456 789-7",
    "holder_name": "Anna Demosson",
}
LANDLORD_BANKGIRO = "5050-1055"
PAYER_CLEARING, PAYER_ACCOUNT = "5000", "1001000"
# A month far enough ahead that its regular payout day (25 November 2030, a Monday) is never in the past.
MONTH = datetime.date(2030, 12, 1)
PAYOUT_DAY = datetime.date(2030, 11, 25)


def answers(account: dict | None = CITIZEN_ACCOUNT, **extra) -> dict:
    """Application answers in the shape the e-application stores them."""
    result = {}
    if account is not None:
        result["payout_account"] = {"value": account, "source": "citizen"}
    for key, value in extra.items():
        result[key] = {"value": value, "source": "citizen"}
    return result


def make_decision(
    person,
    unit,
    amount: str | Decimal = "7800",
    *,
    answers_: dict | None = None,
    month: datetime.date = MONTH,
    supersedes: Decision | None = None,
    outcome: str = Decision.Outcome.GRANT,
) -> Decision:
    """A stored decision as the robot pipeline would leave it (a new application unless it supersedes)."""
    case, _ = Case.objects.get_or_create(applicant=person, unit=unit)
    if supersedes is None:
        application = Application.objects.create(
            applicant=person,
            municipality=unit.municipality,
            month=month,
            answers=answers() if answers_ is None else answers_,
            status=Application.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        version = 1
    else:
        application = supersedes.application
        version = supersedes.version + 1
    return Decision.objects.create(
        case=case,
        application=application,
        version=version,
        supersedes=supersedes,
        correction=Decision.Correction.ANDRING if supersedes else Decision.Correction.NONE,
        month=month,
        outcome=outcome,
        amount_applied=Decimal(amount),
        amount_granted=Decimal(amount),
        calculation={},
        motivation="Test",
        automated=True,
        decided_at=timezone.now(),
        inputs={},
        rules_version="test",
    )
