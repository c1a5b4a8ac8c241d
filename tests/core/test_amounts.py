"""Amounts are read as people write them in each language: the way the pages of that language show them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from bistand.core.forms import MoneyField
from bistand.intake.forms import ChildForm
from bistand.intake.summary import kr


def read(text: str, lang: str):
    with translation.override(lang):
        return MoneyField().clean(text)


@pytest.mark.parametrize(
    ("lang", "text", "amount"),
    [
        ("en", "7,800", "7800"),
        ("en", "SEK 7,800.50", "7800.50"),
        ("en", "7800.50", "7800.50"),
        ("sv", "7 800", "7800"),
        ("sv", "7\u00a0800,50 kr", "7800.50"),
        ("sv", "7800.50", "7800.50"),
        ("ar", "7.800", "7800"),
        ("ar", "7800.50", "7800.50"),
        ("ar", "٧٬٨٠٠٫٥٠", "7800.50"),
        ("ar", "٧٨٠٠", "7800"),
    ],
)
def test_an_amount_is_read_as_written_in_each_language(lang, text, amount):
    assert read(text, lang) == Decimal(amount)


def test_an_ambiguous_english_amount_is_refused_not_guessed():
    with translation.override("en"), pytest.raises(forms.ValidationError) as error:
        MoneyField().clean("7,80")
    with translation.override("en"):
        message = " ".join(error.value.messages)
    assert "7,800" in message  # the English example shows how English pages write amounts


@settings(max_examples=60, deadline=None)
@given(
    st.decimals(min_value=0, max_value=999999, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["sv", "en", "ar"]),
)
def test_every_amount_as_a_page_shows_it_is_read_back(amount, lang):
    with translation.override(lang):
        shown = kr(amount)
    assert read(shown, lang) == amount


@pytest.mark.parametrize(("pnr", "asked"), [("202101012397", True), ("201601012394", False), ("", True)])
def test_the_preschool_lunch_question_is_asked_only_for_children_under_seven(pnr, asked):
    form = ChildForm(initial={"personnummer": pnr}, month=datetime.date(2026, 12, 1))
    assert ("lunch_at_preschool" in form.fields) is asked
