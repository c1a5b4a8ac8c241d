"""A wrong account number is explained in the reader's language, though the bank rules know no Django."""

from __future__ import annotations

from django.utils import translation

from bistand.intake.accounts import check_account
from bistand.payments.answers import read_account

SHORT = {"clearing_number": "5000", "account_number": "123"}  # SEB: seven digits


def test_the_citizen_reads_why_in_their_language():
    with translation.override("sv"):
        assert check_account("5000", "123") == (
            "account_number",
            "Kontonumret hos SEB ska ha 7 siffror (utan clearingnummer).",
        )
    with translation.override("en"):
        field, message = check_account("5000", "123")
        assert field == "account_number"
        assert message.startswith("The account number at SEB has 7 digits")


def test_a_held_payment_says_why_in_the_active_language():
    with translation.override("en"):
        answer = read_account(SHORT)
    assert answer.account is None and answer.problem == "invalid_account"
    assert answer.message.startswith("The account number at SEB has 7 digits")
