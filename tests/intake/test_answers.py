"""An application's answers are checked and typed once, at intake's edge, and the robot reads that object."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bistand.casework import pipeline
from bistand.casework.policy import policy_for
from bistand.intake import answers as answers_module
from bistand.intake.answers import Answers, answers_of, named_persons
from bistand.intake.schema import ApplicationInvalid, validate_application
from tests.casework.test_policy import quiet_run  # noqa: F401  (a fixture: a submitted application, its run)

MONTH = "2026-11"
CHILD = "201501012395"  # Skatteverket's test personnummer

amounts = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    rent=amounts,
    salary=amounts,
    emergency=st.booleans(),
    children=st.integers(0, 1),
    written=st.sampled_from(["plain", "comma", "spaced"]),
)
def test_the_typed_answers_keep_every_amount_exactly(rent, salary, emergency, children, written):
    def text(amount: Decimal) -> str:
        # "6500.50", "6500,50" or with spaces: people write amounts all these ways
        plain = format(amount, "f")
        return {"plain": plain, "comma": plain.replace(".", ","), "spaced": " ".join(plain)}[written]

    values = {
        "month": MONTH,
        "children": [{"personnummer": CHILD}] * children,
        "costs": [{"type": "rent", "amount": text(rent)}],
        "incomes": [{"person": "applicant", "type": "salary", "amount": text(salary)}],
        "emergency": emergency,
    }
    answers = Answers.decode(validate_application(values))
    assert answers.cost("rent") == rent and answers.incomes[0].amount == salary
    assert answers.emergency is emergency
    assert answers.children_pnrs == (CHILD,) * children
    assert answers.first_day == datetime.date(2026, 11, 1)


class Stored:
    """A stored application as intake keeps it: each answer with its source."""

    def __init__(self, values: dict) -> None:
        self.answers = {key: {"value": value, "source": "citizen"} for key, value in values.items()}


def test_a_bad_answer_is_named_by_its_field():
    with pytest.raises(ApplicationInvalid) as raised:
        answers_of(Stored({"month": MONTH, "costs": [{"type": "rent", "amount": "sex tusen"}]}))
    assert [error.field for error in raised.value.errors] == ["costs[0].amount"]


def test_persons_named_in_an_unchecked_application_are_still_found_for_shielding():
    # The month is missing, so the answers do not pass the checks; the child named must still be shielded.
    stored = Stored({"children": [{"personnummer": CHILD}], "co_applicant": 42})
    assert named_persons(stored) == [CHILD]


def test_the_same_costs_in_another_order_and_notation_are_no_change_since_last_month():
    from bistand.casework.reconcile import _changes_since_last_month

    this = Answers.decode(
        {
            "month": MONTH,
            "costs": [{"type": "electricity", "amount": "300"}, {"type": "rent", "amount": "6500.00"}],
            "nothing_changed": True,
        }
    )
    last = Answers.decode(
        {
            "month": "2026-10",
            "costs": [{"type": "rent", "amount": "6500"}, {"type": "electricity", "amount": "300.0"}],
            "nothing_changed": True,
        }
    )
    assert _changes_since_last_month(this, last) == []
    changed = Answers.decode(
        {**{"month": MONTH, "nothing_changed": True}, "costs": [{"type": "rent", "amount": "6600"}]}
    )
    assert [f.code for f in _changes_since_last_month(changed, last)] == ["changed_since_last_month"]


def test_the_robot_reads_the_answers_once_for_its_routing(monkeypatch, quiet_run):  # noqa: F811
    run = quiet_run
    calls = []
    checked = answers_module.validate_application

    def counting(data):
        calls.append(1)
        return checked(data)

    monkeypatch.setattr(answers_module, "validate_application", counting)
    reasons = pipeline.routing_reasons(run, policy_for(run.application.municipality, run.application.month))
    assert (
        len(calls) == 1
    )  # routing, the protection check, the housing and the reform rules share one reading
    assert "rent_above_guidance" not in {reason["code"] for reason in reasons}
