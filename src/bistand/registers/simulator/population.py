"""A synthetic population for the registers simulator, generated deterministically from a seed.

Every person is one of Skatteverket's test identities (``bistand.testdata``); no number is ever made up.
Households are drawn so that ages fit roles (parents at least 18 years older than their children, children
under 18, adult children 18–21 living at home), and each adult gets a situation (unemployed with a-kassa,
in a labour-market programme, on sick pay, studying, retired, newly arrived …) that decides which
registers have something to say about them. Amounts are simulator values (see ``amounts.py``).

What is stored here is the *state* of each person; what a register answers for a given month (payments,
reports, decisions) is derived from it in ``simulator/answers.py`` and by the helpers at the end of this
module, so any month can be asked and the answers stay consistent across sources.

The same ``(seed, size)`` always gives the same population, byte for byte, in any process: a single
``random.Random(seed)`` drives the whole build in a fixed order, and nothing depends on hash order.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from bistand.identity.personnummer import Personnummer
from bistand.registers.codes import AF_CATEGORIES
from bistand.registers.facts import Protection
from bistand.registers.simulator import amounts
from bistand.registers.sources import Period
from bistand.rules.ages import age_on as _age
from bistand.testdata import skatteverket_personnummer, skatteverket_samordningsnummer

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_SIZE",
    "REFERENCE_DATE",
    "AfProfile",
    "AkassaProfile",
    "Hinder",
    "Household",
    "HouseholdKind",
    "MigrationProfile",
    "Person",
    "Population",
    "PopulationTooLarge",
    "Role",
    "Situation",
    "Stream",
    "StudyProfile",
    "generate",
]

DEFAULT_SEED = 1
DEFAULT_SIZE = 10_000
REFERENCE_DATE = date(2026, 1, 1)  # ages and roles hold on this date
MIN_BIRTH_YEAR = 1920  # the test files start in 1890; nobody in the population is older than ~106
MUNICIPALITY = "Exempelkommun"


class PopulationTooLarge(ValueError):
    """The test identities cannot fill a population of the size asked for."""


class Role(StrEnum):
    APPLICANT = "applicant"
    PARTNER = "partner"
    CHILD = "child"  # under 18
    ADULT_CHILD = "adult_child"  # 18–21, living with a parent
    RELATIVE = "relative"  # e.g. a grandparent in a three-generation household


ADULT_ROLES = (Role.APPLICANT, Role.PARTNER, Role.RELATIVE)


class HouseholdKind(StrEnum):
    SINGLE = "single"
    SINGLE_SENIOR = "single_senior"
    COUPLE = "couple"
    COUPLE_SENIOR = "couple_senior"
    SINGLE_PARENT = "single_parent"
    COUPLE_WITH_CHILDREN = "couple_with_children"
    LARGE_FAMILY = "large_family"
    THREE_GENERATIONS = "three_generations"
    NEWLY_ARRIVED = "newly_arrived"


class Situation(StrEnum):
    """An adult's main situation, which decides the registers' answers."""

    UNEMPLOYED_AKASSA = "unemployed_akassa"
    JOBSEEKER = "jobseeker"
    PROGRAMME = "programme"  # labour-market programme with aktivitetsstöd
    SICK = "sick"  # sjukpenning
    SICKNESS_COMPENSATION = "sickness_compensation"  # sjukersättning
    PARENTAL_LEAVE = "parental_leave"
    STUDENT = "student"
    LOW_WAGE = "low_wage"  # part-time work; wages are not in SSBTEK v10
    NO_INCOME = "no_income"
    PENSIONER = "pensioner"
    NEWLY_ARRIVED = "newly_arrived"
    PENDING_PERMIT = "pending_permit"
    SCHOOL = "school"  # children and adult children


class Hinder(StrEnum):
    """An adult's main försörjningshinder, in Socialstyrelsen's categories (simplified): why they cannot
    support themselves. Unemployment means at the labour market's disposal, so registered at
    Arbetsförmedlingen; "social" (arbetshinder, sociala skäl) means work capacity not yet established —
    rehabilitation, arbetsträning — with the municipality's activities rather than Arbetsförmedlingen's."""

    UNEMPLOYMENT = "unemployment"
    ILL_HEALTH = "ill_health"
    SOCIAL = "social"
    PARENTAL_LEAVE = "parental_leave"
    STUDIES = "studies"
    PART_TIME_WORK = "part_time_work"  # works part time, not at Arbetsförmedlingen for more hours
    PENSION = "pension"
    AWAITING_PERMIT = "awaiting_permit"


# The hinder each situation means; no income and part-time work depend on registration at Arbetsförmedlingen.
_HINDER_BY_SITUATION = {
    Situation.UNEMPLOYED_AKASSA: Hinder.UNEMPLOYMENT,
    Situation.JOBSEEKER: Hinder.UNEMPLOYMENT,
    Situation.PROGRAMME: Hinder.UNEMPLOYMENT,
    Situation.NEWLY_ARRIVED: Hinder.UNEMPLOYMENT,  # arbetslös med etableringsersättning
    Situation.SICK: Hinder.ILL_HEALTH,
    Situation.SICKNESS_COMPENSATION: Hinder.ILL_HEALTH,
    Situation.PARENTAL_LEAVE: Hinder.PARENTAL_LEAVE,
    Situation.STUDENT: Hinder.STUDIES,
    Situation.PENSIONER: Hinder.PENSION,
    Situation.PENDING_PERMIT: Hinder.AWAITING_PERMIT,
}


# --- the state of a person ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stream:
    """A recurring monthly payment from Försäkringskassan or Pensionsmyndigheten.

    ``start`` and ``end`` are first days of months; ``end`` is inclusive and None means ongoing.
    """

    code: str
    start: date
    end: date | None
    monthly_gross: Decimal
    tax_rate: Decimal

    def active(self, period: Period) -> bool:
        first = period.first_day
        return self.start <= first and (self.end is None or first <= self.end)


@dataclass(frozen=True, slots=True)
class AkassaProfile:
    """Unemployment benefit from an a-kassa: paid twice a month for the weekdays covered."""

    fund: str
    daily_gross: int
    tax_rate: Decimal
    start: date
    end: date | None
    monthly_deduction: Decimal = Decimal(0)  # e.g. utmätning, so NettoEfterAvdrag < NettoEfterSkatt


@dataclass(frozen=True, slots=True)
class StudyProfile:
    """Study support from CSN. STUDIEHJALP is paid September–June, the others every month but July."""

    kind: str
    grant: Decimal
    loan: Decimal
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class AfProfile:
    """Registration at Arbetsförmedlingen."""

    category: str
    category_text: str
    registered_on: date
    extent_percent: int
    deregistered_on: date | None  # avaktualiserad from this date
    reports_stop: date | None  # no activity reports from this month on (a finding for the robot)
    akassa: str | None  # Akassetillhorighet
    decisions: tuple[tuple[str, int, date, date | None], ...] = ()  # ErsattningTyp, Omfattning, from, to


@dataclass(frozen=True, slots=True)
class PermitCase:
    applied_on: date
    case_type: str
    decision_code: str | None
    decision_type: str | None
    decided_on: date | None
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class MigrationProfile:
    home_country: str
    entry_date: date
    cases: tuple[PermitCase, ...]


@dataclass(frozen=True, slots=True)
class VehicleData:
    registration: str
    make: str
    model_year: int
    vehicle_type: str
    trade_name: str


@dataclass(frozen=True, slots=True)
class Person:
    """One person in the population, with everything the simulator's sources answer from."""

    pnr: str = field(repr=False)  # 12 digits; kept out of repr() so it cannot reach a log by accident
    given_name: str = field(repr=False)
    surname: str = field(repr=False)
    household_id: int
    role: Role
    protection: Protection
    situation: Situation
    registered: bool  # folkbokförd (False for samordningsnummer)
    civil_status: str
    streams: tuple[Stream, ...] = ()
    other_info: tuple[tuple[str, str, str], ...] = ()  # (code, label, value), e.g. FK:SGI
    claims: tuple[tuple[str, date], ...] = ()  # pending FK claims: (code, received on)
    af: AfProfile | None = None
    akassa: AkassaProfile | None = None
    study: StudyProfile | None = None
    capital_base: int = 0  # yearly capital income level; 0 = none
    vehicles: tuple[VehicleData, ...] = ()
    migration: MigrationProfile | None = None

    @property
    def number(self) -> Personnummer:
        return Personnummer(self.pnr)

    @property
    def birth_date(self) -> date:
        return self.number.birth_date

    @property
    def is_samordningsnummer(self) -> bool:
        return self.number.is_samordningsnummer

    def age_on(self, on: date) -> int:
        return self.number.age_on(on)

    @property
    def hinder(self) -> Hinder | None:
        """The adult's main försörjningshinder (None for a child in school)."""
        if self.situation is Situation.NO_INCOME:
            return Hinder.UNEMPLOYMENT if self.af is not None else Hinder.SOCIAL
        if self.situation is Situation.LOW_WAGE:
            return Hinder.UNEMPLOYMENT if self.af is not None else Hinder.PART_TIME_WORK
        if self.situation is Situation.SCHOOL:
            return None
        return _HINDER_BY_SITUATION[self.situation]


