"""A corrected decision: orders not yet sent are adjusted; money already out is topped up, or a possible
återkrav (SoL 33 kap.) is opened for a person to assess — never an automatic debt."""

from decimal import Decimal

import pytest

from bistand.cases.models import TimelineEvent
from bistand.decisions.models import Decision
from bistand.payments.models import PaymentOrder, RecoveryCase
from bistand.payments.services import create_payment_file, mark_sent, plan_payments, release
from tests.payments.conftest import PAYOUT_DAY, make_decision

pytestmark = pytest.mark.django_db


def _send(finance, finance2):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    release(payment_file, finance)
    release(payment_file, finance2)
    return mark_sent(payment_file, finance)


def test_a_correction_before_payday_replaces_the_planned_order(citizen, unit, schedule):
    first = make_decision(citizen.person, unit, "7800")
    [old] = plan_payments(first)
    second = make_decision(citizen.person, unit, "6500", supersedes=first)
    [new] = plan_payments(second)
    old.refresh_from_db()
    assert (old.status, old.status_reason) == ("cancelled", "superseded")
    assert (new.status, new.amount, new.decision_version) == ("planned", Decimal("6500.00"), 2)
    assert not RecoveryCase.objects.exists()
    statuses = list(TimelineEvent.objects.filter(kind="payment").values_list("data__status", flat=True))
    assert statuses == ["planned", "cancelled", "planned"]


def test_a_correction_voids_a_file_not_yet_released(citizen, unit, schedule, finance):
    first = make_decision(citizen.person, unit, "7800")
    plan_payments(first)
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    release(payment_file, finance)  # one approval only: not released
    second = make_decision(citizen.person, unit, "8100", supersedes=first)
    plan_payments(second)
    payment_file.refresh_from_db()
    assert payment_file.status == "void" and "ändrats" in payment_file.void_reason
    new_file = create_payment_file(PAYOUT_DAY, finance)
    assert (new_file.number_of_transactions, new_file.control_sum) == (1, Decimal("8100.00"))


def test_lower_amount_after_payment_opens_a_recovery_assessment_and_no_debt(
    citizen, unit, schedule, finance, finance2
):
    first = make_decision(citizen.person, unit, "7800")
    plan_payments(first)
    _send(finance, finance2)
    second = make_decision(citizen.person, unit, "7000", supersedes=first)
    assert plan_payments(second) == []
    recovery = RecoveryCase.objects.get()
    assert (recovery.decision, recovery.earlier_decision, recovery.status) == (second, first, "open")
    assert (recovery.paid_amount, recovery.granted_amount, recovery.overpaid_amount) == (
        Decimal("7800.00"),
        Decimal("7000.00"),
        Decimal("800.00"),
    )
    # Nothing negative, nothing withheld: the sent order stands and no order claims money back.
    assert list(PaymentOrder.objects.values_list("status", "amount")) == [("sent", Decimal("7800.00"))]
    event = TimelineEvent.objects.get(data__status="recovery_assessment")
    assert not event.visible_to_citizen
    # Planning again changes nothing.
    plan_payments(second)
    assert RecoveryCase.objects.count() == 1


def test_a_rejection_after_payment_is_assessed_too(citizen, unit, schedule, finance, finance2):
    first = make_decision(citizen.person, unit, "7800")
    plan_payments(first)
    _send(finance, finance2)
    second = make_decision(citizen.person, unit, "0", supersedes=first, outcome=Decision.Outcome.REJECT)
    plan_payments(second)
    assert RecoveryCase.objects.get().overpaid_amount == Decimal("7800.00")


def test_higher_amount_after_payment_pays_the_difference(citizen, unit, schedule, finance, finance2):
    first = make_decision(citizen.person, unit, "7800")
    plan_payments(first)
    _send(finance, finance2)
    second = make_decision(citizen.person, unit, "8300.50", supersedes=first)
    [top_up] = plan_payments(second)
    assert (top_up.line, top_up.amount, top_up.status) == ("top-up", Decimal("500.50"), "planned")
    assert top_up.end_to_end_id == f"BST-{second.pk}-2-top-up"
    assert not RecoveryCase.objects.exists()


def test_a_released_file_counts_as_paid_out(citizen, unit, schedule, finance, finance2):
    first = make_decision(citizen.person, unit, "7800")
    plan_payments(first)
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    release(payment_file, finance)
    release(payment_file, finance2)  # released, not yet marked sent: it may be at the bank already
    second = make_decision(citizen.person, unit, "7500", supersedes=first)
    plan_payments(second)
    payment_file.refresh_from_db()
    assert payment_file.status == "released"
    assert RecoveryCase.objects.get().overpaid_amount == Decimal("300.00")


def test_a_late_call_for_a_superseded_version_plans_nothing(citizen, unit, schedule):
    first = make_decision(citizen.person, unit, "7800")
    second = make_decision(citizen.person, unit, "7000", supersedes=first)
    [order] = plan_payments(second)
    assert plan_payments(first) == []  # the pipeline's retry of version 1 arrives after version 2
    assert list(PaymentOrder.objects.values_list("pk", flat=True)) == [order.pk]


def test_three_versions_in_a_row(citizen, unit, schedule, finance, finance2):
    first = make_decision(citizen.person, unit, "7800")
    plan_payments(first)
    second = make_decision(citizen.person, unit, "7000", supersedes=first)
    plan_payments(second)
    _send(finance, finance2)
    third = make_decision(citizen.person, unit, "7400", supersedes=second)
    [top_up] = plan_payments(third)
    assert top_up.amount == Decimal("400.00")
    paid_or_planned = PaymentOrder.objects.exclude(status="cancelled").values_list("amount", flat=True)
    assert sum(paid_or_planned) == Decimal("7400.00")
