"""`{{ amount|sek }}`: an amount of money on a page, the one way (`rules.money.format_sek`).

In the page's language, with no-break spaces between thousands and before the unit: `12 540 kr`,
`372,50 kr`; `SEK 12,540` in English. A template never writes "kr" after an amount itself, and never
formats money with `floatformat` (tests/core/test_one_definition.py).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

from bistand.rules.money import format_sek

register = template.Library()


@register.filter
def sek(value: Decimal | int | str | None) -> str:
    """The amount as people write it in the active language; "–" for none; anything else as it is."""
    if value is None or value == "":
        return "–"
    try:
        return format_sek(Decimal(str(value)), get_language())
    except InvalidOperation:
        return str(value)  # a page never fails on a stored value it cannot read as money
