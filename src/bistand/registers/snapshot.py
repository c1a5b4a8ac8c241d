"""A stored register snapshot read back as typed facts: decoded once, where it is read from storage.

The robot's run keeps what the registers said (`PipelineRun.register_snapshot`) in the JSON form that
`RegisterAnswer.to_dict` writes: per role, per source, the facts as `interface.to_jsonable` made them. Read
it back with `RegisterSnapshot.from_json` and every reader gets the facts classes of `registers/facts.py`
again (Decimal, dates, enums, tuples), so no reader re-parses a dict by string keys.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cache, cached_property
from typing import Any

from bistand.registers.facts import SourceFacts
from bistand.registers.interface import to_jsonable
from bistand.registers.sources import Source

__all__ = [
    "FACTS_BY_SOURCE",
    "PersonRegisters",
    "RegisterSnapshot",
    "SnapshotUnreadable",
    "StoredResult",
    "decode",
    "rewrite_raw",
]

FACTS_BY_SOURCE: dict[Source, type] = {cls.source: cls for cls in typing.get_args(SourceFacts)}


class SnapshotUnreadable(ValueError):
    """A stored snapshot that does not have the shape the facts classes give (names the path)."""


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(kind: Any, data: Any, path: str = "") -> Any:
    """The typed value of `kind` from its JSON form: the inverse of `registers.interface.to_jsonable`."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return decode(inner, data, path)
    if origin is tuple:
        inner = typing.get_args(kind)[0]
        return tuple(decode(inner, item, f"{path}[{i}]") for i, item in enumerate(data or ()))
    if dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise SnapshotUnreadable(f"{path or kind.__name__}: expected an object")
        hints = _hints(kind)
        values = {}
        for f in dataclasses.fields(kind):
            if f.name in data:
                values[f.name] = decode(hints[f.name], data[f.name], f"{path}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SnapshotUnreadable(f"{path or kind.__name__}.{f.name}: missing")
        return kind(**values)
    if kind is Decimal:
        return Decimal(str(data))
    if kind is datetime.date:
        return datetime.date.fromisoformat(data)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    return data


@dataclass(frozen=True)
class StoredResult:
    """One source's stored part of an answer: its typed facts (None when it gave none), the error as stored.

    The facts are decoded the first time they are read, once: a reader that needs only a role's protection
    or one source does not pay for (or trip over) the rest."""

    source: Source
    status: str  # "ok", "partial" or "error"
    stored_facts: dict[str, Any] | None = field(default=None, repr=False)
    error: dict[str, Any] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    path: str = ""  # where in the snapshot, for the error that names what does not fit

    @cached_property
    def facts(self) -> SourceFacts | None:
        if self.stored_facts is None:
            return None
        return decode(FACTS_BY_SOURCE[self.source], self.stored_facts, f"{self.path}.facts")

    @classmethod
    def of(cls, facts: SourceFacts) -> StoredResult:
        """A complete answer as it would be stored, from typed facts (for tests and simulations)."""
        return cls(source=type(facts).source, status="ok", stored_facts=to_jsonable(facts))

    @property
    def fetched_at(self) -> str | None:
        """When the source answered (ISO 8601), as the client recorded it."""
        return self.provenance.get("fetched_at")

    @property
    def request_id(self) -> str:
        """The register's id for the call, for asking the register about it ("" when it gave none)."""
        return self.provenance.get("request_id") or ""

    @property
    def error_kind(self) -> str | None:
        """The kind of the stored error (`registers.errors`: "timeout", "not_available" …), None if none."""
        return (self.error or {}).get("kind")


@dataclass(frozen=True)
class PersonRegisters:
    """What the registers said about one person (a role of the application)."""

    protected: bool | None
    complete: bool
    sources: dict[Source, StoredResult]

    def facts(self, source: Source) -> Any:
        """The source's typed facts, or None when it was not asked or gave none."""
        result = self.sources.get(source)
        return result.facts if result else None


@dataclass(frozen=True)
class RegisterSnapshot:
    """A run's register snapshot, typed: per role ("applicant", "co_applicant")."""

    roles: dict[str, PersonRegisters] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RegisterSnapshot:
        """Read a stored snapshot; a source's facts are decoded when first read, and a fact that does not
        fit raises `SnapshotUnreadable` naming its path."""
        roles = {}
        for role, answer in (data or {}).items():
            sources = {}
            for name, result in (answer.get("sources") or {}).items():
                source = Source(name)
                facts = result.get("facts")
                sources[source] = StoredResult(
                    source=source,
                    status=result.get("status", "ok" if facts is not None else "error"),
                    stored_facts=facts,
                    error=result.get("error"),
                    provenance=result.get("provenance") or {},
                    path=f"{role}.{name}",
                )
            roles[role] = PersonRegisters(
                protected=answer.get("protected"), complete=bool(answer.get("complete")), sources=sources
            )
        return cls(roles)

    def __iter__(self) -> Iterator[tuple[str, PersonRegisters]]:
        return iter(self.roles.items())

    def results(self) -> Iterator[tuple[str, StoredResult]]:
        """Every source's stored part, with the role it is about, in the order stored."""
        for role, person in self.roles.items():
            for result in person.sources.values():
                yield role, result

    @property
    def protected_anywhere(self) -> bool:
        """Whether a register said yes, someone is protected. Unknown (no answer) is not a yes."""
        return any(person.protected is True for person in self.roles.values())


def rewrite_raw(data: Any, change: Callable[[Source, str], str]) -> bool:
    """Pass every raw answer kept in a stored snapshot (its JSON form) through ``change``, in place, and
    say whether any changed. For rewriting what was stored earlier (`security.stored_answers` shields the
    answers stored before the shield existed), so that only this module and the writer
    (`SourceResult.to_dict`) know the stored form's keys. A source this version does not know is left."""
    changed = False
    for answer in data.values() if isinstance(data, dict) else ():
        sources = answer.get("sources") if isinstance(answer, dict) else None
        for name, result in (sources or {}).items():
            provenance = result.get("provenance") if isinstance(result, dict) else None
            raw = provenance.get("raw") if isinstance(provenance, dict) else None
            if not isinstance(raw, str) or name not in Source._value2member_map_:
                continue
            kept = change(Source(name), raw)
            if kept != raw:
                provenance["raw"] = kept
                changed = True
    return changed
