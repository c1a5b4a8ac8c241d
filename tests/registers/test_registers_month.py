"""The synthetic month behind bench/month.py: reproducible, only test identities, the published shape, and a
truth that is computed from the population's state, not from the robot's path."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bistand.intake.schema import validate_application
from bistand.registers.simulator import month as month_module
from bistand.registers.simulator.month import (
    Expected,
    akassa_received,
    draw_month,
    expected_decision,
    month_summary,
)
from bistand.registers.simulator.population import AkassaProfile, Hinder, Person, Protection, Role, Situation
from bistand.testdata import is_test_identity

DECEMBER = date(2026, 12, 1)


@pytest.fixture(scope="module")
def cases(population):
    return draw_month(population, DECEMBER, 400, seed=1)


def _numbers(case) -> list[str]:
    body = case.answers
    numbers = [case.applicant, *(c["personnummer"] for c in body["children"])]
    if body["co_applicant"]:
        numbers.append(body["co_applicant"])
    return numbers


def test_the_same_seed_gives_the_same_month_and_another_seed_another(population, cases):
    again = draw_month(population, DECEMBER, 400, seed=1)
    assert [(c.applicant, c.answers, c.truth, c.history) for c in again] == [
        (c.applicant, c.answers, c.truth, c.history) for c in cases
    ]
    other = draw_month(population, DECEMBER, 400, seed=2)
    assert [c.applicant for c in other] != [c.applicant for c in cases]


def test_only_skatteverket_test_identities_apply(cases):
    numbers = [n for case in cases for n in _numbers(case)]
    assert numbers and all(is_test_identity(n) for n in numbers)
    assert len({c.applicant for c in cases}) == len(cases)


def test_the_month_has_the_published_shape_and_recognisable_changes(cases):
    shape = month_summary(cases)
    assert 0.08 <= shape["new_share"] <= 0.25  # about one household in seven is new (§8)
    assert 0.3 <= shape["long_term_share"] <= 0.5  # about 40 % long-term (§8)
    kinds = shape["households_by_kind"]
    assert kinds["single"] == max(kinds.values())  # single adults are the largest group
    assert kinds["single_parent"] > 0 and kinds["couple_with_children"] > 0
    for change in ("new_job", "lost_job", "move", "register_income", "extra_need", "vehicle", "unreported"):
        assert shape["changes"].get(change, 0) > 0, change
    assert shape["protected"] > 0
    assert shape["returning_nothing_changed"] >= len(cases) // 3


def test_every_application_is_valid_and_says_nothing_changed_only_when_it_believes_so(cases):
    for case in cases:
        values = validate_application(case.answers)
        assert values["month"] == "2026-12"
        if case.nothing_changed:
            assert values["nothing_changed"] is True
            assert case.answers["incomes"] == case.previous_answers["incomes"] or any(
                kind == "unemployment_benefit" for _p, kind, _a in case.truth.incomes
            )
        if not case.returning:
            assert not case.history and values["nothing_changed"] is False


def test_a_forgetful_citizen_states_last_months_incomes_while_the_truth_has_changed(cases):
    forgetful = [c for c in cases if "unreported" in c.changes]
    assert forgetful
    for case in forgetful:
        assert case.answers["nothing_changed"] is True
        assert case.truth.income_kinds() != case.previous_truth.income_kinds()


def test_a_kassa_counts_in_the_month_it_is_received():
    """Paid after the fact twice a month: the last half of October reaches the household in November."""
    person = Person(
        pnr="199006272380",
        given_name="T",
        surname="T",
        household_id=0,
        role=Role.APPLICANT,
        protection=Protection.NONE,
        situation=Situation.UNEMPLOYED_AKASSA,
        registered=True,
        civil_status="OG",
        akassa=AkassaProfile("Kassan", 1000, Decimal("0.30"), date(2026, 1, 1), date(2026, 10, 1)),
    )
    # November: 16–31 October, 11 weekdays × 1 000 kr × 0.7.
    assert akassa_received(person, date(2026, 11, 1)) == Decimal(7700)
    assert akassa_received(person, date(2026, 12, 1)) == 0
    # October: 16–30 September (11 weekdays) and 1–15 October (11 weekdays).
    assert akassa_received(person, date(2026, 10, 1)) == Decimal(15400)


def test_what_needs_a_person_is_never_automatable(cases):
    for case in cases:
        expected = expected_decision(case)
        if case.truth.needs_assessment:
            assert not expected.automatable
    assert not Expected(Decimal(5000), ("vehicle",)).automatable
    assert not Expected(Decimal(0), ()).automatable
    assert Expected(Decimal(5000), ()).automatable


def test_the_truth_check_never_goes_through_the_robots_path():
    """Independent: the truth goes to the pure rules engine; nothing from intake, casework or the
    register client's parsers is imported."""
    tree = ast.parse(inspect.getsource(month_module))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    robot = ("bistand.casework", "bistand.intake", "bistand.decisions", "bistand.registers.parsers")
    assert not [m for m in imported if m.startswith(robot)]
    assert "bistand.registers.simulator.answers" not in imported  # not even the registers' own answers


