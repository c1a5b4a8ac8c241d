"""Policy simulation: baseline against a variant — cost, who gains and loses, household types, chart."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from bistand.rules import calculate, default_parameters, validate
from bistand.rules.batch import build_columns
from bistand.rules.chart import svg
from bistand.rules.simulation import Variant, run

ADULT = {"id": "a", "role": "applicant", "birth_date": "1980-01-01"}
PARTNER = {"id": "b", "role": "co_applicant", "birth_date": "1981-01-01"}
CHILD = {"id": "c", "role": "child", "birth_date": "2015-01-01"}
HOUSEHOLDS = [
    {"month": "2026-03", "members": [ADULT]},  # single
    {"month": "2026-03", "members": [ADULT], "incomes": [{"member": "a", "type": "pension", "amount": 30000}]},
    {"month": "2026-03", "members": [ADULT, CHILD], "costs": [{"type": "rent", "amount": 30000}]},  # big rent
    {"month": "2026-03", "members": [ADULT, PARTNER]},
    {"month": "2026-04", "members": [ADULT, PARTNER, CHILD]},
]  # fmt: skip


def _compare(variant_of):
    params = default_parameters()
    households = [validate(h, params) for h in HOUSEHOLDS]
    columns = build_columns(households, params)
    return run(columns, params, variant_of(params)), params


def test_a_higher_norm_costs_what_the_single_path_says_and_everyone_supported_gains():
    comparison, params = _compare(lambda p: Variant(p.scaled(Decimal("1.10"))))
    scaled = params.scaled(Decimal("1.10"))
    before = sum(calculate(h, params).entitlement for h in HOUSEHOLDS)
    after = sum(calculate(h, scaled).entitlement for h in HOUSEHOLDS)
    overall = comparison.overall
    assert (overall.total, overall.total_after, overall.difference) == (before, after, after - before)
    assert overall.gainers == 4 and overall.losers == 0  # the pensioner stays above the norm
    assert [g.households for g in comparison.by_type] == [2, 1, 1, 1]
    assert [g.key for g in comparison.by_month] == ["2026-03", "2026-04"]


def test_a_cap_makes_losers_of_those_above_it_only():
    comparison, params = _compare(lambda p: Variant(p, cap=Decimal(20000)))
    big = calculate(HOUSEHOLDS[2], params).entitlement
    assert big > 20000
    assert comparison.overall.losers == 1 and comparison.overall.gainers == 0
    assert comparison.overall.difference == 20000 - big
    single_parents = comparison.by_type[1]
    assert single_parents.key == "single_children" and single_parents.losers == 1


def test_the_chart_is_an_svg_that_names_every_household_type_and_the_total():
    comparison, _ = _compare(lambda p: Variant(p.scaled(Decimal("1.02")), cap=Decimal(20000)))
    text = svg(comparison, "sv", "riksnorm × 1.02")
    root = ElementTree.fromstring(text)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    words = " ".join(root.itertext())
    for name in (
        "Ensamstående utan barn",
        "Ensamstående med barn",
        "Sammanboende utan barn",
        "Sammanboende med barn",
    ):
        assert name in words
    assert "Totalt:" in words and "får mer" in words
    assert "Single parent" in svg(comparison, "en")


def test_the_command_prints_the_comparison_and_draws_the_chart(tmp_path: Path):
    path = tmp_path / "h.jsonl"
    path.write_text("\n".join(json.dumps(h) for h in HOUSEHOLDS) + "\n{}\n", encoding="utf-8")
    chart = tmp_path / "chart.svg"
    exe = Path(sys.executable).with_name("bistand")
    args = [str(exe), "simulate", str(path), "--norm-factor", "1.02", "--cap", "20000", "--chart", str(chart)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Får mer" in done.stdout and "Sammanboende med barn" in done.stdout
    assert "line 6: month" in done.stderr
    assert ElementTree.parse(chart).getroot().tag.endswith("svg")  # noqa: S314 - our own output
    done = subprocess.run([*args, "--json"], capture_output=True, text=True, timeout=60, check=False)
    summary = json.loads(done.stdout)
    assert summary["households"] == 5 and summary["invalid_lines"] == 1
    assert summary["overall"]["losers"] == 1 and len(summary["by_type"]) == 4


def test_a_missing_file_or_an_unwritable_chart_is_a_plain_message(tmp_path: Path):
    exe = str(Path(sys.executable).with_name("bistand"))
    done = subprocess.run(
        [exe, "simulate", str(tmp_path / "nope.jsonl")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "Kan inte läsa" in done.stderr and "Traceback" not in done.stderr
    path = tmp_path / "h.jsonl"
    path.write_text(json.dumps(HOUSEHOLDS[0]) + "\n", encoding="utf-8")
    chart = tmp_path / "missing-folder" / "c.svg"
    done = subprocess.run(
        [exe, "simulate", str(path), "--cap", "1000", "--chart", str(chart), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "Cannot write" in done.stderr and "Traceback" not in done.stderr
