"""The register clients against the running simulator, over real HTTP: every source answers, every
fault mode gives its typed error while the other sources still answer, retries are bounded, the breaker
opens and short-circuits, and the cache spares a second request. Nothing is ever invented."""

from __future__ import annotations

import json
import socket
import time
import uuid
from datetime import UTC
from decimal import Decimal

import pytest
from lxml import etree

from bistand.identity.personnummer import PersonnummerError
from bistand.registers import (
    ALL_SOURCES,
    CircuitOpen,
    ClientSettings,
    JsonFileAnswerCache,
    MalformedAnswer,
    MemoryAnswerCache,
    NotAvailable,
    PartialAnswer,
    PersonNotFound,
    RegisterGateway,
    RegisterTimeout,
    RegisterUnavailable,
    Source,
    http_gateway,
)
from bistand.registers.facts import AfFacts, FkFacts, NavetFacts, Protection, SkvFacts, TnsFacts
from bistand.registers.simulator.population import Role, Situation
from bistand.registers.soap import body_child
from bistand.registers.sources import SSBTEK_SOURCES, Period
from bistand.registers.ssbtek import AGENCY, SSBT

MONTH = "2026-03"
FAST = ClientSettings(timeout=2.0, retries=2, backoff_base=0.01, backoff_max=0.05, breaker_threshold=50)


@pytest.fixture
def gateway(registers):
    with http_gateway(registers.url, FAST) as client:
        yield client


@pytest.fixture(scope="module")
def parent(find):
    """A registered, unprotected parent with barnbidrag and bostadsbidrag, registered at AF."""
    return find(
        lambda p, h: (
            p.pnr in h.child_benefit_to
            and p.pnr == h.applicant
            and h.bostadsbidrag is not None
            and h.bostadsbidrag.active(Period(2026, 3))
            and p.af is not None
            and p.protection is Protection.NONE
            and len(h.members) >= 3
            and p.af.deregistered_on is None
        )
    )


@pytest.fixture(scope="module")
def other_person(find, parent):
    # Not a samordningsnummer: CSN cannot search one (not available), so that answer is never complete.
    return find(
        lambda p, h: (
            p.role is Role.APPLICANT and p.pnr != parent.pnr and p.vehicles and not p.is_samordningsnummer
        )
    )


def test_gateway_implements_the_interface(gateway):
    assert isinstance(gateway, RegisterGateway)


def test_every_source_answers_for_a_test_person(gateway, parent, population):
    answer = gateway.lookup(parent.pnr, MONTH)
    assert answer.complete, answer.errors
    assert set(answer.results) == set(ALL_SOURCES)
    fk = answer.facts(Source.FK)
    assert isinstance(fk, FkFacts)
    barnbidrag = fk.paid("FK:ABB")
    assert barnbidrag and all(isinstance(p.net, Decimal) for p in barnbidrag)
    af = answer.facts(Source.AF)
    assert isinstance(af, AfFacts) and af.registered and af.category
    navet = answer.facts(Source.NAVET)
    assert isinstance(navet, NavetFacts) and navet.personnummer == parent.pnr
    assert (
        navet.address is not None and navet.address.street == population.household_of(parent).address.street
    )
    household = population.household_of(parent)
    registered_members = {p for p in household.members if p != parent.pnr and not p[6:8] >= "60"}
    assert {m.personnummer for m in navet.household} == registered_members
    assert answer.protected is False
    for source, result in answer.results.items():
        prov = result.provenance
        assert prov.source is source and prov.attempts == 1 and not prov.from_cache
        assert prov.fetched_at.tzinfo is UTC
        uuid.UUID(prov.request_id)
        assert prov.raw.startswith("<?xml") and "Envelope" in prov.raw, "the SOAP answer as received"
        if source is not Source.NAVET:
            assert prov.upstream_id == prov.request_id, "SSBTEK echoes our korrelationsid"


def test_chosen_sources_only(gateway, registers, parent):
    answer = gateway.lookup(parent.pnr, MONTH, sources=["fk", Source.SKV])
    assert set(answer.results) == {Source.FK, Source.SKV}
    assert isinstance(answer.facts("skv"), SkvFacts)
    assert registers.requests_for(parent.pnr) == 2


