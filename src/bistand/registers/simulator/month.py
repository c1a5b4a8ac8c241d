"""A realistic month of applications drawn from the simulator's population, with the truth behind each.

The registers simulator answers from the population's state (``population.py``); this module picks the
households that apply for försörjningsstöd in one month and writes down, for each, three things:

- the *truth*: who lives there and applies together, what they really pay for housing, every net income
  they really receive in the month (from the population's state, not from the registers' answers), and
  whether something in the month needs a person's judgement that no table settles (a new car, savings,
  an extra need, an emergency);
- the *history*: the months the household was granted försörjningsstöd before, and last month's
  application as it was sent;
- the *application* the citizen sends this month, through the same API a real e-service uses.

The shape follows Socialstyrelsen's published statistics (domain brief §8): about 80 000 of ~145 000
households a year are paid in a given month, so roughly one household in seven is new; about 40 % of
adults are long-term (ten months or more); half are unemployed; households are mostly single adults,
then single parents, then couples with children. Changes from one month to the next come in the
proportions a caseworker recognises (``CHANGES``). Citizens state honestly what only they can know
(a salary — wages are not in SSBTEK v10 —, their rent, who moved in); some tick "nothing changed" when
a register shows a change (``FORGETFUL``), which is what the robot's checks are for.

Seeded and reproducible: the same ``(population, month, count, seed)`` gives the same month, and only
Skatteverket's test identities (the population's) appear. No infants exist in the test files, so "a
child born" is drawn as the youngest child joining the application.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bistand.identity.personnummer import Personnummer
from bistand.registers.facts import Protection
from bistand.registers.income import income_type
from bistand.registers.simulator.population import (
    Household,
    Person,
    Population,
    Role,
    Situation,
    Stream,
)
from bistand.rules import InvalidInput, calculate
from bistand.rules.reform import reform_rules

__all__ = [
    "CHANGES",
    "Expected",
    "MonthCase",
    "Truth",
    "draw_month",
    "expected_decision",
    "month_summary",
    "truth_for",
]

# Share of applications from households that did not get försörjningsstöd last month (≈ 1 in 7, §8).
NEW_SHARE = 0.14
# Share of returning households that are long-term (ten months or more in a row, §8: ≈ 40 %).
LONG_TERM_SHARE = 0.40
# Month-to-month changes a citizen reports, per returning household (each drawn independently).
CHANGES: dict[str, float] = {
    "new_job": 0.04,  # a salary starts (stated; wages are in no SSBTEK source)
    "lost_job": 0.02,  # last month's salary stops
    "move": 0.03,  # new rent
    "new_sambo": 0.02,  # a partner already at the address joins the application
    "child_joins": 0.015,  # the youngest child joins the application ("a child born")
    "extra_need": 0.06,  # dental care, glasses, medicine: a person assesses it
    "emergency": 0.02,  # money stolen, a crisis: nödbistånd, same day
}
# Of the households whose register incomes changed, the share that tick "nothing changed" anyway and copy
# last month's incomes (the robot must notice from the registers).
FORGETFUL = 0.2
# Of the households owning a vehicle, the share that bought it this month (not yet assessed by anyone).
NEW_VEHICLE = 0.3
# Share of citizens who apply in the e-service and keep the incomes it prefills from the registers (the
# benchmark asks the real prefill; the others state their incomes themselves, from what they received).
PREFILL = 0.7
# Adults with an activity plan or exemption on file in the month the aktivitetskrav begins for their household
# (from 2026-10, after three months in a row); a household already under it last month has one for everyone.
ACTIVITY_PLAN = 0.9
# The exemption a caseworker records for an adult whose situation keeps them from the activities (the
# aktivitetskrav's exemption codes, `rules.reform.EXEMPTIONS`); everyone else gets an individual plan.
EXEMPTION_BY_SITUATION = {
    Situation.SICK: "sickness",
    Situation.SICKNESS_COMPENSATION: "sickness",
    Situation.PENSIONER: "pension_age",
    Situation.STUDENT: "full_time",
    Situation.SCHOOL: "school_18_20",
    Situation.PARENTAL_LEAVE: "other",
}
# Yearly capital income from which a person asks about the savings behind it (kronor; bank interest on
# about 40 000 kr): savings must be used before försörjningsstöd (SoL 12 kap. 1 §).
SAVINGS_CAPITAL_INCOME = 1000

_EXTRA_NEEDS = (("dental", 800, 4000), ("glasses", 900, 2500), ("medicine", 150, 1200))


@dataclass(frozen=True)
class Truth:
    """What a person applying the rules to everything about the household would put into the calculation."""

    month: date
    applicant: str = field(repr=False)
    partner: str | None = field(repr=False)
    children: tuple[str, ...] = field(repr=False)
    household_size: int | None
    costs: tuple[tuple[str, Decimal], ...]
    incomes: tuple[tuple[str, str, Decimal], ...] = field(repr=False)  # (personnummer, type, net kronor)
    needs_assessment: tuple[str, ...] = ()  # what no table settles: a person weighs it
    in_school: tuple[str, ...] = field(
        default=(), repr=False
    )  # children aged 18–20 in upper-secondary school

    def income_kinds(self) -> Counter:
        return Counter({(p, t): a for p, t, a in self.incomes})


@dataclass
class MonthCase:
    """One household's application in the month, with its history and truth."""

    household_id: int
    kind: str
    applicant: str = field(repr=False)
    returning: bool
    history: tuple[date, ...]  # months granted before, oldest first (empty for a new application)
    changes: tuple[str, ...]  # what changed since last month (reported or not)
    truth: Truth
    previous_truth: Truth | None
    answers: dict[str, Any] = field(repr=False)
    previous_answers: dict[str, Any] | None = field(repr=False)
    activity_plans: tuple[str, ...] = field(default=(), repr=False)  # adults with a plan on file
    # (adult, AF status) the caseworker saw when they last accepted the adult's plan: last month's, since any
    # news at Arbetsförmedlingen before that went to them (`af_state`).
    plans_accepted_af: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    # Adults applying with nothing on file (neither a plan nor an exemption).
    without_plan: tuple[str, ...] = field(default=(), repr=False)
    exemptions: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (adult, exemption code) on file
    protected: bool = False
    prefill: bool = False  # keeps the e-service's register prefill for the incomes the registers know
    partner_history: tuple[date, ...] = ()  # the partner's own months (none for a new sambo)
    # (adult with a plan, their standing at Arbetsförmedlingen this month): the truth of taking part.
    participation: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def nothing_changed(self) -> bool:
        """Returning, and truly nothing changed: the group the automation target is about."""
        return self.returning and not self.changes


