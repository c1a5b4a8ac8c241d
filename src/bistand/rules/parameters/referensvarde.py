"""The riksnorm built from a *referensvärde* (prop. 2025/26:201, from 2027): cost items per household type.

Until 2026 the riksnorm table in socialtjänstförordningen gives one amount per person type (children by age
bracket, single or cohabiting adult) and one per household size for the common costs. From 2027 the norm is
to be computed from a referensvärde built on price surveys of different household types' basic consumption,
with changed cost items. The exact table of the förordning is not published yet, so the shape is data:

    shape: referensvarde
    referensvarde: {basis: "...", source: "..."}        # what the amounts were computed from
    cost_items:                                           # the items, as the year's förordning names them
      personal: [livsmedel, klader_och_skor, fritid_och_lek, hygien, barn_och_ungdomsforsakring]
      common: [forbrukningsvaror, telefon_och_internet]
    household_types:
      children: {"0": {livsmedel: 1290, ...}, ..., "19-20": {...}}    # each age bracket, with lunch
      children_without_lunch: {"0": {...}, ..., "4-6": {...}}
      adults: {single: {...}, couple: {...}}
      common: {1: {...}, ..., 7: {...}}                                # by the household's size

`to_per_person` checks every household type has exactly the declared items and turns the file into the
per-person table the engine reads (each amount the sum of its items), keeping the breakdown for display
and for the difference from the year before. One engine, both shapes.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from bistand.rules.ages import BRACKETS, YOUNG_BRACKETS

SHAPES = ("per_person", "referensvarde")

# household_types key -> (per-person table group, the keys it must have)
_GROUPS = {
    "children": ("children.with_lunch", BRACKETS),
    "children_without_lunch": ("children.without_lunch", YOUNG_BRACKETS),
    "adults": ("adults", ("single", "couple")),
    "common": ("common", ("1", "2", "3", "4", "5", "6", "7")),
}


def _item_amount(raw: Any, where: str, error: type[Exception]) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise error(f"{where}: expected an amount in kronor, got {raw!r}")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise error(f"{where}: {raw!r} is not an amount") from None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise error(f"{where}: an item must be 0 or more kronor with at most two decimals, got {raw!r}")
    return value


def _items(doc: Mapping[str, Any], where: str, error: type[Exception]) -> dict[str, list[str]]:
    items = doc.get("cost_items")
    if not isinstance(items, Mapping) or set(items) != {"personal", "common"}:
        raise error(f"{where}.cost_items: needs `personal` and `common`, each a list of item names")
    out = {}
    for kind in ("personal", "common"):
        names = items[kind]
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            raise error(f"{where}.cost_items.{kind}: a list of item names, such as [livsmedel, hygien]")
        if len(set(names)) != len(names):
            raise error(f"{where}.cost_items.{kind}: an item is named twice")
        out[kind] = names
    return out


def to_per_person(doc: Mapping[str, Any], where: str, error: type[Exception]) -> tuple[dict, dict]:
    """The per-person document (sums) and the breakdown {"adults.single": {"livsmedel": Decimal}, …}."""
    items = _items(doc, where, error)
    types = doc.get("household_types")
    if not isinstance(types, Mapping):
        raise error(f"{where}.household_types: needed for a referensvärde table (see docs/rules.md)")
    if extra := set(types) - set(_GROUPS):
        raise error(f"{where}.household_types: unknown {sorted(map(str, extra))}; expected {sorted(_GROUPS)}")
    per_person: dict[str, Any] = {
        k: v for k, v in doc.items() if k not in {"shape", "cost_items", "household_types", "referensvarde"}
    }
    basis = (
        (doc.get("referensvarde") or {}).get("basis")
        if isinstance(doc.get("referensvarde"), Mapping)
        else None
    )
    if basis:  # what the amounts were computed from, shown with the table
        per_person["note"] = " ".join(filter(None, [doc.get("note"), f"Referensvärde: {basis}"]))
    per_person["children"] = {}
    breakdown: dict[str, dict[str, Decimal]] = {}
    for key, (target, wanted) in _GROUPS.items():
        group = types.get(key)
        if not isinstance(group, Mapping):
            raise error(f"{where}.household_types.{key}: missing")
        found = {str(k): v for k, v in group.items()}
        if missing := set(wanted) - set(found):
            raise error(f"{where}.household_types.{key}: missing {sorted(missing)}")
        if extra := set(found) - set(wanted):
            raise error(f"{where}.household_types.{key}: unknown {sorted(extra)}; expected {list(wanted)}")
        names = items["common" if key == "common" else "personal"]
        sums = {}
        for cell in wanted:
            cell_where = f"{where}.household_types.{key}.{cell}"
            row = found[cell]
            if not isinstance(row, Mapping):
                raise error(f"{cell_where}: expected the cost items, e.g. {{{names[0]}: 1200}}")
            if missing := set(names) - set(row):
                raise error(f"{cell_where}: missing {sorted(missing)}")
            if extra := set(row) - set(names):
                raise error(f"{cell_where}: unknown {sorted(map(str, extra))}; the items are {names}")
            amounts = {name: _item_amount(row[name], f"{cell_where}.{name}", error) for name in names}
            total = sum(amounts.values(), Decimal(0))
            if total <= 0:
                raise error(f"{cell_where}: the items add up to {total}; a norm amount must be positive")
            breakdown[f"{key}.{cell}"] = amounts  # the names of NormTable.cells()
            sums[cell if key != "common" else int(cell)] = str(total)
        if target.startswith("children."):
            per_person["children"][target.split(".", 1)[1]] = {"values": sums}
        else:
            per_person[target] = {"values": sums}
    return per_person, breakdown
