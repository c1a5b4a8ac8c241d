"""The JSON-lines reader of `bistand simulate` (msgspec + one checking pass) against `validate`: the same
lines accepted, the same totals, the same field-named errors with their line numbers."""

from __future__ import annotations

import copy
import io
import json
import random
from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bistand.rules import default_parameters, jsonl
from bistand.rules.batch import build_columns, compute, read_jsonl
from bistand.rules.jsonl import read
from bistand.rules.money import dumps
from bistand.rules.synthetic import random_household

PARAMS = default_parameters()


def _both(lines: list[str]):
    fast = read([line.encode() for line in lines], PARAMS)
    households, errors = read_jsonl(lines, PARAMS)
    return fast, households, errors


def _assert_same(lines: list[str]) -> None:
    fast, households, errors = _both(lines)
    assert fast.errors() == errors
    assert fast.invalid_count == len(errors)
    assert fast.columns.month_labels() == [h.month_label for h in households]
    if households:
        a = compute(fast.columns, PARAMS)
        b = compute(build_columns(households, PARAMS), PARAMS)
        for name in ("norm", "costs", "income", "deficit", "entitlement"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), name
    _assert_file_read_alike(lines, fast)


def _assert_file_read_alike(lines: list[str], expected: jsonl.Batch) -> None:
    """`read_file` (the file in blocks, as `bistand simulate` reads it) gives what `read` gives for its
    lines, whether the file ends with a newline or not, in blocks large or small."""
    for text in ("\n".join(lines) + "\n", "\n".join(lines)):
        for block in (jsonl.BLOCK, 300):
            saved, jsonl.BLOCK = jsonl.BLOCK, block
            try:
                batch = jsonl.read_file(io.BytesIO(text.encode()), PARAMS)
            finally:
                jsonl.BLOCK = saved
            assert batch.invalid == expected.invalid
            assert batch.invalid_count == expected.invalid_count
            assert batch.columns.month_labels() == expected.columns.month_labels()
            if len(batch):
                a, b = compute(batch.columns, PARAMS), compute(expected.columns, PARAMS)
                for name in ("norm", "costs", "income", "deficit", "entitlement"):
                    assert np.array_equal(getattr(a, name), getattr(b, name)), name


OPTIONAL = ("lunch_at_home", "days_in_household", "in_school", "assistance_months")


def _plain(rng: random.Random) -> dict:
    """A household with members' id, role and birth date only, in whole kronor (as the rules-compare set)."""
    household = random_household(rng, ore=False)
    for key in ("household_size", "municipality", "assistance_months"):
        household.pop(key, None)
    for member in household["members"]:
        for key in OPTIONAL:
            member.pop(key, None)
    for income in household.get("incomes", []):
        income.pop("earned_earlier_this_year", None)
    return household


def test_plain_households_read_alike_broken_or_not():
    rng = random.Random(1944)
    lines = []
    for n in range(600):
        household = _plain(rng)
        if n % 3 == 0:
            MUTATIONS[n % len(MUTATIONS)](household)
        lines.append(dumps(household, indent=None))
    _assert_same(lines)
    assert 0 < read([line.encode() for line in lines], PARAMS).invalid_count < 600


def test_random_valid_households_read_alike():
    rng = random.Random(190)
    whole = [dumps(random_household(rng, ore=False), indent=None) for _ in range(1500)]
    with_ore = [dumps(random_household(rng), indent=None) for _ in range(500)]  # decimals: validate's path
    _assert_same(whole + with_ore)
    assert not read([line.encode() for line in whole], PARAMS).invalid


