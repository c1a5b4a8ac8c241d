"""The dated, sourced parameters of the calculation, loaded from YAML.

Layout (see docs/rules.md):

- `riksnorm/YEAR.yaml` — one riksnorm table per year: children with and without lunch by age bracket,
  adults single and couple, common household costs for 1–7 persons. Every amount carries (or inherits
  from its group or file) its source, a reliability tag and `verified`; derived amounts also carry the
  `method` and a machine-readable `derivation` that the tests re-run.
- `prisbasbelopp.yaml`, `jobbstimulans.yaml`, `children_salary_exemption.yaml`, `references.yaml` —
  records keyed by the date they take effect, in the spirit of OpenFisca's parameter files.

A data directory (`$BISTAND_DATA_DIR`, default `var/` at the repository root) overlays the packaged
files: `var/parameters/riksnorm/2027.yaml` adds a year, and a file there for an existing year replaces
the packaged one. That is where `bistand norm import` saves next year's table.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from bistand.rules.parameters.referensvarde import SHAPES, to_per_person

PACKAGE_DIR = Path(__file__).resolve().parent
# src/bistand/rules/parameters -> repository root; the same place the Django settings use for `var/`.
PROJECT_DIR = PACKAGE_DIR.parents[3]

BRACKETS: tuple[str, ...] = ("0", "1-2", "3", "4-6", "7-10", "11-14", "15-18", "19-20")
YOUNG_BRACKETS: tuple[str, ...] = ("0", "1-2", "3", "4-6")  # the "ej lunch 5 dagar/vecka" row
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


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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

    def common_amount(self, persons: int) -> Decimal:
        """Common household costs for `persons` people.

        Above seven persons each extra person adds the difference between 7 and 6 persons
        (SoF 2 kap. 1 §); computed from the year's own table, never a fixed 170 kr.
        """
        if persons <= 7:
            return self.common[persons].amount
        step = self.common[7].amount - self.common[6].amount
        return self.common[7].amount + (persons - 7) * step


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


# --- reading and validating files ---------------------------------------------------------------


def _decimal(raw: Any, where: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ParameterError(f"{where}: expected a number, got {raw!r}")
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise ParameterError(f"{where}: {raw!r} is not a number") from exc
    if not value.is_finite():
        raise ParameterError(f"{where}: {raw!r} is not a finite number")
    return value


def _amount(raw: Any, where: str) -> Decimal:
    value = _decimal(raw, where)
    if value <= 0:
        raise ParameterError(f"{where}: an amount must be positive, got {raw!r}")
    if value != value.quantize(Decimal("0.01")):
        raise ParameterError(f"{where}: an amount may have at most two decimals, got {raw!r}")
    return value


_META_KEYS = ("verified", "source", "source_tag", "method", "note", "derivation")


def _meta(node: Mapping[str, Any], inherited: dict[str, Any], where: str) -> dict[str, Any]:
    meta = dict(inherited)
    for key in _META_KEYS:
        if key in node:
            meta[key] = node[key]
    if not isinstance(meta.get("verified"), bool):
        raise ParameterError(f"{where}: `verified` must be true or false")
    if meta.get("source_tag") not in SOURCE_TAGS:
        raise ParameterError(f"{where}: `source_tag` must be one of A, B, C, D, ?")
    if not meta.get("verified") and not (meta.get("method") or meta.get("note")):
        raise ParameterError(
            f"{where}: an unverified amount needs a `method` or `note` saying where it comes from"
        )
    return meta


def _group(node: Any, keys: Iterable[Any], inherited: dict[str, Any], where: str) -> dict[Any, ParamValue]:
    if not isinstance(node, Mapping):
        raise ParameterError(f"{where}: expected a mapping")
    keys = list(keys)
    meta = inherited
    values = node
    if "values" in node:
        meta = _meta(node, inherited, where)
        # Group-level metadata applies to the cells; a derivation recorded on the group is inherited too.
        values = node["values"]
        if not isinstance(values, Mapping):
            raise ParameterError(f"{where}.values: expected a mapping")
        extra = set(node) - {"values", *_META_KEYS}
        if extra:
            raise ParameterError(f"{where}: unknown keys {sorted(map(str, extra))}")
    found = {str(k) for k in values}
    wanted = {str(k) for k in keys}
    if missing := wanted - found:
        raise ParameterError(f"{where}: missing {sorted(missing)}")
    if extra := found - wanted:
        raise ParameterError(f"{where}: unknown {sorted(extra)}; expected {sorted(wanted)}")
    by_str = {str(k): v for k, v in values.items()}
    out: dict[Any, ParamValue] = {}
    for key in keys:
        raw = by_str[str(key)]
        cell_where = f"{where}.{key}"
        cell_meta = meta
        if isinstance(raw, Mapping):
            cell_meta = _meta(raw, meta, cell_where)
            if "value" not in raw:
                raise ParameterError(f"{cell_where}: missing `value`")
            raw = raw["value"]
        else:
            _meta({}, meta, cell_where)
        out[key] = ParamValue(
            amount=_amount(raw, cell_where),
            verified=cell_meta["verified"],
            source=str(cell_meta.get("source") or ""),
            source_tag=cell_meta["source_tag"],
            method=cell_meta.get("method"),
            note=cell_meta.get("note"),
            derivation=cell_meta.get("derivation"),
        )
    return out


def parse_norm_table(doc: Any, origin: str = "") -> NormTable:
    """Check the shape of a riksnorm table document and build the table. Raises ParameterError."""
    where = origin or "riksnorm"
    if not isinstance(doc, Mapping):
        raise ParameterError(f"{where}: the file must hold a mapping (key: value lines)")
    shape = doc.get("shape", "per_person")
    breakdown = None
    if shape == "referensvarde":
        doc, breakdown = to_per_person(doc, where, ParameterError)
    elif shape != "per_person":
        raise ParameterError(f"{where}: `shape` must be one of {', '.join(SHAPES)}")
    if doc.get("kind") != "riksnorm":
        raise ParameterError(f"{where}: `kind: riksnorm` is missing")
    year = doc.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise ParameterError(f"{where}: `year` must be a year such as 2027")
    valid_from = _as_date(doc.get("valid_from"))
    if valid_from is None or valid_from.year != year:
        raise ParameterError(f"{where}: `valid_from` must be a date in {year}, such as {year}-01-01")
    for key in ("reference", "source"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise ParameterError(f"{where}: `{key}` is required (legal reference and source URL)")
    top = {
        "verified": doc.get("verified"),
        "source": doc["source"],
        "source_tag": doc.get("source_tag", "A" if doc.get("verified") else "?"),
        "method": doc.get("method"),
        "note": doc.get("note"),
        "derivation": None,
    }
    top = _meta({}, top, where)
    known = {
        "kind", "year", "valid_from", "reference", "amendment", "source", "source_tag", "verified", "change",
        "method", "note", "children", "adults", "common", "published_totals", "items", "shape",
    }  # fmt: skip
    if extra := set(doc) - known:
        raise ParameterError(f"{where}: unknown keys {sorted(map(str, extra))}")
    children = doc.get("children")
    if not isinstance(children, Mapping) or set(children) != {"with_lunch", "without_lunch"}:
        raise ParameterError(f"{where}.children: needs exactly `with_lunch` and `without_lunch`")
    table = NormTable(
        year=year,
        valid_from=valid_from,
        reference=doc["reference"],
        amendment=doc.get("amendment"),
        source=doc["source"],
        source_tag=top["source_tag"],
        declared_verified=top["verified"],
        change=doc.get("change"),
        method=doc.get("method"),
        note=doc.get("note"),
        with_lunch=_group(children["with_lunch"], BRACKETS, top, f"{where}.children.with_lunch"),
        without_lunch=_group(
            children["without_lunch"], YOUNG_BRACKETS, top, f"{where}.children.without_lunch"
        ),
        adults=_group(doc.get("adults"), ADULT_KINDS, top, f"{where}.adults"),
        common=_group(doc.get("common"), COMMON_SIZES, top, f"{where}.common"),
        published_totals=doc.get("published_totals"),
        items=doc.get("items"),
        origin=origin,
        shape=shape,
        breakdown=breakdown,
    )
    check_table_consistency(table)
    return table


def check_table_consistency(table: NormTable) -> None:
    """Rules any real table satisfies; a typo usually breaks one of them."""
    where = table.origin or table.id
    for key in YOUNG_BRACKETS:
        if table.without_lunch[key].amount >= table.with_lunch[key].amount:
            raise ParameterError(
                f"{where}: children {key} without lunch ({table.without_lunch[key].amount}) must be lower "
                f"than with lunch ({table.with_lunch[key].amount})"
            )
    if table.adults["couple"].amount <= table.adults["single"].amount:
        raise ParameterError(f"{where}: the couple amount must be higher than the single amount")
    for size in COMMON_SIZES[1:]:
        if table.common[size].amount < table.common[size - 1].amount:
            raise ParameterError(f"{where}: common costs for {size} persons are lower than for {size - 1}")
    totals = table.published_totals
    if totals:
        checks = {
            "single_alone": table.adults["single"].amount + table.common[1].amount,
            "couple_alone": table.adults["couple"].amount + table.common[2].amount,
        }
        for key, computed in checks.items():
            if key in totals and computed != _decimal(totals[key], f"{where}.published_totals.{key}"):
                raise ParameterError(
                    f"{where}: published total {key} is {totals[key]} but the table gives {computed}"
                )


def _as_date(value: Any) -> date | None:
    """A YAML date, or the same written as a quoted "YYYY-MM-DD" string."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _dated_records(doc: Any, where: str, required: tuple[str, ...]) -> list[DatedRecord]:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("values"), Mapping):
        raise ParameterError(f"{where}: expected `values:` keyed by the date each value takes effect")
    records = []
    for raw_key, entry in doc["values"].items():
        key = _as_date(raw_key)
        if key is None:
            raise ParameterError(f"{where}: {raw_key!r} is not a date (YYYY-MM-DD)")
        if not isinstance(entry, Mapping):
            raise ParameterError(f"{where}.{key}: expected a mapping")
        for name in required:
            if name not in entry:
                raise ParameterError(f"{where}.{key}: `{name}` is missing")
        values = {k: v for k, v in entry.items() if k not in {"verified", "source", "note"}}
        for name in required:
            if name not in {"reference"}:
                values[name] = _decimal(values[name], f"{where}.{key}.{name}")
        verified = entry.get("verified", True)
        if not isinstance(verified, bool):
            raise ParameterError(f"{where}.{key}: `verified` must be true or false")
        records.append(
            DatedRecord(
                valid_from=key,
                values=values,
                verified=verified,
                reference=entry.get("reference") or doc.get("reference"),
                source=entry.get("source"),
                note=entry.get("note"),
            )
        )
    records.sort(key=lambda r: r.valid_from)
    return records


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from exc


