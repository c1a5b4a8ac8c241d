"""The bidragsreform's rules (prop. 2025/26:201 and 2025/26:207), each dated from its in-force date.

Each rule is written once, in `parameters/bidragsreform.yaml` (title, in-force date, proposition, the
section it amends, SFS number or *pending SFS*). Each check below is a rule of its own: it reads plain facts
about the household and the month (`ReformFacts`) and says whether the rule touches the case (`Hit`).

Every rule here can lower or refuse support, and none of their amounts or exceptions is settled enough for a
machine: the robot never applies them against a citizen. A hit sends the case to a person, with the rule
named; refusal or reduction (for example under the aktivitetskrav) is only ever a person's decision after
kommunicering. Nothing here computes money, so the calculation itself (`engine.calculate`) is unchanged.

No Django, no I/O beyond reading the packaged YAML once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).parent / "parameters" / "bidragsreform.yaml"

# The aktivitetskrav's exemptions (prop. 2025/26:207, as summarised in the domain brief §4.6), by code.
EXEMPTIONS: dict[str, tuple[str, str]] = {
    "under_18": ("Under 18 år", "Under 18"),
    "school_18_20": ("18–20 år och går i gymnasieskolan eller motsvarande", "Aged 18–20 and in school"),
    "full_time": ("Heltidssysselsatt i arbete, studier eller annan verksamhet", "Occupied full time"),
    "pension_age": ("Har uppnått pensionsåldern", "Has reached pension age"),
    "sickness": (
        "Har sjukpenning, sjukersättning eller läkarintyg om nedsatt arbetsförmåga",
        "On sickness benefit",
    ),
    "other": (
        "Annat godtagbart skäl, bedömt av handläggare",
        "Another acceptable reason, assessed by a caseworker",
    ),
}

# Arbetsförmedlingen's activity-report status in SSBTEK (domain brief §4.6).
AF_STATUS: dict[str, tuple[str, str]] = {
    "200": ("aktivitetsrapport inlämnad", "activity report filed"),
    "501": ("ingen aktivitetsrapport inlämnad", "no activity report filed"),
    "500": ("inte inskriven på Arbetsförmedlingen", "not registered at Arbetsförmedlingen"),
    "502": ("Arbetsförmedlingen kunde inte svara (tekniskt fel)", "Arbetsförmedlingen could not answer"),
}


@dataclass(frozen=True)
class ReformRule:
    """One rule of the reform, as recorded in `bidragsreform.yaml`."""

    code: str
    title: str
    title_en: str
    in_force: datetime.date
    proposition: str
    reference: str
    section_verified: bool
    sfs: str | None
    reduces: bool
    source_tag: str
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def pending_sfs(self) -> bool:
        """True until the rule's SFS number is recorded."""
        return not self.sfs

    @property
    def status(self) -> str:
        """The rule's legal status in words: the SFS number, or *väntar på SFS-nummer*."""
        return self.sfs or "väntar på SFS-nummer (pending SFS)"

    def applies(self, month: datetime.date) -> bool:
        """Whether the rule is in force for försörjningsstöd for `month` (first day of the month)."""
        start = self.extra.get("applies_from") or self.in_force
        return month >= start

    def cite(self) -> str:
        """The rule as a caseworker reads it: title, reference and status."""
        return f"{self.title} ({self.reference}; {self.status})"


@cache
def reform_rules() -> dict[str, ReformRule]:
    """Every rule of the reform by code, read once."""
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    known = {
        "title", "title_en", "in_force", "proposition", "reference", "section_verified", "sfs", "reduces",
        "source_tag",
    }  # fmt: skip
    return {
        code: ReformRule(
            code=code,
            title=entry["title"],
            title_en=entry["title_en"],
            in_force=entry["in_force"],
            proposition=entry["proposition"],
            reference=entry["reference"],
            section_verified=bool(entry["section_verified"]),
            sfs=entry.get("sfs"),
            reduces=bool(entry["reduces"]),
            source_tag=entry["source_tag"],
            extra={k: v for k, v in entry.items() if k not in known},
        )
        for code, entry in data["rules"].items()
    }


