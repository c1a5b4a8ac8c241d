"""A decision's versions as the citizen reads them, and what changed between them.

The decision itself is shown from its statement (`decisions/statement.py`).
A correction is a new version; `changes` compares two versions line by line so the citizen sees what
changed, beside the caseworker's stated reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from bistand.decisions.models import Decision
from bistand.intake.summary import kr


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
