"""Properties of the wire format over the whole synthetic population (hypothesis draws person, month and
agency): every answer the simulator writes is valid against the published schemas, and the production
adapter reads back exactly the payments, each with its own period, that the simulator meant to send."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bistand.identity.personnummer import parse
from bistand.registers import NotAvailable
from bistand.registers.client import parse_raw
from bistand.registers.navet import request_body as navet_request
from bistand.registers.simulator.answers import answer_for
from bistand.registers.simulator.population import generate
from bistand.registers.simulator.render import merged, wire_answer
from bistand.registers.soap import body_child, envelope
from bistand.registers.sources import SSBTEK_SOURCES, Period, Source
from bistand.registers.ssbtek import AGENCY, SSBT, SsbtekConfig, request_body, split_answer
from tests.registers.wire import validate_exchange

POPULATION = generate(1, 3_000)
PERSONS = sorted(POPULATION.persons)
months = st.builds(Period, st.integers(2025, 2027), st.integers(1, 12))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(PERSONS) - 1), month=months, source=st.sampled_from(list(Source)))
def test_every_answer_is_valid_and_reads_back_as_sent(index, month, source):
    person = POPULATION.person(PERSONS[index])
    raw = wire_answer(POPULATION, source, person, month)
    if source is Source.NAVET:
        question = envelope(navet_request("162120000000", parse(person.pnr), "req-1"))
    else:
        question = envelope(request_body(SsbtekConfig("x"), parse(person.pnr), month, {source}, "req-1"))
    validate_exchange(source, question, raw.encode())
    try:
        facts = parse_raw(source, raw).facts
    except NotAvailable:
        assert source is Source.CSN and person.is_samordningsnummer
        return
    document = answer_for(POPULATION, source, person, month)
    if source is Source.FK:
        sent = sorted(
            (p["Utbetalningsdatum"], p["AvserFrom"], p["AvserTom"], Decimal(p["Nettobelopp"]), key == "PreliminaraUtbetalningar")
            for benefit in document["Formaner"]
            for key in ("Utbetalningar", "PreliminaraUtbetalningar")
            for p in benefit[key]
        )  # fmt: skip
        read = sorted(
            (p.paid_on.isoformat(), p.covers_from.isoformat(), p.covers_to.isoformat(), p.net, p.preliminary)
            for p in facts.payments
        )
        assert read == sent
    elif source is Source.SO:
        sent = [
            (p["Utbetalningsdatum"], p["AvserFrom"], Decimal(p["NettoEfterSkatt"]))
            for fund in document["Arbetsloshetskassor"]
            for p in fund["Utbetalningar"]
        ]
        assert [
            (p.paid_on.isoformat(), p.covers_from.isoformat(), p.net_after_tax) for p in facts.payments
        ] == sent
    elif source is Source.CSN:
        sent = [
            (p["Utbetalningsdatum"], Decimal(p["Bidrag"]), Decimal(p["Lan"]))
            for p in document["Utbetalningar"]
        ]
        assert [(p.paid_on.isoformat(), p.grant, p.loan) for p in facts.payments] == sent
    elif source is Source.NAVET and facts.protection.is_protected:
        assert facts.address is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    index=st.integers(0, len(PERSONS) - 1),
    month=months,
    agencies=st.sets(st.sampled_from(SSBTEK_SOURCES), min_size=1),
)
def test_one_answer_for_several_agencies_reads_as_each_agency_alone(index, month, agencies):
    """The one-call answer, split into each agency's part, reads exactly as that agency's own answer, and
    a part holds nothing of the other agencies (the snapshot keeps each source's part apart)."""
    person = POPULATION.person(PERSONS[index])
    alone = {s: wire_answer(POPULATION, s, person, month) for s in agencies}
    together = merged([alone[s].encode() for s in SSBTEK_SOURCES if s in agencies])
    asked = [s for s in SSBTEK_SOURCES if s in agencies]
    parts = split_answer(together, asked)
    assert set(parts) == agencies
    for source, part in parts.items():
        tags = {etree.QName(e).localname for e in body_child(part).find(f"{{{SSBT}}}svarsdata")}
        assert tags == {AGENCY[source]}
        try:
            expected = parse_raw(source, alone[source])
        except NotAvailable:
            with pytest.raises(NotAvailable):
                parse_raw(source, part)
            continue
        assert parse_raw(source, part) == expected
