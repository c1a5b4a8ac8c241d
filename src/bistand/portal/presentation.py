"""Decisions and their calculations as the citizen reads them: lines by section, versions and what changed.

The calculation is the rules engine's contract JSON (lines with label, amount, rule and legal reference).
A correction is a new version; `changes` compares two versions line by line so the citizen sees what
changed, beside the caseworker's stated reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bistand.decisions.models import Decision
from bistand.intake.summary import kr

SECTION_TITLES = {
    "norm": gettext_lazy("Riksnormen (mat, kläder, hygien med mera)"),
    "costs": gettext_lazy("Kostnader som räknas med"),
    "income": gettext_lazy("Inkomster som räknas av"),
}


@dataclass
class CalcSection:
    key: str
    title: str
    lines: list[dict[str, Any]] = field(default_factory=list)
    total: str = ""


def sections(calculation: dict[str, Any]) -> list[CalcSection]:
    out = []
    for key, total_key in (("norm", "norm_total"), ("costs", "costs_total"), ("income", "income_total")):
        lines = [
            {
                "label": line.get("label", ""),
                "amount": kr(line.get("amount", 0)),
                "reference": line.get("reference", ""),
            }
            for line in calculation.get("lines", [])
            if line.get("section") == key
        ]
        total = calculation.get(total_key)
        out.append(CalcSection(key, str(SECTION_TITLES[key]), lines, kr(total) if total is not None else ""))
    return out


def _key(line: dict[str, Any]) -> tuple:
    return (line.get("section"), line.get("member"), line.get("rule"), line.get("label"))


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, str]]:
    """What differs between two calculations: changed, added and removed lines, and the totals."""
    old = {_key(line): line for line in before.get("lines", [])}
    new = {_key(line): line for line in after.get("lines", [])}
    out = []
    for key, line in new.items():
        if key not in old:
            out.append({"label": line["label"], "before": "–", "after": kr(line["amount"])})
        elif Decimal(str(old[key]["amount"])) != Decimal(str(line["amount"])):
            out.append(
                {"label": line["label"], "before": kr(old[key]["amount"]), "after": kr(line["amount"])}
            )
    for key, line in old.items():
        if key not in new:
            out.append({"label": line["label"], "before": kr(line["amount"]), "after": "–"})
    for total_key, label in (("entitlement", _("Försörjningsstöd för månaden")),):
        a, b = before.get(total_key), after.get(total_key)
        if a is not None and b is not None and Decimal(str(a)) != Decimal(str(b)):
            out.append({"label": label, "before": kr(a), "after": kr(b)})
    return out


def reasons(decision: Decision, lang: str) -> list[str]:
    """The decision's reasons (FL 32 §) in the citizen's language, from the decisions app."""
    try:
        from bistand.decisions.motivation import paragraphs
    except ImportError:  # pragma: no cover - the decisions app always has it
        return [p for p in decision.motivation.split("\n\n") if p.strip()]
    return paragraphs(decision, lang)


def explanation(decision: Decision, lang: str) -> list[str]:
    """The rules engine's plain-language walk through the calculation, where the decisions app offers it."""
    try:
        from bistand.decisions.presentation import explanation as engine_explanation
    except ImportError:
        return []
    result = engine_explanation(decision, lang)
    return [result] if isinstance(result, str) else list(result)


def versions(decision: Decision) -> list[dict[str, Any]]:
    """Every version of the application's decision, oldest first, each with what changed from the one before."""
    chain = list(Decision.objects.filter(application=decision.application).order_by("version"))
    out = []
    previous = None
    for version in chain:
        out.append(
            {
                "decision": version,
                "changes": changes(previous.calculation, version.calculation) if previous else [],
                "amount": kr(version.amount_granted),
            }
        )
        previous = version
    return out