@dataclass(frozen=True, slots=True)
class AddressData:
    street: str
    postal_code: str
    city: str
    apartment: str | None


@dataclass(frozen=True, slots=True)
class Household:
    """People who live together and would apply together.

    ``child_benefit_to`` are the adults barnbidrag is paid to (two when the parents share it);
    ``underhallsstod`` marks a single parent whose children get underhållsstöd; ``bostadsbidrag`` is the
    applicant's housing allowance, if any.
    """

    id: int
    kind: HouseholdKind
    members: tuple[str, ...]
    address: AddressData
    child_benefit_to: tuple[str, ...] = ()
    underhallsstod: bool = False
    bostadsbidrag: Stream | None = None
    bostadsbidrag_claim: date | None = None

    @property
    def applicant(self) -> str:
        return self.members[0]


@dataclass(frozen=True)
class Population:
    """The generated population: persons by number and households by id."""

    seed: int
    size: int
    persons: dict[str, Person] = field(repr=False)
    households: tuple[Household, ...] = field(repr=False)

    def person(self, pnr: str) -> Person | None:
        return self.persons.get(pnr)

    def household_of(self, person: Person) -> Household:
        return self.households[person.household_id]

    def members(self, household: Household) -> tuple[Person, ...]:
        return tuple(self.persons[p] for p in household.members)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.persons.values())

    def __len__(self) -> int:
        return len(self.persons)

    def household_protection(self, household: Household) -> Protection:
        """The strongest protection of any member: it shields the whole address."""
        levels = [self.persons[p].protection for p in household.members]
        for level in (Protection.SKYDDAD_FOLKBOKFORING, Protection.SEKRETESSMARKERING):
            if level in levels:
                return level
        return Protection.NONE

    def summary(self) -> dict[str, object]:
        """Counts for demos and docs: households by kind and size, protection, identity kinds."""
        sizes = Counter(len(h.members) for h in self.households)
        return {
            "seed": self.seed,
            "persons": len(self.persons),
            "households": len(self.households),
            "households_by_kind": dict(sorted(Counter(h.kind.value for h in self.households).items())),
            "households_by_size": {str(k): sizes[k] for k in sorted(sizes)},
            "roles": dict(sorted(Counter(p.role.value for p in self).items())),
            "situations": dict(sorted(Counter(p.situation.value for p in self).items())),
            "samordningsnummer": sum(p.is_samordningsnummer for p in self),
            "protection": dict(sorted(Counter(p.protection.value for p in self).items())),
            "with_vehicles": sum(bool(p.vehicles) for p in self),
            "with_residence_permit_cases": sum(p.migration is not None for p in self),
            "with_capital_income": sum(p.capital_base > 0 for p in self),
            "reference_date": REFERENCE_DATE.isoformat(),
        }