# Each breaks one rule of the contract (or is valid input the fast pass leaves to `validate`).
MUTATIONS = [
    lambda h: h.pop("month"),
    lambda h: h.update(month="2026-13"),
    lambda h: h.update(month="2099-01"),
    lambda h: h.update(month="2012-01"),
    lambda h: h.update(mounth="2026-01"),
    lambda h: h.update(municipality="12a4"),
    lambda h: h.update(municipality="0180"),
    lambda h: h.update(members=[]),
    lambda h: h.update(members=None),
    lambda h: h.update(household_size=0),
    lambda h: h.update(household_size=100),
    lambda h: h.update(household_size=True),
    lambda h: h.update(household_size=len(h["members"]) + 3),
    lambda h: h.update(costs=None),
    lambda h: h.update(incomes="none"),
    lambda h: h.update(assistance_months=["2099-01"]),
    lambda h: h.update(assistance_months=["2020-1"]),
    lambda h: h["members"][0].update(role="boss"),
    lambda h: h["members"][0].update(role="child"),
    lambda h: h["members"].append(dict(h["members"][0])),
    lambda h: h["members"].append({**h["members"][0], "id": "z"}),
    lambda h: h["members"][0].update(id=" "),
    lambda h: h["members"][0].update(birth_date="1980-02-30"),
    lambda h: h["members"][0].update(birth_date="19800101"),
    lambda h: h["members"][0].update(birth_date="1880-01-01"),
    lambda h: h["members"][0].update(birth_date="2099-01-01"),
    lambda h: h["members"][0].update(birth_date=f"{h['month'][:4]}-01-01"),
    lambda h: h["members"][0].update(in_school=True),
    lambda h: h["members"][0].update(days_in_household=10),
    lambda h: h["members"][0].update(lunch_at_home="no"),
    lambda h: h["members"][0].update(lunch_at_home=False),
    lambda h: h["members"][0].update(lunch_at_hom=False),
    lambda h: h["members"][0].update(assistance_months=["2013-01", "2013-02"]),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": "1990-01-01"}),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 19)}),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 19), "in_school": False}),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 19), "in_school": True}),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 5), "in_school": True}),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 5), "days_in_household": 0}),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 5), "days_in_household": 32}),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 5), "days_in_household": 28}),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 5), "assistance_months": []}),
    lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 9), "lunch_at_home": False}),
    lambda h: h.setdefault("costs", []).append({"type": "yacht", "amount": 10}),
    lambda h: h.setdefault("costs", []).append({"type": "rent", "amount": -1}),
    lambda h: h.setdefault("costs", []).append({"type": "rent", "amount": 10_000_001}),
    lambda h: h.setdefault("costs", []).append({"type": "rent", "amount": 12.345}),
    lambda h: h.setdefault("costs", []).append({"type": "rent", "amount": 12.5}),
    lambda h: h.setdefault("costs", []).append({"type": "rent"}),
    lambda h: h.setdefault("incomes", []).append({"member": "nobody", "type": "salary", "amount": 1}),
    lambda h: h.setdefault("incomes", []).append({"member": "a", "type": "lottery", "amount": 1}),
    lambda h: h.setdefault("incomes", []).append({"member": "a", "type": "salary", "amount": 1, "earned_earlier_this_year": 5}),
    lambda h: h.setdefault("incomes", []).append({"member": "a", "type": "salary", "amount": "100"}),
]  # fmt: skip


def _born(household: dict, age: int) -> str:
    year = int(household["month"][:4]) - age - 1
    return f"{year}-06-15"


def test_every_broken_line_is_refused_alike_with_its_line_number_and_field():
    rng = random.Random(1919)
    lines = ["", "not json", "[1, 2]", "{}"]
    for mutate in MUTATIONS * 4:
        household = random_household(rng, ore=False)
        mutate(household)
        lines.append(dumps(household, indent=None))
    _assert_same(lines)
    fast = read([line.encode() for line in lines], PARAMS)
    assert fast.invalid[0][0] == 2  # the blank first line is skipped, not counted
    assert len(fast.invalid) > 100


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 40) | st.sampled_from(["", "x", "2021-03", "2019-01-01", "child"]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(["id", "type", "x"]), inner, max_size=2),
    max_leaves=4,
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), where=st.integers(0, 10_000), value=JSON)
def test_any_value_in_any_field_is_judged_as_validate_judges_it(seed, where, value):
    rng = random.Random(seed)
    household = _plain(rng) if seed % 2 else random_household(rng, ore=False)
    places = list(_places(household))
    container, key = places[where % len(places)]
    container[key] = copy.deepcopy(value)
    _assert_same([dumps(household, indent=None)])