def test_json_form_keeps_money_exact(gateway, parent):
    data = gateway.lookup(parent.pnr, MONTH, sources=["fk"]).to_dict()
    payment = data["sources"]["fk"]["facts"]["payments"][0]
    assert isinstance(payment["net"], str) and Decimal(payment["net"]) > 0
    json.dumps(data)  # serialisable as it is


def test_invalid_person_number_is_refused_before_any_request(gateway, registers, parent):
    with pytest.raises(PersonnummerError):
        gateway.lookup("196408233235", MONTH)
    with pytest.raises(ValueError):
        gateway.lookup(parent.pnr, MONTH, sources=["nope"])
    with pytest.raises(ValueError):
        gateway.lookup(parent.pnr, "2026-13")
    assert registers.stats()["total"] == 0


def test_a_test_identity_outside_the_population_is_not_found(gateway):
    outsider = "189001019802"  # a Skatteverket test number born 1890: never in the population
    answer = gateway.lookup(outsider, MONTH)
    assert all(isinstance(e, PersonNotFound) for e in answer.errors.values())
    assert len(answer.errors) == len(ALL_SOURCES)
    assert all(r.facts is None for r in answer.results.values())


# --- faults: one agency's fault is its own; the composite service's fault is the whole call's -----------

AGENCY_FAULTS = [
    ({"mode": "timeout", "hold_ms": 10}, RegisterTimeout),  # SSBTEK gave up on the agency: SSBT TIDSGRANS
    ({"mode": "malformed", "variant": "shape"}, MalformedAnswer),
    ({"mode": "not_found"}, PersonNotFound),
    ({"mode": "error", "variant": "bt"}, RegisterUnavailable),
]
WHOLE_CALL_FAULTS = [
    ({"mode": "timeout", "hold_ms": 3000}, RegisterTimeout),  # slower than the client waits
    ({"mode": "error", "status": 503}, RegisterUnavailable),
    ({"mode": "error", "status": 500}, RegisterUnavailable),
    ({"mode": "malformed"}, MalformedAnswer),
]
QUICK = ClientSettings(timeout=0.3, retries=1, backoff_base=0.01, backoff_max=0.02, breaker_threshold=50)


def _name(x):
    return getattr(x, "__name__", None) or x["mode"] + "-" + str(x.get("variant") or x.get("status") or "")


@pytest.mark.parametrize(("rule", "error_type"), AGENCY_FAULTS, ids=_name)
def test_an_agency_fault_gives_its_typed_error_and_the_rest_of_the_answer(
    registers, parent, rule, error_type
):
    registers.faults({**rule, "source": "fk", "person": parent.pnr})
    with http_gateway(registers.url, QUICK) as gateway:
        answer = gateway.lookup(parent.pnr, MONTH)
    fk = answer[Source.FK]
    assert isinstance(fk.error, error_type)
    assert fk.facts is None, "nothing invented for a failed source"
    assert fk.error.request_id == fk.provenance.request_id
    with pytest.raises(error_type):
        answer.facts(Source.FK)
    assert not answer.complete and set(answer.errors) == {Source.FK}
    for source in ALL_SOURCES:
        if source is not Source.FK:
            assert answer[source].ok, (source, answer[source].error)
    assert answer.to_dict()["sources"]["fk"]["facts"] is None


@pytest.mark.parametrize(("rule", "error_type"), WHOLE_CALL_FAULTS, ids=_name)
def test_a_fault_of_the_composite_service_fails_every_agency_and_navet_still_answers(
    registers, parent, rule, error_type
):
    """SSBT for the whole call: one question, so every agency asked shares its fate (as for real)."""
    registers.faults({**rule, "source": "fk", "person": parent.pnr})
    with http_gateway(registers.url, QUICK) as gateway:
        answer = gateway.lookup(parent.pnr, MONTH)
    assert set(answer.errors) == set(SSBTEK_SOURCES)
    assert all(isinstance(answer[s].error, error_type) and answer[s].facts is None for s in SSBTEK_SOURCES)
    assert answer[Source.NAVET].ok


