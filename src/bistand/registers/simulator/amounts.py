"""Benefit amounts the simulator pays out (SEK per month unless stated).

These are *simulator values*: plausible 2026 levels chosen so that synthetic households look like real
ones to the robot. They are not parameters of the rules engine and must never be used to calculate a
decision; the real figures come from the registers. Each value says how firm it is.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = [
    "AKASSA_DAILY_RANGE",
    "AKTIVITETSSTOD_PER_DAY",
    "BARNBIDRAG_PER_CHILD",
    "ETABLERINGSERSATTNING_PER_DAY",
    "STUDIEBIDRAG_PER_MONTH",
    "UNDERHALLSSTOD_PER_CHILD",
    "barnbidrag_total",
    "flerbarnstillagg",
]

# Barnbidrag: 1 250 kr per child and month since March 2018 (Försäkringskassan; unchanged 2026 as far as
# known). Paid until the quarter the child turns 16; the simulator stops at the month of the 16th birthday.
BARNBIDRAG_PER_CHILD = Decimal(1250)

# Flerbarnstillägg by the number of children with barnbidrag or studiebidrag (levels since March 2018):
# 2 children 150, 3 children 730, 4 children 1 740, 5 children 2 990, and 1 250 more per further child.
_FLERBARNSTILLAGG = {0: 0, 1: 0, 2: 150, 3: 730, 4: 1740, 5: 2990}
_FLERBARNSTILLAGG_EACH_EXTRA = 1250

# Studiebidrag (CSN studiehjälp) for 16–19-year-olds in upper secondary school, paid September–June.
STUDIEBIDRAG_PER_MONTH = Decimal(1250)

# Underhållsstöd: 1 673 kr per child and month is a plausible 2025/2026 level (the real amount varies with
# the child's age); paid to single parents whose children's other parent does not pay.
UNDERHALLSSTOD_PER_CHILD = Decimal(1673)

# Aktivitetsstöd at the lowest level and etableringsersättning, per weekday (plausible 2026 levels).
AKTIVITETSSTOD_PER_DAY = Decimal(223)
ETABLERINGSERSATTNING_PER_DAY = Decimal(308)

# A-kassa gross per day: from the basic level to the cap of the first 100 days (plausible 2026 levels).
AKASSA_DAILY_RANGE = (510, 1200)

# Studiemedel per month of full-time study (grant, loan); plausible 2026 levels.
STUDIEMEDEL_GRANT = Decimal(3616)
STUDIEMEDEL_LOAN = Decimal(9472)
STUDIESTARTSSTOD_GRANT = Decimal(11264)

# Sjukpenninggrundande inkomst is capped at 10 prisbasbelopp (59 200 kr in 2026); sjukpenning is about
# 80 % × 0.97 of it.
SGI_CAP = 592_000
SJUKPENNING_FACTOR = Decimal("0.776")

# Sjukersättning at the guaranteed level and allmän pension ranges, gross per month (plausible).
SJUKERSATTNING_RANGE = (11_000, 13_500)
PENSION_RANGE = (9_000, 21_000)
BOSTADSTILLAGG_RANGE = (1_000, 6_500)

# Bostadsbidrag: families get a special grant by number of children plus a housing part; young people
# without children (18–28) get at most about 1 300 kr. Plausible levels, not the FK formula.
BOSTADSBIDRAG_SPECIAL_GRANT = {1: 1500, 2: 2000, 3: 2650}
BOSTADSBIDRAG_HOUSING_PART_RANGE = (400, 2600)
BOSTADSBIDRAG_YOUNG_RANGE = (300, 1300)

# Preliminary income tax on taxable benefits, as a share (municipal tax averages about 32 %).
TAX_RATES = (Decimal("0.24"), Decimal("0.28"), Decimal("0.30"), Decimal("0.32"))


def flerbarnstillagg(children: int) -> Decimal:
    """Flerbarnstillägg for a household with ``children`` children entitled to barnbidrag or studiebidrag."""
    if children < 0:
        raise ValueError("children must be zero or more")
    if children in _FLERBARNSTILLAGG:
        return Decimal(_FLERBARNSTILLAGG[children])
    return Decimal(_FLERBARNSTILLAGG[5] + (children - 5) * _FLERBARNSTILLAGG_EACH_EXTRA)


def barnbidrag_total(with_barnbidrag: int, with_studiebidrag: int = 0) -> Decimal:
    """Barnbidrag plus flerbarnstillägg a household receives in a month.

    ``with_barnbidrag`` children under 16 give 1 250 kr each; the flerbarnstillägg counts them together with
    the ``with_studiebidrag`` older children who get studiebidrag from CSN that month.
    """
    return BARNBIDRAG_PER_CHILD * with_barnbidrag + (
        flerbarnstillagg(with_barnbidrag + with_studiebidrag) if with_barnbidrag else Decimal(0)
    )