@dataclass(frozen=True)
class Adult:
    """What the reform's rules read about one adult in the month."""

    role: str  # applicant | co_applicant
    age: int | None = None
    lawfully_resident: bool | None = True  # None: not known (Migrationsverket did not answer, case pending)
    ill_not_at_disposal: bool = False  # illness keeps the person from the labour market
    certificate: tuple[datetime.date, datetime.date] | None = None  # the läkarintyg's period
    plan_hours: int | None = None  # the individual plan covering the month: hours a week (None: no plan)
    job_search_hours: int | None = None  # of which job search
    exemption: str | None = None  # a code of EXEMPTIONS
    af_status: str | None = None  # a code of AF_STATUS, None when not asked
    # AF's status when a caseworker accepted the plan, given only where the municipality's policy lets an
    # accepted plan that covers the whole month carry over (None: the plan is judged afresh every month).
    plan_accepted_af_status: str | None = None


@dataclass(frozen=True)
class ReformFacts:
    """The household's facts for the month, as the reform's rules need them."""

    month: datetime.date  # first day
    adults: tuple[Adult, ...]
    children: int = 0
    beyond_norm: tuple[str, ...] = ()  # cost types applied for beyond the norm (dental, glasses, …)
    second_hand_lease: bool = False
    sublet_consent: bool | None = None  # None: not stated
    consecutive_months: int = 0  # months granted försörjningsstöd in a row just before this month


@dataclass(frozen=True)
class Hit:
    """A rule that touches the case: which, and why, in words a caseworker reads."""

    rule: ReformRule
    message: str

    def to_reason(self) -> dict[str, str]:
        """The routing reason the pipeline stores: the rule's code and its citation with the finding."""
        action = "En handläggare prövar saken; roboten tillämpar aldrig regeln mot den sökande på egen hand."
        return {"code": self.rule.code, "message": f"{self.message} – {self.rule.cite()}. {action}"}


