"""Amounts are read the way people type them, and anything else gets a message a person understands."""

from decimal import Decimal

import pytest
from django import forms

from bistand.core.forms import MoneyField


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("7800", Decimal("7800")),
        ("7 800", Decimal("7800")),
        ("7\u00a0800,50", Decimal("7800.50")),
        ("7800.5", Decimal("7800.5")),
        ("1 250 kr", Decimal("1250")),
        ("٧٨٠٠", Decimal("7800")),  # Arabic-Indic digits
        ("٧٨٠٠٫٥٠", Decimal("7800.50")),  # with the Arabic decimal separator
    ],
)
def test_amounts_as_people_type_them(typed, amount):
    assert MoneyField().clean(typed) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("sjutusen", "Skriv ett belopp i kronor med siffror"),
        ("-5", "kan inte vara mindre än 0"),
        ("7,800", "högst två decimaler"),  # an English thousands separator is not silently read as 7.80
        ("", "Fyll i ett belopp"),
        ("99999999", "för stort"),
    ],
)
def test_bad_amounts_are_explained(typed, message):
    with pytest.raises(forms.ValidationError) as error:
        MoneyField().clean(typed)
    assert message in " ".join(error.value.messages)
