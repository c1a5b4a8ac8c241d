"""Small-count suppression for every figure shown to the public.

- A count of 1–4 is shown as "<5" (0 is shown: nobody can be singled out of nothing).
- A share is shown only when both its part and the rest are 0 or at least 5: 18 of 20 would reveal 2.
- A median or percentile of fewer than five values is not shown: it would be someone's own time.
- A money amount is shown only when at least five households (or none) are behind it.
- In a breakdown whose total is shown (outcomes, months of a series, channels, groups), a single hidden cell could be found by subtraction, so the
  smallest other non-zero cell is hidden as well (secondary suppression) and shown as "x", as Statistics
  Sweden marks figures withheld for confidentiality. Shares of hidden cells are hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bistand.rules.money import format_sek

THRESHOLD = 5
HIDDEN = "<5"
WITHHELD = "x"


def is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


@dataclass(frozen=True)
class Public:
    """A figure as the public sees it: `value` is None when it is hidden; `display` is the text shown."""

    value: int | float | Decimal | None
    display: str
    suppressed: bool = False


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """Swedish style: a space between thousands, a comma for decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def count(n: int) -> Public:
    if is_small(n):
        return Public(None, HIDDEN, True)
    return Public(n, format_number(n))


def share(part: int, total: int) -> Public:
    """A percentage with one decimal, hidden when the part or the rest is small, "–" with no total."""
    if total == 0:
        return Public(None, "–")
    if is_small(part) or is_small(total - part):
        return Public(None, "–", True)
    percent = round(100 * part / total, 1)
    return Public(percent, f"{format_number(percent, 1)} %")


def hours(value: float | None, n: int) -> Public:
    """Hours with one decimal, hidden when fewer than five values are behind it."""
    if value is None or n == 0:
        return Public(None, "–")
    if n < THRESHOLD:
        return Public(None, "–", True)
    rounded = round(value, 1)
    return Public(rounded, format_number(rounded, 1))


def money(amount: Decimal, households: int) -> Public:
    """Whole kronor, hidden when one to four households are behind the amount."""
    if is_small(households):
        return Public(None, "–", True)
    kronor = amount.quantize(Decimal("1"))
    return Public(kronor, format_sek(kronor))


def breakdown(counts: dict[str, int]) -> dict[str, Public]:
    """Counts that add up to a shown total, with secondary suppression."""
    small = {key for key, n in counts.items() if is_small(n)}
    withheld = set()
    if len(small) == 1:
        # str(key) orders the candidates when two are equal, whatever the keys are (codes, dates).
        candidates = sorted((n, str(key), key) for key, n in counts.items() if n > 0 and key not in small)
        if candidates:
            withheld.add(candidates[0][2])
    out = {}
    for key, n in counts.items():
        if key in small:
            out[key] = Public(None, HIDDEN, True)
        elif key in withheld:
            out[key] = Public(None, WITHHELD, True)
        else:
            out[key] = count(n)
    return out


def money_breakdown(amounts: dict) -> dict:
    """Amounts (with the number of households behind each) that add up to a shown total: an amount behind
    one to four households is hidden, and if only one is, the smallest other non-zero amount is withheld."""
    small = {key for key, (_amount, households) in amounts.items() if is_small(households)}
    withheld = set()
    if len(small) == 1:
        candidates = sorted(
            (amount, str(key), key) for key, (amount, h) in amounts.items() if h > 0 and key not in small
        )
        if candidates:
            withheld.add(candidates[0][2])
    out = {}
    for key, (amount, households) in amounts.items():
        if key in small:
            out[key] = Public(None, "–", True)
        elif key in withheld:
            out[key] = Public(None, WITHHELD, True)
        else:
            out[key] = money(amount, households)
    return out


def breakdown_share(cell: Public, part: int, total: int) -> Public:
    """A breakdown cell's share of the total, hidden whenever the cell is."""
    if cell.suppressed:
        return Public(None, "–", True)
    return share(part, total)
