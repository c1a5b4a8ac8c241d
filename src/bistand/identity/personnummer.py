"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

Pure Python, no Django: the rules engine, the registers simulator and the web app all use it.

Rules (Skatteverket, rättslig vägledning; see shared/domain/rules-and-law.md §7.2):

* A number is the birth date ``YYMMDD``, a three-digit birth number ``NNN`` and a check digit ``C``.
  The birth number's last digit (the 9th digit of the ten-digit form) is odd for men, even for women.
* The check digit is the Luhn (modulus 10, weights 2,1,2,1…) digit of the nine digits ``YYMMDDNNN``.
* A samordningsnummer has the same structure with 60 added to the day (the test number ``600375-2380``
  is 15 March 1960).
  When the birth date is not fully known, a samordningsnummer may state month ``00`` and/or day ``00``
  (written ``60``); Skatteverket's own test samordningsnummer include such numbers.
* The separator is ``-``, or ``+`` from the year the person turns 100. Stored form: 12 digits with the
  century (18, 19 or 20) and no separator, which is what :attr:`Personnummer.digits` holds.

The date part is *not* guaranteed to be the true birth date (Skatteverket may use a nearby day when a date
has no free numbers); :attr:`Personnummer.birth_date` is the date the number states, which is what age
brackets are computed from in practice.

Never log a number in clear text: use :func:`mask` (or :attr:`Personnummer.masked`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "Personnummer",
    "PersonnummerError",
    "is_valid",
    "luhn_check_digit",
    "mask",
    "parse",
]

SAMORDNING_DAY_OFFSET = 60

# 12 digits, or 10 digits, each with an optional separator before the last four digits.
_PATTERN = re.compile(r"^(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<nnn>\d{3})(?P<check>\d)$")

Sex = Literal["F", "M"]


class PersonnummerError(ValueError):
    """The value is not a valid personnummer or samordningsnummer.

    The message never repeats the full input, because a mistyped number may still belong to a real person.
    """


def luhn_check_digit(nine_digits: str) -> int:
    """Return the check digit for the nine digits ``YYMMDDNNN`` (Luhn, weights 2,1,2,1…).

    >>> luhn_check_digit("640823323")
    4
    """
    if len(nine_digits) != 9 or not nine_digits.isdigit():
        raise PersonnummerError("the check digit needs exactly nine digits")
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product  # digit sum of a product ≤ 18
    return (10 - total % 10) % 10


@dataclass(frozen=True, slots=True)
class Personnummer:
    """A validated personnummer or samordningsnummer in its 12-digit form.

    Build one with :func:`parse` (or :meth:`Personnummer.parse`); the constructor trusts its input.
    ``str()`` gives the 12 digits, which is the storage form; use :attr:`masked` for logs and screens.
    """

    digits: str

    @classmethod
    def parse(cls, value: str, *, today: date | None = None) -> Personnummer:
        """Parse ``value`` (10 or 12 digits, with or without ``-``/``+``); see :func:`parse`."""
        return parse(value, today=today)

    def __str__(self) -> str:
        return self.digits

    def __repr__(self) -> str:
        # repr() ends up in tracebacks and logs: keep it masked.
        return f"Personnummer({self.masked!r})"

    @property
    def is_samordningsnummer(self) -> bool:
        """True for a samordningsnummer (day of month + 60)."""
        return int(self.digits[6:8]) >= SAMORDNING_DAY_OFFSET

    @property
    def birth_date_is_complete(self) -> bool:
        """False when a samordningsnummer states an unknown month (``00``) or day (``60``)."""
        day = int(self.digits[6:8]) % SAMORDNING_DAY_OFFSET if self.is_samordningsnummer else 1
        return int(self.digits[4:6]) != 0 and day != 0

    @property
    def birth_date(self) -> date:
        """The date the number states (for a samordningsnummer, the day minus 60).

        An unknown month or day (possible only in a samordningsnummer) is read as 1, the earliest date
        the number allows; check :attr:`birth_date_is_complete` where that matters.
        """
        day = int(self.digits[6:8])
        if day >= SAMORDNING_DAY_OFFSET:
            day -= SAMORDNING_DAY_OFFSET
        return date(int(self.digits[0:4]), int(self.digits[4:6]) or 1, day or 1)

    @property
    def sex(self) -> Sex:
        """``"M"`` when the birth number's last digit is odd, ``"F"`` when it is even."""
        return "M" if int(self.digits[10]) % 2 == 1 else "F"

    def age_on(self, on: date) -> int:
        """Completed years of age on ``on``.

        Someone born on 29 February turns a year older on 1 March in a common year (a convention: the
        day after 28 February is the first day the full year has certainly passed).
        """
        born = self.birth_date
        years = on.year - born.year
        if (on.month, on.day) < (born.month, born.day):
            years -= 1
        return years

    @property
    def ten_digit(self) -> str:
        """The ten-digit presentation form ``YYMMDD-NNNC``; ``+`` once the person has turned 100.

        Whether the person has turned 100 is judged on today's date.
        """
        separator = "+" if self.age_on(date.today()) >= 100 else "-"
        return f"{self.digits[2:8]}{separator}{self.digits[8:]}"

    @property
    def formatted(self) -> str:
        """The 12-digit form with a hyphen, ``YYYYMMDD-NNNC``, as shown to caseworkers."""
        return f"{self.digits[:8]}-{self.digits[8:]}"

    @property
    def masked(self) -> str:
        """``YYYYMMDD-****``: the date part only, for logs and screens that do not need the number."""
        return f"{self.digits[:8]}-****"


