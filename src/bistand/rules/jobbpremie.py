"""Jobbpremie (domain brief §4.6): who may be eligible, from the months försörjningsstöd was paid.

Försäkringskassan pays the jobbpremie (tax-free, at most 3 750 kr a month for at most 18 months) for two years
from 1 March 2026 to someone who had försörjningsstöd paid for every month July–December 2025, has a gross
wage in the month applied for, and has no försörjningsstöd paid for that same month. Försäkringskassan
decides; the municipality gives it the month-by-month payment history (SoL 15 kap. 4 §) and tells people
they may be eligible. No Django: the months are plain "YYYY-MM" strings.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

QUALIFYING_MONTHS = tuple(f"2025-{m:02d}" for m in range(7, 13))  # every month July–December 2025
FIRST_DAY = datetime.date(2026, 3, 1)
LAST_DAY = datetime.date(2028, 2, 29)  # two years
MAX_PER_MONTH = 3750  # kronor
MAX_MONTHS = 18
REFERENCE = (
    "förordning om jobbpremie (2026); uppgifter till Försäkringskassan enligt SoL (2025:400) 15 kap. 4 §"
)


def qualifies(paid_months: Iterable[str]) -> bool:
    """Whether försörjningsstöd was paid for every month July–December 2025."""
    return set(QUALIFYING_MONTHS) <= set(paid_months)


def may_be_eligible(paid_months: Iterable[str], today: datetime.date) -> bool:
    """Whether to tell someone they may be eligible: they qualify and the jobbpremie can be paid now."""
    return FIRST_DAY <= today <= LAST_DAY and qualifies(paid_months)