def test_a_retry_asks_again_only_for_the_agency_that_failed(registers, parent):
    registers.faults({"mode": "error", "variant": "bt", "source": "csn", "person": parent.pnr, "times": 1})
    with http_gateway(registers.url, FAST) as gateway:
        answer = gateway.lookup(parent.pnr, MONTH, sources=SSBTEK_SOURCES)
    assert answer.complete, answer.errors
    assert answer[Source.CSN].provenance.attempts == 2
    assert all(answer[s].provenance.attempts == 1 for s in SSBTEK_SOURCES if s is not Source.CSN)
    stats = registers.stats()
    assert stats["calls"] == 2, "one call for all seven, then one for CSN alone"
    assert registers.requests_for(parent.pnr) == len(SSBTEK_SOURCES) + 1


def test_one_lookup_is_one_ssbtek_call_and_each_agency_keeps_only_its_part(gateway, registers, parent):
    answer = gateway.lookup(parent.pnr, MONTH)
    assert registers.stats()["calls"] == 2, "SSBTEK once for every agency, Navet once"
    assert registers.requests_for(parent.pnr) == len(ALL_SOURCES)
    assert len({answer[s].provenance.request_id for s in SSBTEK_SOURCES}) == 1, "one question"
    for source in SSBTEK_SOURCES:
        svarsdata = body_child(answer[source].provenance.raw).find(f"{{{SSBT}}}svarsdata")
        assert [etree.QName(e).localname for e in svarsdata] == [AGENCY[source]]


def test_partial_answer_keeps_what_arrived_and_says_it_is_partial(gateway, registers, parent):
    full = gateway.lookup(parent.pnr, MONTH, sources=["fk"]).facts("fk")
    assert len({p.code for p in full.payments}) >= 2, "the test needs a person with several benefits"
    registers.faults({"mode": "partial", "source": "fk", "person": parent.pnr})
    answer = gateway.lookup(parent.pnr, MONTH)
    fk = answer[Source.FK]
    assert isinstance(fk.error, PartialAnswer) and fk.partial and not fk.ok
    assert fk.facts is not None and 0 < len(fk.facts.payments) < len(full.payments)
    assert set(fk.facts.payments) < set(full.payments), "only real records, nothing made up"
    missing = set(fk.error.missing)
    assert missing and missing.isdisjoint({p.code for p in fk.facts.payments}), "LEFI names what is missing"
    with pytest.raises(PartialAnswer):
        answer.facts(Source.FK)
    assert set(answer.errors) == {Source.FK}


def test_data_the_municipality_may_not_see_is_not_available_never_none(gateway, registers, parent):
    """SSBTEK leaves out what the agreement does not cover: an error for the agency, never "no records";
    for LEFI the benefits are named as not available."""
    registers.faults({"mode": "not_entitled", "source": "af", "person": parent.pnr})
    registers.faults({"mode": "not_entitled", "source": "fk", "person": parent.pnr})
    answer = gateway.lookup(parent.pnr, MONTH, sources=["af", "fk"])
    assert isinstance(answer[Source.AF].error, NotAvailable) and answer[Source.AF].facts is None
    assert answer[Source.AF].provenance.attempts == 1, "asking again does not help"
    fk = answer.facts(Source.FK)
    assert fk.payments == () and "FK:ABB" in fk.unavailable


def test_latency_is_added_but_the_answer_is_complete(gateway, registers, parent):
    registers.faults({"mode": "latency", "latency_ms": 250, "source": "af"})
    started = time.perf_counter()
    answer = gateway.lookup(parent.pnr, MONTH)
    assert answer.complete
    assert time.perf_counter() - started >= 0.25


def test_a_slow_agency_makes_the_whole_answer_slow_but_not_slower_than_the_slowest(
    gateway, registers, parent
):
    """The composite service asks its agencies in parallel and answers when the slowest has answered."""
    registers.faults({"mode": "latency", "latency_ms": 400, "source": "af"})
    registers.faults({"mode": "latency", "latency_ms": 400, "source": "csn"})
    started = time.perf_counter()
    answer = gateway.lookup(parent.pnr, MONTH, sources=SSBTEK_SOURCES)
    elapsed = time.perf_counter() - started
    assert answer.complete
    assert 0.4 <= elapsed < 0.8, f"{elapsed:.2f} s"


