"""Ages as the riksnorm counts them: the remembered age is the counted one, every time."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bistand.rules.ages import age_on

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31))


def counted(birth: date, day: date) -> int:
    """Whole years, counted the long way: the birthday has come when (month, day) has reached it."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@given(DAYS, DAYS)
def test_an_age_read_again_is_the_age_counted(birth, day):
    first = age_on(birth, day)
    assert first == counted(birth, day)
    assert age_on(birth, day) == first  # the second reading comes from what was remembered


def test_born_on_leap_day_turns_a_year_older_on_the_first_of_march():
    birth = date(2008, 2, 29)
    assert age_on(birth, date(2026, 2, 28)) == 17
    assert age_on(birth, date(2026, 3, 1)) == 18
    assert age_on(birth, date(2026, 2, 28)) == 17