# --- incomes from the population's state ----------------------------------------------------------------


def _kr(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _months_age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _active(stream: Stream, month: date) -> bool:
    return stream.start <= month and (stream.end is None or month <= stream.end)


def _stream_net(stream: Stream) -> Decimal:
    return _kr(stream.monthly_gross) - _kr(stream.monthly_gross * stream.tax_rate)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def _weekdays(first: date, last: date) -> int:
    return sum((first + timedelta(days=n)).weekday() < 5 for n in range((last - first).days + 1))


def _payday(month: date, day: int) -> date:
    paid = month.replace(day=day)
    while paid.weekday() >= 5:
        paid -= timedelta(days=1)
    return paid


def akassa_received(person: Person, month: date) -> Decimal:
    """A-kassa net of tax the person receives during ``month``.

    Paid twice a month, after the fact: about the 5th for the second half of last month and about the 20th
    for the first half of this month. Income counts in the month it reaches the household.
    """
    profile = person.akassa
    if profile is None:
        return Decimal(0)
    end = (_next_month(profile.end) - timedelta(days=1)) if profile.end else date.max
    previous = _previous_month(month)
    spans = ((previous.replace(day=16), month - timedelta(days=1)), (month, month.replace(day=15)))
    total = Decimal(0)
    for first, last in spans:
        first, last = max(first, profile.start), min(last, end)
        if first <= last:
            gross = Decimal(profile.daily_gross * _weekdays(first, last))
            total += _kr(gross * (1 - profile.tax_rate))
    return total


def _study_paid(person: Person, month: date) -> bool:
    study = person.study
    if study is None or study.kind == "HEMUTRUSTNINGSLAN" or month.month == 7:
        return False
    if month < study.start or (study.end is not None and month > study.end):
        return False
    if study.kind == "STUDIEHJALP":
        return month.month != 8 and 16 <= _months_age(person.birth_date, month) < 20
    return True


def _children_with_barnbidrag(population: Population, household: Household, month: date) -> tuple[int, int]:
    under_16 = studying = 0
    for person in population.members(household):
        if person.role not in (Role.CHILD, Role.ADULT_CHILD):
            continue
        if _months_age(person.birth_date, month) < 16:
            under_16 += 1
        elif _study_paid(person, month):
            studying += 1
    return under_16, studying


_FLERBARN = {0: 0, 1: 0, 2: 150, 3: 730, 4: 1740, 5: 2990}


def _child_benefit(under_16: int, studying: int) -> Decimal:
    """Barnbidrag 1 250 kr a child under 16, plus flerbarnstillägg counting studying children too."""
    if not under_16:
        return Decimal(0)
    children = under_16 + studying
    extra = _FLERBARN.get(children, 2990 + (children - 5) * 1250)
    return Decimal(1250 * under_16 + extra)


def in_school(person: Person, month: date) -> bool:
    """In upper-secondary school in ``month``: studiehjälp from CSN runs (the summer months included)."""
    study = person.study
    return (
        study is not None
        and study.kind == "STUDIEHJALP"
        and study.start <= month
        and (study.end is None or month <= study.end)
    )


def person_incomes(population: Population, person: Person, month: date) -> list[tuple[str, Decimal]]:
    """Every net income ``person`` receives in ``month``, as (income type, kronor)."""
    household = population.household_of(person)
    incomes: list[tuple[str, Decimal]] = []
    streams = list(person.streams)
    if household.bostadsbidrag is not None and person.pnr == household.applicant:
        streams.append(household.bostadsbidrag)
    for stream in streams:
        if _active(stream, month):
            incomes.append((income_type(stream.code), _stream_net(stream)))
    if person.pnr in household.child_benefit_to:
        under_16, studying = _children_with_barnbidrag(population, household, month)
        share = len(household.child_benefit_to)
        if under_16:
            base = Decimal(1250 * under_16) / share
            extra = (_child_benefit(under_16, studying) - Decimal(1250 * under_16)) / share
            incomes.append(("child_allowance", _kr(base) + _kr(extra)))
    if person.pnr == household.applicant and household.underhallsstod:
        minors = sum(
            1
            for p in population.members(household)
            if p.role in (Role.CHILD, Role.ADULT_CHILD) and _months_age(p.birth_date, month) < 18
        )
        if minors:
            incomes.append(("maintenance_support", Decimal(1673 * minors)))
    if received := akassa_received(person, month):
        incomes.append(("unemployment_benefit", received))
    if _study_paid(person, month):
        study = person.study
        incomes.append(("student_grant", _kr(study.grant)))
        if study.loan:
            incomes.append(("student_loan", _kr(study.loan)))
    return incomes


def af_state(person: Person, month: date) -> str:
    """The person's standing at Arbetsförmedlingen in ``month``, from the population's state, in SSBTEK's
    activity-report codes: 200 registered and reporting, 501 registered but no report, 500 not registered."""
    profile = person.af
    last = _next_month(month) - timedelta(days=1)
    if profile is None or profile.registered_on > last:
        return "500"
    if profile.deregistered_on is not None and profile.deregistered_on <= last:
        return "500"
    reporting = profile.registered_on < month and not (
        profile.reports_stop is not None and month >= profile.reports_stop
    )
    return "200" if reporting else "501"


# --- the truth of a household in a month ----------------------------------------------------------------


def truth_for(
    population: Population,
    household: Household,
    month: date,
    *,
    with_partner: bool,
    children: tuple[str, ...],
    costs: tuple[tuple[str, Decimal], ...],
    salary: dict[str, Decimal] | None = None,
    needs_assessment: tuple[str, ...] = (),
) -> Truth:
    """The household's truth in ``month``: members applying together, costs and every income received."""
    members = population.members(household)
    applicant = members[0]
    partner = next((p for p in members if p.role is Role.PARTNER), None) if with_partner else None
    applying = [applicant.pnr] + ([partner.pnr] if partner else []) + list(children)
    incomes: list[tuple[str, str, Decimal]] = []
    for pnr in applying:
        for kind, amount in person_incomes(population, population.persons[pnr], month):
            if amount:
                incomes.append((pnr, kind, amount))
    for pnr, amount in sorted((salary or {}).items()):
        if pnr in applying:
            incomes.append((pnr, "salary", amount))
    others = len(members) - len(applying)
    young_adults = [
        pnr for pnr in children if 18 <= _months_age(population.persons[pnr].birth_date, month) <= 20
    ]
    return Truth(
        month=month,
        applicant=applicant.pnr,
        partner=partner.pnr if partner else None,
        children=children,
        household_size=len(members) if others else None,
        costs=costs,
        incomes=tuple(incomes),
        needs_assessment=needs_assessment,
        in_school=tuple(young_adults),  # the others are not in the application (see _draw_case)
    )


def _role_name(truth: Truth, pnr: str) -> str:
    if pnr == truth.applicant:
        return "applicant"
    if pnr == truth.partner:
        return "co_applicant"
    return pnr


def stated_answers(
    truth: Truth,
    *,
    nothing_changed: bool,
    incomes_from: Truth | None = None,
    assets: tuple[dict[str, str], ...] = (),
    extra_needs: tuple[dict[str, str], ...] = (),
    emergency: bool = False,
) -> dict[str, Any]:
    """The application body the citizen sends (the API's JSON shape), from what they state."""
    source = incomes_from or truth
    body: dict[str, Any] = {
        "month": truth.month.isoformat()[:7],
        "co_applicant": truth.partner,
        "children": [
            {"personnummer": pnr, **({"in_school": True} if pnr in truth.in_school else {})}
            for pnr in truth.children
        ],
        "costs": [{"type": kind, "amount": str(amount)} for kind, amount in truth.costs],
        "incomes": [
            {"person": _role_name(truth, pnr), "type": kind, "amount": str(amount)}
            for pnr, kind, amount in source.incomes
            if pnr == truth.applicant or pnr == truth.partner or pnr in truth.children
        ],
        "assets": [dict(a) for a in assets],
        "extra_needs": [dict(n) for n in extra_needs],
        "emergency": emergency,
        "nothing_changed": nothing_changed,
    }
    if truth.household_size:
        body["household_size"] = truth.household_size
    return body


# --- drawing the month ----------------------------------------------------------------------------------


def _eligible(population: Population, household: Household) -> bool:
    """Households that can apply: an adult applicant the population knows as a working-age or older adult."""
    applicant = population.persons[household.applicant]
    return applicant.role is Role.APPLICANT and applicant.situation is not Situation.SCHOOL


def _rent(rng: random.Random, adults: int, children: int) -> Decimal:
    base = 4200 + 1000 * (adults - 1) + 900 * children
    return Decimal(rng.randrange(base, base + 3600, 50))


def _protected(population: Population, household: Household) -> bool:
    return population.household_protection(household) is not Protection.NONE


def draw_month(population: Population, month: date, count: int, *, seed: int = 1) -> list[MonthCase]:
    """``count`` households' applications for ``month``, the same ones for the same arguments."""
    rng = random.Random(f"month-{seed}-{month.isoformat()}")  # noqa: S311 — reproducible synthetic data
    candidates = [h for h in population.households if _eligible(population, h)]
    rng.shuffle(candidates)
    previous_month = _previous_month(month)
    cases = []
    for household in candidates:
        case = _draw_case(rng, population, household, month, previous_month)
        # Households apply because their incomes fall short: one whose truth last month (or this month, for
        # a new application) left nothing to pay would not be on försörjningsstöd; most such never apply.
        basis = case.previous_truth if case.returning else case.truth
        before = (case.history[:-1], case.partner_history[:-1]) if case.returning else ((), ())
        if _entitlement(basis, *before) <= 0 and rng.random() < 0.9:
            continue
        cases.append(case)
        if len(cases) == count:
            return cases
    raise ValueError(f"the population has too few households that can apply to draw {count}")


def _entitlement(truth: Truth, history: tuple[date, ...], partner_history: tuple[date, ...]) -> Decimal:
    try:
        return calculate(engine_household(truth, history, partner_history)).entitlement
    except InvalidInput:
        return Decimal(0)


def _draw_case(
    rng: random.Random, population: Population, household: Household, month: date, previous_month: date
) -> MonthCase:
    members = population.members(household)
    applicant = members[0]
    partner = next((p for p in members if p.role is Role.PARTNER), None)
    # An 18–20-year-old belongs to the parents' application only while in upper-secondary school; one who
    # is not applies in a case of their own (and still counts in the household's size).
    children = tuple(
        p.pnr
        for p in members
        if p.role in (Role.CHILD, Role.ADULT_CHILD)
        and (_months_age(p.birth_date, month) < 18 or in_school(p, month))
    )
    returning = rng.random() >= NEW_SHARE
    adults = 2 if partner else 1
    costs = [
        ("rent", _rent(rng, adults, len(children))),
        ("electricity", Decimal(rng.randrange(200, 900, 10))),
    ]
    if rng.random() < 0.5:
        costs.append(("home_insurance", Decimal(rng.randrange(90, 260, 5))))
    costs_now = tuple(costs)
    costs_before = costs_now

    drawn = {name: rng.random() < share for name, share in CHANGES.items()} if returning else {}
    changes: list[str] = []
    with_partner_before = with_partner_now = partner is not None
    children_before = children_now = children
    # Part-time work: a salary the citizen states every month (wages are in no SSBTEK v10 source).
    part_time = {
        p.pnr: Decimal(rng.randrange(3000, 11000, 100))
        for p in ([applicant] + ([partner] if partner else []))
        if p.situation is Situation.LOW_WAGE
    }
    salary_before: dict[str, Decimal] = dict(part_time)
    salary_now: dict[str, Decimal] = dict(part_time)
    if drawn.get("new_job"):
        earner = partner.pnr if partner and rng.random() < 0.4 else applicant.pnr
        salary_now[earner] = salary_now.get(earner, Decimal(0)) + Decimal(rng.randrange(3000, 16000, 100))
        changes.append("new_job")
    elif drawn.get("lost_job"):
        if applicant.pnr in salary_now:
            del salary_now[applicant.pnr]
        else:
            salary_before[applicant.pnr] = Decimal(rng.randrange(3000, 16000, 100))
        changes.append("lost_job")
    if drawn.get("move"):
        costs_now = (("rent", _rent(rng, adults, len(children))), *costs_now[1:])
        changes.append("move")
    if drawn.get("new_sambo") and partner is not None:
        with_partner_before = False
        changes.append("new_sambo")
    if drawn.get("child_joins") and children:
        youngest = max(children, key=lambda pnr: population.persons[pnr].birth_date)
        children_before = tuple(c for c in children if c != youngest)
        changes.append("child_born")

    applying = [applicant] + ([partner] if partner else [])
    needs: list[str] = []
    assets_now: list[dict[str, str]] = []
    assets_before: list[dict[str, str]] = []
    vehicles = [v for p in applying for v in p.vehicles]
    if vehicles:
        new_vehicle = not returning or rng.random() < NEW_VEHICLE
        declared = {"type": "vehicle", "value": str(rng.randrange(5000, 60000, 1000)), "description": ""}
        if new_vehicle:
            needs.append("vehicle")  # nobody has yet judged whether the car is needed or must be sold
            if returning:
                changes.append("vehicle")
            if rng.random() < 0.6:
                assets_now.append(declared)
        else:  # assessed in an earlier month and declared every month since
            assets_now.append(declared)
            assets_before.append(declared)
    if any(p.capital_base >= SAVINGS_CAPITAL_INCOME for p in applying):
        needs.append("savings")
    extra_needs: list[dict[str, str]] = []
    if drawn.get("extra_need"):
        kind, low, high = rng.choice(_EXTRA_NEEDS)
        extra_needs.append({"type": kind, "amount": str(rng.randrange(low, high, 50)), "description": ""})
        needs.append("extra_need")
        changes.append("extra_need")
    emergency = bool(drawn.get("emergency"))
    if emergency:
        needs.append("emergency")
        changes.append("emergency")

    truth = truth_for(
        population,
        household,
        month,
        with_partner=with_partner_now,
        children=children_now,
        costs=costs_now,
        salary=salary_now,
        needs_assessment=tuple(needs),
    )
    previous_truth = None
    previous_answers = None
    history: tuple[date, ...] = ()
    plans: tuple[str, ...] = ()
    plans_accepted_af: tuple[tuple[str, str], ...] = ()
    without_plan: tuple[str, ...] = ()
    exemptions: tuple[tuple[str, str], ...] = ()
    if returning:
        previous_truth = truth_for(
            population,
            household,
            previous_month,
            with_partner=with_partner_before,
            children=children_before,
            costs=costs_before,
            salary=salary_before,
        )
        previous_answers = stated_answers(previous_truth, nothing_changed=True, assets=tuple(assets_before))
        changes += _register_changes(population, previous_truth, truth)
        length = rng.randint(10, 36) if rng.random() < LONG_TERM_SHARE else rng.randint(1, 9)
        history = tuple(_back(month, n) for n in range(length, 0, -1))
        # Last month already under the aktivitetskrav: whoever granted it settled a plan or an exemption for
        # each adult (the robot sends a case without one to a person). Where it begins this month, most plans
        # are ready (ACTIVITY_PLAN) and the rest not yet.
        settled = _under_aktivitetskrav(previous_month, len(history) - 1)
        on_file = [p for p in applying if rng.random() < ACTIVITY_PLAN or settled]
        exemptions = tuple(
            (p.pnr, EXEMPTION_BY_SITUATION[p.situation])
            for p in on_file
            if p.situation in EXEMPTION_BY_SITUATION
        )
        plans = tuple(p.pnr for p in on_file if p.situation not in EXEMPTION_BY_SITUATION)
        plans_accepted_af = tuple((p.pnr, af_state(p, previous_month)) for p in on_file if p.pnr in plans)
        without_plan = tuple(p.pnr for p in applying if p not in on_file)
    reported = [c for c in changes if c not in ("register_income", "child_age")]
    forgetful = not reported and "register_income" in changes and rng.random() < FORGETFUL
    # A child's birthday is not something a citizen reports as a change; the robot knows the ages.
    believes_unchanged = not [c for c in changes if c != "child_age"] or forgetful
    answers = stated_answers(
        truth,
        nothing_changed=returning and believes_unchanged,
        incomes_from=previous_truth if forgetful else None,
        assets=tuple(assets_now),
        extra_needs=tuple(extra_needs),
        emergency=emergency,
    )
    if forgetful:
        changes.append("unreported")
    prefill = rng.random() < PREFILL
    return MonthCase(
        household_id=household.id,
        kind=household.kind.value,
        applicant=applicant.pnr,
        returning=returning,
        history=history,
        changes=tuple(dict.fromkeys(changes)),
        truth=truth,
        previous_truth=previous_truth,
        answers=answers,
        previous_answers=previous_answers,
        activity_plans=plans,
        plans_accepted_af=plans_accepted_af,
        without_plan=without_plan,
        participation=tuple((pnr, af_state(population.persons[pnr], month)) for pnr in plans),
        exemptions=exemptions,
        protected=_protected(population, household),
        prefill=prefill,
        partner_history=history if with_partner_before else (),
    )


def _back(month: date, n: int) -> date:
    for _ in range(n):
        month = _previous_month(month)
    return month


def _register_changes(population: Population, before: Truth, now: Truth) -> list[str]:
    """Changes the household did not choose: a benefit started, stopped or changed; a child grew older."""
    changes = []
    if before.income_kinds() != now.income_kinds():
        changes.append("register_income")
    for pnr in now.children:
        born = population.persons[pnr].birth_date
        if _months_age(born, now.month) != _months_age(born, before.month):
            age = _months_age(born, now.month)
            if age in (16, 18, 19, 20, 21):
                changes.append("child_age")
    return changes


def month_summary(cases: list[MonthCase]) -> dict[str, Any]:
    """The drawn month's shape, for the benchmark's report: kinds, new and long-term shares, changes."""
    returning = [c for c in cases if c.returning]
    return {
        "households_by_kind": dict(sorted(Counter(c.kind for c in cases).items())),
        "new_share": round(1 - len(returning) / len(cases), 3) if cases else None,
        "long_term_share": round(sum(len(c.history) >= 10 for c in returning) / len(returning), 3)
        if returning
        else None,
        "returning_nothing_changed": sum(c.nothing_changed for c in cases),
        "changes": dict(sorted(Counter(ch for c in cases for ch in c.changes).items())),
        "needs_assessment": dict(sorted(Counter(n for c in cases for n in c.truth.needs_assessment).items())),
        "aktivitetskrav_unmet": sum(aktivitetskrav_unmet(c) for c in cases),  # in the truth (see below)
        "protected": sum(c.protected for c in cases),
        "persons": sum(1 + bool(c.truth.partner) + len(c.truth.children) for c in cases),
    }


# --- what a person applying the rules to the truth would decide ------------------------------------------


@dataclass(frozen=True)
class Expected:
    """The decision the truth calls for: an amount to grant, or a question only a person can weigh."""

    entitlement: Decimal | None  # None when the calculation cannot be made (a person decides)
    assess: tuple[str, ...]  # reasons a person must weigh before any decision

    @property
    def automatable(self) -> bool:
        """A decision that follows from the tables alone: a full grant of a positive entitlement."""
        return not self.assess and self.entitlement is not None and self.entitlement > 0


def engine_household(
    truth: Truth, history: tuple[date, ...], partner_history: tuple[date, ...] = ()
) -> dict[str, Any]:
    """The rules contract's input for the truth: built from the truth itself, never from an application."""

    def months(history: tuple[date, ...]) -> list[str]:
        return [m.isoformat()[:7] for m in history]

    # Jobbstimulans follows the person: each adult's own months (a new sambo has none of this case's).
    members = [
        {
            "id": truth.applicant,
            "role": "applicant",
            "birth_date": _birth(truth.applicant),
            "assistance_months": months(history),
        }
    ]
    if truth.partner:
        members.append(
            {
                "id": truth.partner,
                "role": "co_applicant",
                "birth_date": _birth(truth.partner),
                "assistance_months": months(partner_history),
            }
        )
    for pnr in truth.children:
        child: dict[str, Any] = {"id": pnr, "role": "child", "birth_date": _birth(pnr)}
        if pnr in truth.in_school:
            child["in_school"] = True
        members.append(child)
    data: dict[str, Any] = {
        "month": truth.month.isoformat()[:7],
        "members": members,
        "costs": [{"type": kind, "amount": amount} for kind, amount in truth.costs],
        "incomes": [{"member": pnr, "type": kind, "amount": amount} for pnr, kind, amount in truth.incomes],
        "assistance_months": months(history),  # the household's, for an engine without members' own
    }
    if truth.household_size:
        data["household_size"] = truth.household_size
    return data


def _birth(pnr: str) -> str:
    return Personnummer(pnr).birth_date.isoformat()


def expected_decision(case: MonthCase) -> Expected:
    """What a person applying the rules to the full truth of the household would decide.

    Independent of the robot: the truth's own members, costs and incomes go straight into the pure rules
    engine (no application, register answer, parser or reconciliation is involved).
    """
    needs = (*case.truth.needs_assessment, *(("aktivitetskrav",) if aktivitetskrav_unmet(case) else ()))
    try:
        result = calculate(engine_household(case.truth, case.history, case.partner_history))
    except InvalidInput:
        return Expected(None, (*needs, "calculation"))
    return Expected(result.entitlement, needs)


def aktivitetskrav_unmet(case: MonthCase) -> bool:
    """Whether the aktivitetskrav (prop. 2025/26:207) is not plainly met in the truth, so a person must weigh
    it before any decision: after the rule's consecutive months, an adult has neither an exemption nor a plan,
    or does not take part as the accepted plan says. A plan a caseworker accepted is met while the adult's
    standing at Arbetsförmedlingen is what it was then (not registered: the municipality's activities;
    registered: reporting); a missing activity report is not taking part."""
    if not _under_aktivitetskrav(case.truth.month, _consecutive(case.history, case.truth.month)):
        return False
    if case.without_plan:
        return True
    accepted = dict(case.plans_accepted_af)
    return any(now == "501" or now != accepted.get(pnr) for pnr, now in case.participation)


def _under_aktivitetskrav(month: date, consecutive: int) -> bool:
    """Whether the aktivitetskrav applies to ``month`` after ``consecutive`` granted months in a row."""
    rule = reform_rules()["aktivitetskrav"]
    return rule.applies(month) and consecutive >= rule.extra["consecutive_months"]


def _consecutive(history: tuple[date, ...], month: date) -> int:
    """Months granted in a row just before ``month``."""
    granted, count, probe = set(history), 0, _previous_month(month)
    while probe in granted:
        count, probe = count + 1, _previous_month(probe)
    return count
