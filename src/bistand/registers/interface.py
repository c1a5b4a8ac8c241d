"""The one interface for register look-ups, and the plug-in point for each source.

The pipeline calls a :class:`RegisterGateway`::

    answer = gateway.lookup("199001012385", "2026-03", case_id="case-17")
    fk = answer.facts(Source.FK)          # FkFacts, or raises the source's typed error
    for source, error in answer.errors.items(): ...

Behind the gateway each source is a :class:`SourceAdapter`: the SSBTEK v10 SOAP adapter per agency (the
agencies of one look-up share one call, :class:`SharedCall`) and the Navet adapter, against the simulator
in development and the agencies in production (docs/registers.md). Retries, the circuit breaker,
parallelism and the cache live in the gateway (``client.RegisterClient``), so every adapter gets them
without writing them again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol, runtime_checkable

from bistand.identity.personnummer import Personnummer
from bistand.registers.errors import PartialAnswer, RegisterError
from bistand.registers.facts import NavetFacts, SourceFacts
from bistand.registers.sources import Period, Source

__all__ = [
    "Parsed",
    "Provenance",
    "RawAnswer",
    "RegisterAnswer",
    "RegisterGateway",
    "SharedCall",
    "SourceAdapter",
    "SourceResult",
    "to_jsonable",
]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a source's answer came from.

    ``raw`` is the answer exactly as received (text), kept beside the parsed facts so that a snapshot can
    be re-read and audited; it is empty when nothing was received (a timeout, a refused connection, an open
    circuit). ``fetched_at`` is when the source answered or the last attempt ended (UTC); a cache hit keeps
    the original time and request id and sets ``from_cache``. ``attempts`` is 0 when the circuit breaker
    refused to ask.
    """

    source: Source
    fetched_at: datetime
    request_id: str  # our id for the request, sent to the source (X-Request-Id)
    upstream_id: str | None  # the source's id for its answer (SvarId), when it gives one
    raw: str
    attempts: int = 1
    from_cache: bool = False


@dataclass(frozen=True, slots=True)
class SourceResult:
    """One source's part of an answer: facts, a typed error, or both (a partial answer).

    * complete answer: ``facts`` set, ``error`` None;
    * failure: ``facts`` None, ``error`` set (timeout, unavailable, not found, malformed …);
    * partial answer: ``facts`` holds what arrived and ``error`` is a :class:`PartialAnswer`.
    """

    source: Source
    facts: SourceFacts | None
    error: RegisterError | None
    provenance: Provenance

    @property
    def ok(self) -> bool:
        """True only for a complete answer."""
        return self.facts is not None and self.error is None

    @property
    def partial(self) -> bool:
        return isinstance(self.error, PartialAnswer)

    def require(self) -> SourceFacts:
        """The facts of a complete answer; raises the typed error otherwise (a partial answer too)."""
        if self.error is not None:
            raise self.error
        assert self.facts is not None
        return self.facts

    def to_dict(self, *, include_raw: bool = True) -> dict[str, Any]:
        prov = self.provenance
        return {
            "source": self.source.value,
            "status": "ok" if self.ok else ("partial" if self.partial else "error"),
            "facts": to_jsonable(self.facts) if self.facts is not None else None,
            "error": self.error.to_dict() if self.error is not None else None,
            "provenance": {
                "fetched_at": prov.fetched_at.isoformat(),
                "request_id": prov.request_id,
                "upstream_id": prov.upstream_id,
                "attempts": prov.attempts,
                "from_cache": prov.from_cache,
                **({"raw": prov.raw} if include_raw else {}),
            },
        }