# --- period-dependent helpers shared by the simulator and the tests -------------------------------------


def study_support_paid(study: StudyProfile | None, period: Period, birth_date: date) -> bool:
    """Whether CSN pays ``study`` in ``period`` (no payment in July; studiehjälp not July–August)."""
    if study is None:
        return False
    first = period.first_day
    if first < study.start or (study.end is not None and first > study.end):
        return False
    if period.month == 7:
        return False
    if study.kind == "STUDIEHJALP":
        if period.month == 8:
            return False
        age = _age(birth_date, first)
        return 16 <= age < 20
    return True


def child_benefit_counts(population: Population, household: Household, period: Period) -> tuple[int, int]:
    """(children with barnbidrag, older children with studiebidrag) in ``household`` for ``period``.

    Barnbidrag is paid for each month that starts before the child's 16th birthday (a simplification of
    "until the quarter the child turns 16"); studiebidrag children count towards the flerbarnstillägg.
    """
    with_bb = with_sb = 0
    for person in population.members(household):
        if person.role not in (Role.CHILD, Role.ADULT_CHILD):
            continue
        if _age(person.birth_date, period.first_day) < 16:
            with_bb += 1
        elif study_support_paid(person.study, period, person.birth_date):
            with_sb += 1
    return with_bb, with_sb


def underhallsstod_children(population: Population, household: Household, period: Period) -> int:
    """Children under 18 at the start of ``period`` for whom underhållsstöd is paid."""
    if not household.underhallsstod:
        return 0
    return sum(
        1
        for p in population.members(household)
        if p.role in (Role.CHILD, Role.ADULT_CHILD) and _age(p.birth_date, period.first_day) < 18
    )


# --- generation -----------------------------------------------------------------------------------------

_NORDIC_F = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Elin", "Ida", "Linnéa", "Maja", "Alice", "Ella",
    "Wilma", "Ebba", "Olivia", "Astrid", "Elsa", "Saga", "Ingrid", "Margareta", "Birgitta", "Kerstin",
)  # fmt: skip
_NORDIC_M = (
    "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Nils", "Mikael", "Oskar", "William", "Liam",
    "Noah", "Hugo", "Lucas", "Elias", "Adam", "Gustav", "Bengt", "Sven", "Lennart", "Göran", "Axel",
)  # fmt: skip
_NORDIC_SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
    "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg",
    "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Holm",
)  # fmt: skip
_WORLD_F = (
    "Fatima", "Amina", "Leila", "Yasmin", "Hodan", "Zahra", "Mariam", "Olga", "Agnieszka", "Linh",
    "Nour", "Sabrina", "Aisha", "Hanna", "Daria", "Selam",
)  # fmt: skip
_WORLD_M = (
    "Ali", "Mohammed", "Ahmed", "Omar", "Yusuf", "Hassan", "Ibrahim", "Mustafa", "Piotr", "Andrii",
    "Minh", "Dawit", "Karim", "Samir", "Bilal", "Tesfaye",
)  # fmt: skip
_WORLD_SURNAMES = (
    "Ali", "Mohamed", "Hassan", "Ahmed", "Hussein", "Nguyen", "Kowalski", "Yilmaz", "Haddad", "Abdi",
    "Warsame", "Shevchenko", "Rahimi", "Haile", "Karimi", "Nowak",
)  # fmt: skip
_STREETS = (
    "Storgatan", "Kyrkogatan", "Drottninggatan", "Skolgatan", "Björkvägen", "Tallvägen", "Granvägen",
    "Ekvägen", "Lönnvägen", "Almvägen", "Parkvägen", "Ringvägen", "Industrigatan", "Järnvägsgatan",
    "Stationsgatan", "Södra vägen", "Norra vägen", "Hamngatan", "Torggatan", "Bryggaregatan",
    "Solrosvägen", "Blåklintsvägen", "Vallmovägen", "Kvarngatan", "Sjögatan", "Ängsvägen", "Åkervägen",
)  # fmt: skip
_CITIES = (("Exempelstad", 231), ("Norrby", 232), ("Söderby", 233), ("Västerby", 234), ("Österby", 235))
_AKASSOR = (
    "Arbetslöshetskassan Alfa", "Unionens arbetslöshetskassa", "Handelsanställdas arbetslöshetskassa",
    "Byggnadsarbetarnas arbetslöshetskassa", "Kommunalarbetarnas arbetslöshetskassa",
    "Akademikernas a-kassa", "IF Metalls arbetslöshetskassa", "Hotell- och restauranganställdas a-kassa",
)  # fmt: skip
_VEHICLES = (
    ("PERSONBIL", "VOLVO", "V70"), ("PERSONBIL", "VOLVO", "V40"), ("PERSONBIL", "VOLVO", "XC60"),
    ("PERSONBIL", "VOLKSWAGEN", "GOLF"), ("PERSONBIL", "VOLKSWAGEN", "PASSAT"),
    ("PERSONBIL", "TOYOTA", "COROLLA"), ("PERSONBIL", "TOYOTA", "YARIS"), ("PERSONBIL", "SAAB", "9-3"),
    ("PERSONBIL", "KIA", "CEED"), ("PERSONBIL", "FORD", "FOCUS"), ("PERSONBIL", "SKODA", "OCTAVIA"),
    ("PERSONBIL", "RENAULT", "CLIO"), ("MOTORCYKEL", "YAMAHA", "XJ6"), ("MOTORCYKEL", "HONDA", "CBF600"),
    ("SLAPVAGN", "BRENDERUP", "1205S"),
)  # fmt: skip
_PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"  # Swedish plates use neither I, Q, V nor Å, Ä, Ö
_HOME_COUNTRIES = ("SYR", "AFG", "ERI", "SOM", "IRQ", "UKR", "IRN", "ETH", "TUR", "POL")

