"""A stored register snapshot reads back as the same typed facts the registers gave: decoded once, exactly."""

from __future__ import annotations

import itertools

import pytest

from bistand.registers import RegisterError
from bistand.registers.client import parse_raw
from bistand.registers.interface import to_jsonable
from bistand.registers.simulator.render import wire_answer
from bistand.registers.snapshot import FACTS_BY_SOURCE, RegisterSnapshot, SnapshotUnreadable, decode
from bistand.registers.sources import ALL_SOURCES, Period, Source

PERIODS = (Period(2026, 1), Period(2026, 11))
PERSONS = 60  # bounded: enough households to meet every kind of fact, fast enough for every run


def test_every_sources_facts_survive_storage_exactly(population):
    """Over the first households of the synthetic population, every source: the JSON form that a run stores
    decodes to facts equal to the ones parsed from the register's answer (amounts, dates, enums, tuples)."""
    seen: set[Source] = set()
    people = itertools.islice((p for h in population.households for p in population.members(h)), PERSONS)
    for person, period, source in itertools.product(people, PERIODS, ALL_SOURCES):
        try:
            facts = parse_raw(source, wire_answer(population, source, person, period)).facts
        except RegisterError:
            continue  # e.g. CSN cannot search a samordningsnummer: no facts to store
        assert decode(FACTS_BY_SOURCE[source], to_jsonable(facts)) == facts
        seen.add(source)
    assert seen == set(ALL_SOURCES)


def test_a_snapshot_reads_per_role_and_source_with_its_protection():
    stored = {
        "applicant": {
            "protected": False,
            "complete": False,
            "sources": {
                "skv": {
                    "status": "ok",
                    "facts": {
                        "capital": [{"assessment_year": 2025, "total_income": "900", "surplus": "120.50"}]
                    },
                },
                "af": {"status": "error", "facts": None, "error": {"kind": "timeout"}},
            },
        },
        "co_applicant": {"protected": True, "complete": True, "sources": {}},
    }
    snapshot = RegisterSnapshot.from_json(stored)
    (capital,) = snapshot.roles["applicant"].facts(Source.SKV).capital
    assert capital.surplus * 2 == 241 and capital.assessment_year == 2025
    assert snapshot.roles["applicant"].facts(Source.AF) is None
    assert snapshot.protected_anywhere
    assert not RegisterSnapshot.from_json(None).protected_anywhere


def test_a_stored_fact_of_the_wrong_shape_is_named_by_its_path():
    stored = {"applicant": {"sources": {"skv": {"facts": {"capital": [{"assessment_year": 2025}]}}}}}
    snapshot = RegisterSnapshot.from_json(stored)
    with pytest.raises(SnapshotUnreadable, match=r"applicant\.skv\.facts\.capital\[0\]\.total_income"):
        snapshot.roles["applicant"].facts(Source.SKV)
