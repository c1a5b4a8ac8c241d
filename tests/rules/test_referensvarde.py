"""The riksnorm in the referensvärde shape (prop. 2025/26:201): cost items per household type, checked on
import, summed into the amounts the engine reads, and compared with the year before (issue 17)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bistand.rules.commands.norm import diff_text, table_text
from bistand.rules.parameters import ParameterError, load_parameters, parse_norm_table

EXAMPLE = Path(__file__).parent / "data" / "riksnorm-2027-referensvarde.yaml"


@pytest.fixture
def doc() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def test_each_amount_is_the_sum_of_its_items(doc):
    table = parse_norm_table(doc, origin="2027.yaml")
    assert table.shape == "referensvarde"
    single = doc["household_types"]["adults"]["single"]
    assert table.adults["single"].amount == sum(Decimal(v) for v in single.values()) == Decimal(4020)
    assert table.common_amount(1) == Decimal(1310)
    assert table.breakdown["adults.single"]["livsmedel"] == Decimal(2250)
    assert not table.fully_verified  # an example, marked as such


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            lambda d: d["household_types"]["adults"]["single"].pop("hygien"),
            "household_types.adults.single: missing ['hygien']",
        ),
        (
            lambda d: d["household_types"]["adults"]["single"].update(tv=10),
            "household_types.adults.single: unknown ['tv']",
        ),
        (
            lambda d: d["household_types"]["adults"]["single"].update(hygien=-5),
            "household_types.adults.single.hygien",
        ),
        (lambda d: d["household_types"]["children"].pop("3"), "household_types.children: missing ['3']"),
        (lambda d: d.pop("cost_items"), "cost_items: needs `personal` and `common`"),
        (lambda d: d.update(shape="per_household"), "`shape` must be one of per_person, referensvarde"),
    ],
)
def test_a_broken_table_is_refused_naming_the_place(doc, change, named):
    broken = copy.deepcopy(doc)
    change(broken)
    with pytest.raises(ParameterError) as caught:
        parse_norm_table(broken, origin="2027.yaml")
    assert named in str(caught.value)


def test_the_difference_from_a_per_person_year_says_the_shape_changed(doc):
    before = load_parameters(overlay=False).tables[2026]
    text = diff_text(before, parse_norm_table(doc, origin="2027.yaml"), "sv")
    assert "Ny form: 2026 är en tabell per person och hushållsstorlek, 2027 ett referensvärde" in text
    assert "adults.single" in text and "+80" in text


def test_two_referensvarde_years_are_compared_item_by_item(doc):
    later = copy.deepcopy(doc)
    later["year"], later["valid_from"] = 2028, "2028-01-01"
    later["household_types"]["adults"]["single"]["livsmedel"] = 2300
    text = diff_text(parse_norm_table(doc), parse_norm_table(later), "en")
    assert "Cost items:" in text and "adults.single livsmedel" in text and "+50" in text
    assert "Cost items (referensvärde)" in table_text(parse_norm_table(later), lang="en")