# Template weights: tuned so that 10 000 persons fit the test identities (few teenagers, no infants).
_KIND_WEIGHTS = (
    (HouseholdKind.SINGLE, 44),
    (HouseholdKind.SINGLE_SENIOR, 8),
    (HouseholdKind.COUPLE, 7),
    (HouseholdKind.COUPLE_SENIOR, 2),
    (HouseholdKind.SINGLE_PARENT, 18),
    (HouseholdKind.COUPLE_WITH_CHILDREN, 12),
    (HouseholdKind.LARGE_FAMILY, 2),
    (HouseholdKind.THREE_GENERATIONS, 2),
    (HouseholdKind.NEWLY_ARRIVED, 5),
)
_SITUATION_WEIGHTS = (
    (Situation.UNEMPLOYED_AKASSA, 11),
    (Situation.JOBSEEKER, 15),
    (Situation.PROGRAMME, 12),
    (Situation.SICK, 12),
    (Situation.SICKNESS_COMPENSATION, 5),
    (Situation.PARENTAL_LEAVE, 5),
    (Situation.STUDENT, 7),
    (Situation.LOW_WAGE, 12),
    (Situation.NO_INCOME, 20),
)


# Of adults with no income at all, the share whose hinder is unemployment (registered at Arbetsförmedlingen);
# the others have a social hinder. Calibrated with the situation weights above so that a month's applicants
# have the published shape of försörjningshinder (docs/performance.md §4).
NO_INCOME_REGISTERED = 0.25


class _YearPool:
    """Unused test numbers by birth year, drawn at random (weighted by how many a year has left)."""

    def __init__(self, numbers: list[str], rng: random.Random) -> None:
        self.by_year: dict[int, list[str]] = {}
        for number in numbers:
            self.by_year.setdefault(int(number[:4]), []).append(number)
        for year in sorted(self.by_year):
            rng.shuffle(self.by_year[year])
        self.rng = rng

    def draw(self, first_year: int, last_year: int) -> str | None:
        years = [y for y in range(first_year, last_year + 1) if self.by_year.get(y)]
        if not years:
            return None
        weights = [len(self.by_year[y]) for y in years]
        year = self.rng.choices(years, weights)[0]
        return self.by_year[year].pop()


@dataclass
class _Draft:
    pnr: str
    role: Role


def _year(pnr: str) -> int:
    return int(pnr[:4])


