"""Planning a decision's payments: who gets what, when, and what the citizen sees."""

from datetime import date
from decimal import Decimal

import pytest

from bistand.cases.models import TimelineEvent
from bistand.decisions.models import Decision
from bistand.payments.models import PaymentOrder, PaymentPlan
from bistand.payments.services import plan_payments
from tests.payments.conftest import (
    CITIZEN_ACCOUNT,
    LANDLORD_BANKGIRO,
    PARTNER_ACCOUNT,
    PAYOUT_DAY,
    answers,
    make_decision,
)

pytestmark = pytest.mark.django_db


def test_a_grant_is_planned_for_the_regular_payout_day(citizen, unit, schedule):
    decision = make_decision(citizen.person, unit, "7800")
    orders = plan_payments(decision)
    assert len(orders) == 1
    order = orders[0]
    assert (order.status, order.amount, order.payout_date) == ("planned", Decimal("7800.00"), PAYOUT_DAY)
    assert (order.recipient_kind, order.cost_type, order.cost_code) == ("citizen", "livelihood", "4711")
    assert order.account_masked == "****9297"
    assert order.end_to_end_id == f"BST-{decision.pk}-1-citizen"
    assert order.reference == "Ekonomiskt bistånd december 2030"
    assert order.unit == unit and order.person == citizen.person


def test_planning_twice_makes_nothing_new(citizen, unit, schedule):
    decision = make_decision(citizen.person, unit)
    first = plan_payments(decision)
    second = plan_payments(decision)
    assert [o.pk for o in first] == [o.pk for o in second]
    assert PaymentOrder.objects.count() == 1
    assert PaymentPlan.objects.count() == 1
    assert TimelineEvent.objects.filter(kind="payment").count() == 1


def test_the_citizen_sees_the_planned_payment(citizen, unit, schedule):
    decision = make_decision(citizen.person, unit, "7800")
    plan_payments(decision)
    event = TimelineEvent.objects.get(kind="payment")
    assert event.visible_to_citizen
    assert event.actor == "robot"
    assert event.case == decision.case and event.application == decision.application
    assert event.data | {"order": 0} == {
        "status": "planned",
        "order": 0,
        "reference": f"BST-{decision.pk}-1-citizen",
        "payout_date": "2030-11-25",
        "amount": "7800.00",
        "recipient": "self",
        "cost_type": "livelihood",
        "account": "****9297",
    }


def test_a_rejection_pays_nothing(citizen, unit, schedule):
    decision = make_decision(citizen.person, unit, "0", outcome=Decision.Outcome.REJECT)
    assert plan_payments(decision) == []
    assert PaymentPlan.objects.filter(decision=decision).exists()


def test_split_between_partners_pays_half_each(citizen, unit, schedule):
    decision = make_decision(
        citizen.person,
        unit,
        "7801.01",
        answers_=answers(split_between_partners=True, co_applicant_payout_account=PARTNER_ACCOUNT),
    )
    orders = plan_payments(decision)
    assert [(o.line, o.amount) for o in orders] == [
        ("citizen", Decimal("3900.51")),
        ("partner", Decimal("3900.50")),
    ]
    partner = orders[1]
    assert partner.person is None and partner.payee_name == "Anna Demosson"
    assert (partner.clearing_number, partner.account_number) == ("83279", "1234567897")
    partner_event = TimelineEvent.objects.get(data__order=partner.pk)
    assert partner_event.data["recipient"] == "partner" and "account" not in partner_event.data


def test_rent_goes_to_the_landlord_with_only_what_the_advice_needs(citizen, unit, schedule):
    third = [
        {
            "cost_type": "rent",
            "amount": "5200",
            "bankgiro": LANDLORD_BANKGIRO,
            "reference": "4 3 2 1 0 0 0 1 2 9",
            "payee_name": "Bostadsbolaget AB",
        },
        {"cost_type": "electricity", "amount": "400,50", "bankgiro": LANDLORD_BANKGIRO, "reference": "Kund 77",
         "payee_name": "Elbolaget AB"},
    ]  # fmt: skip
    decision = make_decision(citizen.person, unit, "7800", answers_=answers(third_party_payments=third))
    orders = {o.line: o for o in plan_payments(decision)}
    assert set(orders) == {"third-party-1", "third-party-2", "citizen"}
    rent = orders["third-party-1"]
    assert (rent.recipient_kind, rent.amount, rent.cost_type, rent.cost_code) == (
        "third_party",
        Decimal("5200.00"),
        "rent",
        "4712",
    )
    # An OCR number (the modulus-10 check holds) travels as a structured reference; text stays text.
    assert (rent.reference, rent.reference_is_ocr) == ("4321000129", True)
    assert (orders["third-party-2"].reference, orders["third-party-2"].reference_is_ocr) == ("Kund 77", False)
    assert rent.person is None and rent.payee_name == "Bostadsbolaget AB"
    assert orders["citizen"].amount == Decimal("2199.50")
    event = TimelineEvent.objects.get(data__order=rent.pk)
    assert event.data["recipient"] == "third_party" and event.data["payee"] == "Bostadsbolaget AB"
    assert "account" not in event.data


