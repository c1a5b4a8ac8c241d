"""The `sek` template filter: every amount on a page in the reader's language, never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from bistand.core.templatetags.money import sek

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "lang, value, shown",
    [
        ("sv", Decimal("4870.00"), f"4{NBSP}870{NBSP}kr"),
        ("sv", Decimal("372.5"), f"372,50{NBSP}kr"),
        ("en", Decimal("12540"), f"SEK{NBSP}12,540"),
        ("ar", "372.50", f"372,50{NBSP}كرون"),
        ("sv", 0, f"0{NBSP}kr"),
        ("sv", None, "–"),
        ("sv", "", "–"),
        ("sv", "not money", "not money"),
    ],
)
def test_an_amount_is_written_the_one_way_in_the_pages_language(lang, value, shown):
    with translation.override(lang):
        assert sek(value) == shown
        assert Template("{% load money %}{{ x|sek }}").render(Context({"x": value})) == shown


def test_mina_sidor_tells_a_held_payment_in_the_citizens_language():
    # The held payment's sentence: the amount carries its own unit in each language's msgstr.
    page = "{% load i18n money %}{% blocktranslate with amount=x|sek %}{{ amount }} väntar{% endblocktranslate %}"
    with translation.override("en"):
        assert Template(page).render(Context({"x": Decimal("4870")})) == f"SEK{NBSP}4,870 waiting"
    with translation.override("sv"):
        assert Template(page).render(Context({"x": Decimal("4870")})) == f"4{NBSP}870{NBSP}kr väntar"
