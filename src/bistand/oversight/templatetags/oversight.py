"""Number formats for the oversight pages: Swedish style, whatever the figure."""

from __future__ import annotations

from decimal import Decimal

from django import template

from bistand.core.templatetags.money import sek
from bistand.oversight.statistics import Share
from bistand.oversight.suppression import format_number

register = template.Library()


@register.filter
def percent(share: Share | None) -> str:
    """ "12,5 %" for a share; "–" when there is nothing to divide by."""
    if share is None or share.percent is None:
        return "–"
    return f"{format_number(share.percent, 1)} %"


@register.filter
def hours(value: float | None) -> str:
    """Hours with one decimal, "–" for none."""
    if value is None:
        return "–"
    return format_number(value, 1)


@register.filter
def kronor(value: Decimal | int | None) -> str:
    """Whole kronor (the figures are statistics), as every amount is written (`core` filter `sek`)."""
    if value is None:
        return "–"
    return sek(Decimal(value).quantize(Decimal("1")))


@register.filter
def number(value: int | None) -> str:
    if value is None:
        return "–"
    return format_number(value)
