"""Swedish bank accounts and Bankgiro numbers: clearing series, check digits, clear Swedish messages.

Account numbers are constructed to pass (or to fail) the rules; none is meant to be anyone's account.
"""

import pytest

from bistand.bank.accounts import (
    AccountError,
    Rule,
    luhn_check_digit,
    mask,
    parse_bank_account,
    parse_bankgiro,
)


@pytest.mark.parametrize(
    "clearing, account, bank, rule, bban",
    [
        ("5000", "100 10 00", "SEB", Rule.TYPE1_COMMENT1, "50001001000"),
        ("7000", "1001000", "Swedbank", Rule.TYPE1_COMMENT1, "70001001000"),
        ("9660", "1000010", "Svea Bank", Rule.TYPE1_COMMENT2, "96601000010"),
        ("4000", "1000000", "Nordea", Rule.TYPE1_COMMENT2, "40001000000"),
        # Handelsbanken: nine digits, modulus 11 on the account alone; eight digits are zero-filled.
        ("6000", "100000010", "Handelsbanken", Rule.TYPE2_COMMENT2, "6000100000010"),
        # Nordea personkonto: the personnummer (here Skatteverket's test number), with or without century.
        ("3300", "800113-9297", "Nordea (personkonto)", Rule.TYPE2_COMMENT1, "33008001139297"),
        ("3300", "19800113-9297", "Nordea (personkonto)", Rule.TYPE2_COMMENT1, "33008001139297"),
        ("9180", "1000000008", "Danske Bank", Rule.TYPE2_COMMENT1, "91801000000008"),
        # Swedbank 8xxx-x: a fifth clearing digit (computed when four are given), account zero-filled to ten.
        ("8327", "123 456 789-7", "Swedbank", Rule.TYPE2_COMMENT3, "832791234567897"),
        ("8327-9", "1234567897", "Swedbank", Rule.TYPE2_COMMENT3, "832791234567897"),
        ("8327-9", "45 678 901-5", "Swedbank", Rule.TYPE2_COMMENT3, "832790456789015"),
        ("9500", "1000000008", "Nordea (Plusgirot)", Rule.TYPE2_COMMENT3, "95001000000008"),
    ],
)
def test_valid_accounts(clearing, account, bank, rule, bban):
    parsed = parse_bank_account(clearing, account)
    assert (parsed.bank, parsed.rule, parsed.bban) == (bank, rule, bban)
    assert parsed.masked == "****" + bban[-4:]


@pytest.mark.parametrize(
    "clearing, account, code, words",
    [
        ("5000", "1001001", "check_digit", "kontrollsiffra"),  # one digit wrong
        ("5000", "0110100", "check_digit", "kontrollsiffra"),  # two digits swapped
        ("6000", "100000011", "check_digit", "kontrollsiffra"),
        ("3300", "800113-9298", "check_digit", "kontrollsiffra"),
        ("8327", "1234567898", "check_digit", "kontrollsiffra"),
        ("8327-8", "1234567897", "clearing_check_digit", "femte siffran"),
        ("5000", "10010000", "length", "7 siffror"),
        ("3300", "80011392", "length", "10 siffror"),
        ("6000", "1000000", "length", "8 till 9 siffror"),
        ("0999", "1001000", "unknown_clearing", "hör inte till någon bank"),
        ("9990", "1001000", "unknown_clearing", "hör inte till någon bank"),
        ("500", "1001000", "clearing_format", "fyra siffror"),
        ("50001", "1001000", "clearing_format", "fyra siffror"),
        ("5000", "12a4567", "format", "siffror"),
        ("5000", "", "missing", "saknas"),
        ("8327", "0000000000", "zeros", "nollor"),
    ],
)
def test_invalid_accounts_say_why_in_swedish(clearing, account, code, words):
    with pytest.raises(AccountError) as caught:
        parse_bank_account(clearing, account)
    assert caught.value.code == code
    assert words in caught.value.message


@pytest.mark.parametrize(
    "number, formatted", [("5050-1055", "5050-1055"), ("991-2346", "991-2346"), ("50501055", "5050-1055")]
)
def test_valid_bankgiro(number, formatted):
    assert parse_bankgiro(number).formatted == formatted


@pytest.mark.parametrize(
    "number, code",
    [("5050-1056", "bankgiro_check_digit"), ("5050-105", "bankgiro_check_digit"), ("505010", "bankgiro_format"),
     ("505010551", "bankgiro_format"), ("5050-10x5", "format")],
)  # fmt: skip
def test_invalid_bankgiro(number, code):
    with pytest.raises(AccountError) as caught:
        parse_bankgiro(number)
    assert caught.value.code == code
    assert caught.value.message.endswith(".")


def test_luhn_and_mask():
    assert luhn_check_digit("8327") == "9"
    assert luhn_check_digit("800113929") == "7"
    assert mask("8001139297") == "****9297"
    assert mask("") == ""
