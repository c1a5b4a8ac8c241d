"""The register gateway: the sources asked in parallel — the ones that share a call (SSBTEK's seven agencies)
in one call, the others (Navet) beside it — with retries, a circuit breaker per source and a cache per
(case, person, period, source).

Sync API (it runs the sources on a thread pool), so a Django task can call it directly::

    from bistand.registers import http_gateway
    with http_gateway() as gateway:                       # BISTAND_REGISTERS_URL or http://127.0.0.1:8001
        answer = gateway.lookup("199001012385", "2026-03", case_id="case-17")

The resilience logic knows nothing about HTTP: it drives :class:`~bistand.registers.interface.SourceAdapter`
objects, so the production SSBTEK and Navet adapters get the same retries, breaker and cache.
"""

from __future__ import annotations

import logging
import os
import random
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from bistand.identity.personnummer import Personnummer, parse
from bistand.registers.breaker import CircuitBreaker
from bistand.registers.cache import AnswerCache, CachedAnswer, CacheKey
from bistand.registers.errors import CircuitOpen, MalformedAnswer, RegisterError, RegisterUnavailable
from bistand.registers.interface import (
    Parsed,
    Provenance,
    RawAnswer,
    RegisterAnswer,
    SourceAdapter,
    SourceResult,
)
from bistand.registers.navet import NavetAdapter
from bistand.registers.navet import parse_answer as navet_parse
from bistand.registers.shield import shielded
from bistand.registers.sources import ALL_SOURCES, Period, Source
from bistand.registers.ssbtek import SsbtekAdapter, SsbtekCall, SsbtekConfig
from bistand.registers.ssbtek import parse_answer as ssbtek_parse
from bistand.registers.tls import TlsFiles

__all__ = ["DEFAULT_URL", "ClientSettings", "RegisterClient", "http_gateway", "parse_raw"]

log = logging.getLogger("bistand.registers")

DEFAULT_URL = "https://127.0.0.1:8001"
URL_ENV = "BISTAND_REGISTERS_URL"


@dataclass(frozen=True)
class ClientSettings:
    """How patient the gateway is. Defaults suit the robot; tests use much shorter timeouts.

    ``timeout`` is per attempt (httpx: connect, read, write each); ``timeouts`` overrides it per source (a
    call shared by several sources waits as long as the most patient of them).
    A source gets at most ``1 + retries`` attempts, with exponential backoff (``backoff_base`` × 2ⁿ, at most
    ``backoff_max``) and jitter between them, and only after a timeout, a 5xx or a connection failure.
    The breaker opens after ``breaker_threshold`` failed look-ups in a row and tries again after
    ``breaker_reset_after`` seconds.
    """

    timeout: float = 5.0
    timeouts: Mapping[Source, float] = field(default_factory=dict)
    retries: int = 2
    backoff_base: float = 0.2
    backoff_max: float = 2.0
    breaker_threshold: int = 5
    breaker_reset_after: float = 30.0
    max_workers: int = 8

    def timeout_for(self, source: Source) -> float:
        return self.timeouts.get(source, self.timeout)


