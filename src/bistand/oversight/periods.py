"""Months as oversight counts them: a period is a run of whole calendar months."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


def month_start(day: datetime.date) -> datetime.date:
    """The first day of the month `day` is in."""
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month `count` months after (or before, if negative) `month`."""
    index = month.year * 12 + (month.month - 1) + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def parse_month(text: str) -> datetime.date:
    """`YYYY-MM` to the first day of that month; ValueError for anything else."""
    year, _, month = text.strip().partition("-")
    if len(year) != 4 or len(month) != 2 or not (year.isdigit() and month.isdigit()):
        raise ValueError(f"not a month: {text!r}")
    return datetime.date(int(year), int(month), 1)


def month_label(month: datetime.date) -> str:
    """`YYYY-MM`."""
    return f"{month.year:04d}-{month.month:02d}"


@dataclass(frozen=True)
class Period:
    """From the first month to the last, both included."""

    first: datetime.date
    last: datetime.date

    def __post_init__(self) -> None:
        if self.first.day != 1 or self.last.day != 1:
            raise ValueError("a period runs from the first day of a month to the first day of a month")
        if self.last < self.first:
            raise ValueError("the period ends before it starts")

    @classmethod
    def last_months(cls, count: int, today: datetime.date) -> Period:
        """The `count` months up to and including the current one."""
        last = month_start(today)
        return cls(add_months(last, -(count - 1)), last)

    def months(self) -> list[datetime.date]:
        out, month = [], self.first
        while month <= self.last:
            out.append(month)
            month = add_months(month, 1)
        return out

    @property
    def end(self) -> datetime.date:
        """The first day after the period."""
        return add_months(self.last, 1)

    def contains(self, day: datetime.date) -> bool:
        return self.first <= day < self.end