def _valid_date(year: int, month: int, day: int) -> bool:
    """A real calendar date; a samordningsnummer may also leave the month (00) or the day (60) unknown."""
    samordning = day >= SAMORDNING_DAY_OFFSET
    if samordning:
        day -= SAMORDNING_DAY_OFFSET
        if month == 0 and day <= 31:
            return True
        if day == 0 and 1 <= month <= 12:
            return True
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _century_for(yymmdd: str, separator: str, today: date) -> int:
    """Pick the century of a ten-digit number: under 100 years old with ``-``, 100 or more with ``+``."""
    yy = int(yymmdd[:2])
    month, day = int(yymmdd[2:4]) or 1, int(yymmdd[4:6])
    if day >= SAMORDNING_DAY_OFFSET:
        day -= SAMORDNING_DAY_OFFSET
    day = day or 1
    # The most recent year ending in yy that is not after today.
    year = today.year - (today.year - yy) % 100
    if year == today.year and (month, day) > (today.month, today.day):
        year -= 100
    if separator == "+":
        year -= 100
    return year // 100


def parse(value: str, *, today: date | None = None) -> Personnummer:
    """Parse and validate a personnummer or samordningsnummer.

    Accepts ``YYYYMMDDNNNC``, ``YYYYMMDD-NNNC``, ``YYMMDDNNNC``, ``YYMMDD-NNNC`` and ``YYMMDD+NNNC``
    (surrounding spaces are ignored). A ten-digit form gets its century from the separator: ``-`` (or none)
    means under 100 years old on ``today`` (default: the current date), ``+`` means 100 or older.

    Raises :class:`PersonnummerError` for a wrong format, an impossible date or a wrong check digit.
    """
    if not isinstance(value, str):
        raise PersonnummerError("a personnummer must be given as a string")
    match = _PATTERN.match(value.strip())
    if match is None:
        raise PersonnummerError("not a personnummer: expected 10 or 12 digits")
    century_text, yymmdd, separator = match["century"], match["yymmdd"], match["sep"]
    if century_text is None:
        century = _century_for(yymmdd, separator, today or date.today())
    else:
        if separator == "+":
            raise PersonnummerError("the '+' separator is only used in the ten-digit form")
        century = int(century_text)
        if century not in (18, 19, 20):
            raise PersonnummerError("the century must be 18, 19 or 20")
    year = century * 100 + int(yymmdd[:2])
    if not _valid_date(year, int(yymmdd[2:4]), int(yymmdd[4:6])):
        raise PersonnummerError("the date part is not a valid date")
    nine = yymmdd + match["nnn"]
    if luhn_check_digit(nine) != int(match["check"]):
        raise PersonnummerError("wrong check digit")
    return Personnummer(f"{century:02d}{nine}{match['check']}")


def is_valid(value: str, *, today: date | None = None) -> bool:
    """True when :func:`parse` accepts ``value``."""
    try:
        parse(value, today=today)
    except PersonnummerError:
        return False
    return True


def mask(value: str | Personnummer) -> str:
    """Mask a number for logs and screens: ``YYYYMMDD-****``.

    A valid number shows its 8-digit date part (a ten-digit input is expanded with the current date's
    century rule). Anything that does not parse is masked completely, because a typo of a real number is
    still personal data.
    """
    if isinstance(value, Personnummer):
        return value.masked
    try:
        return parse(value).masked
    except PersonnummerError:
        return "********-****"