def test_faults_can_target_one_person(gateway, registers, parent, other_person):
    registers.faults({"mode": "error", "person": parent.pnr})
    assert set(gateway.lookup(parent.pnr, MONTH).errors) == set(ALL_SOURCES)
    other = gateway.lookup(other_person.pnr, MONTH)
    assert other.complete
    assert isinstance(other.facts(Source.TNS), TnsFacts) and other.facts(Source.TNS).vehicles


def test_sources_are_asked_in_parallel(gateway, registers, parent):
    registers.faults({"mode": "latency", "latency_ms": 300})
    started = time.perf_counter()
    answer = gateway.lookup(parent.pnr, MONTH)
    elapsed = time.perf_counter() - started
    assert answer.complete
    assert elapsed < 0.3 * len(ALL_SOURCES) / 2, f"{elapsed:.2f} s: the sources were not asked in parallel"


# --- retries --------------------------------------------------------------------------------------------


def test_transient_errors_are_retried_until_the_source_answers(gateway, registers, parent):
    registers.faults({"mode": "error", "status": 502, "source": "csn", "person": parent.pnr, "times": 2})
    result = gateway.lookup(parent.pnr, MONTH, sources=["csn"])[Source.CSN]
    assert result.ok and result.provenance.attempts == 3
    assert registers.requests_for(parent.pnr, "csn") == 3


def test_retries_are_bounded(gateway, registers, parent):
    registers.faults({"mode": "error", "source": "csn", "person": parent.pnr})
    result = gateway.lookup(parent.pnr, MONTH, sources=["csn"])[Source.CSN]
    assert isinstance(result.error, RegisterUnavailable) and result.error.status == 503
    assert result.provenance.attempts == 1 + FAST.retries
    assert registers.requests_for(parent.pnr, "csn") == 1 + FAST.retries


def test_timeouts_are_retried_and_bounded(registers, parent):
    settings = ClientSettings(timeout=0.2, retries=2, backoff_base=0.01, backoff_max=0.02)
    registers.faults({"mode": "timeout", "source": "skv", "person": parent.pnr, "hold_ms": 2000})
    with http_gateway(registers.url, settings) as gateway:
        result = gateway.lookup(parent.pnr, MONTH, sources=["skv"])[Source.SKV]
    assert isinstance(result.error, RegisterTimeout) and result.provenance.attempts == 3
    assert registers.requests_for(parent.pnr, "skv") == 3


@pytest.mark.parametrize("rule", [{"mode": "not_found"}, {"mode": "malformed"}, {"mode": "partial"}])
def test_answers_that_a_retry_cannot_fix_are_not_retried(gateway, registers, parent, rule):
    registers.faults({**rule, "source": "fk", "person": parent.pnr})
    result = gateway.lookup(parent.pnr, MONTH, sources=["fk"])[Source.FK]
    assert result.error is not None and result.provenance.attempts == 1
    assert registers.requests_for(parent.pnr, "fk") == 1


def test_backoff_grows_and_is_capped():
    settings = ClientSettings(backoff_base=0.1, backoff_max=0.5)
    with http_gateway("http://127.0.0.1:9", settings) as gateway:
        for attempt, ceiling in [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.5), (10, 0.5)]:
            delays = [gateway._backoff(attempt) for _ in range(50)]
            assert all(ceiling / 2 <= d <= ceiling for d in delays)
            assert len(set(delays)) > 1, "jitter"


def test_unreachable_service_is_unavailable_for_every_source(parent):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nobody listens there
    settings = ClientSettings(timeout=0.5, retries=1, backoff_base=0.01, backoff_max=0.02)
    with http_gateway(f"http://127.0.0.1:{port}", settings) as gateway:
        answer = gateway.lookup(parent.pnr, MONTH)
    assert all(isinstance(e, RegisterUnavailable) for e in answer.errors.values())
    assert len(answer.errors) == len(ALL_SOURCES)
    assert all(r.provenance.attempts == 2 and r.provenance.raw == "" for r in answer.results.values())
    assert answer.protected is None, "protection unknown when Navet and AF did not answer"


