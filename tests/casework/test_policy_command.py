"""`bistand policy record|show`: the nämnd's delegation recorded as data, bad input refused by field."""

from __future__ import annotations

import argparse
import datetime

import pytest

from bistand.casework import commands
from bistand.casework.models import AutomationPolicy
from bistand.casework.policy import policy_for
from bistand.identity.models import Municipality

pytestmark = pytest.mark.django_db

GOOD = """
version: "vellinge-2026.1"
valid_from: 2026-12-01
delegation:
  body: Socialnämnden
  date: 2026-11-12
  reference: "SN 2026-11-12 § 141"
  scope: beslut som beviljar hela det sökta försörjningsstödet för återkommande hushåll
  valid_from: 2026-12-01
decides_automatically:
  returning_household: true
  nothing_changed: true
  max_finding_severity: info
  allow_extra_needs: false
  allow_emergency: false
  allow_protected_identity: false
  norm_reliability_accepted: [official]
  max_amount: 20000
"""


def call(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    commands.add_arguments(parser)
    return commands.run(parser.parse_args(argv))


@pytest.fixture
def vellinge(db):
    return Municipality.objects.create(code="1233", name="Vellinge kommun")


def test_a_policy_with_its_delegation_is_recorded_and_shown(vellinge, tmp_path, capsys):
    path = tmp_path / "policy.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert call("record", "1233", str(path)) == 0
    row = AutomationPolicy.objects.get(municipality=vellinge)
    assert (
        row.delegation["valid_from"] == "2026-12-01" and row.delegation["reference"] == "SN 2026-11-12 § 141"
    )
    december = policy_for(vellinge, datetime.date(2026, 12, 1))
    assert december.delegation == row.delegation and december.rules["max_amount"] == 20000
    assert policy_for(vellinge, datetime.date(2026, 11, 1)).delegation is None
    capsys.readouterr()
    assert call("show", "1233", "--month", "2026-12") == 0
    out = capsys.readouterr().out
    assert "SN 2026-11-12 § 141" in out and "vellinge-2026.1" in out
    # The same version again is refused: a new version needs a new name.
    assert call("record", "1233", str(path)) == 2
    assert "version: finns redan" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("  scope: beslut", "  omfattning: beslut"), "delegation.scope: saknas"),
        (("  scope: beslut", "  omfattning: beslut"), "delegation.omfattning: okänt fält"),
        (("  date: 2026-11-12", "  date: förra veckan"), "delegation.date: ska vara ett datum"),
        (("valid_from: 2026-12-01\n", "valid_from: snart\n"), "valid_from: ska vara ett datum"),
        (("  max_amount: 20000", "  max_amount: 20000\n  outcomes: [grant, reject]"), "outcomes: okänt fält"),
        (("  max_amount: 20000", ""), "decides_automatically.max_amount: saknas"),
        (("decides_automatically:", "decide_automatically:"), "decide_automatically: okänt fält"),
        (
            (
                "  max_amount: 20000",
                "  max_amount: 20000\naktivitetskrav:\n  accepted_plan_carries_over: nej",
            ),
            "aktivitetskrav.accepted_plan_carries_over: ska vara true eller false",
        ),
        (
            ("  allow_emergency: false", '  allow_emergency: "false"'),
            "allow_emergency: ska vara true eller false",
        ),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_stored(
    vellinge, tmp_path, capsys, change, field
):
    path = tmp_path / "policy.yaml"
    path.write_text(GOOD.replace(*change, 1), encoding="utf-8")
    assert call("record", "1233", str(path)) == 2
    assert field in capsys.readouterr().err
    assert not AutomationPolicy.objects.filter(municipality=vellinge).exists()


def test_an_unknown_municipality_or_unreadable_file_is_a_clear_error(vellinge, tmp_path, capsys):
    assert call("show", "9999") == 2
    assert "municipality: ingen kommun med koden 9999" in capsys.readouterr().err
    path = tmp_path / "policy.yaml"
    path.write_text("delegation: [unclosed", encoding="utf-8")
    assert call("record", "1233", str(path)) == 2
    assert "file:" in capsys.readouterr().err
    path.write_text("- a list", encoding="utf-8")
    assert call("record", "1233", str(path)) == 2
    assert "ett objekt" in capsys.readouterr().err


def test_the_documented_example_is_accepted(vellinge):
    from pathlib import Path

    from bistand.casework.policy import default_policy

    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "automation-policy.yaml"
    assert commands.policy_errors(commands._load(example), default_policy().config) == []
