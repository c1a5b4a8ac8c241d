"""The automation policy: versioned, resting on a named delegation, readable in plain Swedish."""

import datetime

import pytest

from bistand.casework.models import AutomationPolicy
from bistand.casework.policy import default_policy, describe, policy_for


def test_the_default_policy_names_its_delegation_and_decides_only_full_grants():
    policy = default_policy()
    assert policy.delegation["reference"].startswith("kommunallagen")
    assert policy.rules["outcomes"] == ["grant"]
    assert not policy.rules["allow_emergency"] and not policy.rules["allow_protected_identity"]


def test_the_policy_reads_as_plain_swedish():
    text = "\n".join(describe(default_policy()))
    assert "Socialnämnden har beslutat" in text
    assert "Datorn avslår aldrig en ansökan" in text
    assert "nödbistånd" in text
    assert "kommunallagen (2017:725) 6 kap. 37 §" in text


@pytest.mark.django_db
def test_a_municipalitys_own_version_applies_from_its_date(municipality):
    AutomationPolicy.objects.create(
        municipality=municipality,
        version="trelleborg-2026.2",
        valid_from=datetime.date(2026, 12, 1),
        delegation={
            "body": "Arbetsmarknadsnämnden",
            "decision": "AMN 2026-11-10 § 88",
            "date": "2026-11-10",
            "reference": "kommunallagen (2017:725) 6 kap. 37 §",
        },
        config={"decides_automatically": {**default_policy().rules, "max_amount": 20000}},
    )
    november = policy_for(municipality, datetime.date(2026, 11, 1))
    december = policy_for(municipality, datetime.date(2026, 12, 1))
    assert november.version == default_policy().version
    assert december.version == "trelleborg-2026.2"
    assert december.rules["max_amount"] == 20000
    assert "Arbetsmarknadsnämnden" in describe(december)[0]


def test_by_default_the_robot_decides_with_official_and_secondary_norm_amounts_not_derived_ones():
    policy = default_policy()
    assert policy.accepts_norm("official") and policy.accepts_norm("secondary")
    assert not policy.accepts_norm("derived")
    assert (
        "– Riksnormens belopp för hushållet är officiella eller hämtade ur en andrahandskälla."
        in describe(policy)
    )
