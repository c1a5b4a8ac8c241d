"""Contract tests, one per agency: an answer the simulator generated (``recorded/*.xml``, SOAP as it went
on the wire) is valid against the published schemas and maps onto the facts field by field, period by
period. The recordings are fixed files, so a change in how the adapters read the published formats shows
here even if the simulator changed with it. And the three things the issue says will be checked."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from bistand.registers import ClientSettings, JsonFileAnswerCache, Source, http_gateway, income
from bistand.registers.client import parse_raw
from bistand.registers.facts import (
    ActivityReport,
    BenefitDecision,
    CapitalIncome,
    EconomicDecision,
    HouseholdMember,
    Protection,
    Relation,
    ResidencePermit,
    StudyPayment,
    UnemploymentPayment,
    Vehicle,
)
from bistand.registers.shield import shielded
from bistand.registers.soap import body_child
from bistand.registers.sources import SSBTEK_SOURCES, Period
from bistand.registers.ssbtek import SSBT
from bistand.registers.tls import TlsFiles
from tests.registers.wire import Capture, validate_exchange
from tests.simulator import TLS_DIR, net_monthly, sjukersattning_alone

RECORDED = Path(__file__).parent / "recorded"


def recorded(source: Source) -> str:
    return (RECORDED / f"{source.value}.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("source", list(Source), ids=lambda s: s.value)
def test_every_recorded_answer_is_valid_against_the_published_schemas(source):
    answer = recorded(source).encode()
    body = body_child(answer)
    if source is Source.NAVET:
        validate_exchange(source, _navet_question(), answer)
    else:
        assert body.findtext(f"{{{SSBT}}}korrelationsid") == "kontrakt-1"
        validate_exchange(source, _ssbtek_question(source), answer)


def _ssbtek_question(source: Source) -> bytes:
    from bistand.identity.personnummer import parse
    from bistand.registers.soap import envelope
    from bistand.registers.ssbtek import SsbtekConfig, request_body

    return envelope(request_body(SsbtekConfig("x"), parse("199010292390"), Period(2026, 11), {source}, "k"))


def _navet_question() -> bytes:
    from bistand.identity.personnummer import parse
    from bistand.registers.navet import request_body
    from bistand.registers.soap import envelope

    return envelope(request_body("162120000000", parse("199012282399"), "k"))


def test_fk_lefi_three_months_paid_and_next_month_preliminary():
    fk = parse_raw(Source.FK, recorded(Source.FK)).facts
    paid = [(p.paid_on, p.covers_from, p.covers_to, p.net, p.preliminary) for p in fk.payments]
    assert paid == [
        (date(2026, 9, 18), date(2026, 9, 1), date(2026, 9, 30), Decimal(9340), False),
        (date(2026, 10, 19), date(2026, 10, 1), date(2026, 10, 31), Decimal(9340), False),
        (date(2026, 11, 19), date(2026, 11, 1), date(2026, 11, 30), Decimal(9340), False),
        (date(2026, 12, 18), date(2026, 12, 1), date(2026, 12, 31), Decimal(9340), True),
    ]
    assert {(p.code, p.gross, p.tax) for p in fk.payments} == {("FK:SA", Decimal(12290), Decimal(2950))}
    assert fk.decisions == (
        BenefitDecision("FK:SA", "Sjukersättning", date(2025, 4, 19), date(2025, 5, 1), None, Decimal(12290)),
    )
    assert fk.unavailable == ()


def test_af():
    af = parse_raw(Source.AF, recorded(Source.AF)).facts
    assert (af.registered, af.category, af.category_text, af.registered_on, af.extent_percent) == (
        True,
        "68",
        "I program med aktivitetsstöd",
        date(2023, 10, 22),
        100,
    )
    assert not af.deregistered and not af.sekretessmarkering
    assert af.activity_reports == (
        ActivityReport(date(2026, 11, 12), "2026-10", "Aktivitetsrapport inlämnad"),
    )
    assert af.economic_decisions == (EconomicDecision("AKTIVITETSSTOD", 100, date(2024, 4, 1), None),)


def test_so_each_payment_with_its_period():
    so = parse_raw(Source.SO, recorded(Source.SO)).facts
    fund = "Handelsanställdas arbetslöshetskassa"
    assert so.payments == (
        UnemploymentPayment(fund, date(2026, 11, 5), Decimal(8276), Decimal(8276), 11, date(2026, 10, 16), date(2026, 10, 31)),
        UnemploymentPayment(fund, date(2026, 11, 20), Decimal(7524), Decimal(7524), 10, date(2026, 11, 1), date(2026, 11, 15)),
    )  # fmt: skip


def test_csn_base64_xml_grant_and_loan_apart():
    csn = parse_raw(Source.CSN, recorded(Source.CSN)).facts
    assert csn.payments == (
        StudyPayment("STUDIEMEDEL", "Studiemedel", date(2026, 11, 25), date(2026, 11, 1), date(2026, 11, 30), Decimal(3616), Decimal(9472)),
    )  # fmt: skip


def test_skv_tns_miv():
    skv = parse_raw(Source.SKV, recorded(Source.SKV)).facts
    assert skv.capital == (
        CapitalIncome(2025, Decimal(393), Decimal(358)),
        CapitalIncome(2024, Decimal(411), Decimal(407)),
    )
    tns = parse_raw(Source.TNS, recorded(Source.TNS)).facts
    assert tns.vehicles == (
        Vehicle("ZHN39A", "SAAB", 2019, "PERSONBIL", "9-3"),
        Vehicle("AHJ02G", "VOLVO", 2022, "PERSONBIL", "XC60"),
    )
    miv = parse_raw(Source.MIV, recorded(Source.MIV)).facts
    assert miv.permits == (
        ResidencePermit(date(2024, 5, 18), "UAT", "BEV", "PUT", date(2025, 1, 21), date(2025, 1, 21), None),
    )
    assert (miv.home_country, miv.entry_date) == ("IRQ", date(2024, 5, 15))


def test_navet_sekretessmarkering_address_sent_but_never_kept():
    raw = recorded(Source.NAVET)
    assert "<nav:Folkbokforingsadress>" in raw, "like the real Navet, the recording carries the address"
    navet = parse_raw(Source.NAVET, raw).facts
    assert navet.protection is Protection.SEKRETESSMARKERING and navet.address is None
    assert navet.relations == (Relation("201706212394", "BARN"),)
    assert navet.household == (HouseholdMember("201706212394", Protection.NONE),)
    kept = shielded(Source.NAVET, raw)
    assert "Folkbokforingsadress" not in kept and "Utdelningsadress2" not in kept
    assert parse_raw(Source.NAVET, kept).facts == navet


# --- what will be checked -------------------------------------------------------------------------------


def test_a_lookup_on_the_wire_is_valid_both_ways_with_the_certificate_exchange(registers, population):
    """Production adapter → simulator, captured on the wire: one SSBTEK call with every agency's
    ``inkludera`` flag and one Navet call, both valid against the published XSDs in both directions (and
    LEFI's OpenAPI, CSN's XSD inside), over mutual TLS with the test CA."""
    household = next(
        h
        for h in population.households
        if len(h.members) >= 3 and not population.person(h.members[0]).is_samordningsnummer
    )
    capture = Capture(verify=TlsFiles.in_dir(TLS_DIR).client_context())
    with http_gateway(registers.url, ClientSettings(timeout=10, retries=0), transport=capture) as gateway:
        answer = gateway.lookup(household.members[0], "2026-11")
    assert answer.complete, answer.errors
    assert sorted(r.url.path for r, _ in capture.exchanges) == ["/navet/personpost", "/ssbtek/v10"]
    for request, content in capture.exchanges:
        assert request.url.scheme == "https"
        if request.url.path.startswith("/navet"):
            validate_exchange(Source.NAVET, request.content, content)
            continue
        assert _agencies_in(request.content) == set(SSBTEK_SOURCES), "one call asks every agency"
        assert _agencies_in(content, answer=True) == set(SSBTEK_SOURCES), "and answers for every one"
        validate_exchange(Source.FK, request.content, content)
    # The server proved itself with a certificate from the test CA, and the simulator answered at all only
    # because the client presented the organisation's certificate (see test_registers_simulator).
    stats = registers.stats()
    assert stats["by_outcome"] == {"ok": len(Source)} and stats["calls"] == 2


def _agencies_in(message: bytes, *, answer: bool = False) -> set[Source]:
    """The agencies a question includes (``inkludera="true"``) or an answer has a part for."""
    from bistand.registers.ssbtek import AGENCY

    body = body_child(message)
    if answer:
        tags = {etree.QName(e).localname for e in body.find(f"{{{SSBT}}}svarsdata")}
    else:
        tags = {
            etree.QName(e).localname
            for e in body.findall(f"{{{SSBT}}}specifikaFrageparametrar/*[@inkludera='true']")
        }
    return {s for s, tag in AGENCY.items() if tag in tags}


def test_sjukersattning_three_months_read_each_as_itself_and_the_preliminary_one_as_such(registers, find):
    person = find(sjukersattning_alone)
    net = Decimal(net_monthly(person.streams[0]))
    with http_gateway(registers.url, ClientSettings(timeout=10)) as gateway:
        fk = gateway.lookup(person.pnr, "2026-11", sources=["fk"]).facts(Source.FK)
    rows = income.incomes([fk])
    paid = [r for r in rows if not r.preliminary]
    assert [(r.month, r.covers_from.month, r.amount) for r in paid] == [
        ("2026-09", 9, net),
        ("2026-10", 10, net),
        ("2026-11", 11, net),
    ]
    (month,) = income.for_month(rows, "2026-11")
    assert (month.code, month.amount, month.preliminary) == ("FK:SA", net, False), "one month, not three"
    (coming,) = income.upcoming(rows, "2026-11")
    assert (coming.month, coming.preliminary, coming.amount) == ("2026-12", True, net)


def test_sekretessmarkering_address_on_the_wire_is_stored_nowhere(registers, population, find, tmp_path):
    person = find(lambda p, h: p.protection is Protection.SEKRETESSMARKERING and p.registered)
    street = population.household_of(person).address.street
    capture = Capture(verify=TlsFiles.in_dir(TLS_DIR).client_context())
    cache = JsonFileAnswerCache(tmp_path)
    with http_gateway(registers.url, ClientSettings(timeout=10), cache=cache, transport=capture) as gateway:
        answer = gateway.lookup(person.pnr, "2026-11", case_id="case-s")
    wire = b"".join(content for _, content in capture.exchanges).decode()
    assert street in wire, "the simulator sends it, as Navet does"
    stored = json.dumps(answer.to_dict(include_raw=True), ensure_ascii=False)
    stored += "".join(f.read_text() for f in tmp_path.glob("*.json"))
    assert street not in stored and "Folkbokforingsadress" not in stored


@pytest.mark.parametrize(
    ("asked_by", "on_the_wire"), [(None, "bistand-robot"), ("handlaggare1", "handlaggare1")]
)
def test_ingivare_names_who_asked_on_the_wire(registers, population, asked_by, on_the_wire):
    """The robot's id when the robot looks up, the caseworker's when a caseworker does: valid both ways."""
    pnr = population.households[0].members[0]
    capture = Capture(verify=TlsFiles.in_dir(TLS_DIR).client_context())
    with http_gateway(registers.url, ClientSettings(timeout=10, retries=0), transport=capture) as gateway:
        gateway.lookup(pnr, "2026-11", sources=SSBTEK_SOURCES, asked_by=asked_by)
    ((request, content),) = capture.exchanges
    ingivare = body_child(request.content).find(f".//{{{SSBT}}}ingivare")
    assert ingivare.findtext(f"{{{SSBT}}}handlaggare") == on_the_wire
    assert ingivare.findtext(f"{{{SSBT}}}organisationsnummer") == "162120000000"
    validate_exchange(Source.FK, request.content, content)
    assert registers.stats()["by_handlaggare"] == {on_the_wire: 1}
