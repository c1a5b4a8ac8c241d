"""Payout days: the 25th of the month before, moved back to a bank day; a late decision on the next one."""

from datetime import date

from bistand.bank.holidays import add_bank_days
from bistand.payments.schedule import payout_date_for, regular_payout_date, upcoming_regular_dates


def test_regular_payout_day_is_the_25th_of_the_month_before():
    assert regular_payout_date(date(2026, 12, 1)) == date(2026, 11, 25)
    # December's 25th is juldagen: support for January 2027 is paid on 23 December.
    assert regular_payout_date(date(2027, 1, 1)) == date(2026, 12, 23)
    assert regular_payout_date(date(2027, 7, 1), payout_day=25) == date(2027, 6, 24)
    # A day past the month's end is the month's last day (then back to a bank day).
    assert regular_payout_date(date(2027, 3, 1), payout_day=31) == date(2027, 2, 26)


def test_a_late_decision_is_paid_on_the_next_bank_day():
    # Decided on Thursday 2 April 2026 for April: the regular day (25 March) has passed; långfredagen and
    # annandag påsk are not bank days.
    assert payout_date_for(date(2026, 4, 1), today=date(2026, 4, 2)) == date(2026, 4, 7)
    assert payout_date_for(date(2026, 12, 1), today=date(2026, 11, 22)) == date(2026, 11, 25)
    assert add_bank_days(date(2026, 12, 23), 1) == date(2026, 12, 28)


def test_upcoming_regular_dates():
    assert upcoming_regular_dates(date(2026, 11, 26), 3) == [
        date(2026, 12, 23),
        date(2027, 1, 25),
        date(2027, 2, 25),
    ]
