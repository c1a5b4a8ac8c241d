"""Runs every case in tests/rules/reform_cases/*.yaml through the bidragsreform's rules (`rules.reform`).

A case gives the month and the household's `facts`, and `expect`s the codes of the rules that send the case
to a person, in the order the rules are listed in `bidragsreform.yaml`. Each file is named for the section
it tests and holds cases on both sides of the rule's in-force date.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bistand.rules.reform import Adult, ReformFacts, hits, reform_rules

CASES_DIR = Path(__file__).parent / "reform_cases"


def _cases() -> list[Any]:
    return [
        pytest.param(case, id=f"{path.stem}: {case['name']}")
        for path in sorted(CASES_DIR.glob("*.yaml"))
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


def _facts(case: dict[str, Any]) -> ReformFacts:
    data = dict(case["facts"])
    adults = []
    for raw in data.pop("adults"):
        adult = dict(raw)
        if adult.get("certificate"):
            adult["certificate"] = tuple(datetime.date.fromisoformat(d) for d in adult["certificate"])
        adults.append(Adult(**adult))
    data["beyond_norm"] = tuple(data.get("beyond_norm", ()))
    return ReformFacts(month=datetime.date.fromisoformat(f"{case['month']}-01"), adults=tuple(adults), **data)


@pytest.mark.parametrize("case", _cases())
def test_reform_case(case: dict[str, Any]) -> None:
    assert [hit.rule.code for hit in hits(_facts(case))] == case["expect"]


def test_every_rule_has_cases_on_both_sides_of_its_date() -> None:
    """Each rule is hit in some case, and its file also has a case from before its date that is not hit."""
    for code, rule in reform_rules().items():
        files = [
            path
            for path in sorted(CASES_DIR.glob("*.yaml"))
            if any(code in case["expect"] for case in yaml.safe_load(path.read_text(encoding="utf-8")))
        ]
        assert files, f"no case hits {code}"
        before = [
            case
            for path in files
            for case in yaml.safe_load(path.read_text(encoding="utf-8"))
            if not rule.applies(datetime.date.fromisoformat(f"{case['month']}-01"))
        ]
        assert before and all(code not in case["expect"] for case in before), code


def test_every_rule_is_pending_sfs_until_its_number_is_recorded() -> None:
    for rule in reform_rules().values():
        assert rule.pending_sfs and "pending SFS" in rule.cite()
        assert rule.reduces, "the robot must never apply these against a citizen on its own"
        assert rule.proposition in ("prop. 2025/26:201", "prop. 2025/26:207")


@pytest.mark.parametrize(("month", "named"), [("2026-12", False), ("2027-01", True)])
def test_prop_2025_26_201_calc_names_the_riksnorm_ceiling_but_never_applies_it(tmp_path, month, named):
    import shutil

    from bistand.rules import calculate
    from bistand.rules.parameters import load_parameters

    (tmp_path / "parameters" / "riksnorm").mkdir(parents=True)
    shutil.copy(
        Path(__file__).parent / "data" / "riksnorm-2027-referensvarde.yaml",
        tmp_path / "parameters" / "riksnorm" / "2027.yaml",
    )
    params = load_parameters(tmp_path)
    household = {
        "month": month,
        "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}],
        "costs": [{"type": "dental", "amount": 900}],
    }
    result = calculate(household, params)
    assert any("Riksnormen som tak" in w for w in result.warnings) is named
    # The dental cost is counted either way: the rule is named, never applied by the machine.
    assert any(line.rule.endswith("dental") or "dental" in line.rule for line in result.lines)