@dataclass(frozen=True, slots=True)
class RegisterAnswer:
    """The answer to one look-up: one :class:`SourceResult` per source asked."""

    person: Personnummer
    period: Period
    case_id: str | None
    results: Mapping[Source, SourceResult] = field(default_factory=dict)

    def __getitem__(self, source: Source | str) -> SourceResult:
        return self.results[Source(source)]

    def facts(self, source: Source | str) -> SourceFacts:
        """The complete facts of ``source``; raises its typed error if it failed or answered in part."""
        return self[source].require()

    @property
    def errors(self) -> dict[Source, RegisterError]:
        """Every source that did not give a complete answer, with its error."""
        return {s: r.error for s, r in self.results.items() if r.error is not None}

    @property
    def complete(self) -> bool:
        """True when every source asked gave a complete answer."""
        return all(r.ok for r in self.results.values())

    @property
    def protected(self) -> bool | None:
        """Whether any answer marks the person as protected (skyddade personuppgifter).

        None when neither Navet nor Arbetsförmedlingen answered, so protection is *unknown*: the pipeline
        must then treat the case as possibly protected.
        """
        navet = self.results.get(Source.NAVET)
        af = self.results.get(Source.AF)
        known = False
        if navet is not None and isinstance(navet.facts, NavetFacts):
            known = True
            if navet.facts.protection.is_protected:
                return True
        if af is not None and af.facts is not None:
            known = True
            if getattr(af.facts, "sekretessmarkering", False):
                return True
        return False if known else None

    def to_dict(self, *, include_raw: bool = True) -> dict[str, Any]:
        """A JSON-ready form (Decimal and dates as strings), as printed by ``bistand registers lookup``."""
        return {
            "person": self.person.digits,
            "period": str(self.period),
            "case_id": self.case_id,
            "complete": self.complete,
            "protected": self.protected,
            "sources": {s.value: r.to_dict(include_raw=include_raw) for s, r in self.results.items()},
        }


@runtime_checkable
class RegisterGateway(Protocol):
    """Look up a person's register facts for a month, from every source or the ones chosen."""

    def lookup(
        self,
        person_id: str | Personnummer,
        period: Period | str,
        sources: Iterable[Source | str] | None = None,
        case_id: str | None = None,
        *,
        asked_by: str | None = None,
        fresh: bool = False,
    ) -> RegisterAnswer:
        """Ask the sources (all when ``sources`` is None) and return one result per source.

        Never raises for a source's failure: each failure is a typed error in its result. Raises
        ``PersonnummerError`` / ``ValueError`` for an invalid person number, period or source name.
        With a ``case_id``, complete answers are cached per (case, person, period, source), so that a
        retried pipeline step does not ask again; ``fresh`` asks anyway (a caseworker's new look-up).
        ``asked_by`` is the caseworker's id when a caseworker asked, None when the robot did.
        """
        ...


@dataclass(frozen=True, slots=True)
class RawAnswer:
    """What an adapter's transport received: the raw text and the source's answer id."""

    raw: str
    upstream_id: str | None = None


@dataclass(frozen=True, slots=True)
class Parsed:
    """What an adapter read from a raw answer: facts, and a :class:`PartialAnswer` if part is missing."""

    facts: SourceFacts
    partial: PartialAnswer | None = None
    upstream_id: str | None = None


class SourceAdapter(Protocol):
    """One source's transport and parser. Implement this to plug in a new register.

    ``fetch`` does one attempt (no retries: the gateway retries) and raises a typed :class:`RegisterError`
    for a failure it can tell (timeout, unavailable, not found, rejected). ``parse`` turns a raw answer
    into facts, raising :class:`MalformedAnswer` when it cannot; it must be pure, because cached raw
    answers are parsed again when read back.

    Sources answered by one service call (SSBTEK's agencies) also have a ``call`` attribute, a
    :class:`SharedCall` they share: the gateway then asks them together, one call per attempt.
    """

    source: Source

    def fetch(self, person: Personnummer, period: Period, request_id: str, timeout: float) -> RawAnswer: ...

    def parse(self, raw: str) -> Parsed: ...


class SharedCall(Protocol):
    """One call that answers for several sources (SSBTEK: one question, an ``inkludera`` flag per agency).

    ``fetch_many`` does one attempt for ``sources`` and gives each its raw answer (its own part) or its
    typed error; a failure of the whole call is every source's error. The gateway parses each part with
    the source's adapter, so retries, breakers and the cache stay per source.
    """

    def fetch_many(
        self,
        person: Personnummer,
        period: Period,
        sources: Sequence[Source],
        request_id: str,
        timeout: float,
        asked_by: str | None = None,
    ) -> Mapping[Source, RawAnswer | RegisterError]: ...


def to_jsonable(value: Any) -> Any:
    """Turn facts (dataclasses, Decimal, dates, enums, tuples) into JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value
