"""One money format: pages, letters, explanations and the caseworker's findings write amounts alike."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from bistand.core.forms import amount_text
from bistand.intake.summary import kr
from bistand.rules.money import format_sek


@pytest.mark.parametrize(
    "lang, whole, with_ore",
    [
        ("sv", "7\u00a0800\u00a0kr", "7\u00a0800,50\u00a0kr"),
        ("en", "SEK\u00a07,800", "SEK\u00a07,800.50"),
        ("ar", "7800\u00a0كرون", "7800,50\u00a0كرون"),
    ],
)
def test_the_active_language_writes_amounts_as_its_people_do(lang, whole, with_ore):
    with translation.override(lang):
        assert kr(7800) == whole == format_sek(Decimal(7800), lang)
        assert kr("7800.50") == with_ore == format_sek(Decimal("7800.50"), lang)


@given(
    amount=st.decimals(min_value=0, max_value=999_999, places=2, allow_nan=False),
    lang=st.sampled_from(["sv", "en", "ar"]),
)
def test_a_written_amount_reads_back_as_the_same_amount(amount, lang):
    # What a page shows, typed back into a form of the same language, is the same number of öre.
    assert Decimal(amount_text(format_sek(amount, lang), lang)) == amount
