"""Skatteverket's published test identities: the only person numbers Bistånd uses in code, fixtures,
demo data and the registers simulator.

Two files ship beside this module (see README.md here): ``skatteverket-test-personnummer.csv`` and
``skatteverket-test-samordningsnummer.csv``, one 12-digit number per line after a header line. They are
read once per process and cached.

Never generate a number with a valid check digit yourself: it may belong to a real person. There are no
test numbers born after 2023, so a household that needs a young child takes the youngest one available
(:func:`youngest_personnummer`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = [
    "all_test_identities",
    "is_test_identity",
    "skatteverket_personnummer",
    "skatteverket_samordningsnummer",
    "youngest_personnummer",
]

PERSONNUMMER_FILE = "skatteverket-test-personnummer.csv"
SAMORDNINGSNUMMER_FILE = "skatteverket-test-samordningsnummer.csv"


def _read_numbers(filename: str) -> tuple[str, ...]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="ascii")
    lines = text.splitlines()[1:]  # line 1 is the column header
    # dict.fromkeys keeps file order and drops repeats (the personnummer file lists two numbers twice).
    numbers = tuple(dict.fromkeys(line.strip() for line in lines if line.strip()))
    if any(len(n) != 12 or not n.isdigit() for n in numbers):
        raise ValueError(f"{filename}: every line after the header must be 12 digits")
    return numbers


@cache
def skatteverket_personnummer() -> tuple[str, ...]:
    """Skatteverket's test personnummer, 12 digits each, in file order (sorted by birth date), each once."""
    return _read_numbers(PERSONNUMMER_FILE)


@cache
def skatteverket_samordningsnummer() -> tuple[str, ...]:
    """Skatteverket's test samordningsnummer (day of month + 60), 12 digits each, in file order."""
    return _read_numbers(SAMORDNINGSNUMMER_FILE)


@cache
def all_test_identities() -> frozenset[str]:
    """Every test personnummer and samordningsnummer, for membership checks."""
    return frozenset(skatteverket_personnummer()) | frozenset(skatteverket_samordningsnummer())


def is_test_identity(number: str) -> bool:
    """True when ``number`` (12 digits, no separator) is one of Skatteverket's test identities."""
    return number in all_test_identities()


def youngest_personnummer(count: int = 1) -> tuple[str, ...]:
    """The ``count`` most recently born test personnummer, youngest first.

    Use these when a fixture needs a small child: no test number is younger than 2023.
    """
    return tuple(sorted(skatteverket_personnummer(), reverse=True)[:count])