def _last_day(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def riksnorm_ceiling(facts: ReformFacts, rule: ReformRule) -> list[Hit]:
    """From 2027 the riksnorm is the ceiling as a main rule: support beyond it is limited (prop. 2025/26:201)."""
    if not facts.beyond_norm:
        return []
    return [
        Hit(rule, f"Ansökan gäller stöd utöver riksnormen ({', '.join(sorted(set(facts.beyond_norm)))}).")
    ]


def large_household_cap(facts: ReformFacts, rule: ReformRule) -> list[Hit]:
    """From 2027 försörjningsstöd for larger households is capped, phased in (prop. 2025/26:201)."""
    if facts.children < rule.extra["from_children"]:
        return []
    return [Hit(rule, f"Hushållet har {facts.children} barn; begränsningen för större hushåll kan gälla.")]


def medical_certificate(facts: ReformFacts, rule: ReformRule) -> list[Hit]:
    """From 1 July 2026 illness that keeps someone from the labour market needs a läkarintyg for the month."""
    hits = []
    first, last = facts.month, _last_day(facts.month)
    for adult in facts.adults:
        if not adult.ill_not_at_disposal:
            continue
        if adult.certificate is None:
            hits.append(Hit(rule, f"Läkarintyg saknas ({_who(adult)} uppger sjukdom)."))
        elif not (adult.certificate[0] <= first and last <= adult.certificate[1]):
            hits.append(
                Hit(
                    rule,
                    f"Läkarintyget ({adult.certificate[0]}–{adult.certificate[1]}) täcker inte hela månaden "
                    f"({_who(adult)}).",
                )
            )
    return hits


def sublet_consent(facts: ReformFacts, rule: ReformRule) -> list[Hit]:
    """From 2027 housing cost for a second-hand lease only with the necessary consent or permission."""
    if not facts.second_hand_lease or facts.sublet_consent is True:
        return []
    stated = "saknas" if facts.sublet_consent is False else "är inte styrkt"
    return [Hit(rule, f"Bostaden hyrs i andra hand och samtycke eller tillstånd till uthyrningen {stated}.")]


def lawful_residence(facts: ReformFacts, rule: ReformRule) -> list[Hit]:
    """From 2027 ekonomiskt bistånd only to people lawfully in Sweden; otherwise only nödbistånd."""
    hits = []
    for adult in facts.adults:
        if adult.lawfully_resident is False:
            hits.append(
                Hit(
                    rule,
                    f"Enligt Migrationsverket har {_who(adult)} inget gällande uppehållstillstånd; "
                    "bara nödbistånd kan komma i fråga.",
                )
            )
        elif adult.lawfully_resident is None:
            hits.append(Hit(rule, f"Om {_who(adult)} vistas lagligen i Sverige är inte känt."))
    return hits


def aktivitetskrav(facts: ReformFacts, rule: ReformRule) -> list[Hit]:
    """After three consecutive months each adult takes part in activities under an individual plan with its
    hours and job-search time, unless exempt (prop. 2025/26:207). Only a person refuses or reduces."""
    if facts.consecutive_months < rule.extra["consecutive_months"]:
        return []
    hits = []
    for adult in facts.adults:
        if adult.exemption in EXEMPTIONS:
            continue
        problems = []
        if adult.plan_hours is None:
            problems.append("individuell plan eller undantag saknas")
        elif not adult.job_search_hours:
            problems.append("planen saknar tid för jobbsökande")
        if adult.af_status in ("501", "500", "502") and not _nothing_new_at_af(adult):
            problems.append(f"Arbetsförmedlingen: {adult.af_status} {AF_STATUS[adult.af_status][0]}")
        if problems:
            hits.append(
                Hit(
                    rule,
                    f"Hushållet har haft försörjningsstöd {facts.consecutive_months} månader i följd; "
                    f"{_who(adult)}: {'; '.join(problems)}. Nekas eller sätts stödet ned är det en "
                    "handläggares beslut efter kommunicering.",
                )
            )
    return hits


def _nothing_new_at_af(adult: Adult) -> bool:
    """Not registered at Arbetsförmedlingen now, just as when a caseworker accepted the plan: its activities
    are the municipality's, and the register says nothing new, so the caseworker's judgement stands until the
    plan expires. A missing activity report (501) is news every month, and no answer (502) is unknown, never
    "nothing", so neither carries over."""
    return adult.af_status == "500" and adult.plan_accepted_af_status == "500"


def _who(adult: Adult) -> str:
    return "den sökande" if adult.role == "applicant" else "medsökande"


CHECKS: dict[str, Callable[[ReformFacts, ReformRule], list[Hit]]] = {
    "riksnorm_ceiling": riksnorm_ceiling,
    "large_household_cap": large_household_cap,
    "medical_certificate": medical_certificate,
    "sublet_consent": sublet_consent,
    "lawful_residence": lawful_residence,
    "aktivitetskrav": aktivitetskrav,
}


def hits(facts: ReformFacts) -> list[Hit]:
    """Every rule in force for the month that touches the case."""
    found = []
    for code, rule in reform_rules().items():
        if rule.applies(facts.month):
            found += CHECKS[code](facts, rule)
    return found


def calculation_warnings(
    month: datetime.date, children: int, beyond_norm: tuple[str, ...], lang: str = "sv"
) -> list[str]:
    """What `calculate` says about the reform's rules that touch a household it can see (the riksnorm as a
    ceiling, the cap for larger households): the amount does not apply them, a person assesses."""
    return list(_calculation_warnings(month, children, beyond_norm, lang))


_CALCULATION_RULES = ("riksnorm_ceiling", "large_household_cap")


@lru_cache(maxsize=1024)  # by month; the rules are read once
def calculation_rules_in_force(month: datetime.date) -> bool:
    """Whether any rule `calculation_warnings` names is in force in `month`: before that there is nothing
    to say, and the household's facts need not be gathered."""
    return any(reform_rules()[code].applies(month) for code in _CALCULATION_RULES)


@lru_cache(maxsize=4096)  # a pure function of a few small values (the rules are read once): made once each
def _calculation_warnings(
    month: datetime.date, children: int, beyond_norm: tuple[str, ...], lang: str
) -> tuple[str, ...]:
    facts = ReformFacts(month=month, adults=(), children=children, beyond_norm=beyond_norm)
    out = []
    for code in _CALCULATION_RULES:
        rule = reform_rules()[code]
        if rule.applies(month) and CHECKS[code](facts, rule):
            if lang == "en":
                out.append(
                    f"{rule.title_en} ({rule.reference}; pending SFS) may apply from {rule.in_force}. "
                    "This amount does not apply it: a caseworker assesses."
                )
            else:
                out.append(
                    f"{rule.title} ({rule.reference}; {rule.status}) kan gälla från {rule.in_force}. "
                    "Beloppet här tillämpar inte regeln: en handläggare bedömer."
                )
    return tuple(out)
