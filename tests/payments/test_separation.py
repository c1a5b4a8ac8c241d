"""Separation of duties (issue 16): whoever changed a payout account does not approve the payment to it;
every approval of a payment is shown on the case with who and when."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.casework import case_page
from bistand.payments.models import PaymentOrder
from bistand.payments.services import (
    ReleaseRefused,
    create_payment_file,
    plan_payments,
    release,
    resolve_held,
)
from tests.conftest import make_staff
from tests.payments.conftest import CITIZEN_ACCOUNT, answers, make_decision

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def changed_by_finance(citizen, unit, schedule, finance, monkeypatch):
    """A held grant whose payout account finance gave (told on the phone), now in a payment file."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    (order,) = plan_payments(make_decision(citizen.person, unit, "4870", answers_=answers(account=None)))
    assert order.status == PaymentOrder.Status.HELD
    order = resolve_held(order, finance, {"method": "account", **CITIZEN_ACCOUNT})
    assert order.account_changed_by == finance
    return create_payment_file(order.payout_date, make_staff("ekonomi9", unit, role="finance")), order


def test_whoever_changed_the_account_cannot_approve_the_payment(
    changed_by_finance, finance, finance2, unit, client, caseworker
):
    payment_file, order = changed_by_finance
    with pytest.raises(ReleaseRefused, match="ändrat utbetalningskontot"):
        release(payment_file, finance)
    release(payment_file, finance2)
    third = make_staff("ekonomi3", unit, role="finance")
    with pytest.raises(ReleaseRefused, match="ändrat utbetalningskontot"):
        release(payment_file, finance)  # nor the second approval
    payment_file = release(payment_file, third)
    assert payment_file.status == "released"
    rows = [(r.what, r.role, r.by) for r in case_page.sign_off_rows(order.case)]
    assert rows == [
        ("Utbetalningskonto", "Ändrade", finance.get_full_name()),
        ("Utbetalning", "Godkände", finance2.get_full_name()),
        ("Utbetalning", "Släppte", third.get_full_name()),
    ]
    client.force_login(caseworker)
    html = client.get(reverse("casework:case", args=[order.case_id])).content.decode()
    assert "Utbetalning: släppte av" in html


def test_the_municipality_can_turn_the_separation_off(changed_by_finance, finance, schedule):
    schedule.account_changer_may_not_release = False
    schedule.save()
    payment_file, _order = changed_by_finance
    assert release(payment_file, finance).status == "approved"
