"""Swedish bank days: the holidays computed, a day moved back to the last bank day before it."""

from datetime import date

import pytest

from bistand.bank.holidays import (
    bank_holidays,
    easter_sunday,
    holiday_name,
    is_bank_day,
    last_bank_day_on_or_before,
)


@pytest.mark.parametrize(
    "year, easter",
    [
        (2008, date(2008, 3, 23)),  # early
        (2011, date(2011, 4, 24)),  # late
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # the latest possible date
        (2285, date(2285, 3, 22)),  # the earliest possible date
    ],
)
def test_easter_is_computed(year, easter):
    assert easter_sunday(year) == easter


def test_the_bank_holidays_of_2026():
    weekdays_off = {day for day in bank_holidays(2026) if day.weekday() < 5}
    assert weekdays_off == {
        date(2026, 1, 1),  # nyårsdagen
        date(2026, 1, 6),  # trettondedag jul
        date(2026, 4, 3),  # långfredagen
        date(2026, 4, 6),  # annandag påsk
        date(2026, 5, 1),  # första maj
        date(2026, 5, 14),  # Kristi himmelsfärds dag
        date(2026, 6, 19),  # midsommarafton
        date(2026, 12, 24),  # julafton
        date(2026, 12, 25),  # juldagen
        date(2026, 12, 31),  # nyårsafton
    }
    # Nationaldagen, midsommardagen, alla helgons dag and annandag jul fall on a Saturday in 2026.
    assert holiday_name(date(2026, 6, 6)) == "Sveriges nationaldag"
    assert holiday_name(date(2026, 10, 31)) == "Alla helgons dag"
    assert holiday_name(date(2026, 12, 26)) == "Annandag jul"


@pytest.mark.parametrize(
    "year, midsommarafton, alla_helgons",
    [(2025, date(2025, 6, 20), date(2025, 11, 1)), (2027, date(2027, 6, 25), date(2027, 11, 6))],
)
def test_the_movable_saturdays_and_their_eves(year, midsommarafton, alla_helgons):
    assert holiday_name(midsommarafton) == "Midsommarafton"
    assert holiday_name(alla_helgons) == "Alla helgons dag"


@pytest.mark.parametrize(
    "nominal, paid, why",
    [
        (date(2026, 11, 25), date(2026, 11, 25), "an ordinary Wednesday"),
        (date(2026, 10, 25), date(2026, 10, 23), "a Sunday: back to Friday"),
        (date(2026, 12, 25), date(2026, 12, 23), "juldagen, and julafton before it"),
        (date(2032, 12, 25), date(2032, 12, 23), "a Saturday, julafton on Friday"),
        (date(2027, 6, 25), date(2027, 6, 24), "midsommarafton"),
        (date(2026, 4, 6), date(2026, 4, 2), "annandag påsk, a weekend and långfredagen"),
        (date(2027, 1, 1), date(2026, 12, 30), "nyårsdagen and nyårsafton, into the year before"),
    ],
)
def test_a_payout_day_moves_back_to_the_last_bank_day(nominal, paid, why):
    assert last_bank_day_on_or_before(nominal) == paid, why
    assert is_bank_day(paid)