@pytest.mark.parametrize(
    "answers_, reason",
    [
        (answers(account=None), "missing_account"),
        (answers(account={"clearing_number": "5000", "account_number": "1001001"}), "invalid_account"),
        (answers(third_party_payments=[{"amount": "9000", "bankgiro": LANDLORD_BANKGIRO, "payee_name": "X"}]),
         "third_party_exceeds_grant"),
        (answers(third_party_payments=[{"amount": "tusen", "payee_name": "X"}]), "invalid_third_party"),
    ],
)  # fmt: skip
def test_missing_or_wrong_payout_data_holds_the_payment_never_guesses(
    citizen, unit, schedule, answers_, reason
):
    decision = make_decision(citizen.person, unit, "7800", answers_=answers_)
    [order] = plan_payments(decision)
    assert (order.status, order.status_reason, order.amount) == ("held", reason, Decimal("7800.00"))
    assert order.status_note
    assert order.account_number == "" and order.bankgiro == ""
    event = TimelineEvent.objects.get(data__order=order.pk)
    assert event.data["status"] == "held" and event.data["reason"] == reason


def test_split_without_the_partners_account_holds_only_the_partners_half(citizen, unit, schedule):
    decision = make_decision(citizen.person, unit, "8000", answers_=answers(split_between_partners=True))
    orders = {o.line: o for o in plan_payments(decision)}
    assert orders["citizen"].status == "planned"
    assert (orders["partner"].status, orders["partner"].status_reason) == ("held", "missing_account")


def test_a_late_decision_is_paid_as_soon_as_possible(citizen, unit, schedule):
    from django.utils import timezone

    from bistand.payments.holidays import add_bank_days

    decision = make_decision(citizen.person, unit, month=date(2020, 1, 1))
    [order] = plan_payments(decision)
    assert order.payout_date == add_bank_days(timezone.localdate(), 1)


def test_bank_account_as_citizen_typed_it(citizen, unit, schedule):
    decision = make_decision(citizen.person, unit, answers_=answers(account={"bankgiro": "5050 1055"}))
    [order] = plan_payments(decision)
    assert (order.account_kind, order.bankgiro, order.account_masked) == ("bankgiro", "50501055", "****1055")
    assert CITIZEN_ACCOUNT  # the default account is a Nordea personkonto (see conftest)


def test_a_person_fixes_a_held_order_and_it_joins_the_next_file(citizen, unit, schedule, finance):
    from bistand.payments.services import PaymentError, create_payment_file, resolve_held

    [order] = plan_payments(make_decision(citizen.person, unit, answers_=answers(account=None)))
    with pytest.raises(PaymentError, match="kontrollsiffra"):
        resolve_held(order, finance, {"clearing_number": "5000", "account_number": "1001001"})
    fixed = resolve_held(order, finance, {"clearing_number": "3300", "account_number": "8001139297"})
    assert (fixed.status, fixed.account_masked, fixed.payout_date) == ("planned", "****9297", PAYOUT_DAY)
    assert create_payment_file(PAYOUT_DAY, finance).number_of_transactions == 1
    with pytest.raises(PaymentError):
        resolve_held(fixed, finance, {"bankgiro": LANDLORD_BANKGIRO})


def test_a_stopped_order_is_not_paid_and_the_citizen_is_told(citizen, unit, schedule, finance):
    from bistand.payments.services import NothingToPay, create_payment_file, stop_order

    [order] = plan_payments(make_decision(citizen.person, unit))
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    stopped = stop_order(order, finance, "Flyttat från kommunen")
    payment_file.refresh_from_db()
    assert (stopped.status, stopped.payment_file, payment_file.status) == ("stopped", None, "void")
    assert TimelineEvent.objects.filter(data__status="stopped", actor="caseworker").exists()
    with pytest.raises(NothingToPay):
        create_payment_file(PAYOUT_DAY, finance)


def test_the_sweep_plans_recent_unplanned_decisions_only(citizen, unit, schedule):
    from datetime import timedelta

    from django.utils import timezone

    from bistand.payments.services import sweep_unplanned_decisions

    recent = make_decision(citizen.person, unit)
    old = make_decision(citizen.person, unit)
    Decision.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=60))
    assert sweep_unplanned_decisions() == 1
    assert PaymentPlan.objects.get().decision == recent
    assert sweep_unplanned_decisions() == 0