# --- circuit breaker ------------------------------------------------------------------------------------


def test_breaker_opens_after_repeated_failures_then_short_circuits_and_recovers(registers, parent):
    settings = ClientSettings(
        timeout=1.0,
        retries=1,
        backoff_base=0.01,
        backoff_max=0.02,
        breaker_threshold=2,
        breaker_reset_after=0.5,
    )
    registers.faults({"mode": "error", "variant": "bt", "source": "miv"})  # MIV itself fails
    with http_gateway(registers.url, settings) as gateway:
        for _ in range(2):
            assert isinstance(gateway.lookup(parent.pnr, MONTH)[Source.MIV].error, RegisterUnavailable)
        assert registers.requests_for(parent.pnr, "miv") == 4  # 2 look-ups × 2 attempts
        answer = gateway.lookup(parent.pnr, MONTH)
        assert isinstance(answer[Source.MIV].error, CircuitOpen)
        assert answer[Source.MIV].provenance.attempts == 0
        assert registers.requests_for(parent.pnr, "miv") == 4, "an open breaker sends nothing"
        assert set(answer.errors) == {Source.MIV}, "the other sources' breakers are closed"
        registers.clear_faults()
        time.sleep(0.55)
        assert gateway.lookup(parent.pnr, MONTH)[Source.MIV].ok  # the half-open trial succeeds
        assert gateway.breakers[Source.MIV].state == "closed"


def test_not_found_does_not_open_the_breaker(registers, parent):
    settings = ClientSettings(timeout=1.0, retries=0, breaker_threshold=2)
    registers.faults({"mode": "not_found", "source": "tns"})
    with http_gateway(registers.url, settings) as gateway:
        for _ in range(4):
            assert isinstance(
                gateway.lookup(parent.pnr, MONTH, sources=["tns"])[Source.TNS].error, PersonNotFound
            )
        assert gateway.breakers[Source.TNS].state == "closed"


# --- cache ----------------------------------------------------------------------------------------------


def test_cache_spares_a_second_request_for_the_same_case(registers, parent):
    with http_gateway(registers.url, FAST, cache=MemoryAnswerCache()) as gateway:
        first = gateway.lookup(parent.pnr, MONTH, case_id="case-1")
        asked = registers.stats()["total"]
        second = gateway.lookup(parent.pnr, MONTH, case_id="case-1")
        assert registers.stats()["total"] == asked == len(ALL_SOURCES)
        assert all(r.provenance.from_cache for r in second.results.values())
        for source in ALL_SOURCES:
            assert second.facts(source) == first.facts(source)
            assert second[source].provenance.request_id == first[source].provenance.request_id
            assert second[source].provenance.fetched_at == first[source].provenance.fetched_at
        gateway.lookup(parent.pnr, MONTH, case_id="case-2")  # another case asks again
        gateway.lookup(parent.pnr, "2026-04", case_id="case-1")  # and so does another month
        gateway.lookup(parent.pnr, MONTH)  # without a case there is no caching
        assert registers.stats()["total"] == 4 * len(ALL_SOURCES)


def test_errors_and_partial_answers_are_not_cached(registers, parent):
    registers.faults({"mode": "error", "source": "fk", "person": parent.pnr, "times": 3})
    registers.faults({"mode": "partial", "source": "af", "person": parent.pnr, "times": 1})
    with http_gateway(registers.url, FAST, cache=MemoryAnswerCache()) as gateway:
        first = gateway.lookup(parent.pnr, MONTH, sources=["fk", "af"], case_id="c")
        assert set(first.errors) == {Source.FK, Source.AF}
        second = gateway.lookup(parent.pnr, MONTH, sources=["fk", "af"], case_id="c")
        assert second.complete and not any(r.provenance.from_cache for r in second.results.values())
        third = gateway.lookup(parent.pnr, MONTH, sources=["fk", "af"], case_id="c")
        assert all(r.provenance.from_cache for r in third.results.values())


