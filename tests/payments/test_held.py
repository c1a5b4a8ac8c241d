"""A held payment is never shown as planned; the citizen, the caseworker and finance can each give the account.

Found by hand (issue 21): a paper application with no payout account had its order held (`missing_account`),
yet Mina sidor said "Utbetalning planerad", the case page said nothing and finance could not supply the account.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.cases.models import TimelineEvent
from bistand.payments.models import PaymentOrder, PayoutSchedule
from bistand.payments.services import plan_payments
from bistand.portal.timeline import describe
from tests.conftest import make_staff
from tests.payments.conftest import CITIZEN_ACCOUNT, LANDLORD_BANKGIRO, answers, make_decision

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)  # a Thursday and a bank day


@pytest.fixture
def held(citizen, unit, schedule) -> PaymentOrder:
    """A grant whose application carried no payout account, as a paper application did."""
    (order,) = plan_payments(make_decision(citizen.person, unit, "4870", answers_=answers(account=None)))
    assert order.status == PaymentOrder.Status.HELD and order.status_reason == "missing_account"
    return order


def test_mina_sidor_never_calls_a_held_payment_planned(client, citizen, held):
    client.force_login(citizen)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Utbetalning planerad" not in page
    assert "4\xa0870\xa0kr väntar – inte planerad" in page  # the one money format (no-break spaces)
    assert "Vi saknar ett konto att betala till." in page
    assert reverse("portal:payout-account") in page


def test_the_timeline_entry_of_a_held_payment_says_what_is_missing():
    event = TimelineEvent(
        kind=TimelineEvent.Kind.PAYMENT,
        data={
            "status": "held",
            "reason": "missing_account",
            "amount": "4870.00",
            "payout_date": "2030-11-25",
        },
    )
    entry = describe(event)
    assert "planerad" in entry.title and "inte planerad" in entry.title
    assert "Vi saknar ett konto" in entry.detail
    assert entry.link == reverse("portal:payout-account")


def test_the_citizen_gives_an_account_and_the_payment_is_planned(client, citizen, held):
    client.force_login(citizen)
    url = reverse("portal:payout-account")
    bad = client.post(url, {"method": "account", "clearing_number": "3300", "account_number": "800113-9298"})
    assert bad.status_code == 200
    held.refresh_from_db()
    assert held.status == "held"  # nothing changes on a bad number, and the page says why
    assert "Kontonummer" in bad.content.decode()

    good = client.post(url, {"method": "account", **CITIZEN_ACCOUNT})
    assert good.status_code == 302
    held.refresh_from_db()
    assert (held.status, held.account_masked) == ("planned", "****9297")
    assert held.payout_date >= datetime.date(2030, 11, 25)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Utbetalning planerad" in page and "inte planerad" not in page.split("Händelser")[0]
    event = TimelineEvent.objects.filter(kind="payment").latest("pk")
    assert (event.actor, event.data["status"]) == ("citizen", "planned")


def test_a_third_party_problem_is_not_for_the_citizen_to_fix(client, citizen, unit, schedule):
    too_much = answers(
        third_party_payments=[
            {"cost_type": "rent", "amount": "9000", "bankgiro": LANDLORD_BANKGIRO, "payee_name": "X"}
        ]
    )
    (order,) = plan_payments(make_decision(citizen.person, unit, "4870", answers_=too_much))
    assert order.status_reason == "third_party_exceeds_grant"
    client.force_login(citizen)
    page = client.get(reverse("portal:home")).content.decode()
    assert "inte planerad" in page and "handläggare behöver gå igenom" in page
    client.post(reverse("portal:payout-account"), {"method": "account", **CITIZEN_ACCOUNT})
    order.refresh_from_db()
    assert order.status == "held"


def test_the_case_page_warns_and_the_caseworker_gives_the_account(client, caseworker, held):
    client.force_login(caseworker)
    page = client.get(reverse("casework:case", args=[held.case_id])).content.decode()
    assert "väntar – inte planerad" in page and "Kontonummer för utbetalning saknas." in page
    url = reverse("casework:resolve-payment", args=[held.case_id, held.pk])
    refused = client.post(url, {"clearing_number": "3300", "account_number": "1"}, follow=True)
    assert refused.status_code == 200
    held.refresh_from_db()
    assert held.status == "held"
    assert client.post(url, {"bankgiro": LANDLORD_BANKGIRO}).status_code == 302
    held.refresh_from_db()
    assert (held.status, held.account_kind) == ("planned", "bankgiro")


def test_a_caseworker_of_another_unit_cannot_resolve(client, held, other_unit):
    stranger = make_staff("annan", other_unit)
    client.force_login(stranger)
    response = client.post(
        reverse("casework:resolve-payment", args=[held.case_id, held.pk]), {"bankgiro": LANDLORD_BANKGIRO}
    )
    assert response.status_code == 404
    held.refresh_from_db()
    assert held.status == "held"


def test_finance_sees_the_reason_and_gives_the_account(client, finance, held):
    client.force_login(finance)
    page = client.get(reverse("payments:overview")).content.decode()
    assert "Kontonummer för utbetalning saknas." in page
    action = reverse("payments:resolve-held", args=[held.pk])
    assert action in page
    assert client.post(action, {"method": "x", **CITIZEN_ACCOUNT}).status_code == 302
    held.refresh_from_db()
    assert held.status == "planned" and held.amount == Decimal("4870.00")


def test_an_emergency_grant_is_paid_the_same_day_where_the_municipality_allows(
    citizen, unit, schedule, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    schedule.emergency_payout = PayoutSchedule.EmergencyPayout.SAME_DAY
    schedule.save()
    month = datetime.date(2026, 12, 1)
    (order,) = plan_payments(
        make_decision(citizen.person, unit, "1200", answers_=answers(emergency=True), month=month)
    )
    assert order.payout_date == TODAY


def test_without_same_day_an_emergency_grant_waits_for_the_regular_day(citizen, unit, schedule, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    month = datetime.date(2026, 12, 1)
    (order,) = plan_payments(
        make_decision(citizen.person, unit, "1200", answers_=answers(emergency=True), month=month)
    )
    assert order.payout_date > TODAY


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"method": "x"},
        {"method": "account", "clearing_number": "=1+1", "account_number": "\x00" * 30},
        {"method": "bankgiro", "bankgiro": "٥٠٥٠١٠٥٥٥٥٥٥٥"},
        {"clearing_number": "3300", "account_number": "8001139297"},
    ],
)
def test_bad_input_on_the_payout_account_page_is_a_clear_error(client, citizen, held, data):
    client.force_login(citizen)
    response = client.post(reverse("portal:payout-account"), data)
    assert response.status_code == 200 and "Något behöver rättas" in response.content.decode()
    held.refresh_from_db()
    assert held.status == "held"
