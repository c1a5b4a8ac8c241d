"""The parameters' model: amounts with their source, the riksnorm table, dated records, and what is in
force in a month. No file reading here (that is `loading`)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from bistand.rules.ages import BRACKETS
from bistand.rules.formulas import common_costs
from bistand.rules.model import month_text
from bistand.rules.money import to_ore

COMMON_SIZES: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
ADULT_KINDS: tuple[str, ...] = ("single", "couple")
SOURCE_TAGS = frozenset({"A", "B", "C", "D", "?"})
# How far an amount can be relied on, from its source tag (rules-and-law.md: [A] official, [B] a copy or
# secondary source, [C] third party, [D] derived by us). `verified` is a different question: whether the
# amount was checked against the SFS text itself.
RELIABILITY_BY_TAG: dict[str, str] = {"A": "official", "B": "secondary", "C": "secondary", "D": "derived"}
RELIABILITIES: tuple[str, ...] = ("official", "secondary", "derived")  # strongest first


def weakest(reliabilities: Iterable[str]) -> str:
    """The least reliable of `reliabilities` ("official" when there are none)."""
    return max(reliabilities, key=RELIABILITIES.index, default="official")


class ParameterError(ValueError):
    """A parameter file is missing, malformed or inconsistent. The message names the file and the place."""


@dataclass(frozen=True, slots=True)
class ParamValue:
    """One amount with where it comes from and whether it was checked against the official text."""

    amount: Decimal
    verified: bool
    source: str
    source_tag: str
    method: str | None = None
    note: str | None = None
    derivation: Mapping[str, Any] | None = None

    @property
    def reliability(self) -> str:
        """ "official", "secondary" or "derived" (an unknown source counts as derived)."""
        return RELIABILITY_BY_TAG.get(self.source_tag, "derived")


@dataclass(frozen=True)
class NormTable:
    """The riksnorm table in force from `valid_from` (SoF 2001:937 2 kap. 1 §)."""

    year: int
    valid_from: date
    reference: str
    amendment: str | None
    source: str
    source_tag: str
    declared_verified: bool
    change: str | None
    method: str | None
    note: str | None
    with_lunch: Mapping[str, ParamValue]
    without_lunch: Mapping[str, ParamValue]
    adults: Mapping[str, ParamValue]
    common: Mapping[int, ParamValue]
    published_totals: Mapping[str, Any] | None = None
    items: Mapping[str, Any] | None = None
    origin: str = ""
    # "per_person" (the förordning's table until 2026) or "referensvarde" (cost items per household type,
    # prop. 2025/26:201); for the latter, each amount's items: {"adults.single": {"livsmedel": …}, …}.
    shape: str = "per_person"
    breakdown: Mapping[str, Mapping[str, Decimal]] | None = None

    @property
    def id(self) -> str:
        """Stable identifier used in results, e.g. `riksnorm-2021`."""
        return f"riksnorm-{self.year}"

    @cached_property
    def fully_verified(self) -> bool:
        """True only when every amount in the table is checked against the SFS text."""
        return all(v.verified for v in self.all_values())

    @property
    def source_label(self) -> str:
        """The legal source to show: the amending SFS when known, else the section and year."""
        return self.amendment or f"{self.reference} (riksnorm {self.year})"

    def all_values(self) -> Iterable[ParamValue]:
        """Every amount in the table."""
        yield from self.with_lunch.values()
        yield from self.without_lunch.values()
        yield from self.adults.values()
        yield from self.common.values()

    def cells(self) -> Iterable[tuple[str, ParamValue]]:
        """(parameter name, value) for every amount, e.g. ("children.7-10", ...)."""
        for key, value in self.with_lunch.items():
            yield f"children.{key}", value
        for key, value in self.without_lunch.items():
            yield f"children_without_lunch.{key}", value
        for key, value in self.adults.items():
            yield f"adults.{key}", value
        for size, value in self.common.items():
            yield f"common.{size}", value

    @cached_property
    def cell_map(self) -> Mapping[str, ParamValue]:
        """Every amount by its full parameter name, e.g. `riksnorm.2026.children.7-10` (made once)."""
        return {f"riksnorm.{self.year}.{name}": value for name, value in self.cells()}

    @cached_property
    def named_cells(self) -> NamedCells:
        """Every amount's full parameter name and whether it is verified, indexed the way the engine reads
        them (made once per table, so one household's calculation builds no names)."""
        prefix = f"riksnorm.{self.year}"

        def cell(group: str, key: object, value: ParamValue) -> tuple[str, bool]:
            return f"{prefix}.{group}.{key}", value.verified

        over_seven = (
            f"{prefix}.common.7, {prefix}.common.6",
            self.common[7].verified and self.common[6].verified,
        )
        return NamedCells(
            adults={kind: cell("adults", kind, self.adults[kind]) for kind in ADULT_KINDS},
            with_lunch=tuple(cell("children", key, self.with_lunch[key]) for key in BRACKETS),
            without_lunch=tuple(
                cell("children_without_lunch", key, self.without_lunch[key])
                if key in self.without_lunch
                else ("", True)  # no ej-lunch row: formulas.without_lunch never selects it
                for key in BRACKETS
            ),
            common=(
                ("", True),
                *(cell("common", size, self.common[size]) for size in COMMON_SIZES),
                over_seven,
            ),
        )

    @cached_property
    def _reliability_memo(self) -> dict[tuple[str, ...], str]:
        return {}

    def weakest_reliability(self, names: tuple[str, ...]) -> str:
        """The least reliable of the amounts `names` (full names, or two joined by a comma).

        The same few combinations recur (adults, children's brackets, household size), so each is worked
        out once per table.
        """
        memo = self._reliability_memo
        found = memo.get(names)
        if found is None:
            cells = self.cell_map
            found = memo[names] = weakest(
                cells[part.strip()].reliability for name in names for part in name.split(",")
            )
        return found

    def common_amount(self, persons: int) -> Decimal:
        """Common household costs for `persons` people (the rule is `formulas.common_costs`)."""
        ore = common_costs(
            persons,
            to_ore(self.common[min(persons, 7)].amount),
            to_ore(self.common[7].amount),
            to_ore(self.common[6].amount),
        )
        return Decimal(ore) / 100


@dataclass(frozen=True, slots=True)
class NamedCells:
    """A table's amounts as (full parameter name, verified), indexed as `MonthAmounts` indexes them."""

    adults: Mapping[str, tuple[str, bool]]  # by "single" / "couple"
    with_lunch: tuple[tuple[str, bool], ...]  # by bracket index (ages.BRACKETS)
    without_lunch: tuple[tuple[str, bool], ...]  # by bracket index
    common: tuple[tuple[str, bool], ...]  # by persons 0 … 7, then 8: more than seven (two cells)


@dataclass(frozen=True, slots=True)
class MonthAmounts:
    """The amounts in force in one month as whole öre, indexed the way the formulas use them.

    The single path reads one row; the batch path stacks the rows of its months into arrays.
    """

    with_lunch: tuple[int, ...]  # by bracket index (ages.BRACKETS)
    without_lunch: tuple[int, ...]  # by bracket index; the with-lunch amount where there is no ej-lunch row
    single: int
    couple: int
    common: tuple[int, ...]  # by persons 0 … 7; 0 is unused
    child_limit: int  # a child's yearly exempt salary
    jobbstimulans_share: tuple[int, int]  # numerator, denominator; 0/1 before the rule existed


@dataclass(frozen=True, slots=True)
class DatedRecord:
    """A record of values in force from `valid_from` (prisbasbelopp, jobbstimulans, references)."""

    valid_from: date
    values: Mapping[str, Any]
    verified: bool
    reference: str | None
    source: str | None
    note: str | None


@dataclass(frozen=True)
class MonthParameters:
    """Everything in force in one month, resolved once and cached."""

    month: date
    table: NormTable
    prisbasbelopp: DatedRecord | None  # None when the year's prisbasbelopp is not loaded yet
    child_exemption: DatedRecord
    child_exemption_limit: Decimal
    jobbstimulans: DatedRecord | None
    references: Mapping[str, str]

    @cached_property
    def jobbstimulans_months(self) -> tuple[int, int]:
        """Jobbstimulans: the consecutive months that start a period, and the period's length in months
        ((0, 0) before the rule existed)."""
        rule = self.jobbstimulans
        if rule is None:
            return (0, 0)
        return int(rule.values["qualifying_months"]), int(rule.values["period_months"])

    @cached_property
    def days(self) -> int:
        """The number of days in the month."""
        return calendar.monthrange(self.month.year, self.month.month)[1]

    @cached_property
    def month_label(self) -> str:
        """The month as `YYYY-MM` (the result's `month`), made once."""
        return month_text(self.month)

    @cached_property
    def amounts(self) -> MonthAmounts:
        """The month's amounts in whole öre (computed once per month and parameter set)."""
        table = self.table
        share = (0, 1)
        if self.jobbstimulans is not None:
            fraction = Fraction(self.jobbstimulans.values["share"])
            share = (fraction.numerator, fraction.denominator)
        return MonthAmounts(
            with_lunch=tuple(to_ore(table.with_lunch[key].amount) for key in BRACKETS),
            without_lunch=tuple(
                to_ore((table.without_lunch.get(key) or table.with_lunch[key]).amount) for key in BRACKETS
            ),
            single=to_ore(table.adults["single"].amount),
            couple=to_ore(table.adults["couple"].amount),
            common=(0, *(to_ore(table.common[persons].amount) for persons in COMMON_SIZES)),
            child_limit=to_ore(self.child_exemption_limit),
            jobbstimulans_share=share,
        )


@dataclass
class ParameterSet:
    """All parameters, with look-ups by month."""

    tables: dict[int, NormTable]
    prisbasbelopp: list[DatedRecord]
    jobbstimulans: list[DatedRecord]
    child_exemption: list[DatedRecord]
    references: list[DatedRecord]
    label: str = "packaged"
    _month_cache: dict[date, MonthParameters] = field(default_factory=dict, repr=False)
    _sorted_tables: list[NormTable] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._sorted_tables = sorted(self.tables.values(), key=lambda t: t.valid_from)

    @property
    def first_month(self) -> date:
        """The first month a calculation can be made for."""
        return self._sorted_tables[0].valid_from.replace(day=1)

    @property
    def last_year(self) -> int:
        """The last year with a riksnorm table."""
        return self._sorted_tables[-1].year

    def table_for(self, month: date) -> NormTable | None:
        """The table in force on the first day of `month`; a table is valid for its own year only."""
        found = None
        for table in self._sorted_tables:
            if table.valid_from <= month:
                found = table
        if found is None or found.year != month.year:
            return None
        return found

    def at(self, month: date) -> MonthParameters:
        """Parameters in force in `month` (first day). Raises KeyError when there is no table."""
        cached = self._month_cache.get(month)
        if cached is not None:
            return cached
        table = self.table_for(month)
        if table is None:
            raise KeyError(f"no riksnorm table for {month:%Y-%m}")
        pbb = _record_at(self.prisbasbelopp, month)
        if pbb is not None and pbb.valid_from.year != month.year:
            pbb = None  # a yearly amount: last year's value must not be used silently
        exemption = _record_at(self.child_exemption, month)
        if exemption is None:
            raise KeyError(f"no rule for children's salary in {month:%Y-%m}")
        refs = _record_at(self.references, month)
        limit = (
            (pbb.values["value"] * exemption.values["prisbasbelopp_share"]).quantize(Decimal("0.01"))
            if pbb
            else Decimal(0)
        )
        resolved = MonthParameters(
            month=month,
            table=table,
            prisbasbelopp=pbb,
            child_exemption=exemption,
            child_exemption_limit=limit,
            jobbstimulans=_record_at(self.jobbstimulans, month),
            references=dict(refs.values) if refs else {},
        )
        self._month_cache[month] = resolved
        return resolved

    def covers(self, month: date) -> bool:
        """Whether a calculation can be made for `month`."""
        try:
            self.at(month)
        except KeyError:
            return False
        return True

    def scaled(self, factor: Decimal, round_to: Decimal | None = Decimal(10)) -> ParameterSet:
        """A copy with every riksnorm amount times `factor` (for policy simulations).

        Each amount is rounded to the nearest `round_to` kronor, as the government rounds each item when
        it uprates the norm; `None` keeps the exact product rounded to whole öre.
        """

        def scale(value: ParamValue) -> ParamValue:
            amount = value.amount * factor
            if round_to:
                amount = (amount / round_to).quantize(Decimal(1), ROUND_HALF_UP) * round_to
            else:
                amount = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
            return replace(value, amount=amount, verified=False, method=f"simulation: × {factor}")

        tables = {
            year: replace(
                table,
                with_lunch={k: scale(v) for k, v in table.with_lunch.items()},
                without_lunch={k: scale(v) for k, v in table.without_lunch.items()},
                adults={k: scale(v) for k, v in table.adults.items()},
                common={k: scale(v) for k, v in table.common.items()},
                published_totals=None,
                breakdown=None,  # the items are not scaled one by one: only the sums are simulated
            )
            for year, table in self.tables.items()
        }
        return ParameterSet(
            tables=tables,
            prisbasbelopp=self.prisbasbelopp,
            jobbstimulans=self.jobbstimulans,
            child_exemption=self.child_exemption,
            references=self.references,
            label=f"{self.label}, riksnorm × {factor}",
        )

    def with_jobbstimulans_share(self, share: Decimal) -> ParameterSet:
        """A copy where jobbstimulans leaves out `share` of salary instead (for policy simulations)."""
        records = [
            replace(r, values={**r.values, "share": share}, verified=False) for r in self.jobbstimulans
        ]
        return ParameterSet(
            tables=self.tables,
            prisbasbelopp=self.prisbasbelopp,
            jobbstimulans=records,
            child_exemption=self.child_exemption,
            references=self.references,
            label=f"{self.label}, jobbstimulans {share}",
        )


def _record_at(records: list[DatedRecord], day: date) -> DatedRecord | None:
    found = None
    for record in records:
        if record.valid_from <= day:
            found = record
    return found
