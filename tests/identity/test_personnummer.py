"""Personnummer rules (Skatteverket, rättslig vägledning; domain brief §7.2) and the test-identity loader."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bistand.identity.personnummer import (
    PersonnummerError,
    is_valid,
    luhn_check_digit,
    mask,
    parse,
)
from bistand.testdata import (
    all_test_identities,
    is_test_identity,
    skatteverket_personnummer,
    skatteverket_samordningsnummer,
    youngest_personnummer,
)

TODAY = date(2026, 4, 1)


def test_check_digit_example_from_skatteverket():
    # 640823-3234 is Skatteverket's worked example of the modulus-10 rule.
    assert luhn_check_digit("640823323") == 4


@pytest.mark.parametrize(
    "text",
    ["196408233234", "19640823-3234", "6408233234", "640823-3234", " 640823-3234 "],
)
def test_accepts_every_written_form(text):
    assert parse(text, today=TODAY).digits == "196408233234"


def test_plus_separator_means_a_hundred_or_older():
    pnr = next(n for n in skatteverket_personnummer() if n.startswith("1920"))
    assert parse(pnr[2:8] + "+" + pnr[8:], today=TODAY).digits == pnr


def test_ten_digit_form_takes_the_most_recent_century():
    pnr = next(n for n in skatteverket_personnummer() if n.startswith("2015"))
    assert parse(pnr[2:], today=TODAY).digits == pnr


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("196408233235", "check digit"),
        ("19641323-3232", "date"),
        ("196402303230", "date"),
        ("19640823323", "10 or 12"),
        ("abc", "10 or 12"),
        ("176408233234", "century"),
        ("19640823+3234", "ten-digit"),
    ],
)
def test_rejects_invalid_numbers(text, reason):
    with pytest.raises(PersonnummerError, match=reason):
        parse(text, today=TODAY)
    assert not is_valid(text, today=TODAY)


def test_error_message_never_repeats_the_number():
    with pytest.raises(PersonnummerError) as info:
        parse("196408233235")
    assert "6408233235" not in str(info.value)


def test_samordningsnummer_day_plus_sixty():
    number = parse("600375-2380", today=TODAY)  # Skatteverket test samordningsnummer
    assert number.is_samordningsnummer
    assert number.birth_date == date(1960, 3, 15)
    assert number.birth_date_is_complete


def test_samordningsnummer_with_unknown_month_or_day():
    unknown_month = next(n for n in skatteverket_samordningsnummer() if n[4:6] == "00")
    unknown_day = next(n for n in skatteverket_samordningsnummer() if n[6:8] == "60")
    for text in (unknown_month, unknown_day):
        number = parse(text)
        assert number.is_samordningsnummer
        assert not number.birth_date_is_complete
        assert number.birth_date.day == 1 or number.birth_date.month == 1


def test_sex_from_the_ninth_digit():
    assert parse("640823-3234", today=TODAY).sex == "M"  # 3 is odd
    woman = next(n for n in skatteverket_personnummer() if int(n[10]) % 2 == 0)
    assert parse(woman).sex == "F"


def test_age_on_a_date():
    number = parse("196408233234")
    assert number.age_on(date(2026, 8, 22)) == 61
    assert number.age_on(date(2026, 8, 23)) == 62


def test_leap_day_birthday_counts_from_first_of_march():
    leap = next(n for n in skatteverket_personnummer() if n[4:8] == "0229")
    number = parse(leap)
    year = number.birth_date.year + 18
    assert year % 4 != 0 or year % 100 == 0
    assert number.age_on(date(year, 2, 28)) == 17
    assert number.age_on(date(year, 3, 1)) == 18


def test_mask_shows_only_the_date_part():
    assert mask("196408233234") == "19640823-****"
    assert mask(parse("640823-3234")) == "19640823-****"
    assert mask("196408233235") == "********-****"  # invalid: nothing shown
    assert repr(parse("196408233234")) == "Personnummer('19640823-****')"


def test_presentation_forms():
    number = parse("196408233234")
    assert number.formatted == "19640823-3234"
    assert number.ten_digit == "640823-3234"
    assert str(number) == "196408233234"


def test_every_skatteverket_test_identity_parses():
    for text in skatteverket_personnummer():
        assert not parse(text).is_samordningsnummer
    for text in skatteverket_samordningsnummer():
        assert parse(text).is_samordningsnummer


def test_loader_reads_each_number_once():
    assert len(skatteverket_personnummer()) == len(set(skatteverket_personnummer())) > 21_000
    assert len(skatteverket_samordningsnummer()) == 2_240
    assert len(all_test_identities()) == len(skatteverket_personnummer()) + len(
        skatteverket_samordningsnummer()
    )
    assert is_test_identity(skatteverket_personnummer()[0])
    assert not is_test_identity("196408233235")
    youngest = youngest_personnummer(3)
    assert youngest[0].startswith("2023") and list(youngest) == sorted(youngest, reverse=True)


@given(
    st.sampled_from(skatteverket_personnummer()),
    st.integers(min_value=2, max_value=11),
    st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_change_is_caught(number, position, delta):
    # Luhn catches every single-digit substitution, so a mistyped test number never validates as another
    # one. (No valid number is ever computed here: only Skatteverket's own are used.)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert not is_valid(changed)
