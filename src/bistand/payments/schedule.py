"""Payout days: the municipality's schedule, its day of the month moved back over weekends and bank holidays."""

from __future__ import annotations

import calendar
from datetime import date

from django.utils import timezone

from bistand.bank.holidays import add_bank_days, last_bank_day_on_or_before
from bistand.decisions.models import Decision
from bistand.identity.models import Municipality
from bistand.payments.models import PayoutSchedule


def month_shift(month: date, months: int) -> date:
    """The first day of the month `months` after `month` (negative: before)."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def regular_payout_date(month: date, payout_day: int = 25, months_before: int = 1) -> date:
    """The ordinary payout day for support covering `month`.

    Support for December is paid on the 25th of November by default; a 25th that is not a bank day
    becomes the last bank day before it (a Saturday 25th pays on Friday the 24th, unless that is julafton).
    """
    pay_month = month_shift(date(month.year, month.month, 1), -months_before)
    last_day = calendar.monthrange(pay_month.year, pay_month.month)[1]
    return last_bank_day_on_or_before(pay_month.replace(day=min(payout_day, last_day)))


def earliest_payout_date(today: date, lead_bank_days: int = 1) -> date:
    """The first day a payment decided today can reach the bank: `lead_bank_days` bank days on."""
    return add_bank_days(today, lead_bank_days)


def payout_date_for(
    month: date, today: date, payout_day: int = 25, months_before: int = 1, lead_bank_days: int = 1
) -> date:
    """When support for `month`, decided `today`, is paid: the regular day, or as soon as possible if late."""
    return max(
        regular_payout_date(month, payout_day, months_before), earliest_payout_date(today, lead_bank_days)
    )


def upcoming_regular_dates(today: date, count: int = 3, payout_day: int = 25) -> list[date]:
    """The next `count` regular payout days from today on (for the finance view's calendar)."""
    dates: list[date] = []
    month = date(today.year, today.month, 1)
    while len(dates) < count:
        candidate = regular_payout_date(month, payout_day, months_before=0)
        if candidate >= today:
            dates.append(candidate)
        month = month_shift(month, 1)
    return dates


def schedule_for(municipality: Municipality) -> PayoutSchedule:
    """The municipality's payout schedule; the defaults (the 25th, a month ahead) when none is stored."""
    stored = PayoutSchedule.objects.filter(municipality=municipality).first()
    return stored or PayoutSchedule(municipality=municipality, payer_name=municipality.name)


def payout_date_for_decision(decision: Decision, schedule: PayoutSchedule, today: date | None = None) -> date:
    """The regular payout day for the decision's month, or the earliest possible day for a late decision."""
    return payout_date_for(
        decision.month,
        today or timezone.localdate(),
        payout_day=schedule.payout_day,
        months_before=schedule.months_before,
        lead_bank_days=schedule.lead_bank_days,
    )