def data_dir() -> Path:
    """The writable data directory (`$BISTAND_DATA_DIR`, default `var/` at the repository root)."""
    return Path(os.environ.get("BISTAND_DATA_DIR") or PROJECT_DIR / "var")


def overlay_dir(base: Path | None = None) -> Path:
    """Where imported parameter files are kept: `<data dir>/parameters`."""
    return (base or data_dir()) / "parameters"


def _merge_dated(packaged: Any, overlay: Any) -> Any:
    if not overlay:
        return packaged
    merged = dict(packaged)
    merged["values"] = {**packaged.get("values", {}), **(overlay.get("values") or {})}
    return merged


def load_parameters(base: Path | None = None, *, overlay: bool = True) -> ParameterSet:
    """Read the packaged parameter files and, unless `overlay` is false, the data directory's overlay."""
    tables: dict[int, NormTable] = {}
    for path in sorted((PACKAGE_DIR / "riksnorm").glob("*.yaml")):
        table = parse_norm_table(_read_yaml(path), origin=str(path))
        if str(table.year) != path.stem:
            raise ParameterError(f"{path}: holds year {table.year}; the file must be named {table.year}.yaml")
        tables[table.year] = table
    extra_dir = overlay_dir(base)
    dated = {}
    for name in ("prisbasbelopp", "jobbstimulans", "children_salary_exemption", "references"):
        dated[name] = _read_yaml(PACKAGE_DIR / f"{name}.yaml")
    label = "packaged"
    if overlay and extra_dir.is_dir():
        for path in sorted((extra_dir / "riksnorm").glob("*.yaml")):
            table = parse_norm_table(_read_yaml(path), origin=str(path))
            if str(table.year) != path.stem:
                raise ParameterError(
                    f"{path}: holds year {table.year}; the file must be named {table.year}.yaml"
                )
            tables[table.year] = table
            label = f"packaged + {extra_dir}"
        for name in dated:
            path = extra_dir / f"{name}.yaml"
            if path.is_file():
                dated[name] = _merge_dated(dated[name], _read_yaml(path))
                label = f"packaged + {extra_dir}"
    return ParameterSet(
        tables=tables,
        prisbasbelopp=_dated_records(dated["prisbasbelopp"], "prisbasbelopp.yaml", ("value",)),
        jobbstimulans=_dated_records(
            dated["jobbstimulans"], "jobbstimulans.yaml", ("share", "qualifying_months", "period_months")
        ),
        child_exemption=_dated_records(
            dated["children_salary_exemption"], "children_salary_exemption.yaml", ("prisbasbelopp_share",)
        ),
        references=_dated_records(dated["references"], "references.yaml", ()),
        label=label,
    )


# --- the process-wide default, refreshed when the overlay changes -----------------------------------

_lock = threading.Lock()
_cached: tuple[str | None, Path, tuple, ParameterSet] | None = None
_checked_at = 0.0
RECHECK_SECONDS = 5.0


def _overlay_signature(base: Path) -> tuple:
    root = overlay_dir(base)
    if not root.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in root.rglob("*.yaml")))


def default_parameters() -> ParameterSet:
    """The parameters in use, read once per process and re-read when an import changed the overlay.

    The overlay is looked at no more than every few seconds, so a calculation costs no file access.
    """
    global _cached, _checked_at
    now = time.monotonic()
    cached = _cached
    env = os.environ.get("BISTAND_DATA_DIR")
    if cached is not None and now - _checked_at < RECHECK_SECONDS and cached[0] == env:
        return cached[3]
    with _lock:
        base = data_dir()
        signature = _overlay_signature(base)
        if _cached is None or _cached[1] != base or _cached[2] != signature:
            _cached = (env, base, signature, load_parameters(base))
        _checked_at = now
        return _cached[3]


def reset_default_parameters() -> None:
    """Forget the cached parameters (tests, and after an import in the same process)."""
    global _cached
    with _lock:
        _cached = None
