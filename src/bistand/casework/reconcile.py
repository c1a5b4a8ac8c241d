"""Reconcile: what the citizen stated, against the registers and against last month.

Each finding has a code, a severity (info < notice < warning < high) and a plain Swedish sentence. A
difference is a reason to ask a person, never proof of anything: findings route a case, they never reject
one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, fields, is_dataclass
from decimal import Decimal
from typing import Any

from bistand.casework.policy import Policy
from bistand.intake.answers import Answers
from bistand.registers import income
from bistand.registers.snapshot import PersonRegisters, RegisterSnapshot
from bistand.registers.sources import Source, source_name
from bistand.rules.model import INCOME_TYPES
from bistand.rules.money import format_sek as kr

ROLE_NAMES = {"applicant": "den sökande", "co_applicant": "medsökande"}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    role: str = ""
    source: str = ""
    details: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}


def _payments(person: PersonRegisters) -> list[Any]:
    """The typed facts of the sources that pay incomes, as `registers.income` reads them."""
    return [person.facts(source) for source in income.INCOME_SOURCES]


def register_rows(snapshot: RegisterSnapshot, month: str) -> dict[str, list[income.RegisterIncome]]:
    """Per role, the register payments that count in ``month`` (registers.income decides type and month)."""
    return {role: income.for_month(income.incomes(_payments(person)), month) for role, person in snapshot}


def register_incomes(snapshot: RegisterSnapshot, month: str) -> dict[str, dict[str, Decimal]]:
    """Incomes the registers show for the month, per role and income type (net amounts)."""
    totals = {role: income.by_type(rows) for role, rows in register_rows(snapshot, month).items()}
    return {role: kinds for role, kinds in totals.items() if kinds}


def stated_incomes(answers: Answers) -> dict[str, dict[str, Decimal]]:
    stated: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in answers.incomes:
        stated[row.person][row.type] += row.amount
    return stated


def reconcile(
    answers: Answers,
    snapshot: RegisterSnapshot,
    previous: Answers | None,
    policy: Policy,
) -> list[Finding]:
    """Compare the stated answers with the register snapshot (per role) and last month's answers."""
    findings: list[Finding] = []
    month = answers.month

    for role, person in snapshot:
        for source, result in person.sources.items():
            if result.error_kind == "not_available":
                # SSBTEK leaves out what the municipality may not see: that is not "no income".
                findings.append(
                    Finding(
                        "register_not_available",
                        "high",
                        f"Uppgifter från {source_name(source)} om {ROLE_NAMES.get(role, role)} "
                        "är inte tillgängliga för kommunen. De har inte lästs som att det saknas uppgifter; "
                        "en handläggare behöver ta in dem på annat sätt.",
                        role=role,
                        source=source.value,
                    )
                )
            elif result.error:
                findings.append(
                    Finding(
                        "register_incomplete",
                        "high",
                        f"Uppgifter från {source_name(source)} om {ROLE_NAMES.get(role, role)} "
                        f"kom inte in fullständigt ({result.error_kind or 'fel'}). En handläggare behöver "
                        "kontrollera uppgifterna.",
                        role=role,
                        source=source.value,
                    )
                )

    for role, person in snapshot:
        fk = person.facts(Source.FK)
        if fk and fk.unavailable:
            findings.append(
                Finding(
                    "register_not_available",
                    "high",
                    f"Försäkringskassans uppgifter om {', '.join(fk.unavailable)} för "
                    f"{ROLE_NAMES.get(role, role)} är inte tillgängliga för kommunen; de är inte lästa som noll.",
                    role=role,
                    source="fk",
                )
            )
    findings += _income_findings(answers, snapshot, month)
    capital_limit = Decimal(policy.config["thresholds"]["capital_surplus_per_year"])
    stated_assets = {asset.type for asset in answers.assets}
    for role, person in snapshot:
        skv = person.facts(Source.SKV)
        if skv and skv.capital:
            latest = max(skv.capital, key=lambda c: c.assessment_year)
            surplus = latest.surplus
            if surplus > capital_limit:
                findings.append(
                    Finding(
                        "capital_income",
                        "warning",
                        f"Skatteverket visar kapitalinkomst på {kr(surplus)} för {ROLE_NAMES.get(role, role)} "
                        f"(taxeringsår {latest.assessment_year}). Det kan betyda sparade pengar eller andra "
                        "tillgångar som ska användas först.",
                        role=role,
                        source="skv",
                    )
                )
        tns = person.facts(Source.TNS)
        if tns and tns.vehicles and "vehicle" not in stated_assets:
            count = len(tns.vehicles)
            findings.append(
                Finding(
                    "vehicle",
                    "warning",
                    f"Transportstyrelsen visar att {ROLE_NAMES.get(role, role)} äger {count} fordon, men inget "
                    "fordon finns med bland tillgångarna i ansökan.",
                    role=role,
                    source="tns",
                )
            )

    findings += _household_findings(answers, snapshot)
    findings += _changes_since_last_month(answers, previous)
    return findings


