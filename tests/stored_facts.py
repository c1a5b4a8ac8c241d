"""Whole register facts for test fixtures that name only the fields they are about.

A stored snapshot is read back into the facts classes (`RegisterSnapshot.from_json`), which refuses facts
with a field missing, as a real answer never has. A fixture states what its test is about and `whole`
fills in the rest with empty values (no payments, no, none), in the stored (JSON) form.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

from bistand.registers.snapshot import FACTS_BY_SOURCE
from bistand.registers.sources import Source


def _empty(kind: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return None
    if origin is tuple:
        return []
    if kind is bool:
        return False
    if kind is int:
        return 0
    if kind is Decimal:
        return "0"
    if kind is datetime.date:
        return "2026-11-01"
    if isinstance(kind, type) and issubclass(kind, Enum):
        return next(iter(kind)).value
    if dataclasses.is_dataclass(kind):
        return _filled(kind, {})
    return ""


def _filled(kind: type, given: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(kind)
    out = {}
    for f in dataclasses.fields(kind):
        hint = hints[f.name]
        if f.name not in given:
            out[f.name] = _empty(hint)
            continue
        value = given[f.name]
        (item,) = typing.get_args(hint)[:1] or (None,)
        if typing.get_origin(hint) is tuple and dataclasses.is_dataclass(item):
            value = [_filled(item, v) for v in value]
        out[f.name] = value
    return out


def whole(source: str | Source, facts: dict[str, Any]) -> dict[str, Any]:
    """A source's facts as stored, with every field the test does not name filled in empty.

    The named fields (and the items of a named list) are kept as given, in their stored form."""
    return _filled(FACTS_BY_SOURCE[Source(source)], facts)
