"""The single path computes the totals only; the explanation's lines are made when they are read, by the
same functions, so they always add up to the totals (issue 19: one household under 20 µs)."""

from __future__ import annotations

import random

from bistand.rules import calculate, default_parameters, engine, validate
from bistand.rules.synthetic import random_household

PARAMS = default_parameters()


def test_no_line_is_made_until_the_lines_are_read(monkeypatch):
    made = []
    real = engine.Line
    monkeypatch.setattr(engine, "Line", lambda *args, **kwargs: made.append(1) or real(*args, **kwargs))
    household = validate(random_household(random.Random(19)), PARAMS)
    result = calculate(household, PARAMS)
    assert made == []
    assert result.entitlement >= 0 and result.warnings is not None
    assert result.lines and len(made) == len(result.lines)
    assert result.lines is result.lines  # made once


def test_the_lines_made_later_add_up_to_the_totals_and_say_the_same():
    rng = random.Random(1919)
    for _ in range(300):
        household = validate(random_household(rng), PARAMS)
        result = calculate(household, PARAMS)
        by_section = {"norm": 0, "costs": 0, "income": 0}
        for line in result.lines:
            by_section[line.section] += line.amount
        assert by_section["norm"] == result.norm_total
        assert by_section["costs"] == result.costs_total
        assert by_section["income"] == result.income_total
        assert result.deficit == result.norm_total + result.costs_total - result.income_total
        assert result.to_dict()["lines"] == [line.to_dict() for line in result.lines]
