"""One rule, one place: a rule or parameter changed once changes the single path, the explanation and the
batch path alike (issue 19)."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bistand.rules import calculate, default_parameters, explain, formulas, validate
from bistand.rules.ages import BRACKET_BY_AGE, BRACKETS, CHILD_AGE_LIMIT, YOUNG_BRACKETS, bracket_of
from bistand.rules.batch import build_columns, compute
from bistand.rules.money import format_sek
from bistand.rules.synthetic import random_household

# A couple with a part-month child of 4 who eats lunch away, a salary under jobbstimulans, a child's salary
# and a shared household of nine: every formula is used.
HOUSEHOLD = {
    "month": "2026-03",
    "household_size": 9,
    "members": [
        {"id": "a", "role": "applicant", "birth_date": "1980-05-01", "assistance_months": [
            f"2025-{m:02d}" for m in range(1, 7)
        ]},
        {"id": "b", "role": "co_applicant", "birth_date": "1982-05-01"},
        {"id": "c", "role": "child", "birth_date": "2021-07-01", "lunch_at_home": False, "days_in_household": 10},
        {"id": "d", "role": "child", "birth_date": "2009-01-01"},
    ],
    "costs": [{"type": "rent", "amount": 6100}],
    "incomes": [
        {"member": "a", "type": "salary", "amount": 9000},
        {"member": "d", "type": "salary", "amount": 3000, "earned_earlier_this_year": 58000},
    ],
}  # fmt: skip


def _three_ways(params) -> tuple[Decimal, str, Decimal]:
    """The entitlement from the single path, the explanation's text, and the batch path."""
    single = calculate(HOUSEHOLD, params)
    totals = compute(build_columns([validate(HOUSEHOLD, params)], params), params)
    return single.entitlement, explain(single, "sv"), totals.as_decimal(0)["entitlement"]


def _said(amount: Decimal, text: str) -> bool:
    return format_sek(amount, "sv") in text


def test_the_household_uses_every_formula():
    result = calculate(HOUSEHOLD, default_parameters())
    rules = {line.rule for line in result.lines}
    assert {
        "riksnorm.children.without_lunch",
        "riksnorm.common.share",
        "income.jobbstimulans",
        "income.child_salary_exemption",
    } <= rules


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.scaled(Decimal("1.05")),
        lambda p: p.with_jobbstimulans_share(Decimal("0.5")),
    ],
    ids=["norm × 1.05", "jobbstimulans 50 %"],
)
def test_a_changed_parameter_changes_all_three_alike(change):
    params = default_parameters()
    before_single, before_text, before_batch = _three_ways(params)
    after_single, after_text, after_batch = _three_ways(change(params))
    assert before_single == before_batch and after_single == after_batch
    assert after_single > before_single
    assert _said(after_single, after_text) and not _said(after_single, before_text)


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        # Part-month children counted with one day more.
        ("child_norm", lambda full, days, dim: formulas.where(
            days > 0, formulas.half_up_div(full * (days + 1), dim), full
        )),
        # The extra person above seven adds twice the step.
        ("common_costs", lambda p, capped, c7, c6: capped + (p > 7) * (p - 7) * 2 * (c7 - c6)),
        # Jobbstimulans leaves out a third more.
        ("jobbstimulans_left_out", lambda s, num, den: formulas.half_up_div(s * num * 4, den * 3)),
        # The child's exemption halved.
        ("child_salary_exempt", lambda s, limit, before: formulas.half_up_div(
            formulas.where(s < limit - before, s, limit - before) * (limit > before), 2
        )),
    ],
)  # fmt: skip
def test_a_rule_changed_in_one_place_changes_all_three_alike(monkeypatch, name, changed):
    params = default_parameters()
    before_single, _, before_batch = _three_ways(params)
    assert before_single == before_batch
    monkeypatch.setattr(formulas, name, changed)
    after_single, after_text, after_batch = _three_ways(params)
    assert after_single == after_batch, name
    assert after_single != before_single, name
    assert _said(after_single, after_text)


def test_the_changed_rule_reaches_the_batch_on_random_households(monkeypatch):
    params = default_parameters()
    rng = random.Random(19)
    households = [validate(random_household(rng, 2024, 2026), params) for _ in range(300)]
    monkeypatch.setattr(formulas, "entitlement", lambda d: formulas.where(d > 0, d // 100 * 100, 0 * d))
    totals = compute(build_columns(households, params), params)
    for i, household in enumerate(households):
        assert totals.as_decimal(i)["entitlement"] == calculate(household, params).entitlement


def test_the_age_brackets_are_one_table():
    assert len(BRACKET_BY_AGE) == CHILD_AGE_LIMIT
    assert [bracket_of(age) for age in (0, 1, 2, 3, 6, 7, 14, 15, 18, 19, 20)] == [
        "0", "1-2", "1-2", "3", "4-6", "7-10", "11-14", "15-18", "15-18", "19-20", "19-20",
    ]  # fmt: skip
    assert set(BRACKET_BY_AGE) == set(BRACKETS)
    assert YOUNG_BRACKETS == ("0", "1-2", "3", "4-6")


AMOUNT = st.integers(0, 10**9)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(AMOUNT, AMOUNT, st.integers(0, 31), st.integers(1, 31), st.integers(1, 99), st.booleans()),
        min_size=1,
        max_size=20,
    )
)
def test_every_formula_gives_the_same_for_one_value_as_for_an_array(rows):
    a, b, days, dim, persons, flag = (list(column) for column in zip(*rows, strict=True))
    cases = {
        "adults_norm": (flag, a, b),
        "without_lunch": (flag, days),
        "child_norm": (a, days, dim),
        "common_costs": (persons, a, b, dim),
        "common_share": (a, days, persons),
        "jobbstimulans_left_out": (a, dim, persons),
        "child_salary_exempt": (a, b, days),
        "deficit": (a, b, days),
        "entitlement": ([x - y for x, y in zip(a, b, strict=True)],),
        "capped": (a, b),
    }
    for name, arguments in cases.items():
        formula = getattr(formulas, name)
        arrays = formula(*(np.array(column) for column in arguments))
        one_by_one = [formula(*values) for values in zip(*arguments, strict=True)]
        assert np.broadcast_to(arrays, len(rows)).tolist() == [int(v) for v in one_by_one], name