class RegisterClient:
    """A :class:`~bistand.registers.interface.RegisterGateway` over any set of source adapters.

    Safe to share between threads; one instance per process is the intended use, so that the circuit
    breakers see every look-up.
    """

    def __init__(
        self,
        adapters: Mapping[Source, SourceAdapter],
        settings: ClientSettings | None = None,
        *,
        cache: AnswerCache | None = None,
        on_close: Callable[[], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.adapters = dict(adapters)
        self.settings = settings or ClientSettings()
        self.cache = cache
        self.breakers = {
            s: CircuitBreaker(self.settings.breaker_threshold, self.settings.breaker_reset_after, clock)
            for s in self.adapters
        }
        self._executor = ThreadPoolExecutor(
            max_workers=self.settings.max_workers, thread_name_prefix="register-lookup"
        )
        self._on_close = on_close
        self._sleep = sleep
        self._jitter = random.Random()  # noqa: S311 — jitter, not security

    # -- the interface --

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
        """Ask the chosen sources (default: every source this gateway has) for one person and month.

        Each source's result holds facts, a typed error, or both for a partial answer; this method does
        not raise for a source's failure. ``case_id`` turns on the cache for complete answers; ``fresh``
        asks the sources even when the cache has their answer (and keeps the new one). ``asked_by`` is
        the caseworker who asked (sent as SSBTEK's ``handlaggare``); None is the robot.
        """
        person = person_id if isinstance(person_id, Personnummer) else parse(person_id)
        month = Period.parse(period)
        chosen = self._resolve(sources)
        results: dict[Source, SourceResult] = {}
        to_ask = []
        for source in chosen:
            key = self._key(case_id, person, month, source)
            cached = None if key is None or fresh else self._from_cache(self.adapters[source], key)
            if cached is not None:
                results[source] = cached
            else:
                to_ask.append(source)
        groups = self._calls(to_ask)

        def ask(group: list[Source]) -> list[SourceResult]:
            return self._ask(group, person, month, case_id, asked_by)

        # One call on this thread needs no pool (SSBTEK alone, or Navet alone).
        done = [ask(groups[0])] if len(groups) == 1 else list(self._executor.map(ask, groups))
        results.update((r.source, r) for group in done for r in group)
        return RegisterAnswer(person, month, case_id, {s: results[s] for s in chosen})

    def _resolve(self, sources: Iterable[Source | str] | None) -> list[Source]:
        if sources is None:
            return [s for s in ALL_SOURCES if s in self.adapters]
        chosen = []
        for item in sources:
            source = Source(item)  # ValueError for an unknown name
            if source not in self.adapters:
                raise ValueError(f"this gateway has no adapter for {source.value}")
            if source not in chosen:
                chosen.append(source)
        return chosen

    def _calls(self, sources: list[Source]) -> list[list[Source]]:
        """The calls one look-up makes: the sources whose adapters share a call (``adapter.call``, SSBTEK's
        agencies) together, every other source alone."""
        shared: dict[int, list[Source]] = {}
        calls: list[list[Source]] = []
        for source in sources:
            call = getattr(self.adapters[source], "call", None)
            if call is None:
                calls.append([source])
            elif id(call) in shared:
                shared[id(call)].append(source)
            else:
                shared[id(call)] = [source]
                calls.append(shared[id(call)])
        return calls

    def _key(
        self, case_id: str | None, person: Personnummer, period: Period, source: Source
    ) -> CacheKey | None:
        if not case_id or self.cache is None:
            return None
        return CacheKey(case_id, person.digits, str(period), source)

    # -- one call, for one source or several sharing it --

    def _ask(
        self,
        sources: list[Source],
        person: Personnummer,
        period: Period,
        case_id: str | None,
        asked_by: str | None,
    ) -> list[SourceResult]:
        """Ask ``sources`` in one call per attempt. Each source keeps its own breaker, retries and cache:
        a retry asks again only for the sources whose error a retry may fix."""
        request_id = str(uuid.uuid4())
        results: dict[Source, SourceResult] = {}
        pending = []
        for source in sources:
            if self.breakers[source].allow():
                pending.append(source)
                continue
            error = CircuitOpen(
                source, "the circuit breaker is open after repeated failures", request_id=request_id
            )
            self._log(source, person, error.kind, 0)
            results[source] = SourceResult(
                source, None, error, Provenance(source, _now(), request_id, None, "", attempts=0)
            )
        attempts = 0
        try:
            while pending:
                attempts += 1
                try:
                    outcomes = self._fetch(pending, person, period, request_id, asked_by)
                except Exception as exc:  # a bug in an adapter must not take the other sources down with it
                    log.exception("register call: unexpected %s in the adapter", type(exc).__name__)
                    for source in pending:
                        self.breakers[source].record_failure()
                        error = RegisterError(
                            source, f"unexpected {type(exc).__name__} in the adapter", request_id=request_id
                        )
                        results[source] = SourceResult(
                            source, None, error, Provenance(source, _now(), request_id, None, "", attempts)
                        )
                    break
                again = []
                for source in pending:
                    key = self._key(case_id, person, period, source)
                    result = self._settle(source, outcomes.get(source), person, request_id, attempts, key)
                    if result is None:
                        again.append(source)
                    else:
                        results[source] = result
                pending = again
                if pending:
                    self._sleep(self._backoff(attempts))
        except BaseException:
            for source in pending:  # e.g. KeyboardInterrupt: never leave a half-open trial reserved
                self.breakers[source].record_failure()
            raise
        return [results[s] for s in sources]

    def _fetch(
        self,
        sources: list[Source],
        person: Personnummer,
        period: Period,
        request_id: str,
        asked_by: str | None,
    ) -> Mapping[Source, RawAnswer | RegisterError]:
        """One attempt: the shared call for several sources, or the adapter's own ``fetch``. The call
        waits as long as the most patient of its sources."""
        timeout = max(self.settings.timeout_for(s) for s in sources)
        adapter = self.adapters[sources[0]]
        call = getattr(adapter, "call", None)
        if call is not None:
            return call.fetch_many(person, period, sources, request_id, timeout, asked_by)
        (source,) = sources
        try:
            return {source: adapter.fetch(person, period, request_id, timeout)}
        except RegisterError as error:
            return {source: error}

    def _settle(
        self,
        source: Source,
        outcome: RawAnswer | RegisterError | None,
        person: Personnummer,
        request_id: str,
        attempts: int,
        key: CacheKey | None,
    ) -> SourceResult | None:
        """One source's result of an attempt, or None when it is to be asked again."""
        breaker = self.breakers[source]
        raw = ""
        try:
            if outcome is None:
                raise RegisterUnavailable(source, "the call gave no answer for this source")
            if isinstance(outcome, RegisterError):
                raise outcome
            # Protected fields go before anything keeps the raw text (snapshot, cache, extract).
            raw = shielded(source, outcome.raw)
            parsed = self.adapters[source].parse(raw)
        except RegisterError as error:
            error.request_id = error.request_id or request_id
            if error.retryable and attempts <= self.settings.retries:
                return None
            if error.counts_against_source:
                breaker.record_failure()
            else:
                breaker.record_success()
            self._log(source, person, error.kind, attempts)
            return SourceResult(
                source, None, error, Provenance(source, _now(), request_id, None, raw, attempts)
            )
        except Exception as exc:  # a bug in a parser must not take the other sources down with it
            log.exception("register %s: unexpected %s in the adapter", source.value, type(exc).__name__)
            breaker.record_failure()
            error = RegisterError(
                source, f"unexpected {type(exc).__name__} in the adapter", request_id=request_id
            )
            return SourceResult(
                source, None, error, Provenance(source, _now(), request_id, None, raw, attempts)
            )
        breaker.record_success()
        provenance = Provenance(source, _now(), request_id, parsed.upstream_id, raw, attempts)
        if parsed.partial is not None:
            parsed.partial.request_id = request_id
            self._log(source, person, parsed.partial.kind, attempts)
            return SourceResult(source, parsed.facts, parsed.partial, provenance)
        if key is not None and self.cache is not None:
            self.cache.put(
                key, CachedAnswer(raw, provenance.fetched_at, request_id, parsed.upstream_id, attempts)
            )
        self._log(source, person, "ok", attempts)
        return SourceResult(source, parsed.facts, None, provenance)

    def _from_cache(self, adapter: SourceAdapter, key: CacheKey) -> SourceResult | None:
        assert self.cache is not None
        entry = self.cache.get(key)
        if entry is None:
            return None
        try:
            parsed = adapter.parse(entry.raw)
        except MalformedAnswer:
            self.cache.delete(key)  # cannot be read any more (e.g. an older format): ask again
            return None
        if parsed.partial is not None:
            self.cache.delete(key)
            return None
        provenance = Provenance(
            key.source, entry.fetched_at, entry.request_id, entry.upstream_id, entry.raw, entry.attempts, True
        )
        return SourceResult(key.source, parsed.facts, None, provenance)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so retries spread out."""
        ceiling = min(self.settings.backoff_max, self.settings.backoff_base * 2 ** (attempt - 1))
        return ceiling / 2 + self._jitter.uniform(0, ceiling / 2)

    @staticmethod
    def _log(source: Source, person: Personnummer, outcome: str, attempts: int) -> None:
        log.info("register %s for %s: %s after %d attempt(s)", source.value, person.masked, outcome, attempts)

    # -- lifecycle --

    def close(self) -> None:
        """Stop the worker threads and close the HTTP connections."""
        self._executor.shutdown(wait=True)
        if self._on_close is not None:
            self._on_close()

    def __enter__(self) -> RegisterClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _now() -> datetime:
    return datetime.now(UTC)


def parse_raw(source: Source, raw: str) -> Parsed:
    """Read a raw answer of ``source`` as its production adapter does (pure; raises the typed error)."""
    return navet_parse(raw) if source is Source.NAVET else ssbtek_parse(source, raw)


def http_gateway(
    base_url: str | None = None,
    settings: ClientSettings | None = None,
    *,
    cache: AnswerCache | None = None,
    sources: Iterable[Source] = ALL_SOURCES,
    transport: httpx.BaseTransport | None = None,
    tls: TlsFiles | None = None,
) -> RegisterClient:
    """The gateway to SSBTEK and Navet over SOAP and mutual TLS: the production adapters, pointed at the
    simulator in development and at the agencies' endpoints in production.

    ``base_url`` defaults to ``$BISTAND_REGISTERS_URL``, then ``https://127.0.0.1:8001``; the services are
    ``$BISTAND_SSBTEK_URL`` and ``$BISTAND_NAVET_URL`` when set (production), else paths under it.
    ``tls`` defaults to ``BISTAND_REGISTERS_CERT``/``_KEY``/``_CA``, else the simulator's test CA folder.
    The returned client owns its HTTP connection pool; close it (or use it as a context manager).
    """
    url = base_url or os.environ.get(URL_ENV) or DEFAULT_URL
    settings = settings or ClientSettings()
    files = tls or TlsFiles.from_env()
    http = httpx.Client(
        transport=transport,
        verify=files.client_context() if files is not None else True,
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        headers={"User-Agent": "bistand-registers/2"},
    )
    config = SsbtekConfig.from_env(url)
    ssbtek = SsbtekCall(http, config)  # one call per look-up for every SSBTEK agency asked
    adapters: dict[Source, SourceAdapter] = {}
    for source in sources:
        if source is Source.NAVET:
            adapters[source] = NavetAdapter(
                http, NavetAdapter.endpoint_from_env(url), config.organisationsnummer
            )
        else:
            adapters[source] = SsbtekAdapter(source, ssbtek)
    return RegisterClient(adapters, settings, cache=cache, on_close=http.close)