class _Builder:
    """Builds the population in two passes: household structure, then each person's situation."""

    def __init__(self, seed: int, size: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 — reproducible synthetic data, not security
        self.seed = seed
        self.size = size
        self.pnr_pool = _YearPool(
            [n for n in skatteverket_personnummer() if _year(n) >= MIN_BIRTH_YEAR], self.rng
        )
        self.sam_pool = _YearPool(
            [n for n in skatteverket_samordningsnummer() if _year(n) >= MIN_BIRTH_YEAR], self.rng
        )
        self.plates: set[str] = set()
        self.addresses: set[tuple[str, str]] = set()

    # -- pass 1: structure --

    def build(self) -> Population:
        structures: list[tuple[HouseholdKind, list[_Draft]]] = []
        count = 0
        kinds = [k for k, _ in _KIND_WEIGHTS]
        weights = [w for _, w in _KIND_WEIGHTS]
        while count < self.size:
            remaining = self.size - count
            kind = self.rng.choices(kinds, weights)[0]
            drafts = self._household(kind, remaining)
            if drafts is None:
                kind, drafts = HouseholdKind.SINGLE, self._single(1962, 2007)
            if drafts is None:
                kind, drafts = HouseholdKind.SINGLE_SENIOR, self._single(MIN_BIRTH_YEAR, 1961)
            if drafts is None:
                raise PopulationTooLarge(
                    f"the test identities ran out after {count} persons; ask for a smaller size"
                )
            structures.append((kind, drafts))
            count += len(drafts)
        persons: dict[str, Person] = {}
        households: list[Household] = []
        for household_id, (kind, drafts) in enumerate(structures):
            household, members = self._fill(household_id, _classify(kind, drafts), drafts)
            households.append(household)
            for person in members:
                persons[person.pnr] = person
        return Population(self.seed, self.size, persons, tuple(households))

    def _household(self, kind: HouseholdKind, remaining: int) -> list[_Draft] | None:
        rng = self.rng
        if kind is HouseholdKind.SINGLE:
            return self._single(1962, 2007, samordning=rng.random() < 0.04)
        if kind is HouseholdKind.SINGLE_SENIOR:
            return self._single(MIN_BIRTH_YEAR, 1960)
        if remaining < 2:
            return None
        if kind in (HouseholdKind.COUPLE, HouseholdKind.COUPLE_SENIOR):
            first, last = (1962, 2004) if kind is HouseholdKind.COUPLE else (1930, 1960)
            return self._family(first, last, partner=True, children=0, remaining=remaining)
        if kind is HouseholdKind.SINGLE_PARENT:
            n = rng.choices((1, 2, 3, 4, 5), (40, 30, 17, 8, 5))[0]
            return self._family(1972, 2002, partner=False, children=n, remaining=remaining, adult_child=0.15)
        if kind is HouseholdKind.COUPLE_WITH_CHILDREN:
            n = rng.choices((1, 2, 3, 4, 5, 6), (25, 32, 20, 12, 7, 4))[0]
            return self._family(1972, 2000, partner=True, children=n, remaining=remaining, adult_child=0.15)
        if kind is HouseholdKind.LARGE_FAMILY:
            n = rng.choice((5, 6, 7))
            return self._family(
                1975, 1995, partner=True, children=n, remaining=remaining, adult_child=0.3, grandparent=0.5
            )
        if kind is HouseholdKind.THREE_GENERATIONS:
            n = rng.choice((1, 2, 3))
            return self._family(
                1975, 1998, partner=rng.random() < 0.6, children=n, remaining=remaining, grandparent=1.0
            )
        # Newly arrived: everyone has a samordningsnummer and is not (yet) folkbokförd.
        n = rng.choices((0, 1, 2, 3, 4), (35, 20, 20, 15, 10))[0]
        return self._family(
            1965, 2004, partner=rng.random() < 0.55, children=n, remaining=remaining, samordning=True
        )

    def _single(self, first_year: int, last_year: int, *, samordning: bool = False) -> list[_Draft] | None:
        pnr = None
        if samordning:
            pnr = self.sam_pool.draw(first_year, last_year)
        pnr = pnr or self.pnr_pool.draw(first_year, last_year)
        return None if pnr is None else [_Draft(pnr, Role.APPLICANT)]

    def _family(
        self,
        first_year: int,
        last_year: int,
        *,
        partner: bool,
        children: int,
        remaining: int,
        adult_child: float = 0.0,
        grandparent: float = 0.0,
        samordning: bool = False,
    ) -> list[_Draft] | None:
        rng = self.rng
        pool = self.sam_pool if samordning else self.pnr_pool
        head = pool.draw(first_year, last_year)
        if head is None:
            return None
        year = _year(head)
        drafts = [_Draft(head, Role.APPLICANT)]
        kids: list[_Draft] = []
        for _ in range(children):
            if len(drafts) + len(kids) + (1 if partner else 0) >= remaining:
                break
            kid = pool.draw(max(2008, year + 19), min(2023, year + 42))
            if kid is None:
                break
            kids.append(_Draft(kid, Role.CHILD))
        room = len(drafts) + len(kids) + (1 if partner else 0) < remaining
        if adult_child and year <= 1986 and rng.random() < adult_child and room:
            kid = pool.draw(max(2005, year + 19), 2007)
            if kid is not None:
                kids.append(_Draft(kid, Role.ADULT_CHILD))
        if partner and len(drafts) + len(kids) < remaining:
            oldest_kid = min((_year(k.pnr) for k in kids), default=2100)
            latest = min(year + 6, oldest_kid - 19, 2004)
            mate = None
            if not samordning and rng.random() < 0.06:
                mate = self.sam_pool.draw(year - 6, latest)  # a newly arrived spouse
            mate = mate or pool.draw(year - 6, latest)
            if mate is not None:
                drafts.append(_Draft(mate, Role.PARTNER))
        kids.sort(key=lambda d: d.pnr)
        drafts.extend(kids)
        if kids and grandparent and rng.random() < grandparent and len(drafts) < remaining:
            elder = self.pnr_pool.draw(1935, min(year - 19, 1960))
            if elder is not None:
                drafts.append(_Draft(elder, Role.RELATIVE))
        return drafts

    # -- pass 2: each person's situation --

    def _fill(
        self, household_id: int, kind: HouseholdKind, drafts: list[_Draft]
    ) -> tuple[Household, list[Person]]:
        rng = self.rng
        world = kind is HouseholdKind.NEWLY_ARRIVED or rng.random() < 0.25
        surname = rng.choice(_WORLD_SURNAMES if world else _NORDIC_SURNAMES)
        married = rng.random() < 0.5
        protection = Protection.NONE
        roll = rng.random()
        protect_all = True
        if roll < 0.012:
            protection = Protection.SKYDDAD_FOLKBOKFORING
        elif roll < 0.035:
            protection = Protection.SEKRETESSMARKERING
            protect_all = rng.random() < 0.5
        roles = {d.pnr: d.role for d in drafts}
        # Roles follow actual age on the reference date (a child drawn from 2008 may already be 18).
        for d in drafts:
            if d.role is Role.CHILD and _age(Personnummer(d.pnr).birth_date, REFERENCE_DATE) >= 18:
                roles[d.pnr] = Role.ADULT_CHILD
        children = [d.pnr for d in drafts if roles[d.pnr] in (Role.CHILD, Role.ADULT_CHILD)]
        parents = [d.pnr for d in drafts if roles[d.pnr] in (Role.APPLICANT, Role.PARTNER)]
        minors = [c for c in children if roles[c] is Role.CHILD]
        people: list[Person] = []
        for d in drafts:
            role = roles[d.pnr]
            number = Personnummer(d.pnr)
            female = number.sex == "F"
            if role is Role.PARTNER and rng.random() < 0.3:
                own_surname = rng.choice(_WORLD_SURNAMES if world else _NORDIC_SURNAMES)
            else:
                own_surname = surname
            given = rng.choice(
                (_WORLD_F if female else _WORLD_M) if world else (_NORDIC_F if female else _NORDIC_M)
            )
            person_protection = protection if (protect_all or role is Role.APPLICANT) else Protection.NONE
            civil = (
                "G" if (role in (Role.APPLICANT, Role.PARTNER) and len(parents) == 2 and married) else "OG"
            )
            if role is Role.RELATIVE:
                civil = rng.choice(("Ä", "S", "G"))
            base = {
                "pnr": d.pnr,
                "given_name": given,
                "surname": own_surname,
                "household_id": household_id,
                "role": role,
                "protection": person_protection,
                "situation": Situation.SCHOOL,
                "registered": not number.is_samordningsnummer,
                "civil_status": civil,
            }
            young_child = bool(minors) and role in (Role.APPLICANT, Role.PARTNER)
            base.update(self._situation(number, role, has_young_child=young_child))
            people.append(Person(**base))
        household = Household(
            id=household_id,
            kind=kind,
            members=tuple(p.pnr for p in people),
            address=self._address(),
            **self._household_benefits(people, parents, minors),
        )
        return household, people

    def _household_benefits(self, people: list[Person], parents: list[str], minors: list[str]) -> dict:
        rng = self.rng
        applicant = people[0]
        result: dict = {}
        if applicant.is_samordningsnummer:
            return result  # not folkbokförd: not insured for residence-based benefits
        has_children = any(p.role in (Role.CHILD, Role.ADULT_CHILD) for p in people)
        if has_children:
            to = [p for p in parents if not Personnummer(p).is_samordningsnummer] or parents[:1]
            female_first = sorted(to, key=lambda p: Personnummer(p).sex != "F")
            if len(to) == 2 and rng.random() < 0.2:
                result["child_benefit_to"] = tuple(to)
            else:
                result["child_benefit_to"] = (female_first[0],)
        if minors and len(parents) == 1:
            result["underhallsstod"] = rng.random() < 0.75
        age = applicant.age_on(REFERENCE_DATE)
        if minors and rng.random() < 0.45:
            grant = amounts.BOSTADSBIDRAG_SPECIAL_GRANT[min(len(minors), 3)]
            housing = rng.randrange(*amounts.BOSTADSBIDRAG_HOUSING_PART_RANGE, 50)
            result["bostadsbidrag"] = self._stream("FK:BOB", grant + housing, Decimal(0), ongoing=0.85)
        elif not minors and 18 <= age <= 28 and rng.random() < 0.18:
            monthly = rng.randrange(*amounts.BOSTADSBIDRAG_YOUNG_RANGE, 50)
            result["bostadsbidrag"] = self._stream("FK:BOB", monthly, Decimal(0), ongoing=0.85)
        elif (minors or age <= 28) and rng.random() < 0.12:
            result["bostadsbidrag_claim"] = date(2025, 12, 1).replace(day=rng.randint(1, 28))
        return result

    def _stream(self, code: str, monthly: int | Decimal, tax: Decimal, *, ongoing: float = 0.7) -> Stream:
        """A stream that started 0–24 months before 2026 and is ongoing or ends during 2026–2027."""
        rng = self.rng
        start = Period(2026, 1).shifted(-rng.randint(0, 24)).first_day
        end = None
        if rng.random() > ongoing:
            end = Period(2026, 1).shifted(rng.randint(1, 20)).first_day
        return Stream(code, start, end, Decimal(monthly), tax)

    def _situation(self, person: Personnummer, role: Role, *, has_young_child: bool) -> dict:
        """The fields of a person that follow from their situation, assets and migration history."""
        rng = self.rng
        age = person.age_on(REFERENCE_DATE)
        fields: dict = {}
        if role in (Role.CHILD, Role.ADULT_CHILD):
            if rng.random() < 0.85:  # in upper secondary school from the autumn the child turns 16
                start_year = person.birth_date.year + 16
                fields["study"] = StudyProfile(
                    "STUDIEHJALP",
                    amounts.STUDIEBIDRAG_PER_MONTH,
                    Decimal(0),
                    date(start_year, 9, 1),
                    date(start_year + 3, 6, 1),
                )
            if role is Role.ADULT_CHILD and rng.random() < 0.3:
                fields["af"] = self._af("11", registered_months=rng.randint(1, 12))
                fields["situation"] = Situation.JOBSEEKER
        elif person.is_samordningsnummer:
            fields.update(self._newly_arrived())
        elif age >= 65:
            fields["situation"] = Situation.PENSIONER
            tax = rng.choice(amounts.TAX_RATES[:2])
            streams = [self._stream("PM:AP", rng.randrange(*amounts.PENSION_RANGE, 10), tax, ongoing=1.0)]
            if rng.random() < 0.6:
                streams.append(
                    self._stream(
                        "PM:BTI", rng.randrange(*amounts.BOSTADSTILLAGG_RANGE, 10), Decimal(0), ongoing=1.0
                    )
                )
            fields["streams"] = tuple(streams)
        else:
            situation = rng.choices([s for s, _ in _SITUATION_WEIGHTS], [w for _, w in _SITUATION_WEIGHTS])[0]
            if situation is Situation.PARENTAL_LEAVE and not has_young_child:
                situation = Situation.JOBSEEKER
            if situation is Situation.SICKNESS_COMPENSATION and age < 30:
                situation = Situation.SICK
            if situation is Situation.STUDENT and age > 45:
                situation = Situation.NO_INCOME
            fields.update(self._working_age(situation, age))
        fields.update(self._assets(role, age))
        if person.is_samordningsnummer and "migration" not in fields:
            fields["migration"] = self._migration(granted=True)
        elif not person.is_samordningsnummer and role in ADULT_ROLES and rng.random() < 0.1:
            fields["migration"] = self._migration(granted=True, long_ago=True)
        return fields

    def _working_age(self, situation: Situation, age: int) -> dict:
        rng = self.rng
        fields: dict = {"situation": situation}
        tax = rng.choice(amounts.TAX_RATES)
        if situation is Situation.UNEMPLOYED_AKASSA:
            fund = rng.choice(_AKASSOR)
            start = Period(2026, 1).shifted(-rng.randint(0, 10)).first_day
            end = Period.containing(start).shifted(rng.randint(8, 15)).first_day
            daily = rng.randrange(*amounts.AKASSA_DAILY_RANGE, 10)
            deduction = Decimal(rng.choice((500, 1000, 1500))) if rng.random() < 0.05 else Decimal(0)
            fields["akassa"] = AkassaProfile(fund, daily, tax, start, end, deduction)
            fields["af"] = self._af("11", registered_months=rng.randint(1, 14), akassa=fund)
        elif situation is Situation.JOBSEEKER:
            code = rng.choices(("11", "22", "41"), (70, 20, 10))[0]
            fund = rng.choice(_AKASSOR) if rng.random() < 0.3 else None
            fields["af"] = self._af(code, registered_months=rng.randint(1, 36), akassa=fund)
        elif situation is Situation.PROGRAMME:
            monthly = int(amounts.AKTIVITETSSTOD_PER_DAY * 22)
            stream = self._stream("FK:AS", monthly, rng.choice(amounts.TAX_RATES[:2]))
            fields["streams"] = (stream,)
            decision = ("AKTIVITETSSTOD", 100, stream.start, stream.end)
            fields["af"] = self._af("68", registered_months=rng.randint(6, 36), decisions=(decision,))
        elif situation is Situation.SICK:
            sgi = rng.randrange(180_000, amounts.SGI_CAP, 1000)
            monthly = int(Decimal(sgi) * amounts.SJUKPENNING_FACTOR / 12)
            fields["streams"] = (self._stream("FK:SJP", monthly, tax, ongoing=0.5),)
            fields["other_info"] = (("FK:SGI", "Sjukpenninggrundande inkomst", str(sgi)),)
            if rng.random() < 0.3:
                fields["af"] = self._af("41", registered_months=rng.randint(1, 24))
            if rng.random() < 0.1:
                fields["claims"] = (("FK:SJP", date(2026, 1, rng.randint(2, 28))),)
        elif situation is Situation.SICKNESS_COMPENSATION:
            monthly = rng.randrange(*amounts.SJUKERSATTNING_RANGE, 10)
            fields["streams"] = (self._stream("FK:SA", monthly, tax, ongoing=1.0),)
        elif situation is Situation.PARENTAL_LEAVE:
            monthly = rng.randrange(7_500, 26_000, 10)
            fields["streams"] = (self._stream("FK:FP", monthly, tax, ongoing=0.4),)
            sgi = rng.randrange(120_000, amounts.SGI_CAP, 1000)
            fields["other_info"] = (("FK:SGI", "Sjukpenninggrundande inkomst", str(sgi)),)
        elif situation is Situation.STUDENT:
            start = date(rng.choice((2024, 2025)), rng.choice((1, 8)), 1)
            end = date(rng.choice((2026, 2027)), 6, 1)
            if age >= 25 and rng.random() < 0.15:
                study = StudyProfile(
                    "STUDIESTARTSSTOD", amounts.STUDIESTARTSSTOD_GRANT, Decimal(0), start, end
                )
            else:
                loan = amounts.STUDIEMEDEL_LOAN if rng.random() < 0.7 else Decimal(0)
                study = StudyProfile("STUDIEMEDEL", amounts.STUDIEMEDEL_GRANT, loan, start, end)
            fields["study"] = study
        elif situation is Situation.LOW_WAGE:
            if rng.random() < 0.5:
                fields["af"] = self._af("21", registered_months=rng.randint(2, 30), extent=50)
        elif situation is Situation.NO_INCOME and rng.random() < NO_INCOME_REGISTERED:
            fields["af"] = self._af("11", registered_months=rng.randint(1, 48))
        return fields

    def _newly_arrived(self) -> dict:
        rng = self.rng
        if rng.random() < 0.45:
            return {"situation": Situation.PENDING_PERMIT, "migration": self._migration(granted=False)}
        migration = self._migration(granted=True)
        granted = migration.cases[-1].decided_on or REFERENCE_DATE
        start = Period.containing(granted).shifted(2).first_day
        monthly = int(amounts.ETABLERINGSERSATTNING_PER_DAY * 22)
        stream = Stream(
            "FK:ET", start, Period.containing(start).shifted(23).first_day, Decimal(monthly), Decimal(0)
        )
        decision = ("ETABLERINGSERSATTNING", 100, stream.start, stream.end)
        fields: dict = {
            "situation": Situation.NEWLY_ARRIVED,
            "migration": migration,
            "streams": (stream,),
            "af": self._af("69", registered_months=rng.randint(1, 12), decisions=(decision,)),
        }
        if rng.random() < 0.4:
            fields["study"] = StudyProfile(
                "HEMUTRUSTNINGSLAN", Decimal(0), Decimal(rng.randrange(20_000, 60_000, 500)), start, start
            )
        return fields

    def _af(
        self,
        code: str,
        *,
        registered_months: int,
        akassa: str | None = None,
        extent: int = 100,
        decisions: tuple = (),
    ) -> AfProfile:
        rng = self.rng
        registered_on = Period(2026, 1).shifted(-registered_months).first_day.replace(day=rng.randint(1, 28))
        deregistered = None
        if rng.random() < 0.05:
            deregistered = (
                Period(2026, 1).shifted(rng.randint(-2, 5)).first_day.replace(day=rng.randint(1, 28))
            )
            deregistered = max(deregistered, registered_on)
        reports_stop = Period(2026, 1).shifted(rng.randint(-2, 4)).first_day if rng.random() < 0.08 else None
        if extent == 100 and rng.random() < 0.15:
            extent = rng.choice((50, 75))
        return AfProfile(
            code, AF_CATEGORIES[code], registered_on, extent, deregistered, reports_stop, akassa, decisions
        )

    def _migration(self, *, granted: bool, long_ago: bool = False) -> MigrationProfile:
        rng = self.rng
        country = rng.choice(_HOME_COUNTRIES)
        if long_ago:
            entry = date(rng.randint(2005, 2019), rng.randint(1, 12), rng.randint(1, 28))
        else:
            entry = date(rng.choice((2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
        applied = entry.replace(day=min(entry.day + 3, 28))
        if not granted:
            return MigrationProfile(
                country, entry, (PermitCase(applied, "UAT", None, None, None, None, None),)
            )
        decided = (
            Period.containing(applied).shifted(rng.randint(3, 14)).first_day.replace(day=rng.randint(1, 28))
        )
        if long_ago or rng.random() < 0.2:
            case = PermitCase(applied, "UAT", "BEV", "PUT", decided, decided, None)
        else:
            years = 1 if country == "UKR" else rng.choice((2, 3))
            until = decided.replace(year=decided.year + years)
            case = PermitCase(applied, "UAT", "BEV", "TUT", decided, decided, until)
        return MigrationProfile(country, entry, (case,))

    def _assets(self, role: Role, age: int) -> dict:
        rng = self.rng
        fields: dict = {}
        if role in (Role.CHILD, Role.ADULT_CHILD):
            if rng.random() < 0.3:
                fields["capital_base"] = rng.randint(1, 120)  # interest on a children's savings account
            return fields
        roll = rng.random()
        if roll < 0.08:
            fields["capital_base"] = rng.randrange(2_000, 80_000, 100)
        elif roll < 0.6:
            fields["capital_base"] = rng.randint(1, 400)
        if rng.random() < (0.06 if age >= 75 else 0.13):
            count = 2 if rng.random() < 0.15 else 1
            fields["vehicles"] = tuple(self._vehicle() for _ in range(count))
        return fields

    def _vehicle(self) -> VehicleData:
        rng = self.rng
        kind, make, trade = rng.choice(_VEHICLES)
        while True:
            last = rng.choice(_PLATE_LETTERS + "0123456789")
            plate = "".join(rng.choice(_PLATE_LETTERS) for _ in range(3)) + f"{rng.randint(0, 99):02d}" + last
            if plate not in self.plates:
                self.plates.add(plate)
                break
        return VehicleData(plate, make, rng.randint(1998, 2023), kind, trade)

    def _address(self) -> AddressData:
        rng = self.rng
        while True:
            street = f"{rng.choice(_STREETS)} {rng.randint(1, 140)}"
            apartment = f"1{rng.randint(0, 3)}0{rng.randint(1, 4)}" if rng.random() < 0.7 else None
            city, prefix = rng.choice(_CITIES)
            key = (f"{street} {apartment}", city)
            if key not in self.addresses:
                self.addresses.add(key)
                return AddressData(street, f"{prefix} {rng.randint(10, 99)}", city, apartment)


def _classify(requested: HouseholdKind, drafts: list[_Draft]) -> HouseholdKind:
    """The kind a household turned out to be (a template may not find every member it asked for)."""
    if requested is HouseholdKind.NEWLY_ARRIVED:
        return requested
    roles = [d.role for d in drafts]
    children = sum(r in (Role.CHILD, Role.ADULT_CHILD) for r in roles)
    parents = sum(r in (Role.APPLICANT, Role.PARTNER) for r in roles)
    if children:
        if Role.RELATIVE in roles and len(drafts) < 7:
            return HouseholdKind.THREE_GENERATIONS
        if len(drafts) >= 7:
            return HouseholdKind.LARGE_FAMILY
        return HouseholdKind.COUPLE_WITH_CHILDREN if parents == 2 else HouseholdKind.SINGLE_PARENT
    senior = _age(Personnummer(drafts[0].pnr).birth_date, REFERENCE_DATE) >= 65
    if parents == 2:
        return HouseholdKind.COUPLE_SENIOR if senior else HouseholdKind.COUPLE
    return HouseholdKind.SINGLE_SENIOR if senior else HouseholdKind.SINGLE


@lru_cache(maxsize=4)
def generate(seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> Population:
    """Build (or return the cached) population of ``size`` persons for ``seed``.

    Raises :class:`PopulationTooLarge` when the test identities cannot fill it (about 15 000 persons is
    the practical limit, because the test files hold few teenagers and no one born after 2023).
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    return _Builder(seed, size).build()


def sample_households(population: Population, count: int, *, seed: int = 0) -> list[Household]:
    """``count`` households for demos, the same ones for the same population and ``seed``."""
    rng = random.Random(seed)  # noqa: S311 — picking demo examples
    chosen = rng.sample(range(len(population.households)), min(count, len(population.households)))
    return [population.households[i] for i in sorted(chosen)]
