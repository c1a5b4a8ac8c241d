"""The result keeps its totals in whole öre and makes its Decimal amounts and its `norm_table` when read
(issue 19: one household under 20 µs). What is made late must be what an eager calculation gives: the
amounts the explanation's lines add up to, and the table summary those lines' parameters give."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bistand.rules import calculate, default_parameters, engine, validate
from bistand.rules.money import round_krona
from bistand.rules.parameters import weakest
from bistand.rules.synthetic import random_household

PARAMS = default_parameters()
households = st.randoms(use_true_random=False).map(random_household)


def eager_norm_table(result) -> dict:
    """The summary as it was built before it was made lazy: from every norm amount's parameter."""
    table = PARAMS.at(result.household.month).table
    norm_lines = [line for line in result.lines if line.section == "norm"]
    cells = table.cell_map
    return {
        "id": table.id,
        "source": table.source_label,
        "verified": all(line.verified for line in norm_lines),
        "table_verified": all(value.verified for value in table.all_values()),
        "reliability": weakest(  # every norm line names its parameter
            cells[part.strip()].reliability for line in norm_lines for part in line.parameter.split(",")
        ),
        "valid_from": table.valid_from.isoformat(),
        "source_url": table.source,
    }


@settings(max_examples=300, deadline=None)
@given(households)
def test_the_amounts_and_table_made_on_reading_equal_the_eager_ones(data):
    result = calculate(data, PARAMS)
    sums = {"norm": Decimal(0), "costs": Decimal(0), "income": Decimal(0)}
    for line in result.lines:
        sums[line.section] += line.amount
    assert result.norm_total == sums["norm"] and type(result.norm_total) is Decimal
    assert result.costs_total == sums["costs"]
    assert result.income_total == sums["income"]
    deficit = sums["norm"] + sums["costs"] - sums["income"]
    assert result.deficit == deficit
    assert result.entitlement == (round_krona(deficit) if deficit > 0 else 0)
    assert str(result.entitlement) == str(int(result.entitlement))  # whole kronor, written so
    assert result.norm_table == eager_norm_table(result)
    unverified = [line.parameter for line in result.lines if line.section == "norm" and not line.verified]
    children = sum(1 for m in result.household.members if m.role == "child")
    month = PARAMS.at(result.household.month)
    assert result.warnings == engine.warnings_of(result.household, month, unverified, children, "sv")
    assert result.to_dict()["norm_total"] == result.norm_total


def test_the_totals_are_there_in_ore_without_making_the_table_summary_or_warnings(monkeypatch):
    made = []
    real, real_warnings = engine.norm_table_summary, engine.warnings_of
    monkeypatch.setattr(engine, "norm_table_summary", lambda *a: made.append(1) or real(*a))
    monkeypatch.setattr(engine, "warnings_of", lambda *a: made.append(2) or real_warnings(*a))
    household = validate(random_household(random.Random(1919)), PARAMS)
    result = calculate(household, PARAMS)
    assert made == []
    assert result.entitlement_ore == int(result.entitlement) * 100
    assert result.deficit_ore == result.norm_ore + result.costs_ore - result.income_ore
    assert result.norm_table is result.norm_table and made == [1]  # made once, on reading
    assert result.warnings is result.warnings and made == [1, 2]