def _income_findings(answers: Answers, snapshot: RegisterSnapshot, month: str) -> list[Finding]:
    """Every difference between a stated income and the register's figure for the month, to the krona.

    No tolerance: a register figure the robot used without asking would decide against the citizen
    without kommunicering (FL 25 §), and one it ignored would decide on facts a person has not weighed.
    The robot calculates on the citizen's own figures; a difference sends the case to a person.
    """
    findings: list[Finding] = []
    stated = stated_incomes(answers)
    for role, rows in register_rows(snapshot, month).items():
        person = snapshot.roles[role]
        answered = {source.value for source in income.INCOME_SOURCES if person.facts(source) is not None}
        known = set().union(*(income.TYPES_BY_SOURCE.get(source, frozenset()) for source in answered))
        shown = income.by_type(rows)
        said = stated.get(role, {})
        who = ROLE_NAMES.get(role, role)
        for kind in sorted(set(shown) | (set(said) & known)):
            amount, declared = shown.get(kind, Decimal(0)), said.get(kind, Decimal(0))
            if amount == declared:
                continue
            label = INCOME_TYPES[kind][0].lower()
            preliminary = any(row.preliminary for row in rows if row.type == kind)
            if declared == 0:
                code, severity = "undeclared_income", "warning"
                message = (
                    f"Registren visar {label} på {kr(amount)} för {who} den här månaden, men det finns inte med "
                    "i ansökan."
                )
            else:
                code, severity = "income_differs", "notice"
                message = (
                    f"I ansökan står {label} {kr(declared)} för {who}, registren visar {kr(amount)}. "
                    "Skillnaden behöver förklaras."
                )
            if preliminary:
                message += " Registrets belopp är en preliminär utbetalning som inte är gjord ännu."
            findings.append(
                Finding(
                    code,
                    severity,
                    message,
                    role=role,
                    details={
                        "type": kind,
                        "stated": str(declared),
                        "register": str(amount),
                        "month": month,
                        "preliminary": preliminary,
                    },
                )
            )
        findings += _upcoming_findings(person, role, month)
    return findings


def _upcoming_findings(person: PersonRegisters, role: str, month: str) -> list[Finding]:
    """Preliminary payments for a later month: shown to the caseworker as such, never counted."""
    return [
        Finding(
            "preliminary_payment",
            "info",
            f"{row.label}: preliminär utbetalning på {kr(row.amount)} den {row.paid_on.isoformat()} för "
            f"{ROLE_NAMES.get(role, role)}. Den gäller en senare månad och räknas inte in i den här ansökan.",
            role=role,
            source=row.source,
            details={"code": row.code, "type": row.type, "month": row.month, "amount": str(row.amount)},
        )
        for row in income.upcoming(income.incomes(_payments(person)), month)
    ]


def _household_findings(answers: Answers, snapshot: RegisterSnapshot) -> list[Finding]:
    applicant = snapshot.roles.get("applicant")
    navet = applicant.facts(Source.NAVET) if applicant else None
    if not navet:
        return []
    at_address = {member.personnummer for member in navet.household}
    stated = set(answers.children_pnrs)
    if answers.co_applicant:
        stated.add(answers.co_applicant)
    findings = []
    if missing := at_address - stated:
        findings.append(
            Finding(
                "household_differs",
                "warning",
                f"Folkbokföringen visar {len(missing)} person(er) på samma adress som inte finns med i ansökan. "
                "En handläggare behöver fråga om de ingår i hushållet.",
                source="navet",
            )
        )
    if extra := stated - at_address:
        findings.append(
            Finding(
                "household_differs",
                "notice",
                f"{len(extra)} person(er) i ansökan är inte folkbokförda på samma adress som den sökande.",
                source="navet",
            )
        )
    return findings


def _changes_since_last_month(answers: Answers, previous: Answers | None) -> list[Finding]:
    if previous is None:
        return []
    findings = []
    if not answers.nothing_changed:
        findings.append(Finding("reported_change", "notice", "Den sökande har angett att något har ändrats."))
    compared = {
        "co_applicant": "medsökande",
        "children": "barnen i hushållet",
        "costs": "kostnaderna",
        "incomes": "inkomsterna",
        "assets": "tillgångarna",
    }
    for key, label in compared.items():
        if _normalised(getattr(answers, key)) != _normalised(getattr(previous, key)):
            findings.append(
                Finding(
                    "changed_since_last_month",
                    "notice",
                    f"Uppgifterna om {label} har ändrats sedan förra månaden.",
                )
            )
    return findings


def _normalised(value: Any) -> Any:
    """A stated answer in a form that compares by meaning: items in any order, 6500 and 6500.00 alike."""
    if isinstance(value, tuple):
        return sorted(repr(_normalised(item)) for item in value)
    if is_dataclass(value):
        return tuple(_normalised(getattr(value, f.name)) for f in fields(value))
    if isinstance(value, Decimal):
        return value.normalize()
    return value
    return value
