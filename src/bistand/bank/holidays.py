"""Swedish bank days, computed rather than typed in.

A bank day (bankdag) is a weekday that is not a public holiday and not one of the eves the banks keep
closed (midsommarafton, julafton, nyårsafton). The movable days hang off Easter Sunday, computed with the
Gregorian computus; the "Saturday between" days follow lagen (1989:253) om allmänna helgdagar. Nothing here
knows about Django, so the rules can be tested and reused on their own.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computus)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon_correction = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_offset = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    late = (golden + 11 * epact + 22 * weekday_offset) // 451
    month, day = divmod(epact + weekday_offset - 7 * late + 114, 31)
    return date(year, month, day + 1)


def _weekday_between(year: int, month: int, first_day: int, weekday: int) -> date:
    """The one date in the seven days from `first_day` that falls on `weekday` (Monday = 0)."""
    start = date(year, month, first_day)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> dict[date, str]:
    """The days in `year`, other than Saturdays and Sundays, when Swedish banks do not settle payments.

    Days that always fall on a weekend (påskdagen, pingstdagen, midsommardagen, alla helgons dag) are listed
    too, so a calendar can name them.
    """
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Nyårsdagen",
        date(year, 1, 6): "Trettondedag jul",
        easter - timedelta(days=2): "Långfredagen",
        easter: "Påskdagen",
        easter + timedelta(days=1): "Annandag påsk",
        date(year, 5, 1): "Första maj",
        easter + timedelta(days=39): "Kristi himmelsfärds dag",
        easter + timedelta(days=49): "Pingstdagen",
        date(year, 6, 6): "Sveriges nationaldag",
        # Midsommardagen is the Saturday from 20 to 26 June; the banks close on its eve as well.
        _weekday_between(year, 6, 19, 4): "Midsommarafton",
        _weekday_between(year, 6, 20, 5): "Midsommardagen",
        # Alla helgons dag is the Saturday from 31 October to 6 November.
        _weekday_between(year, 10, 31, 5): "Alla helgons dag",
        date(year, 12, 24): "Julafton",
        date(year, 12, 25): "Juldagen",
        date(year, 12, 26): "Annandag jul",
        date(year, 12, 31): "Nyårsafton",
    }
    return dict(sorted(days.items()))


def is_bank_day(day: date) -> bool:
    """True on a Monday to Friday that is not a bank holiday."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def holiday_name(day: date) -> str | None:
    """The holiday's Swedish name, or None on an ordinary day."""
    return bank_holidays(day.year).get(day)


def last_bank_day_on_or_before(day: date) -> date:
    """The payout rule: a payout day that is not a bank day moves back to the bank day before it."""
    while not is_bank_day(day):
        day -= timedelta(days=1)
    return day


def next_bank_day_on_or_after(day: date) -> date:
    """The first bank day from `day` on."""
    while not is_bank_day(day):
        day += timedelta(days=1)
    return day


def add_bank_days(day: date, count: int) -> date:
    """The bank day `count` bank days after `day` (count 0: `day` itself if a bank day, else the next)."""
    day = next_bank_day_on_or_after(day) if count == 0 else day
    for _ in range(count):
        day = next_bank_day_on_or_after(day + timedelta(days=1))
    return day
