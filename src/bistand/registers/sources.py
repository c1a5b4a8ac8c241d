"""The register sources the robot reads, and the period a look-up covers."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["ALL_SOURCES", "SSBTEK_SOURCES", "Period", "Source", "parse_sources", "source_name"]


class Source(StrEnum):
    """One register source. Values are the short names used in URLs, the CLI and the cache.

    The first seven come through SSBTEK (Sammansatt bastjänst för ekonomiskt bistånd); ``NAVET`` is the
    population register (folkbokföring), a separate service.
    """

    FK = "fk"  # Försäkringskassan and Pensionsmyndigheten (LEFI)
    AF = "af"  # Arbetsförmedlingen
    SO = "so"  # Sveriges a-kassor: a-kassa payments
    CSN = "csn"  # Centrala studiestödsnämnden
    SKV = "skv"  # Skatteverket: capital income
    TNS = "tns"  # Transportstyrelsen: vehicles
    MIV = "miv"  # Migrationsverket: residence permits
    NAVET = "navet"  # Skatteverket's population register: address, household, protected identity

    @property
    def label(self) -> str:
        """The agency's name, for screens and logs."""
        return _LABELS[self]


_LABELS = {
    Source.FK: "Försäkringskassan och Pensionsmyndigheten",
    Source.AF: "Arbetsförmedlingen",
    Source.SO: "Sveriges a-kassor",
    Source.CSN: "CSN",
    Source.SKV: "Skatteverket (beskattning)",
    Source.TNS: "Transportstyrelsen",
    Source.MIV: "Migrationsverket",
    Source.NAVET: "Skatteverket (folkbokföringen)",
}


def source_name(code: str, unknown: str = "") -> str:
    """The agency's name for a source code as stored ("fk"); `unknown` (or the code) for any other."""
    try:
        return Source(code).label
    except ValueError:
        return unknown or code


ALL_SOURCES: tuple[Source, ...] = tuple(Source)
SSBTEK_SOURCES: tuple[Source, ...] = tuple(s for s in Source if s is not Source.NAVET)


def parse_sources(text: str | None) -> tuple[Source, ...]:
    """Parse a comma-separated list such as ``"fk,af"``; empty or ``None`` means every source."""
    if not text:
        return ALL_SOURCES
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    try:
        chosen = {Source(name) for name in names}
    except ValueError as exc:
        valid = ", ".join(s.value for s in Source)
        raise ValueError(f"unknown source in {text!r}; valid sources: {valid}") from exc
    return tuple(s for s in Source if s in chosen)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar month, the unit a case (and so a look-up) covers."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2200:
            raise ValueError(f"not a valid month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """Parse ``"YYYY-MM"`` (a :class:`Period` is returned as it is)."""
        if isinstance(text, Period):
            return text
        match = _MONTH.match(text.strip())
        if match is None:
            raise ValueError(f"a month must be written YYYY-MM, not {text!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def containing(cls, day: date) -> Period:
        """The month that contains ``day``."""
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shifted(self, months: int) -> Period:
        """The month ``months`` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