def _places(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key
            yield from _places(value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield node, index
            yield from _places(value)


def test_a_float_amount_is_read_exactly():
    line = json.dumps(
        {
            "month": "2026-03",
            "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}],
            "costs": [{"type": "rent", "amount": 5000.55}],
        }
    )
    batch = read([line.encode()], PARAMS)
    assert Decimal(int(compute(batch.columns, PARAMS).costs[0])) / 100 == Decimal("5000.55")


def test_every_invalid_line_is_counted_and_the_first_are_kept_in_order(monkeypatch):
    monkeypatch.setattr(jsonl, "KEEP_INVALID", 3)
    good = dumps(random_household(random.Random(5), ore=False), indent=None)
    lines = [good, "{}", "nonsense", good, '{"month": "2026-01", "members": []}', "[]", "{}"]
    batch = read([line.encode() for line in lines], PARAMS)
    assert len(batch) == 2 and batch.invalid_count == 5
    assert [number for number, _ in batch.errors()] == [2, 3, 5]
    assert batch.errors()[2][1][0]["field"] == "members"


def test_reading_takes_no_python_call_per_line_or_field(monkeypatch):
    """Input at the speed of the calculation: the per-line work is done in C (msgspec, map, NumPy), so the
    Python function calls made to read valid lines do not grow with the lines. Before, the checks made
    about 30 calls a line; what remains is a few per distinct month and per run of lines."""
    import sys

    rng = random.Random(3000)
    households = [random_household(rng, ore=False) for _ in range(3000)]
    for household in households:  # assistance months take a pass of their own (jobbstimulans)
        household.pop("assistance_months", None)
        for member in household["members"]:
            member.pop("assistance_months", None)
    lines = [dumps(household, indent=None).encode() for household in households]

    def calls_to_read(lines: list[bytes]) -> int:
        calls = 0

        def count(frame, event, arg):
            nonlocal calls
            if event == "call":
                calls += 1

        sys.setprofile(count)
        try:
            batch = read(lines, PARAMS)
        finally:
            sys.setprofile(None)
        assert len(batch) == len(lines)
        return calls

    # The same months twice over, in one run of lines: what the second 3 000 lines cost is what lines cost.
    monkeypatch.setattr(jsonl, "CHUNK", 10_000)
    once = calls_to_read(lines)  # (also fills the parameters' month cache)
    assert calls_to_read(lines + lines) - once < len(lines) / 10


def test_ids_distinct_across_the_file_still_find_each_earner_in_its_own_household():
    """The rules-compare file numbers members across the whole file (p0, p1, …): one dict finds an
    earner by id alone. An income naming a member of another household is still refused."""
    rng = random.Random(1919)
    lines = []
    for n in range(300):
        household = _plain(rng)
        names = {m["id"]: f"p{n}-{m['id']}" for m in household["members"]}
        for member in household["members"]:
            member["id"] = names[member["id"]]
        for income in household.get("incomes", []):
            income["member"] = names.get(income["member"], income["member"])
        if n % 7 == 3:  # an earner from the household before
            household.setdefault("incomes", []).append(
                {"member": f"p{n - 1}-a", "type": "salary", "amount": 5}
            )
        lines.append(dumps(household, indent=None))
    _assert_same(lines)
    assert read([line.encode() for line in lines], PARAMS).invalid_count >= 300 // 7


def test_a_file_with_blank_lines_and_two_households_on_one_line_is_read_line_by_line():
    """msgspec's `decode_lines` takes values separated by any white space: a line with two households and a
    blank line would give as many households as lines. The reader sees the blank line and goes line by
    line, so the line with two is refused and every other line keeps its number."""
    rng = random.Random(7)
    one, two, three = (dumps(_plain(rng), indent=None) for _ in range(3))
    for blank in ("", "   ", "\t\r"):
        lines = [one, f"{two} {three}", blank, three, blank]
        _assert_same(lines)
        batch = jsonl.read_file(io.BytesIO("\n".join(lines).encode()), PARAMS)
        assert (len(batch), batch.invalid_count, [n for n, _ in batch.invalid]) == (2, 1, [2])


def test_a_file_with_windows_line_ends_is_read_alike():
    rng = random.Random(8)
    lines = [dumps(_plain(rng), indent=None) + "\r" for _ in range(30)]
    lines[7] = "\r"  # blank but for the carriage return
    lines[12] = lines[12].replace('"members"', '"memberz"')
    _assert_same(lines)
    batch = jsonl.read_file(io.BytesIO("\n".join(lines).encode()), PARAMS)
    numbers = [n for n, _ in batch.invalid]
    assert 13 in numbers and 8 not in numbers  # the broken line refused, the blank one skipped
    assert len(batch) + batch.invalid_count == 29


def test_optional_fields_anywhere_in_a_block_are_read_alike():
    """Lines without optional fields are decoded in a bare shape; a block where one line gives one (or
    gives it as null) is decoded in the whole shape, with the same result."""
    rng = random.Random(12)
    plain = [_plain(rng) for _ in range(40)]
    variants = [
        lambda h: h["members"][0].update(lunch_at_home=None),
        lambda h: h.update(household_size=None),
        lambda h: h.update(municipality="0180"),
        lambda h: h.update(household_size=len(h["members"]) + 1),
        lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 8), "lunch_at_home": False}),
        lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 8), "days_in_household": 9}),
        lambda h: h["members"].append({"id": "k", "role": "child", "birth_date": _born(h, 19), "in_school": True}),
    ]  # fmt: skip
    for change in variants:
        households = copy.deepcopy(plain)
        change(households[25])
        _assert_same([dumps(h, indent=None) for h in households])


def test_a_plain_file_is_decoded_a_block_at_a_time_not_line_by_line(monkeypatch):
    """`bistand simulate` reads its file in blocks: a file of plain lines (as the rules-compare set) is
    decoded by one msgspec call per block, in the bare shape, each byte once, never line by line."""
    rng = random.Random(3001)
    lines = [dumps(_plain(rng), indent=None) for _ in range(2000)]
    text = ("\n".join(lines) + "\n").encode()
    expected = read([line.encode() for line in lines], PARAMS)

    def no_line_by_line(line):
        raise AssertionError("decoded line by line")

    calls = []
    bare = jsonl._decode_bare_lines
    monkeypatch.setattr(jsonl, "_decode", no_line_by_line)
    monkeypatch.setattr(jsonl, "_decode_bare_lines", lambda block: calls.append(len(block)) or bare(block))
    monkeypatch.setattr(jsonl, "BLOCK", 100_000)
    batch = jsonl.read_file(io.BytesIO(text), PARAMS)
    assert len(calls) <= -(-len(text) // 100_000)
    assert sum(calls) == len(text)
    assert (len(batch), batch.invalid_count) == (len(expected), expected.invalid_count)