def test_file_cache_survives_a_new_client_and_hides_the_person_number(registers, parent, tmp_path):
    with http_gateway(registers.url, FAST, cache=JsonFileAnswerCache(tmp_path)) as gateway:
        gateway.lookup(parent.pnr, MONTH, case_id="case-9")
    asked = registers.stats()["total"]
    with http_gateway(registers.url, FAST, cache=JsonFileAnswerCache(tmp_path)) as gateway:
        answer = gateway.lookup(parent.pnr, MONTH, case_id="case-9")
    assert answer.complete and all(r.provenance.from_cache for r in answer.results.values())
    assert registers.stats()["total"] == asked
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1, "one file per look-up, holding every source's answer"
    assert all(parent.pnr not in f.name for f in files)
    assert all(f.stat().st_mode & 0o077 == 0 for f in files), "owner-only files"


class CountingCache(MemoryAnswerCache):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[int] = []

    def put_many(self, answers) -> None:
        self.writes.append(len(answers))
        super().put_many(answers)


def test_a_look_up_stores_its_answers_in_one_write(registers, parent):
    """Issue 15: the cache was written once per source (eight writes per person and month)."""
    registers.faults({"mode": "error", "source": "navet", "person": parent.pnr, "times": 3})
    cache = CountingCache()
    with http_gateway(registers.url, FAST, cache=cache) as gateway:
        first = gateway.lookup(parent.pnr, MONTH, case_id="c")
        assert cache.writes == [len(ALL_SOURCES) - 1]  # the failed source is not cached
        second = gateway.lookup(parent.pnr, MONTH, case_id="c")
    assert set(first.errors) == {Source.NAVET} and second.complete
    assert cache.writes == [len(ALL_SOURCES) - 1, 1]  # only what was fetched anew is written
    assert [s for s, r in second.results.items() if not r.provenance.from_cache] == [Source.NAVET]


def test_a_damaged_cache_file_is_a_miss(registers, parent, tmp_path):
    cache = JsonFileAnswerCache(tmp_path)
    with http_gateway(registers.url, FAST, cache=cache) as gateway:
        gateway.lookup(parent.pnr, MONTH, sources=["skv"], case_id="k")
        next(tmp_path.glob("*.json")).write_text("{not json")
        answer = gateway.lookup(parent.pnr, MONTH, sources=["skv"], case_id="k")
    assert answer.complete and not answer[Source.SKV].provenance.from_cache
    assert registers.requests_for(parent.pnr, "skv") == 2


# --- protected identity ---------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [Protection.SKYDDAD_FOLKBOKFORING, Protection.SEKRETESSMARKERING])
def test_protected_person_has_no_address_in_any_answer(gateway, find, population, level):
    person = find(lambda p, h: p.protection is level and p.registered and p.role is Role.APPLICANT)
    street = population.household_of(person).address.street
    answer = gateway.lookup(person.pnr, MONTH)
    assert answer.complete and answer.protected is True
    navet = answer.facts(Source.NAVET)
    assert navet.protection is level and navet.address is None
    assert answer.facts(Source.AF).sekretessmarkering is True
    for result in answer.results.values():
        assert street not in result.provenance.raw and "Folkbokforingsadress" not in result.provenance.raw


def test_samordningsnummer_person_is_answered_without_address(gateway, find):
    person = find(lambda p, h: p.is_samordningsnummer and p.situation is Situation.PENDING_PERMIT)
    answer = gateway.lookup(person.pnr, MONTH)
    assert set(answer.errors) == {Source.CSN}, "CSN cannot search a samordningsnummer"
    assert isinstance(answer[Source.CSN].error, NotAvailable) and answer[Source.CSN].facts is None
    navet = answer.facts(Source.NAVET)
    assert navet.is_samordningsnummer and not navet.registered and navet.address is None
    permits = answer.facts(Source.MIV).permits
    assert permits and permits[-1].decision_type is None, "the application is still pending"
