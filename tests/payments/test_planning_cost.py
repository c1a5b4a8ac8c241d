"""Planning a decision's payments reads and writes only what it needs (issue 15: it ran on every decision).

A first decision has no earlier versions, so nothing is read or locked for them; the decision is read once
with its payee and municipality; the orders made are returned as made, not read back.
"""

from __future__ import annotations

import pytest

from bistand.payments.models import PaymentOrder
from bistand.payments.services import orders_for, plan_payments
from tests.payments.conftest import PARTNER_ACCOUNT, answers, make_decision

pytestmark = pytest.mark.django_db


def test_planning_a_first_decision_takes_a_dozen_queries(
    citizen, unit, schedule, django_assert_max_num_queries
):
    decision = make_decision(citizen.person, unit, "7800")
    # Before: 17 (earlier versions' files and orders read and locked, the payee and municipality read one
    # by one, the orders read back at the end).
    with django_assert_max_num_queries(12):
        orders = plan_payments(decision)
    assert [o.pk for o in orders] == [o.pk for o in orders_for(decision)]
    assert [(o.line, o.status) for o in orders] == [("citizen", "planned")]


def test_a_split_grant_returns_both_orders_as_made(citizen, unit, schedule):
    decision = make_decision(
        citizen.person,
        unit,
        "7800",
        answers_=answers(split_between_partners=True, co_applicant_payout_account=PARTNER_ACCOUNT),
    )
    orders = plan_payments(decision)
    assert [o.pk for o in orders] == list(
        PaymentOrder.objects.filter(decision=decision).order_by("pk").values_list("pk", flat=True)
    )
    assert plan_payments(decision) == orders  # planned once: the second call reads the same orders