def test_a_young_adult_is_in_the_application_only_while_in_school(population, cases):
    """18–20: in upper-secondary school they are the parents' child (in_school: true); otherwise they apply
    in a case of their own and only count in the household's size."""
    seen_in_school = seen_own_case = 0
    for case in cases:
        household = population.households[case.household_id]
        for person in population.members(household):
            age = person.age_on(DECEMBER)
            if person.role not in (Role.CHILD, Role.ADULT_CHILD) or not 18 <= age <= 20:
                continue
            stated = {c["personnummer"]: c for c in case.answers["children"]}
            if month_module.in_school(person, DECEMBER):
                seen_in_school += 1
                assert stated[person.pnr]["in_school"] is True
            else:
                seen_own_case += 1
                assert person.pnr not in stated and person.pnr not in case.truth.children
                assert case.answers["household_size"] == len(household.members)
    assert seen_in_school + seen_own_case > 0


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=10_000), month=st.sampled_from([date(2026, 10, 1), DECEMBER]))
def test_any_month_is_valid_and_its_truth_belongs_to_the_household(population, seed, month):
    for case in draw_month(population, month, 25, seed=seed):
        values = validate_application(case.answers)
        household = set(population.households[case.household_id].members)
        truth = case.truth
        assert {truth.applicant, *truth.children} | ({truth.partner} if truth.partner else set()) <= household
        assert all(pnr in household for pnr, _kind, _amount in truth.incomes)
        assert all(amount > 0 for _pnr, _kind, amount in truth.incomes)
        assert all(is_test_identity(n) for n in _numbers(case))
        assert list(case.history) == sorted(case.history) and all(m < month for m in case.history)
        assert values["nothing_changed"] is (case.returning and values["nothing_changed"])
        if case.nothing_changed:  # savings may stay a question; a new car, an extra need or an emergency not
            assert not {"vehicle", "extra_need", "emergency"} & set(truth.needs_assessment)


def _months_before(month: date, n: int) -> tuple[date, ...]:
    months = []
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    return tuple(reversed(months))


@pytest.mark.parametrize(
    ("month", "granted", "accepted", "now", "without_plan", "unmet"),
    [
        (DECEMBER, 5, "200", "200", False, False),  # registered and reporting, as accepted
        (DECEMBER, 5, "500", "500", False, False),  # the municipality's plan, as accepted: met
        (DECEMBER, 5, "200", "500", False, True),  # left Arbetsförmedlingen since: a person weighs it
        (DECEMBER, 5, "501", "501", False, True),  # no activity report is not taking part
        (DECEMBER, 5, "200", "200", True, True),  # an adult with nothing on file
        (DECEMBER, 2, "200", "500", True, False),  # two months in a row: not yet under the aktivitetskrav
        (date(2026, 9, 1), 5, "200", "500", True, False),  # before October 2026
    ],
)
def test_the_truth_weighs_the_aktivitetskrav_on_its_own(
    cases, month, granted, accepted, now, without_plan, unmet
):
    """Independent of the robot: from the population's standing at Arbetsförmedlingen and what is on file."""
    base = next(c for c in cases if c.returning and c.activity_plans)
    adult = base.activity_plans[0]
    case = dataclasses.replace(
        base,
        truth=dataclasses.replace(base.truth, month=month, needs_assessment=()),
        history=_months_before(month, granted),
        activity_plans=(adult,),
        plans_accepted_af=((adult, accepted),),
        participation=((adult, now),),
        without_plan=(base.applicant,) if without_plan else (),
    )
    assert month_module.aktivitetskrav_unmet(case) is unmet
    assert ("aktivitetskrav" in expected_decision(case).assess) is unmet


def test_under_the_aktivitetskrav_last_month_every_adult_has_a_plan_or_an_exemption(cases):
    """Whoever granted last month settled it (the robot sends a case without one to a person)."""
    settled = [c for c in cases if c.returning and len(c.history) >= 4]
    assert settled
    for case in settled:
        assert not case.without_plan
        assert {pnr for pnr, _ in case.plans_accepted_af} == set(case.activity_plans)


def test_af_state_reads_the_population_as_the_register_would(population):
    """Registered and reporting, registered without a report, or not registered: 200, 501, 500."""
    seen = Counter()
    for person in population:
        if person.role is not Role.APPLICANT:
            continue
        state = month_module.af_state(person, DECEMBER)
        seen[state] += 1
        if person.af is None:
            assert state == "500"
        elif state == "200":
            assert person.af.deregistered_on is None or person.af.deregistered_on > date(2026, 12, 31)
    assert set(seen) == {"200", "500", "501"}


def test_the_months_adults_have_the_published_shape_of_forsorjningshinder(population, cases):
    """Socialstyrelsen: about half unemployment-related, sociala skäl next (11–15 %), then sick leave with a
    certificate (about 10 %); docs/performance.md §4 names the sources."""
    adults = [population.persons[c.applicant] for c in cases] + [
        population.persons[c.truth.partner] for c in cases if c.truth.partner
    ]
    shares = Counter(a.hinder for a in adults)
    assert 0.45 <= shares[Hinder.UNEMPLOYMENT] / len(adults) <= 0.6
    assert 0.1 <= shares[Hinder.SOCIAL] / len(adults) <= 0.2
    assert 0.06 <= shares[Hinder.ILL_HEALTH] / len(adults) <= 0.14
    assert shares[Hinder.UNEMPLOYMENT] == max(shares.values())


def test_whoever_is_unemployed_is_registered_at_arbetsformedlingen(population):
    """Unemployment as a hinder means being at the labour market's disposal: registered at AF."""
    adults = [p for p in population if p.hinder is not None]
    assert all(p.af is not None for p in adults if p.hinder is Hinder.UNEMPLOYMENT)
    assert all(p.af is None for p in adults if p.hinder is Hinder.SOCIAL)
