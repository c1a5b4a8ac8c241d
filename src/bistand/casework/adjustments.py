"""A caseworker's adjustment of the robot's proposal, in words: its line, its reason category, a sentence.

The case page shows each adjustment with its free-text reason; oversight counts them by line and reason
category only (managers see patterns, not people: the free text stays inside the case).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from bistand.intake.summary import kr
from bistand.rules.model import COST_TYPES, INCOME_TYPES


def line_label(adjustment: dict[str, Any]) -> str:
    """The line of the calculation the adjustment changed, as the engine names it."""
    kind = adjustment.get("kind")
    if kind == "cost":
        return COST_TYPES.get(adjustment.get("type", ""), (_("Annan kostnad"),))[0]
    if kind == "income":
        return INCOME_TYPES.get(adjustment.get("type", ""), (_("Annan inkomst"),))[0]
    if kind == "norm":
        return _("Riksnormen")
    if kind == "school":
        return _("Barn 18–20 år i gymnasiet")
    if kind == "emergency":
        return _("Nödbistånd")
    return _("Annan rad")


def _direction(adjustment: dict[str, Any]) -> int:
    try:
        return (Decimal(str(adjustment["to"])) > Decimal(str(adjustment["from"]))) - (
            Decimal(str(adjustment["to"])) < Decimal(str(adjustment["from"]))
        )
    except (KeyError, InvalidOperation):
        return 0


def category(adjustment: dict[str, Any]) -> str:
    """The kind of reason, from what was changed and which way: never the caseworker's own words."""
    kind, direction = adjustment.get("kind"), _direction(adjustment)
    if kind == "cost":
        return (
            _("Kostnaden sänkt till en skälig nivå")
            if direction < 0
            else _("Kostnaden ändrad efter utredning")
        )
    if kind == "income":
        return _("Inkomsten högre än i ansökan") if direction > 0 else _("Inkomsten lägre än i ansökan")
    if kind == "norm":
        return _("Högre norm av särskilda skäl")
    if kind == "school":
        return _("Gymnasiestudier utredda")
    if kind == "emergency":
        return _("Akut behov")
    return _("Annan ändring")


def describe(adjustment: dict[str, Any]) -> str:
    """One adjustment as a sentence for the case page: what line, from what, to what."""
    kind = adjustment.get("kind")
    if kind == "norm":
        return _("Högre norm av särskilda skäl: %(amount)s mer") % {"amount": kr(adjustment.get("amount", 0))}
    if kind in ("cost", "income") and "to" in adjustment:
        if "from" in adjustment:
            return _("%(line)s: %(before)s → %(after)s") % {
                "line": line_label(adjustment),
                "before": kr(adjustment["from"]),
                "after": kr(adjustment["to"]),
            }
        return _("%(line)s: %(after)s") % {"line": line_label(adjustment), "after": kr(adjustment["to"])}
    if kind == "school":
        return (
            _("Gymnasiet: går i gymnasiet")
            if adjustment.get("to") == "yes"
            else _("Gymnasiet: går inte i gymnasiet")
        )
    return line_label(adjustment)
