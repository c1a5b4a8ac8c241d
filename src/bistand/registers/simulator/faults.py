"""Fault injection for the registers simulator, switchable while it runs.

A rule says what goes wrong, for which source and which person (``"*"`` for any)::

    {"mode": "timeout", "source": "fk", "person": "*"}
    {"mode": "latency", "latency_ms": 200}
    {"mode": "error", "source": "af", "status": 502, "times": 2}
    {"mode": "malformed", "variant": "shape"}
    {"mode": "partial"}
    {"mode": "error", "variant": "bt", "source": "csn"}
    {"mode": "not_entitled", "source": "tns"}
    {"mode": "not_found", "person": "199001012385"}

Modes (an SSBTEK question asks several agencies in one call: each agency's rule applies to its part):

* ``latency``: wait ``latency_ms`` before answering normally (latency rules add up); the composite
  service asks its agencies in parallel, so one slow agency makes the whole answer that much slower;
* ``timeout``: hold the answer ``hold_ms`` (default 10 s, longer than any client timeout), then answer
  with the agency's error tagged ``SSBT``, code ``TIDSGRANS`` (the composite service gave up waiting);
  the other agencies' parts come in the same, late, answer;
* ``error``: a SOAP Fault of the composite service (SSBT) with HTTP ``status`` (500–599, default 503):
  the whole call fails, for every agency in it; ``variant: "bt"`` instead answers 200 with the agency's
  error tagged ``BT`` (one agency failed, the others answer);
* ``malformed``: broken XML, the whole answer (``variant: "syntax"``, default), or the agency's part with
  neither data nor error (``"shape"``);
* ``partial``: drop the second half of the records and say so the way the agency does (LEFI
  ``avvikelser`` INTERNT_FEL, an a-kassa whose status is not OK, Transportstyrelsen's ``FEL``, CSN's
  result code, Arbetsförmedlingen's status code);
* ``not_entitled``: leave the agency out of the answer, as SSBTEK does for data the municipality's
  agreement does not cover (for LEFI: avvikelse OBEHORIG);
* ``not_found``: the agency's ``BT`` error ``PERSON_SAKNAS``.

``times`` limits a rule to that many matching requests (then it is removed; an SSBTEK call is one request,
whatever the number of agencies in it), which is how a test makes a
source fail twice and then recover. ``probability`` (0–1) makes a rule apply to only that share of the
requests it matches, e.g. ``{"mode": "error", "probability": 0.2}`` fails about a fifth of all calls; the
draws come from the rule's own ``random.Random(seed)`` (``seed`` defaults to 1), so the same sequence of
matching requests meets the same faults on every run. A request the draw spares is answered as if the
rule were not there, and does not use up its ``times``. A person-specific rule wins over a wildcard one; among equals the
oldest wins. Rules are set through the admin endpoints (``POST``/``PUT``/``DELETE``/``GET /admin/faults``)
or a watched JSON file (``{"rules": [...]}``, which replaces all rules whenever it changes).
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import os
import random
import threading
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from bistand.registers.sources import Source

__all__ = ["FaultDecision", "FaultMode", "FaultRule", "FaultTable", "watch_faults_file"]

log = logging.getLogger(__name__)

DEFAULT_HOLD_MS = 10_000


class FaultMode(StrEnum):
    LATENCY = "latency"
    TIMEOUT = "timeout"
    ERROR = "error"
    MALFORMED = "malformed"
    PARTIAL = "partial"
    NOT_FOUND = "not_found"
    NOT_ENTITLED = "not_entitled"


_VARIANTS = {
    FaultMode.MALFORMED: ("syntax", "shape"),
    FaultMode.ERROR: ("ssbt", "bt"),
    FaultMode.PARTIAL: ("flagged",),
}


@dataclass(frozen=True, slots=True)
class FaultRule:
    """One fault rule; build it from JSON with :meth:`from_dict`, which validates every field."""

    id: str
    mode: FaultMode
    source: str = "*"
    person: str = "*"
    latency_ms: int = 0
    hold_ms: int = DEFAULT_HOLD_MS
    status: int = 503
    variant: str | None = None
    times: int | None = None  # None: until removed
    probability: float | None = None  # None: every matching request
    seed: int = 1

    @classmethod
    def from_dict(cls, data: Any, rule_id: str) -> FaultRule:
        if not isinstance(data, dict):
            raise ValueError("a fault rule must be a JSON object")
        unknown = set(data) - {
            "mode",
            "source",
            "person",
            "latency_ms",
            "hold_ms",
            "status",
            "variant",
            "times",
            "probability",
            "seed",
        }
        if unknown:
            raise ValueError(f"unknown fields in fault rule: {', '.join(sorted(unknown))}")
        try:
            mode = FaultMode(data.get("mode"))
        except ValueError:
            raise ValueError(f"mode must be one of: {', '.join(m.value for m in FaultMode)}") from None
        source = str(data.get("source", "*")).lower()
        if source != "*" and source not in {s.value for s in Source}:
            raise ValueError(f"unknown source {source!r}")
        person = str(data.get("person", "*"))
        if person != "*" and not (len(person) == 12 and person.isdigit()):
            raise ValueError("person must be '*' or a 12-digit number")
        variant = data.get("variant")
        if variant is not None and variant not in _VARIANTS.get(mode, ()):
            raise ValueError(f"variant {variant!r} does not apply to mode {mode.value}")
        rule = cls(
            id=rule_id,
            mode=mode,
            source=source,
            person=person,
            latency_ms=_int(data, "latency_ms", 0, 0, 600_000),
            hold_ms=_int(data, "hold_ms", DEFAULT_HOLD_MS, 0, 600_000),
            status=_int(data, "status", 503, 500, 599),
            variant=variant,
            times=_int(data, "times", None, 1, 1_000_000),
            probability=_probability(data),
            seed=_int(data, "seed", 1, 0, 2**63 - 1),
        )
        if mode is FaultMode.LATENCY and rule.latency_ms <= 0:
            raise ValueError("a latency rule needs latency_ms > 0")
        return rule

    def matches(self, source: Source, person: str) -> bool:
        return self.source in ("*", source.value) and self.person in ("*", person)

    def to_dict(self) -> dict[str, Any]:
        return {k: (v.value if isinstance(v, StrEnum) else v) for k, v in asdict(self).items()}


def _int(data: dict, key: str, default: int | None, low: int, high: int) -> Any:
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{key} must be a whole number from {low} to {high}")
    return value


def _probability(data: dict) -> float | None:
    value = data.get("probability")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("probability must be a number from 0 to 1")
    if not 0 <= value <= 1:
        raise ValueError("probability must be a number from 0 to 1")
    return float(value)


@dataclass(frozen=True, slots=True)
class FaultDecision:
    """What to do with one request: wait ``latency_ms``, then apply ``rule`` (None: answer normally)."""

    latency_ms: int = 0
    rule: FaultRule | None = None


class FaultTable:
    """The simulator's current fault rules; safe to use from many request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        # One generator per probabilistic rule, by rule id: the rule is frozen, its draws are not.
        self._draws: dict[str, random.Random] = {}

    def parse(self, payload: Any) -> list[FaultRule]:
        """Rules from a JSON payload: one rule, a list of rules, or ``{"rules": [...]}``."""
        if isinstance(payload, dict) and "rules" in payload:
            payload = payload["rules"]
        items = payload if isinstance(payload, list) else [payload]
        with self._lock:
            ids = [f"f{next(self._ids)}" for _ in items]
        return [FaultRule.from_dict(item, rule_id) for item, rule_id in zip(items, ids, strict=True)]

    def add(self, rules: list[FaultRule]) -> None:
        with self._lock:
            self._rules.extend(rules)
            self._seed_draws(rules)

    def replace(self, rules: list[FaultRule]) -> None:
        with self._lock:
            self._rules = list(rules)
            self._draws = {}
            self._seed_draws(self._rules)

    def _seed_draws(self, rules: list[FaultRule]) -> None:
        for rule in rules:
            if rule.probability is not None:
                self._draws[rule.id] = random.Random(rule.seed)  # noqa: S311 - fault injection, not secrets

    def clear(self) -> None:
        self.replace([])

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def decide(self, source: Source, person: str) -> FaultDecision:
        """Pick the faults for one request to one source and use up one of each rule's ``times``."""
        return self.decide_call([source], person)[source]

    def decide_call(self, sources: list[Source], person: str) -> dict[Source, FaultDecision]:
        """Pick the faults for one call asking ``sources`` (an SSBTEK question asks several agencies).

        A rule is drawn and uses up one of its ``times`` once per call, however many of the call's sources
        it matches: "fails a fifth of the calls" stays a fifth of the calls, not of the agencies in them.
        """
        with self._lock:
            drawn: dict[str, bool] = {}

            def fires(rule: FaultRule) -> bool:
                if rule.id not in drawn:
                    drawn[rule.id] = self._fires(rule)
                return drawn[rule.id]

            decisions, used = {}, {}
            for source in sources:
                matching = [r for r in self._rules if r.matches(source, person) and fires(r)]
                latency = [r for r in matching if r.mode is FaultMode.LATENCY]
                terminal = sorted(
                    (r for r in matching if r.mode is not FaultMode.LATENCY), key=lambda r: r.person == "*"
                )
                chosen = terminal[0] if terminal else None
                used.update((r.id, r) for r in [*latency, *([chosen] if chosen else [])])
                decisions[source] = FaultDecision(sum(r.latency_ms for r in latency), chosen)
            for rule in used.values():
                self._use(rule)
            return decisions

    def _fires(self, rule: FaultRule) -> bool:
        """Whether a matching rule applies to this request: always, or by its own seeded draw."""
        if rule.probability is None:
            return True
        # One draw per matching request: the rule's n-th matching request always meets the same draw.
        return self._draws[rule.id].random() < rule.probability

    def _use(self, rule: FaultRule) -> None:
        if rule.times is None:
            return
        index = next(i for i, r in enumerate(self._rules) if r.id == rule.id)
        if rule.times <= 1:
            del self._rules[index]
            self._draws.pop(rule.id, None)
        else:
            self._rules[index] = replace(rule, times=rule.times - 1)


def watch_faults_file(
    table: FaultTable, path: Path, stop: threading.Event, interval: float = 0.25
) -> threading.Thread:
    """Reload ``path`` into ``table`` whenever its modification time changes, until ``stop`` is set.

    A file that cannot be read or parsed is reported and leaves the rules as they were.
    """

    def loop() -> None:
        seen: float | None = None
        while not stop.is_set():
            try:
                mtime = os.stat(path).st_mtime
            except FileNotFoundError:
                mtime = None
            if mtime is not None and mtime != seen:
                seen = mtime
                try:
                    table.replace(table.parse(json.loads(path.read_text(encoding="utf-8"))))
                    log.info("fault rules reloaded from %s", path)
                except (OSError, ValueError) as exc:
                    log.warning("fault file %s ignored: %s", path, exc)
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="faults-file-watcher", daemon=True)
    thread.start()
    return thread
