"""Property: whatever the order of regular decisions (and their corrections), tilläggsbeslut and nödbistånd
in one month, no need is granted — and so paid — by two decisions in force, and each decision is paid once
as its own payment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bistand.casework import pipeline, workspace
from bistand.casework.supplements import decide_supplement
from bistand.decisions.models import Decision
from bistand.decisions.needs import NeedRefused, granted_needs
from bistand.decisions.services import correct
from bistand.intake.models import Application
from bistand.intake.supplement import SupplementInvalid, apply_for_supplement
from bistand.payments.models import PaymentOrder
from tests.conftest import make_citizen
from tests.intake.test_supplement import MONTH, regular_decision
from tests.payments.conftest import answers

pytestmark = pytest.mark.django_db

NEEDS = ("rent", "electricity", "glasses", "dental", "medicine")
amounts = st.integers(min_value=100, max_value=5000)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("supplement"), st.sampled_from(NEEDS), amounts),
        st.tuples(st.just("emergency"), st.just(""), amounts),
        st.tuples(st.just("correct"), st.sampled_from(NEEDS), amounts),
    ),
    max_size=6,
)


def _emergency(person, caseworker, amount: int) -> None:
    application = Application(
        applicant=person, municipality=person.municipality, month=MONTH, answers=answers(emergency=True)
    )
    application.submit()
    run = pipeline.start(application)
    workspace.decide_emergency(run, caseworker, amount=amount, need="mat", motivation="Akut behov.")


def _correct(regular: Decision, caseworker, need: str, amount: int) -> None:
    """An ändring of the regular decision that adds a cost line for `need`."""
    current = Decision.objects.get(application=regular.application, superseded_by__isnull=True)
    lines = [*current.calculation["lines"], {"section": "costs", "rule": f"costs.{need}", "amount": amount}]
    total = current.amount_granted + amount
    correct(
        current,
        kind=Decision.Correction.ANDRING,
        reason="Ny kostnad",
        by=caseworker,
        amount_granted=total,
        calculation={"entitlement": int(total), "lines": lines},
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(regular_costs=st.sets(st.sampled_from(NEEDS), max_size=3), plan=steps)
def test_no_need_is_paid_twice_in_a_month(municipality, unit, schedule, caseworker, regular_costs, plan):
    with transaction.atomic():
        person = make_citizen("198001139297", municipality).person
        regular = regular_decision(person, costs=[(need, 1000) for need in sorted(regular_costs)])
        for kind, need, amount in plan:
            try:
                if kind == "supplement":
                    run = apply_for_supplement(
                        person, {"month": "2030-12", "need": need, "amount": amount, "description": "Behov"}
                    ).pipeline
                    decide_supplement(run, caseworker, outcome="grant", amount=amount, motivation="Styrkt.")
                elif kind == "emergency":
                    _emergency(person, caseworker, amount)
                else:
                    _correct(regular, caseworker, need, amount)
            except (NeedRefused, SupplementInvalid, workspace.WorkspaceError):
                pass
        in_force = Decision.objects.filter(month=MONTH, superseded_by__isnull=True).exclude(outcome="reject")
        granted = [need for decision in in_force for need in granted_needs(decision.calculation)]
        assert len(granted) == len(set(granted)), granted
        for decision in in_force:
            live = PaymentOrder.objects.filter(decision=decision).exclude(status="cancelled")
            assert sum((o.amount for o in live), Decimal(0)) == decision.amount_granted
        transaction.set_rollback(True)
