"""Units without HTTP: the breaker, the strict parser, the fault table, the caches, periods, and the
gateway driving a non-HTTP adapter (the way the production SSBTEK adapter will plug in)."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bistand.identity.personnummer import Personnummer
from bistand.registers import (
    CacheKey,
    ClientSettings,
    MalformedAnswer,
    MemoryAnswerCache,
    NotAvailable,
    Period,
    RegisterClient,
    RegisterTimeout,
    Source,
)
from bistand.registers.breaker import BreakerState, CircuitBreaker
from bistand.registers.cache import CachedAnswer
from bistand.registers.client import parse_raw
from bistand.registers.errors import RegisterError
from bistand.registers.facts import Protection
from bistand.registers.interface import Parsed, RawAnswer
from bistand.registers.shield import shielded
from bistand.registers.simulator.faults import FaultMode, FaultTable, watch_faults_file
from bistand.registers.simulator.population import generate
from bistand.registers.simulator.render import wire_answer
from bistand.registers.sources import ALL_SOURCES, parse_sources

PERSON = "199001012385"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# --- circuit breaker ------------------------------------------------------------------------------------


def test_breaker_opens_at_the_threshold_and_lets_one_trial_through_after_the_pause():
    clock = FakeClock()
    breaker = CircuitBreaker(threshold=3, reset_after=10, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN and not breaker.allow()
    clock.now = 10
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow() and not breaker.allow(), "only one trial at a time"
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN, "a failed trial opens it again"
    clock.now = 20
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED and breaker.allow()


def test_breaker_success_resets_the_count():
    breaker = CircuitBreaker(threshold=2, reset_after=1, clock=FakeClock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED


# --- parser ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_population():
    return generate(1, 600)


def _wire(population, source, person=None):
    person = person or next(iter(population))
    return wire_answer(population, source, person, Period(2026, 3))


def test_parser_reads_every_source_of_the_simulator(small_population):
    for person in list(small_population)[:60]:
        for source in Source:
            if source is Source.CSN and person.is_samordningsnummer:
                with pytest.raises(NotAvailable):  # CSN cannot search a samordningsnummer: not "none"
                    parse_raw(source, _wire(small_population, source, person))
                continue
            parsed = parse_raw(source, _wire(small_population, source, person))
            assert parsed.partial is None
            assert parsed.upstream_id == (None if source is Source.NAVET else "req-1"), "korrelationsid"
            assert type(parsed.facts).source is source


def _skv_with(text: str) -> str:
    """An SSBTEK answer whose Skatteverket ``svar`` is ``text``."""
    inner = "&lt;Beskattningsuppgifter&gt;" + text + "&lt;/Beskattningsuppgifter&gt;"
    return (
        '<?xml version="1.0"?><e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>'
        '<s:hamtaBastjanstInformationResponse xmlns:s="http://schema.forsakringskassan.se/integration/ssbt/10">'
        f"<s:svarsdata><s:SKV><s:data><svar>{inner}</svar></s:data></s:SKV></s:svarsdata>"
        "</s:hamtaBastjanstInformationResponse></e:Body></e:Envelope>"
    )


def test_amounts_are_decimal_even_with_decimals_on_the_wire():
    kapital = (
        '&lt;Kapitaluppgift Taxeringsar="2025" SummaIntakterPaKapital="0.1" OverskottPaKapital="12.35"/&gt;'
    )
    facts = parse_raw(Source.SKV, _skv_with(kapital)).facts
    assert facts.capital[0].total_income == Decimal("0.1")  # not 0.1000000000000000055…
    assert facts.capital[0].surplus == Decimal("12.35")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "{",
        "<not-soap/>",
        _skv_with(
            '&lt;Kapitaluppgift Taxeringsar="år" SummaIntakterPaKapital="1" OverskottPaKapital="1"/&gt;'
        ),
        _skv_with(
            '&lt;Kapitaluppgift Taxeringsar="2025" SummaIntakterPaKapital="ett" OverskottPaKapital="1"/&gt;'
        ),
        _skv_with("&lt;oavslutad"),
        _skv_with("")
        .replace("<s:SKV><s:data>", "<s:SKV><s:annat>")
        .replace("</s:data></s:SKV>", "</s:annat></s:SKV>"),
        _skv_with("").replace("s:svarsdata", "s:svar"),
    ],
)
def test_parser_refuses_unexpected_shapes(raw):
    with pytest.raises(MalformedAnswer):
        parse_raw(Source.SKV, raw)


def test_an_agency_left_out_is_not_available_and_an_error_is_typed():
    left_out = _skv_with("").replace(
        "<s:SKV><s:data><svar>&lt;Beskattningsuppgifter&gt;&lt;/Beskattningsuppgifter&gt;</svar></s:data></s:SKV>",
        "",
    )
    with pytest.raises(NotAvailable):
        parse_raw(Source.SKV, left_out)
    with pytest.raises(NotAvailable):
        parse_raw(Source.FK, left_out)


def test_parser_drops_an_address_sent_for_a_protected_person(small_population):
    person = next(p for p in small_population if p.registered and p.protection is Protection.NONE)
    raw = _wire(small_population, Source.NAVET, person)
    assert "<nav:Adresser>" in raw
    protected = raw.replace(
        "<nav:SkyddadFolkbokforing>N</nav:SkyddadFolkbokforing>",
        "<nav:SkyddadFolkbokforing>J</nav:SkyddadFolkbokforing>",
        1,
    )
    facts = parse_raw(Source.NAVET, protected).facts
    assert facts.protection is Protection.SKYDDAD_FOLKBOKFORING and facts.address is None
    kept = shielded(Source.NAVET, protected)
    assert "Adresser" not in kept and "Folkbokforingsadress" not in kept


# --- fault table ----------------------------------------------------------------------------------------


def test_fault_table_picks_the_most_specific_rule_and_adds_latencies():
    table = FaultTable()
    table.add(
        table.parse(
            [
                {"mode": "error"},
                {"mode": "timeout", "person": PERSON, "source": "fk"},
                {"mode": "latency", "latency_ms": 10},
                {"mode": "latency", "latency_ms": 5, "source": "fk"},
            ]
        )
    )
    decision = table.decide(Source.FK, PERSON)
    assert decision.rule.mode is FaultMode.TIMEOUT and decision.latency_ms == 15
    decision = table.decide(Source.AF, PERSON)
    assert decision.rule.mode is FaultMode.ERROR and decision.latency_ms == 10


def test_fault_table_uses_up_limited_rules():
    table = FaultTable()
    table.add(table.parse({"mode": "not_found", "times": 2}))
    assert [table.decide(Source.CSN, PERSON).rule is not None for _ in range(3)] == [True, True, False]
    assert table.rules() == []


def test_faults_file_replaces_the_rules_when_it_changes(tmp_path):
    table, stop = FaultTable(), threading.Event()
    path = tmp_path / "faults.json"
    watch_faults_file(table, path, stop, interval=0.02)
    try:
        path.write_text(json.dumps({"rules": [{"mode": "error", "source": "tns"}]}))
        deadline = time.monotonic() + 3
        while not table.rules():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert table.rules()[0].source == "tns"
        path.write_text("{broken")  # a bad file leaves the rules as they were
        time.sleep(0.1)
        assert table.rules()[0].source == "tns"
    finally:
        stop.set()


# --- caches, periods, sources ---------------------------------------------------------------------------


def test_memory_cache_drops_the_least_recently_used():
    cache = MemoryAnswerCache(max_entries=2)
    keys = [CacheKey("c", PERSON, "2026-03", s) for s in (Source.FK, Source.AF, Source.SO)]
    entry = CachedAnswer("{}", datetime.now(UTC), "r", None)
    cache.put(keys[0], entry)
    cache.put(keys[1], entry)
    assert cache.get(keys[0]) is entry  # now the most recent
    cache.put(keys[2], entry)
    assert cache.get(keys[1]) is None and cache.get(keys[0]) is entry and len(cache) == 2


def test_cache_key_digest_hides_the_person():
    key = CacheKey("case", PERSON, "2026-03", Source.FK)
    assert PERSON not in key.digest() and len(key.digest()) == 64


def test_period_parsing_and_arithmetic():
    period = Period.parse("2026-12")
    assert period.first_day.isoformat() == "2026-12-01" and period.last_day.isoformat() == "2026-12-31"
    assert str(period.shifted(1)) == "2027-01" and str(period.shifted(-12)) == "2025-12"
    assert Period.parse(period) is period
    for bad in ["2026-00", "2026-13", "26-01", "2026/01"]:
        with pytest.raises(ValueError):
            Period.parse(bad)


def test_parse_sources():
    assert parse_sources(None) == ALL_SOURCES
    assert parse_sources("navet, fk") == (Source.FK, Source.NAVET)
    with pytest.raises(ValueError, match="valid sources"):
        parse_sources("fk,xx")


# --- the gateway over adapters that are not HTTP --------------------------------------------------------


class ScriptedAdapter:
    """An adapter as the production SSBTEK one would be: one attempt per fetch, typed errors."""

    def __init__(self, source: Source, outcomes: list) -> None:
        self.source = source
        self.outcomes = outcomes
        self.calls = 0

    def fetch(self, person, period, request_id, timeout) -> RawAnswer:
        self.calls += 1
        outcome = self.outcomes.pop(0) if self.outcomes else "ok"
        if isinstance(outcome, Exception):
            raise outcome
        return RawAnswer('{"ok": true}')

    def parse(self, raw: str) -> Parsed:
        from bistand.registers.facts import TnsFacts

        return Parsed(TnsFacts(()), None, "svar-1")


def test_gateway_retries_a_custom_adapter_and_isolates_its_bugs():
    sleeps: list[float] = []
    flaky = ScriptedAdapter(
        Source.TNS, [RegisterTimeout(Source.TNS, "slow"), RegisterTimeout(Source.TNS, "slow")]
    )
    broken = ScriptedAdapter(Source.MIV, [KeyError("bug")])
    settings = ClientSettings(retries=2, backoff_base=0.1, backoff_max=1.0)
    with RegisterClient({Source.TNS: flaky, Source.MIV: broken}, settings, sleep=sleeps.append) as gateway:
        answer = gateway.lookup(Personnummer(PERSON), "2026-03")
    assert answer[Source.TNS].ok and answer[Source.TNS].provenance.attempts == 3 and flaky.calls == 3
    assert len(sleeps) == 2 and 0.05 <= sleeps[0] <= 0.1 and 0.1 <= sleeps[1] <= 0.2
    error = answer[Source.MIV].error
    assert type(error) is RegisterError and "KeyError" in error.message and broken.calls == 1
    with pytest.raises(ValueError, match="no adapter"):
        gateway.lookup(PERSON, "2026-03", sources=["fk"])


def test_answer_protected_is_unknown_without_navet_and_af():
    with RegisterClient({Source.TNS: ScriptedAdapter(Source.TNS, [])}) as gateway:
        assert gateway.lookup(PERSON, "2026-03").protected is None
