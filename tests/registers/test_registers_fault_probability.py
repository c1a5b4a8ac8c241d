"""Fault rules with a `probability`: a share of the matching requests fails, the same share on every run."""

from __future__ import annotations

import pytest

from bistand.registers.simulator.faults import FaultMode, FaultTable
from bistand.registers.sources import SSBTEK_SOURCES, Source
from tests.registers.wire import ask

PERSON = "198001139297"


def outcomes(table: FaultTable, count: int) -> list[bool]:
    """Whether each of `count` requests met a fault."""
    return [table.decide(Source.FK, PERSON).rule is not None for _ in range(count)]


def table_with(*rules: dict) -> FaultTable:
    table = FaultTable()
    table.add(table.parse(list(rules)))
    return table


def test_a_fifth_of_the_requests_fail_and_the_same_ones_on_every_run():
    first = outcomes(table_with({"mode": "error", "probability": 0.2, "seed": 7}), 5000)
    again = outcomes(table_with({"mode": "error", "probability": 0.2, "seed": 7}), 5000)
    other = outcomes(table_with({"mode": "error", "probability": 0.2, "seed": 8}), 5000)

    assert 0.18 <= sum(first) / len(first) <= 0.22
    assert first == again, "the same seed gives the same faults"
    assert first != other, "another seed gives other faults"


def test_without_a_seed_the_draws_are_still_the_same_on_every_run():
    assert outcomes(table_with({"mode": "error", "probability": 0.5}), 200) == outcomes(
        table_with({"mode": "error", "probability": 0.5}), 200
    )


def test_probability_zero_and_one():
    assert not any(outcomes(table_with({"mode": "error", "probability": 0}), 100))
    assert all(outcomes(table_with({"mode": "error", "probability": 1}), 100))


def test_a_spared_request_does_not_use_up_times():
    table = table_with({"mode": "error", "probability": 0.3, "times": 5, "seed": 3})
    hits = 0
    for _ in range(1000):
        hits += table.decide(Source.FK, PERSON).rule is not None
        if not table.rules():
            break
    assert hits == 5 and table.rules() == []


def test_a_spared_rule_lets_the_next_one_apply():
    table = table_with(
        {"mode": "not_found", "person": PERSON, "probability": 0.5, "seed": 1},
        {"mode": "error"},
    )
    modes = {table.decide(Source.FK, PERSON).rule.mode for _ in range(50)}
    assert modes == {FaultMode.NOT_FOUND, FaultMode.ERROR}


def test_probabilistic_latency_adds_up_only_when_drawn():
    table = table_with({"mode": "latency", "latency_ms": 10, "probability": 0.5, "seed": 2})
    latencies = {table.decide(Source.AF, PERSON).latency_ms for _ in range(50)}
    assert latencies == {0, 10}


@pytest.mark.parametrize(
    "rule",
    [
        {"mode": "error", "probability": -0.1},
        {"mode": "error", "probability": 1.5},
        {"mode": "error", "probability": "0.2"},
        {"mode": "error", "probability": True},
        {"mode": "error", "probability": float("nan")},
        {"mode": "error", "probability": 0.2, "seed": -1},
        {"mode": "error", "probability": 0.2, "seed": 1.5},
    ],
)
def test_bad_probabilities_and_seeds_are_refused(rule):
    with pytest.raises(ValueError):
        FaultTable().parse(rule)


def test_the_rule_lists_its_probability_and_seed():
    (rule,) = FaultTable().parse({"mode": "error", "probability": 0.25, "seed": 9})
    assert rule.to_dict()["probability"] == 0.25 and rule.to_dict()["seed"] == 9


def test_over_http_a_fifth_of_the_calls_fail_reproducibly(registers, population):
    pnr = population.households[0].members[0]

    def statuses() -> list[int]:
        registers.clear_faults()
        registers.faults({"mode": "error", "probability": 0.2, "seed": 11, "status": 502})
        return [ask(registers.url, Source.FK, pnr).status_code for _ in range(200)]

    first = statuses()
    assert set(first) == {200, 502}
    assert 20 <= first.count(502) <= 60
    assert statuses() == first


def test_an_ssbtek_call_is_drawn_once_however_many_agencies_it_asks():
    """ "Fails a fifth of the calls" stays a fifth of the SSBTEK calls, not a fifth of each of seven
    agencies (which would fail four calls in five), and the whole call meets the same fault."""
    table = table_with({"mode": "error", "status": 503, "probability": 0.2, "seed": 3})
    calls = [table.decide_call(list(SSBTEK_SOURCES), PERSON) for _ in range(500)]
    failed = [c for c in calls if any(d.rule is not None for d in c.values())]
    assert 0.15 <= len(failed) / len(calls) <= 0.25
    assert all(all(d.rule is not None for d in c.values()) for c in failed)


def test_times_counts_a_call_once():
    table = table_with({"mode": "not_found", "times": 2})
    first, second, third = (table.decide_call(list(SSBTEK_SOURCES), PERSON) for _ in range(3))
    assert all(d.rule is not None for d in [*first.values(), *second.values()])
    assert all(d.rule is None for d in third.values())
