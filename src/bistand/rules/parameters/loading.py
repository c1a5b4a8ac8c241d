"""Reading and checking the parameter files, and the process-wide default set.

A data directory (`$BISTAND_DATA_DIR`, default `var/` at the repository root) overlays the packaged
files: `var/parameters/riksnorm/2027.yaml` adds a year, and a file there for an existing year replaces
the packaged one. That is where `bistand norm import` saves next year's table.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from bistand.rules.ages import BRACKETS, YOUNG_BRACKETS
from bistand.rules.parameters.model import (
    ADULT_KINDS,
    COMMON_SIZES,
    SOURCE_TAGS,
    DatedRecord,
    NormTable,
    ParameterError,
    ParameterSet,
    ParamValue,
)
from bistand.rules.parameters.referensvarde import SHAPES, to_per_person

PACKAGE_DIR = Path(__file__).resolve().parent
# src/bistand/rules/parameters -> repository root; the same place the Django settings use for `var/`.
PROJECT_DIR = PACKAGE_DIR.parents[3]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
