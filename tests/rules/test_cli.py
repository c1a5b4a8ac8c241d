"""The commands as a user runs them: `.venv/bin/bistand calc|norm|simulate` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bistand.rules.parameters import PACKAGE_DIR

BISTAND = str(Path(sys.executable).with_name("bistand"))
EXAMPLE = {
    "month": "2021-03",
    "members": [
        {"id": "a", "role": "applicant", "birth_date": "1985-02-11"},
        {"id": "b", "role": "co_applicant", "birth_date": "1987-07-30"},
        {"id": "c", "role": "child", "birth_date": "2016-05-01", "lunch_at_home": False},
        {"id": "d", "role": "child", "birth_date": "2012-01-20"},
    ],
    "costs": [{"type": "rent", "amount": 7800}, {"type": "electricity", "amount": 350}],
    "incomes": [{"member": "a", "type": "salary", "amount": 4000}],
}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data directory, so imports in one test never reach another or the developer's var/."""
    return tmp_path / "data"


def bistand(
    *args: str, data_dir: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "BISTAND_DATA_DIR": str(data_dir or Path("/nonexistent-bistand-data"))}
    return subprocess.run(
        [BISTAND, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False, env=env
    )


def test_calc_prints_the_result_json(tmp_path):
    path = tmp_path / "household.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    done = bistand("calc", str(path))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout, parse_float=Decimal)
    assert result["norm_total"] == 12540
    assert result["entitlement"] == 12540 + 8150 - 4000
    assert result["norm_table"] == {
        **result["norm_table"],
        "id": "riksnorm-2021",
        "source": "SFS 2020:1013",
        "verified": True,
    }


def test_calc_reads_standard_input_and_writes_öre_with_two_decimals():
    data = {
        "month": "2021-06",
        "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}],
        "household_size": 4,
    }
    done = bistand("calc", "-", "--compact", stdin=json.dumps(data))
    assert done.returncode == 0, done.stderr
    assert '"norm_total":3562.50' in done.stdout
    assert '"entitlement":3563' in done.stdout


def test_calc_explain_in_swedish_and_english(tmp_path):
    path = tmp_path / "household.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    swedish = bistand("calc", "--explain", str(path))
    assert swedish.returncode == 0
    assert "Ni har rätt till 16\u00a0690\u00a0kr i försörjningsstöd för mars 2021." in swedish.stdout
    english = bistand("calc", "--explain", "--lang", "en", str(path))
    assert "You are entitled to SEK\u00a016,690 in income support for March 2021." in english.stdout


def test_calc_invalid_input_names_the_fields_and_exits_non_zero():
    data = {
        "month": "2021-03",
        "members": [{"id": "a", "role": "applicant", "birth_date": "1980-02-30"}],
        "costs": [{"type": "hyra", "amount": 10}],
    }
    done = bistand("calc", "-", stdin=json.dumps(data))
    assert done.returncode == 1
    errors = json.loads(done.stdout)
    assert [e["field"] for e in errors] == ["members[0].birth_date", "costs[0].type"]
    assert "ÅÅÅÅ-MM-DD" in errors[0]["message"]
    assert "2 fel" in done.stderr


ISSUE_EXAMPLE = {  # issue 14, findings 6 and 10
    "month": "2026-03",
    "members": [
        {"id": "a", "role": "applicant", "birth_date": "1970-01-01"},
        {"id": "c1", "role": "child", "birth_date": "2006-01-15"},
    ],
    "costs": [{"type": "rent", "amount": 7000}],
    "incomes": [{"member": "c1", "type": "salary", "amount": 15000}],
}


def test_calc_refuses_an_unknown_field_a_young_child_applicant_and_an_unknown_school_status():
    data = {
        **ISSUE_EXAMPLE,
        "members": [
            {"id": "a", "role": "applicant", "birth_date": "2023-01-01"},
            ISSUE_EXAMPLE["members"][1],
        ],
        "income": [{"member": "a", "type": "salary", "amount": 1}],
    }
    done = bistand("calc", "-", stdin=json.dumps(data))
    assert done.returncode == 1
    fields = [e["field"] for e in json.loads(done.stdout)]
    assert fields == ["income", "members[0].birth_date", "members[1].in_school"]
    # The issue's example is never calculated with all 15 000 kr exempt: the school status is asked for.
    done = bistand("calc", "-", stdin=json.dumps(ISSUE_EXAMPLE))
    assert done.returncode == 1 and "members[1].in_school" in done.stdout


def test_calc_refuses_text_that_is_not_json():
    done = bistand("calc", "-", "--lang", "en", stdin="{month: 2021-03}")
    assert done.returncode == 1
    assert json.loads(done.stdout)[0]["message"].startswith("The input cannot be read as JSON")


def test_norm_show_prints_the_table():
    done = bistand("norm", "show", "2021")
    assert done.returncode == 0
    out = done.stdout.replace("\u00a0", " ")
    assert "Riksnormen 2021" in out and "SFS 2020:1013" in out
    assert "7–10 år" in out and "3 060 kr" in out and "2 170 kr" in out
    assert "Varje person utöver 7: 170 kr" in out
    unverified = bistand("norm", "show", "2025").stdout
    assert "*" in unverified and "Inte kontrollerat" in unverified


def _next_year(factor: Decimal, data_dir: Path) -> Path:
    """A 2027 table: the 2026 file with every amount times `factor`, rounded to 10 kr."""
    doc = yaml.safe_load((PACKAGE_DIR / "riksnorm" / "2026.yaml").read_text(encoding="utf-8"))

    def up(value):
        return int((Decimal(value) * factor / 10).quantize(Decimal(1)) * 10)

    doc.update(year=2027, valid_from="2027-01-01", amendment="SFS 2026:9999", verified=True, source_tag="A")
    doc["source"] = "https://www.regeringen.se/ (test)"
    for key in ("published_totals", "method", "note"):
        doc.pop(key, None)
    for group in (
        doc["children"]["with_lunch"],
        doc["children"]["without_lunch"],
        doc["adults"],
        doc["common"],
    ):
        values = group.pop("values", None) or dict(group)
        group.clear()
        for key, value in values.items():
            group[key] = up(value["value"] if isinstance(value, dict) else value)
    adults = doc["adults"]
    doc["adults"] = {"single": adults["single"], "couple": adults["couple"]}
    path = data_dir.parent / "2027.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_norm_import_dry_run_shows_the_difference_and_saves_nothing(data_dir):
    path = _next_year(Decimal("1.02"), data_dir)
    done = bistand("norm", "import", str(path), "--dry-run", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "Skillnad mot 2026" in done.stdout
    assert "adults.single" in done.stdout and "+80" in done.stdout  # 3 940 → 4 020
    assert not (data_dir / "parameters").exists()


def test_norm_import_saves_next_year_and_calc_uses_it(data_dir):
    path = _next_year(Decimal("1.02"), data_dir)
    household = {
        "month": "2027-01",
        "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}],
    }
    before = bistand("calc", "-", stdin=json.dumps(household), data_dir=data_dir)
    assert before.returncode == 1 and "2027" in before.stdout
    done = bistand("norm", "import", str(path), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert (data_dir / "parameters" / "riksnorm" / "2027.yaml").is_file()
    after = bistand("calc", "-", stdin=json.dumps(household), data_dir=data_dir)
    assert after.returncode == 0, after.stdout
    result = json.loads(after.stdout)
    assert result["norm_total"] == 4020 + 1310  # single + common(1), each 2026 amount × 1.02
    assert result["norm_table"] == {**result["norm_table"], "id": "riksnorm-2027", "verified": True}
    again = bistand("norm", "import", str(path), data_dir=data_dir)
    assert again.returncode == 1 and "--replace" in again.stderr


def test_norm_import_refuses_a_lower_amount_or_a_missing_bracket(data_dir):
    lower = _next_year(Decimal("0.95"), data_dir)
    done = bistand("norm", "import", str(lower), data_dir=data_dir)
    assert done.returncode == 1
    assert "lägre än 2026" in done.stderr
    assert not (data_dir / "parameters").exists()
    doc = yaml.safe_load(_next_year(Decimal("1.02"), data_dir).read_text(encoding="utf-8"))
    del doc["common"][7]
    broken = data_dir.parent / "broken.yaml"
    broken.write_text(yaml.safe_dump(doc), encoding="utf-8")
    done = bistand("norm", "import", str(broken), data_dir=data_dir)
    assert done.returncode == 1 and "missing" in done.stderr


def test_simulate_answers_what_a_higher_norm_costs(tmp_path):
    lines = [
        {"month": "2021-03", "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}]},
        {
            "month": "2021-03",
            "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}],
            "incomes": [{"member": "a", "type": "pension", "amount": 4000}],
        },
        {"month": "2021-04", "members": []},
    ]
    path = tmp_path / "households.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    done = bistand("simulate", str(path), "--norm-factor", "1.02", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["households"] == 2 and summary["invalid_lines"] == 1
    (march,) = summary["months"]
    # 2021 single + common(1): 3 160 → 3 220 and 1 020 → 1 040 (each × 1.02, to 10 kr)
    assert march["total"] == 4180 + 180
    assert march["total_after"] == 4260 + 260
    assert march["difference"] == 160
    assert "line 3: members" in done.stderr


def test_simulate_says_how_many_lines_were_refused_and_the_commonest_reason(tmp_path):
    """An analyst comparing with another engine sees plainly which households were not computed: here
    two young people of 19 without `in_school` (the child norm from 18 applies only in gymnasiet)."""
    adult = {"id": "a", "role": "applicant", "birth_date": "1980-01-01"}
    young = {"id": "b", "role": "child", "birth_date": "2006-06-01"}
    lines = [
        {"month": "2026-03", "members": [adult]},
        {"month": "2026-03", "members": [adult, young]},
        {"month": "2026-03", "members": [adult, {**young, "id": "c"}]},
        {"month": "2026-03", "members": [adult, {**young, "in_school": True}]},
        {"month": "2026-13", "members": [adult]},
    ]
    path = tmp_path / "households.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    done = bistand("simulate", str(path))
    assert done.returncode == 0, done.stderr
    assert "Avvisade: 3 av 5 rader (60,0 %)" in done.stdout
    assert "i 2 av de första 3 avvisade raderna: members[].in_school: Ange om ungdomen (19 år)" in done.stdout
    done = bistand("simulate", str(path), "--lang", "en", "--json")
    reasons = json.loads(done.stdout)["invalid_reasons"]
    assert reasons["lines_counted"] == 3
    assert [(r["field"], r["lines"]) for r in reasons["by_field"]] == [
        ("members[].in_school", 2),
        ("month", 1),
    ]
    assert "upper-secondary school" in reasons["by_field"][0]["example"]


def test_the_rules_package_and_commands_never_import_django():
    code = (
        "import sys, bistand.rules, bistand.rules.batch, bistand.rules.explain, bistand.rules.synthetic\n"
        "import bistand.rules.commands.calc, bistand.rules.commands.norm, bistand.rules.commands.simulate\n"
        "import bistand.rules.jsonl, bistand.rules.simulation, bistand.rules.chart, bistand.rules.formulas\n"
        "from bistand.rules import calculate\n"
        "calculate({'month': '2021-03',\n"
        "           'members': [{'id': 'a', 'role': 'applicant', 'birth_date': '1980-01-01'}]})\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr


def test_norm_import_of_next_years_prisbasbelopp(data_dir):
    data_dir.mkdir(parents=True)
    path = data_dir.parent / "pbb-2027.yaml"
    doc = {
        "kind": "prisbasbelopp",
        "year": 2027,
        "value": 99000,
        "source": "https://example.invalid",
        "verified": True,
    }
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    refused = bistand("norm", "import", str(path), data_dir=data_dir)
    assert refused.returncode == 1 and "orimligt stor" in refused.stderr
    doc["value"] = 60100
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    done = bistand("norm", "import", str(path), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "59200" in done.stdout and "60100" in done.stdout
    assert "60100" in (data_dir / "parameters" / "prisbasbelopp.yaml").read_text(encoding="utf-8")
