"""Runs every table-driven case in tests/rules/cases/*.yaml through `calculate` (OpenFisca-style tests).

A case has `input` and either `expect` (result fields that must match; `lines` lists lines that must be
present with the keys given; `warnings_count` and `warning_contains` check the warnings) or `errors` (the
fields that must be named, in order). In `assistance_months`, "2020-08..2021-01" stands for every month in
between, to keep long histories readable.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bistand.rules import InvalidInput, calculate

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


def _expand_months(items: list[str]) -> list[str]:
    months = []
    for item in items:
        if ".." not in item:
            months.append(item)
            continue
        start, end = item.split("..")
        y, m = map(int, start.split("-"))
        while f"{y:04d}-{m:02d}" <= end:
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, Decimal):
        return actual == Decimal(str(expected))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(_same(actual.get(k), v) for k, v in expected.items())
    return actual == expected


@pytest.mark.parametrize("case", _load_cases())
def test_case(case: dict[str, Any]) -> None:
    data = dict(case["input"])
    if "assistance_months" in data:
        data["assistance_months"] = _expand_months(data["assistance_months"])
    lang = case.get("lang", "sv")
    if "errors" in case:
        with pytest.raises(InvalidInput) as caught:
            calculate(data, lang=lang)
        errors = caught.value.as_list(lang)
        assert [e["field"] for e in errors] == case["errors"], errors
        if "message_contains" in case:
            assert case["message_contains"] in errors[0]["message"], errors[0]["message"]
        return

    result = calculate(data, lang=lang)
    output = result.to_dict()
    expect = dict(case["expect"])
    expected_lines = expect.pop("lines", [])
    warnings_count = expect.pop("warnings_count", None)
    warning_contains = expect.pop("warning_contains", None)
    for key, value in expect.items():
        assert _same(output[key], value), f"{key}: {output[key]} != {value}"
    for wanted in expected_lines:
        assert any(_same(line, wanted) for line in output["lines"]), f"no line like {wanted}"
    if warnings_count is not None:
        assert len(output["warnings"]) == warnings_count, output["warnings"]
    if warning_contains is not None:
        assert any(warning_contains in w for w in output["warnings"]), output["warnings"]
    # Every case also checks the contract's arithmetic.
    for section, total in (("norm", "norm_total"), ("costs", "costs_total"), ("income", "income_total")):
        assert (
            sum((line["amount"] for line in output["lines"] if line["section"] == section), Decimal(0))
            == output[total]
        )
    assert output["deficit"] == output["norm_total"] + output["costs_total"] - output["income_total"]
