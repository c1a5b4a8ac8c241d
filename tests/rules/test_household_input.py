"""One household from a dict: the fast path (one msgspec convert, then the rules that span fields) against
`validate`: the same households accepted and built alike, the same refusals with the same field-named
errors (`validate` words every refusal)."""

from __future__ import annotations

import copy
import random
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bistand.rules import calculate, default_parameters
from bistand.rules.household_input import checked_household, plain_household
from bistand.rules.synthetic import random_household
from bistand.rules.validation import InvalidInput, validate
from tests.rules.test_jsonl import JSON, MUTATIONS, _places

PARAMS = default_parameters()


def _judged_alike(data) -> None:
    """The fast path never accepts what `validate` refuses, and builds the same household when it accepts."""
    try:
        expected = validate(data, PARAMS)
    except InvalidInput as exc:
        assert plain_household(data, PARAMS) is None, data
        with pytest.raises(InvalidInput) as refused:
            calculate(data, PARAMS)
        assert refused.value.as_list() == exc.as_list()
        return
    fast = plain_household(data, PARAMS)
    assert fast is None or fast == expected, data
    assert checked_household(data, PARAMS) == expected


def test_ordinary_households_take_the_fast_path_and_are_built_as_validate_builds_them():
    rng = random.Random(1919)
    for _ in range(500):
        household = random_household(rng)  # Decimal amounts, öre, assistance months, children of all ages
        assert plain_household(household, PARAMS) == validate(household, PARAMS)


def test_every_broken_household_is_refused_with_validates_errors():
    rng = random.Random(2026)
    for mutate in MUTATIONS * 3:
        household = random_household(rng, ore=rng.random() < 0.5)
        mutate(household)
        _judged_alike(household)


def test_an_amount_as_text_is_refused_by_field():
    household = random_household(random.Random(5))
    household["costs"] = [{"type": "rent", "amount": "5000"}]  # msgspec would read it as a Decimal
    with pytest.raises(InvalidInput) as refused:
        calculate(household, PARAMS)
    assert refused.value.as_list()[0]["field"] == "costs[0].amount"


# Values a Python caller can give that JSON cannot: msgspec takes some of them where the contract does not.
PYTHON_ONLY = st.sampled_from(
    [
        Decimal("1.005"), Decimal("12.50"), Decimal("NaN"), Decimal("-0"), Decimal("1E+8"), 1.5, 0.1,
        Decimal("sNaN"), Decimal("-Infinity"), Decimal("Infinity"), Decimal("-0.01"), Decimal("1.500"),
        Decimal("10000000.00"), Decimal("10000000.01"),
        float("inf"), (1, 2), ("2021-03",), date(2020, 1, 1), frozenset(), b"x", "5000", 10**30,
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), where=st.integers(0, 10_000), value=JSON | PYTHON_ONLY)
def test_any_value_in_any_field_is_judged_as_validate_judges_it(seed, where, value):
    rng = random.Random(seed)
    household = random_household(rng, ore=bool(seed % 2))
    places = list(_places(household))
    container, key = places[where % len(places)]
    container[key] = copy.deepcopy(value)
    _judged_alike(household)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 10_000), shuffle=st.randoms(use_true_random=False), repeat=st.integers(0, 3))
def test_assistance_months_in_any_order_and_repeated_are_read_as_validate_reads_them(seed, shuffle, repeat):
    household = random_household(random.Random(seed))
    lists = [household] + [m for m in household["members"] if m.get("assistance_months")]
    for holder in lists:
        months = list(holder.get("assistance_months") or [])
        months += months[:repeat] + ["2019-13"] * (repeat == 3)  # repeats; a month that is none
        shuffle.shuffle(months)
        holder["assistance_months"] = months
    fast = plain_household(household, PARAMS)
    _judged_alike(household)
    if fast is not None:
        for months in [fast.assistance_months] + [m.assistance_months for m in fast.members]:
            assert months is None or list(months) == sorted(set(months))
