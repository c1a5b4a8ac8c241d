"""The plain-language explanation: says what each amount is, why it applies and which law; short sentences."""

from __future__ import annotations

import random
import re

import pytest

from bistand.rules import calculate, explain
from bistand.rules.explain import law
from bistand.rules.synthetic import random_household

EXAMPLE = {
    "month": "2021-03",
    "members": [
        {"id": "a", "role": "applicant", "birth_date": "1985-02-11"},
        {"id": "b", "role": "co_applicant", "birth_date": "1987-07-30"},
        {"id": "c", "role": "child", "birth_date": "2016-05-01", "lunch_at_home": False},
        {"id": "d", "role": "child", "birth_date": "2012-01-20"},
    ],
    "costs": [{"type": "rent", "amount": 7800}, {"type": "electricity", "amount": 350}],
    "incomes": [
        {"member": "a", "type": "salary", "amount": 4000},
        {"member": "a", "type": "child_allowance", "amount": 1250},
        {"member": "d", "type": "salary", "amount": 1500, "earned_earlier_this_year": 12000},
    ],
    "assistance_months": ["2020-08", "2020-09", "2020-10", "2020-11", "2020-12", "2021-01", "2021-02"],
}


def text(data, lang="sv") -> str:
    # No-break spaces keep amounts together in print; compare with ordinary spaces here.
    return explain(calculate(data), lang).replace("\u00a0", " ")


def test_swedish_explanation_of_the_contract_example():
    out = text(EXAMPLE)
    assert out.startswith("Försörjningsstöd för mars 2021")
    for sentence in (
        "Ni har rätt till 16 440 kr i försörjningsstöd för mars 2021.",
        "Riksnormen är ett belopp som regeringen bestämmer för varje år.",
        "Två vuxna som bor tillsammans: 5 700 kr.",
        "Barnet är 4 år den 1 mars 2021. Därför gäller beloppet för barn 4–6 år.",
        "Barnet äter inte lunch hemma på vardagar",
        "Gemensamma kostnader för ett hushåll med 4 personer: 1 610 kr.",
        "Regel: 2 kap. 1 § socialtjänstförordningen (2001:937), med beloppen för 2021 (SFS 2020:1013).",
        "Boendekostnad (hyra): 7 800 kr.",
        "Regel: 4 kap. 3 § första stycket 2 socialtjänstlagen (2001:453).",
        "Jobbstimulans: 1 000 kr av lönen räknas inte.",
        "från augusti 2020 till januari 2021",
        "från februari 2021 till januari 2023",
        "Prisbasbeloppet är ett belopp som regeringen bestämmer varje år. För 2021 är gränsen 47 600 kr.",
        "12 540 kr + 8 150 kr − 4 250 kr = 16 440 kr.",
    ):
        assert sentence in out, sentence


def test_english_explanation_of_the_contract_example():
    out = text(EXAMPLE, "en")
    assert "You are entitled to SEK 16,440 in income support for March 2021." in out
    assert "The child is 4 years old on 1 March 2021. So the amount for children aged 4–6 applies." in out
    assert "chapter 2, section 1 of the Social Services Ordinance (socialtjänstförordningen, 2001:937)" in out
    assert "Jobbstimulans (work incentive): SEK 1,000 of the salary is not counted." in out
    assert " kr" not in out.replace("(riksnorm)", "")


def test_a_single_adult_is_addressed_as_du():
    out = text(
        {"month": "2021-03", "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}]}
    )
    assert "Du har rätt till 4 180 kr" in out
    assert "En vuxen: 3 160 kr." in out
    assert "Gemensamma kostnader för ett hushåll med en person: 1 020 kr." in out


def test_a_surplus_is_explained():
    data = {
        "month": "2021-03",
        "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}],
        "incomes": [{"member": "a", "type": "pension", "amount": 5000}],
    }
    out = text(data)
    assert "Du har inte rätt till försörjningsstöd för mars 2021." in out
    assert "Inkomsterna är 820 kr mer än det som du behöver." in out


def test_sharing_part_month_rounding_and_large_households_are_explained():
    shared = text(
        {
            "month": "2021-06",
            "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}],
            "household_size": 7,
        }
    )
    assert "räknar vi med 1/7 av de gemensamma kostnaderna: 324,29 kr." in shared
    assert "Vi avrundar till hela kronor: 3 484 kr." in shared
    part = text(
        {
            "month": "2021-03",
            "members": [
                {"id": "a", "role": "applicant", "birth_date": "1980-01-01"},
                {"id": "c", "role": "child", "birth_date": "2012-01-01", "days_in_household": 15},
            ],
        }
    )
    assert "Barnet bor i hushållet 15 av månadens 31 dagar. Därför räknar vi med 15/31 av 3 060 kr." in part
    members = [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}] + [
        {"id": f"c{i}", "role": "child", "birth_date": "2012-01-01"} for i in range(8)
    ]
    large = text({"month": "2021-06", "members": members})
    assert "2 270 kr + 2 × 170 kr = 2 610 kr" in large


def test_a_birthday_in_the_month_is_explained():
    out = text(
        {
            "month": "2021-03",
            "members": [
                {"id": "a", "role": "applicant", "birth_date": "1980-01-01"},
                {"id": "c", "role": "child", "birth_date": "2014-03-15"},
            ],
        }
    )
    assert "Barnet är 6 år den 1 mars 2021. Därför gäller beloppet för barn 4–6 år." in out
    assert "Barnet fyller 7 år den 15 mars 2021. Men åldern räknas den första dagen i månaden" in out


def test_an_unverified_table_is_flagged_in_the_text():
    out = text(
        {"month": "2025-03", "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}]}
    )
    assert "Att tänka på:" in out
    assert "Riksnormen för 2025 är inte kontrollerad mot författningstexten (SFS)." in out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_sentences_are_short(lang):
    """Plain language: no sentence in any explanation is longer than 25 words."""
    rng = random.Random(11)
    longest = 0
    for _ in range(200):
        out = explain(calculate(random_household(rng)), lang)
        body = out.split("Att tänka på:")[0].split("Please note:")[0]  # warnings are not the explanation
        for sentence in re.split(r"(?<=[.:!?])\s+|\n", body):
            longest = max(longest, len(sentence.split()))
    assert longest <= 25


def test_law_references_are_written_out():
    assert law("SoL (2025:400) 12 kap. 8 §") == "12 kap. 8 § socialtjänstlagen (2025:400)"
    assert law("SoL (2025:400) 12 kap. 9 §", "en") == (
        "chapter 12, section 9 of the Social Services Act (socialtjänstlagen, 2025:400)"
    )
