"""Cash or card at the counter for someone without a bank account: planned, handed out once, booked once.

Found by hand (issue 21): a homeless applicant without a bank account had a held payment and no way to be
paid at all — the only routes were a bank account or a Bankgiro number.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.payments import counter
from bistand.payments.models import PaymentOrder
from bistand.payments.services import (
    NothingToPay,
    PaymentError,
    create_payment_file,
    ledger_rows,
    plan_payments,
    resolve_held,
)
from tests.payments.conftest import answers, make_decision

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)  # a Thursday and a bank day
TOMORROW = datetime.date(2026, 12, 4)
MONTH = datetime.date(2026, 12, 1)
PLACE = "Medborgarkontoret, Stortorget 1, vardagar 9–12. Ta med legitimation."


@pytest.fixture
def today(monkeypatch):
    """The clock, pinned: the counter hands out from the payout day, never before."""
    day = {"value": TODAY}
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day["value"])
    return day


@pytest.fixture
def counter_schedule(schedule):
    schedule.offers_cash = True
    schedule.counter_place = PLACE
    schedule.save()
    return schedule


@pytest.fixture
def held(citizen, unit, counter_schedule, today) -> PaymentOrder:
    (order,) = plan_payments(
        make_decision(citizen.person, unit, "4870", answers_=answers(account=None), month=MONTH)
    )
    assert order.status == PaymentOrder.Status.HELD
    return order


def test_finance_pays_a_held_order_in_cash_handed_out_once_and_booked_once(client, held, finance, today):
    client.force_login(finance)
    page = client.get(reverse("payments:overview")).content.decode()
    assert 'name="route" value="cash"' in page and 'value="card"' not in page  # only what is offered
    client.post(reverse("payments:resolve-held", args=[held.pk]), {"route": "cash"})
    held.refresh_from_db()
    assert held.status == PaymentOrder.Status.PLANNED and held.account_kind == "cash"
    assert held.payout_date == TOMORROW
    # Never in a bank file.
    with pytest.raises(NothingToPay):
        create_payment_file(TOMORROW, finance)
    # Not before its day.
    with pytest.raises(PaymentError, match="från 2026-12-04"):
        counter.hand_out(held, finance)
    today["value"] = TOMORROW
    page = client.get(reverse("payments:overview")).content.decode()
    assert "Att lämna ut i kassan" in page and held.end_to_end_id in page
    assert client.post(reverse("payments:hand-out", args=[held.pk])).status_code == 302
    held.refresh_from_db()
    assert held.status == PaymentOrder.Status.PAID and held.paid_on == TOMORROW
    assert held.handed_out_by == finance
    # A second click (or a second cashier) pays nothing more.
    with pytest.raises(PaymentError, match="redan utlämnad"):
        counter.hand_out(held, finance)
    rows = ledger_rows(held.municipality, TODAY, TOMORROW)
    assert [(r["payout_date"], r["count"], r["total"]) for r in rows] == [(TOMORROW, 1, Decimal("4870.00"))]


def test_the_citizen_is_told_where_and_when_to_collect(client, citizen, held, caseworker):
    resolve_held(held, caseworker, {"route": "cash"})
    client.force_login(citizen)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Hämta 4" in page and "4 december" in page and PLACE in page
    assert "Utbetalning planerad" not in page


def test_a_route_the_municipality_does_not_offer_is_refused(held, caseworker):
    with pytest.raises(PaymentError, match="betalar inte ut på det sättet"):
        resolve_held(held, caseworker, {"route": "card"})
    held.refresh_from_db()
    assert held.status == PaymentOrder.Status.HELD


def test_an_application_that_asks_for_cash_is_planned_at_the_counter(citizen, unit, counter_schedule, today):
    (order,) = plan_payments(
        make_decision(citizen.person, unit, "1200", answers_=answers(account={"route": "cash"}), month=MONTH)
    )
    assert order.status == PaymentOrder.Status.PLANNED and order.at_counter


def test_emergency_cash_can_be_handed_out_today(citizen, unit, counter_schedule, today, finance):
    decision = make_decision(
        citizen.person, unit, "900", answers_=answers(account={"route": "cash"}, emergency=True), month=MONTH
    )
    (order,) = plan_payments(decision)
    assert order.payout_date == TODAY
    assert counter.hand_out(order, finance).status == PaymentOrder.Status.PAID


def test_cash_asked_for_where_it_is_not_offered_is_held_with_the_reason(citizen, unit, schedule, today):
    (order,) = plan_payments(
        make_decision(citizen.person, unit, "1200", answers_=answers(account={"route": "cash"}), month=MONTH)
    )
    assert order.status == PaymentOrder.Status.HELD and "betalar inte ut" in order.status_note
