"""Every validation message says what to do, in Swedish, English and Arabic."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bistand.intake.models import Application
from tests.intake.helpers import household_data, post_step

pytestmark = pytest.mark.django_db

EXPECTED = {
    "sv": ("Skriv personnumret med 12 siffror", "Skriv barnets personnummer", 'dir="ltr"'),
    "en": (
        "Enter the personal identity number with 12 digits",
        "Enter the child&#x27;s personal identity number",
        'dir="ltr"',
    ),
    "ar": ("اكتب الرقم الشخصي من 12 رقمًا", "اكتب الرقم الشخصي للطفل", 'dir="rtl"'),
}
ACCOUNT_ERRORS = {
    "sv": "Skriv ditt kontonummer.",
    "en": "Enter your account number.",
    "ar": "اكتب رقم حسابك.",
}


@pytest.mark.parametrize("language", ["sv", "en", "ar"])
def test_validation_messages_in_each_language(client, citizen, unit, no_registers, language):
    client.force_login(citizen)
    client.cookies["bistand_language"] = language
    client.post(reverse("intake:start"))
    application = Application.objects.get()
    data = household_data("1234", [""])
    page = post_step(client, application, "household", data).content.decode()
    personnummer, child, direction = EXPECTED[language]
    assert direction in page
    assert personnummer in page
    assert child in page
    page = post_step(
        client, application, "payout", {"method": "account", "clearing_number": "6789", "account_number": ""}
    ).content.decode()
    assert ACCOUNT_ERRORS[language] in page
