"""Reconcile: what the citizen stated, against the registers and against last month.

Each finding has a code, a severity (info < notice < warning < high) and a plain Swedish sentence. A
difference is a reason to ask a person, never proof of anything: findings route a case, they never reject
one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from bistand.casework.policy import Policy
from bistand.rules.model import INCOME_TYPES

# Register benefit codes and the income type the citizen would state them as.
FK_INCOME_TYPES = {
    "FK:ABB": "child_allowance",
    "FK:BOB": "housing_allowance",
    "FK:SJP": "sickness_benefit",
    "FK:FP": "parental_benefit",
    "FK:US": "maintenance_support",
    "FK:AS": "activity_support",
    "FK:ET": "establishment_benefit",
    "FK:SA": "pension",  # sjuk- och aktivitetsersättning
    "PM:AP": "pension",
    "PM:BTI": "pension",
}
SOURCE_NAMES = {
    "fk": "Försäkringskassan och Pensionsmyndigheten",
    "af": "Arbetsförmedlingen",
    "so": "a-kassan",
    "csn": "CSN",
    "skv": "Skatteverket",
    "tns": "Transportstyrelsen",
    "miv": "Migrationsverket",
    "navet": "folkbokföringen",
}
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


def _month_bounds(month: str) -> tuple[datetime.date, datetime.date]:
    first = datetime.date.fromisoformat(month + "-01")
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


def _covers(payment: dict, first: datetime.date, last: datetime.date) -> bool:
    start = datetime.date.fromisoformat(payment["covers_from"])
    end = datetime.date.fromisoformat(payment["covers_to"])
    return start <= last and end >= first


def kr(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", " ") + " kr"


def register_incomes(snapshot: dict[str, Any], month: str) -> dict[str, dict[str, Decimal]]:
    """Incomes the registers show for the month, per role and income type (net amounts)."""
    first, last = _month_bounds(month)
    incomes: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for role, answer in snapshot.items():
        sources = answer["sources"]
        fk = sources.get("fk", {}).get("facts")
        if fk:
            for payment in fk["payments"]:
                kind = FK_INCOME_TYPES.get(payment["code"])
                if kind and _covers(payment, first, last):
                    incomes[role][kind] += Decimal(payment["net"])
        so = sources.get("so", {}).get("facts")
        if so:
            for payment in so["payments"]:
                if _covers(payment, first, last):
                    incomes[role]["unemployment_benefit"] += Decimal(payment["net_after_tax"])
        csn = sources.get("csn", {}).get("facts")
        if csn:
            for payment in csn["payments"]:
                if _covers(payment, first, last):
                    incomes[role]["student_grant"] += Decimal(payment["grant"])
                    incomes[role]["student_loan"] += Decimal(payment["loan"])
    return {role: {k: v for k, v in kinds.items() if v} for role, kinds in incomes.items()}


def stated_incomes(values: dict[str, Any]) -> dict[str, dict[str, Decimal]]:
    stated: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for income in values.get("incomes", []):
        stated[income["person"]][income["type"]] += Decimal(income["amount"])
    return stated


def reconcile(
    values: dict[str, Any],
    snapshot: dict[str, Any],
    previous: dict[str, Any] | None,
    policy: Policy,
) -> list[Finding]:
    """Compare the stated answers (`values`) with the register snapshot (per role) and last month's answers."""
    findings: list[Finding] = []
    month = values["month"]
    threshold = Decimal(policy.config["thresholds"]["income_difference"])

    for role, answer in snapshot.items():
        for source, result in answer["sources"].items():
            if result.get("error"):
                error = result["error"]
                findings.append(
                    Finding(
                        "register_incomplete",
                        "high",
                        f"Uppgifter från {SOURCE_NAMES.get(source, source)} om {ROLE_NAMES.get(role, role)} "
                        f"kom inte in fullständigt ({error.get('kind', 'fel')}). En handläggare behöver "
                        "kontrollera uppgifterna.",
                        role=role,
                        source=source,
                    )
                )

    from_registers = register_incomes(snapshot, month)
    stated = stated_incomes(values)
    for role, kinds in from_registers.items():
        for kind, amount in kinds.items():
            declared = stated.get(role, {}).get(kind, Decimal(0))
            if abs(amount - declared) <= threshold:
                continue
            label = INCOME_TYPES[kind][0].lower()
            who = ROLE_NAMES.get(role, role)
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
            findings.append(
                Finding(
                    code,
                    severity,
                    message,
                    role=role,
                    details={"type": kind, "stated": str(declared), "register": str(amount)},
                )
            )

    capital_limit = Decimal(policy.config["thresholds"]["capital_surplus_per_year"])
    stated_assets = {asset["type"] for asset in values.get("assets", [])}
    for role, answer in snapshot.items():
        sources = answer["sources"]
        skv = sources.get("skv", {}).get("facts")
        if skv and skv["capital"]:
            latest = max(skv["capital"], key=lambda c: c["assessment_year"])
            surplus = Decimal(latest["surplus"])
            if surplus > capital_limit:
                findings.append(
                    Finding(
                        "capital_income",
                        "warning",
                        f"Skatteverket visar kapitalinkomst på {kr(surplus)} för {ROLE_NAMES.get(role, role)} "
                        f"(taxeringsår {latest['assessment_year']}). Det kan betyda sparade pengar eller andra "
                        "tillgångar som ska användas först.",
                        role=role,
                        source="skv",
                    )
                )
        tns = sources.get("tns", {}).get("facts")
        if tns and tns["vehicles"] and "vehicle" not in stated_assets:
            count = len(tns["vehicles"])
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

    findings += _household_findings(values, snapshot)
    findings += _changes_since_last_month(values, previous)
    return findings


def _household_findings(values: dict[str, Any], snapshot: dict[str, Any]) -> list[Finding]:
    navet = snapshot.get("applicant", {}).get("sources", {}).get("navet", {}).get("facts")
    if not navet:
        return []
    at_address = {member["personnummer"] for member in navet["household"]}
    stated = {child["personnummer"] for child in values.get("children", [])}
    if values.get("co_applicant"):
        stated.add(values["co_applicant"])
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


def _changes_since_last_month(values: dict[str, Any], previous: dict[str, Any] | None) -> list[Finding]:
    if previous is None:
        return []
    findings = []
    if not values.get("nothing_changed"):
        findings.append(Finding("reported_change", "notice", "Den sökande har angett att något har ändrats."))
    compared = {
        "co_applicant": "medsökande",
        "children": "barnen i hushållet",
        "costs": "kostnaderna",
        "incomes": "inkomsterna",
        "assets": "tillgångarna",
    }
    for key, label in compared.items():
        if _normalised(values.get(key)) != _normalised(previous.get(key)):
            findings.append(
                Finding(
                    "changed_since_last_month",
                    "notice",
                    f"Uppgifterna om {label} har ändrats sedan förra månaden.",
                )
            )
    return findings


def _normalised(value: Any) -> Any:
    if isinstance(value, list):
        return sorted((_normalised(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in sorted(value.items())}
    if isinstance(value, str):
        try:
            return str(Decimal(value).normalize())
        except ArithmeticError:
            return value
    return value
