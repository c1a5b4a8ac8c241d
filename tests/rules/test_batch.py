"""The vectorised batch path agrees with the single path to the öre."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from bistand.rules import calculate, default_parameters, validate
from bistand.rules.batch import build_columns, compute, read_jsonl
from bistand.rules.money import dumps
from bistand.rules.synthetic import random_household

COUNT = 3000


def _agree(params, seed: int) -> int:
    rng = random.Random(seed)
    households = [validate(random_household(rng), params) for _ in range(COUNT)]
    totals = compute(build_columns(households, params), params)
    checked = 0
    for i, household in enumerate(households):
        single = calculate(household, params)
        batch = totals.as_decimal(i)
        assert batch == {
            "norm": single.norm_total,
            "costs": single.costs_total,
            "income": single.income_total,
            "deficit": single.deficit,
            "entitlement": single.entitlement,
        }, (i, household)
        checked += 1
    return checked


def test_batch_and_single_agree_on_thousands_of_random_households():
    assert _agree(default_parameters(), seed=20260101) == COUNT


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.scaled(Decimal("1.0237"), None),  # öre amounts in the norm
        lambda p: p.scaled(Decimal("1.02")).with_jobbstimulans_share(Decimal("0.3")),
    ],
    ids=["norm +2.37 % exact", "norm +2 % and jobbstimulans 30 %"],
)
def test_batch_and_single_agree_with_changed_parameters(change):
    assert _agree(change(default_parameters()), seed=7) == COUNT


def test_a_higher_norm_costs_more():
    params = default_parameters()
    rng = random.Random(3)
    households = [validate(random_household(rng), params) for _ in range(500)]
    columns = build_columns(households, params)
    base = compute(columns, params).entitlement.sum()
    higher = compute(columns, params.scaled(Decimal("1.02"))).entitlement.sum()
    assert higher > base


def test_read_jsonl_reports_bad_lines_with_their_number():
    params = default_parameters()
    good = dumps(random_household(random.Random(1)), indent=None)
    households, errors = read_jsonl([good, "{not json", '{"month": "2021-03"}', ""], params)
    assert len(households) == 1
    assert [number for number, _ in errors] == [2, 3]
    assert errors[1][1][0]["field"] == "members"
