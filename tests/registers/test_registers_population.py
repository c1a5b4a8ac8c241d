"""The synthetic population is valid: real test identities, ages that fit roles, amounts that fit the
household, protection respected, and the same seed always gives the same population."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from bistand.identity.personnummer import parse
from bistand.registers.facts import Protection
from bistand.registers.simulator import amounts
from bistand.registers.simulator.answers import answer_for
from bistand.registers.simulator.population import (
    REFERENCE_DATE,
    HouseholdKind,
    PopulationTooLarge,
    Role,
    Situation,
    _Builder,
    generate,
)
from bistand.registers.sources import Period, Source
from bistand.testdata import is_test_identity

PERIODS = [Period(2026, 3), Period(2026, 7), Period(2026, 9), Period(2027, 2)]


def test_default_population_has_ten_thousand_persons_in_households(population):
    assert len(population) == 10_000
    assert sum(len(h.members) for h in population.households) == 10_000
    sizes = Counter(len(h.members) for h in population.households)
    assert all(sizes[n] > 0 for n in range(1, 9)), "households of 1–8 persons"
    assert max(sizes) >= 9
    kinds = Counter(h.kind for h in population.households)
    assert all(kinds[k] > 0 for k in HouseholdKind)


def test_every_number_is_a_valid_skatteverket_test_identity(population):
    numbers = [p.pnr for p in population]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert is_test_identity(number)
        assert parse(number).digits == number  # check digit and date valid
    samordning = [p for p in population if p.is_samordningsnummer]
    assert 100 <= len(samordning) <= 1500
    assert all(not p.registered for p in samordning), "samordningsnummer holders are not folkbokförda"


def test_ages_fit_household_roles(population):
    for household in population.households:
        members = population.members(household)
        ages = {p.pnr: p.age_on(REFERENCE_DATE) for p in members}
        assert members[0].role is Role.APPLICANT
        parents = [p for p in members if p.role in (Role.APPLICANT, Role.PARTNER)]
        assert len(parents) <= 2
        for person in members:
            age = ages[person.pnr]
            if person.role is Role.CHILD:
                assert 0 <= age < 18
            elif person.role is Role.ADULT_CHILD:
                assert 18 <= age <= 21
            else:
                assert 18 <= age <= 106
            if person.role in (Role.CHILD, Role.ADULT_CHILD):
                # The applicant is a parent: at least 18 years older than each child.
                assert ages[members[0].pnr] - age >= 18
            if person.role is Role.RELATIVE:
                assert age > max(ages[p.pnr] for p in parents)
        if household.kind in (HouseholdKind.SINGLE_SENIOR, HouseholdKind.COUPLE_SENIOR):
            assert ages[members[0].pnr] >= 65


def test_situations_fit_ages(population):
    for person in population:
        age = person.age_on(REFERENCE_DATE)
        codes = {s.code for s in person.streams}
        if "PM:AP" in codes:
            assert age >= 65
        if codes & {"FK:SJP", "FK:AS", "FK:FP", "FK:SA"}:
            assert 18 <= age < 65
        if person.situation is Situation.PARENTAL_LEAVE:
            household = population.household_of(person)
            assert any(p.role is Role.CHILD for p in population.members(household))
        if person.role in (Role.CHILD, Role.ADULT_CHILD):
            assert not person.streams and person.akassa is None and not person.vehicles


def _net(document: dict, code: str) -> Decimal:
    """Net paid of one benefit in the month asked for (FK answers with earlier months' payments too)."""
    month = document["Period"]["FromDatum"][:7]
    return sum(
        (
            Decimal(p["Nettobelopp"])
            for b in document["Formaner"]
            if b["Formanskod"] == code
            for p in b["Utbetalningar"]
            if p["Utbetalningsdatum"][:7] == month
        ),
        Decimal(0),
    )


def test_barnbidrag_matches_the_number_of_children(population):
    checked = 0
    for household in population.households:
        members = population.members(household)
        children = [p for p in members if p.role in (Role.CHILD, Role.ADULT_CHILD)]
        for period in PERIODS:
            paid = sum(
                (_net(answer_for(population, Source.FK, p, period), "FK:ABB") for p in members), Decimal(0)
            )
            under_16 = sum(1 for c in children if c.age_on(period.first_day) < 16)
            students = 0
            for child in children:
                csn = answer_for(population, Source.CSN, child, period)
                if child.age_on(period.first_day) >= 16 and any(
                    u["Stodform"] == "STUDIEHJALP" for u in csn["Utbetalningar"]
                ):
                    students += 1
            if members[0].is_samordningsnummer:
                assert paid == 0, "not folkbokförd: no barnbidrag"
                continue
            expected = amounts.barnbidrag_total(under_16, students)
            assert paid == expected, (household.id, period, under_16, students)
            checked += paid > 0
    assert checked > 1000


def test_flerbarnstillagg_levels():
    assert [amounts.flerbarnstillagg(n) for n in range(7)] == [0, 0, 150, 730, 1740, 2990, 4240]
    assert amounts.barnbidrag_total(2) == 2650
    assert amounts.barnbidrag_total(3) == 4480
    assert amounts.barnbidrag_total(1, with_studiebidrag=1) == 1400


def test_underhallsstod_only_for_single_parents_per_child(population):
    period = Period(2026, 3)
    paid_households = 0
    for household in population.households:
        members = population.members(household)
        paid = sum((_net(answer_for(population, Source.FK, p, period), "FK:US") for p in members), Decimal(0))
        if not paid:
            continue
        paid_households += 1
        parents = [p for p in members if p.role in (Role.APPLICANT, Role.PARTNER)]
        minors = [
            p for p in members if p.role in (Role.CHILD, Role.ADULT_CHILD) and p.age_on(period.first_day) < 18
        ]
        assert len(parents) == 1
        assert paid == amounts.UNDERHALLSSTOD_PER_CHILD * len(minors)
    assert paid_households > 300


def test_bostadsbidrag_only_for_families_and_young_people(population):
    for household in population.households:
        if household.bostadsbidrag is None:
            continue
        members = population.members(household)
        has_minors = any(p.role is Role.CHILD for p in members)
        applicant_age = members[0].age_on(REFERENCE_DATE)
        assert has_minors or 18 <= applicant_age <= 28
        monthly = household.bostadsbidrag.monthly_gross
        assert 300 <= monthly <= (5300 if has_minors else 1300)


def test_taxable_benefits_have_tax_and_tax_free_do_not(population):
    period = Period(2026, 3)
    seen = set()
    for person in list(population)[:3000]:
        document = answer_for(population, Source.FK, person, period)
        for benefit in document["Formaner"]:
            for payment in benefit["Utbetalningar"]:
                code = benefit["Formanskod"]
                seen.add(code)
                assert payment["Nettobelopp"] == payment["Bruttobelopp"] - payment["Skatteavdrag"]
                if code in ("FK:ABB", "FK:BOB", "FK:US", "FK:ET", "PM:BTI"):
                    assert payment["Skatteavdrag"] == 0
                else:
                    assert payment["Skatteavdrag"] > 0
    assert {"FK:ABB", "FK:BOB", "FK:SJP", "PM:AP", "FK:AS"} <= seen


def test_akassa_net_after_tax_is_plausible(population):
    period = Period(2026, 3)
    found = 0
    for person in population:
        if person.akassa is None:
            continue
        for fund in answer_for(population, Source.SO, person, period)["Arbetsloshetskassor"]:
            for payment in fund["Utbetalningar"]:
                found += 1
                per_day = payment["NettoEfterSkatt"] / payment["Ersattningsdagar"]
                assert 510 * 0.6 <= per_day <= 1200 * 0.8
                assert payment["NettoEfterAvdrag"] <= payment["NettoEfterSkatt"]
    assert found > 300


def test_register_variety(population):
    summary = population.summary()
    assert summary["protection"]["sekretessmarkering"] >= 50
    assert summary["protection"]["skyddad_folkbokforing"] >= 50
    assert summary["with_vehicles"] >= 300
    assert summary["with_capital_income"] >= 1000
    assert summary["with_residence_permit_cases"] >= 300
    situations = summary["situations"]
    assert all(situations.get(s.value, 0) > 0 for s in Situation)


def test_navet_sends_the_address_as_the_real_navet_does(population):
    """Skyddad folkbokföring: never an address. Sekretessmarkering: Navet still sends it (a flag beside the
    address), so Bistånd's own shield is what keeps it out of storage — the client tests prove that."""
    period = Period(2026, 3)
    by_level = {
        level: [h for h in population.households if population.household_protection(h) is level]
        for level in (Protection.SKYDDAD_FOLKBOKFORING, Protection.SEKRETESSMARKERING)
    }
    assert len(by_level[Protection.SKYDDAD_FOLKBOKFORING]) > 20
    for household in by_level[Protection.SKYDDAD_FOLKBOKFORING]:
        street = household.address.street
        for person in population.members(household):
            for source in Source:
                raw = json.dumps(answer_for(population, source, person, period), ensure_ascii=False)
                assert street not in raw
                assert "Folkbokforingsadress" not in raw
    marked = next(
        p
        for h in by_level[Protection.SEKRETESSMARKERING]
        for p in population.members(h)
        if p.protection is Protection.SEKRETESSMARKERING and p.registered
    )
    post = answer_for(population, Source.NAVET, marked, period)["Personpost"]
    assert post["Skyddsmarkering"] == "SEKRETESSMARKERING"
    assert post["Folkbokforingsadress"]["Utdelningsadress"] == population.household_of(marked).address.street
    assert answer_for(population, Source.AF, marked, period)["Arbetssokande"]["Sekretessmarkering"] is True
    # …while unprotected persons do get their address from Navet.
    open_household = next(
        h
        for h in population.households
        if population.household_protection(h) is Protection.NONE
        and not population.members(h)[0].is_samordningsnummer
    )
    navet = answer_for(population, Source.NAVET, population.members(open_household)[0], period)
    assert navet["Personpost"]["Folkbokforingsadress"]["Utdelningsadress"] == open_household.address.street


def test_same_seed_same_population_other_seed_other_population():
    first = _Builder(7, 2_000).build()
    again = _Builder(7, 2_000).build()
    other = _Builder(8, 2_000).build()
    assert first.persons == again.persons and first.households == again.households
    assert list(first.persons) == list(again.persons)
    assert first.persons != other.persons


def test_sizes_beyond_the_test_identities_are_refused():
    with pytest.raises(PopulationTooLarge):
        generate(1, 30_000)
    with pytest.raises(ValueError):
        generate(1, 0)
