"""The simulator as a SOAP service over mutual TLS: the certificate exchange, questions checked against the
published schemas, fault administration, the watched fault file, byte-identical answers, an access log
without person numbers, and the CLI around it."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from lxml import etree

from bistand.registers.simulator import render
from bistand.registers.simulator.answers import answer_for
from bistand.registers.simulator.population import generate
from bistand.registers.soap import SoapFault, body_child
from bistand.registers.sources import Period, Source
from bistand.registers.ssbtek import AGENCY, SSBT
from tests.registers.wire import MONTH, ask, endpoint, question, validate_exchange
from tests.simulator import SIMULATOR_SEED, TLS_DIR, start_simulator, stop_simulator


def agency_error(response: httpx.Response, source: Source) -> str | None:
    """``kalla:felkod`` of the agency's error in an answer, or None."""
    part = body_child(response.content).find(
        f"{{{SSBT}}}svarsdata/{{{SSBT}}}{AGENCY[source]}/{{{SSBT}}}error"
    )
    return (
        None if part is None else f"{part.findtext(f'{{{SSBT}}}kalla')}:{part.findtext(f'{{{SSBT}}}felkod')}"
    )


def test_healthz(registers):
    health = registers.http.get("/healthz").json()
    assert health == {
        "status": "ok",
        "seed": SIMULATOR_SEED,
        "persons": 10_000,
        "households": health["households"],
        "sources": [s.value for s in Source],
    }


def test_every_agency_answers_in_the_published_schemas_both_ways(registers, population):
    """What will be checked: a look-up on the wire, valid against the XSDs in both directions."""
    household = next(h for h in population.households if len(h.members) >= 4)
    for pnr in household.members:
        for source in Source:
            response = ask(registers.url, source, pnr)
            assert response.status_code == 200, response.text
            validate_exchange(source, question(registers.url, source, pnr), response.content)


def test_without_the_organisation_certificate_there_is_no_answer(registers, population):
    pnr = population.households[0].members[0]
    ca_only = httpx.Client(verify=ssl.create_default_context(cafile=TLS_DIR / "ca.crt"), timeout=5)
    response = ask(registers.url, Source.FK, pnr, client=ca_only)
    assert response.status_code == 403
    with pytest.raises(SoapFault) as refused:
        body_child(response.content)
    assert refused.value.code == "Client"
    with pytest.raises(httpx.ConnectError):  # and the simulator is not trusted without the CA bundle
        httpx.post(endpoint(registers.url, Source.FK), content=b"", timeout=5)


def test_answers_are_byte_identical_for_the_same_seed(registers, population):
    """Same seed → same bytes, across processes: the subprocess's answer equals this process's rendering."""
    household = next(h for h in population.households if len(h.members) >= 4)
    for pnr in household.members:
        for source in (Source.FK, Source.AF, Source.CSN, Source.NAVET):
            first = ask(registers.url, source, pnr).content
            assert ask(registers.url, source, pnr).content == first
            document = answer_for(population, source, population.person(pnr), MONTH)
            if source is Source.NAVET:
                assert first == render.navet_answer(document)
                continue
            asked = render.Question(
                person=pnr, reference="req-1", orgnr="162120000000", namn="Exempelkommun",
                handlaggare="bistand-robot", syfte="Handläggning av ekonomiskt bistånd",
                lagtext="11 kap. 11 § socialtjänstlagen (2001:453)", tom="2026-03-31", **{"from": "2026-03-01"},
            )  # fmt: skip
            assert first == render.ssbtek_answer(asked, source, document)


def test_the_simulator_serves_the_published_wsdl_pointing_at_itself(registers):
    from lxml import etree

    wsdl = etree.fromstring(registers.http.get("/ssbtek/v10?wsdl").content)
    ns = {"w": "http://schemas.xmlsoap.org/wsdl/", "soap": "http://schemas.xmlsoap.org/wsdl/soap/"}
    assert wsdl.find("w:service/w:port/soap:address", ns).get("location") == registers.url + "/ssbtek/v10"
    assert wsdl.find("w:portType/w:operation", ns).get("name") == "hamtaBastjanstInformation"
    include = wsdl.find(".//{http://www.w3.org/2001/XMLSchema}include").get("schemaLocation")
    xsd_text = registers.http.get(include).content
    from bistand.registers.xsd import SSBTEK_XSD

    assert xsd_text == SSBTEK_XSD.read_bytes()
    assert registers.http.get("/ssbtek/v10/schemas/../../../../etc/passwd").status_code == 404


def test_a_different_seed_gives_different_people(population):
    other = generate(SIMULATOR_SEED + 1, 2_000)
    assert set(other.persons) != set(list(population.persons)[:2_000])


@pytest.mark.parametrize(
    "body",
    [
        b"not xml",
        b'<?xml version="1.0"?><x/>',
        b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>'
        b'<s:hamtaBastjanstInformation xmlns:s="http://schema.forsakringskassan.se/integration/ssbt/10"/>'
        b"</e:Body></e:Envelope>",
    ],
)
def test_questions_outside_the_schema_are_refused(registers, body):
    from tests.registers.wire import mtls_client

    response = mtls_client().post(endpoint(registers.url, Source.FK), content=body)
    assert response.status_code == 500
    with pytest.raises(SoapFault) as refused:
        body_child(response.content)
    assert refused.value.code == "Client"


def test_unknown_endpoint(registers):
    assert registers.http.get("/nope").status_code == 404
    assert registers.http.post("/ssbtek/v9", content=b"").status_code == 404


def test_fault_admin_endpoints(registers):
    added = registers.faults(
        {"mode": "latency", "latency_ms": 5}, {"mode": "error", "source": "fk", "times": 1}
    )
    assert [r["mode"] for r in added] == ["latency", "error"]
    listed = registers.http.get("/admin/faults").json()["rules"]
    assert [r["id"] for r in listed] == [r["id"] for r in added]
    replaced = registers.http.put("/admin/faults", json={"rules": [{"mode": "not_found"}]}).json()["rules"]
    assert [r["mode"] for r in registers.http.get("/admin/faults").json()["rules"]] == ["not_found"]
    assert replaced[0]["mode"] == "not_found"
    registers.clear_faults()
    assert registers.http.get("/admin/faults").json()["rules"] == []


@pytest.mark.parametrize(
    "rule",
    [
        {"mode": "explode"},
        {"mode": "error", "status": 404},
        {"mode": "latency"},
        {"mode": "error", "source": "xyz"},
        {"mode": "error", "person": "1990"},
        {"mode": "partial", "variant": "shape"},
        {"mode": "partial", "variant": "silent"},
        {"mode": "error", "colour": "red"},
    ],
)
def test_invalid_fault_rules_are_refused(registers, rule):
    response = registers.http.post("/admin/faults", json=rule)
    assert response.status_code == 400 and response.json()["error"]
    assert registers.http.get("/admin/faults").json()["rules"] == []


def test_a_limited_rule_is_used_up(registers, population):
    pnr = population.households[0].members[0]
    registers.faults({"mode": "error", "source": "skv", "status": 500, "times": 2})
    assert [ask(registers.url, Source.SKV, pnr).status_code for _ in range(3)] == [500, 500, 200]
    assert registers.http.get("/admin/faults").json()["rules"] == []


def test_faults_speak_the_protocol(registers, population):
    """SSBT faults for the whole call, BT errors for one agency, agencies left out, all schema-valid."""
    pnr = population.households[0].members[0]
    registers.faults({"mode": "error", "source": "csn", "variant": "bt"})
    registers.faults({"mode": "not_found", "source": "miv"})
    registers.faults({"mode": "timeout", "source": "so", "hold_ms": 10})
    registers.faults({"mode": "not_entitled", "source": "tns"})
    assert agency_error(ask(registers.url, Source.CSN, pnr), Source.CSN) == "BT:TEKNISKT_FEL"
    assert agency_error(ask(registers.url, Source.MIV, pnr), Source.MIV) == "BT:PERSON_SAKNAS"
    assert agency_error(ask(registers.url, Source.SO, pnr), Source.SO) == "SSBT:TIDSGRANS"
    left_out = body_child(ask(registers.url, Source.TNS, pnr).content)
    assert left_out.find(f"{{{SSBT}}}svarsdata/{{{SSBT}}}TNS") is None
    for source in (Source.CSN, Source.MIV, Source.SO, Source.TNS):
        validate_exchange(
            source, question(registers.url, source, pnr), ask(registers.url, source, pnr).content
        )


def test_person_rule_wins_over_wildcard(registers, population):
    pnr = population.households[0].members[0]
    registers.faults({"mode": "error", "status": 502}, {"mode": "not_found", "person": pnr})
    assert agency_error(ask(registers.url, Source.FK, pnr), Source.FK) == "BT:PERSON_SAKNAS"
    other = population.households[1].members[0]
    assert ask(registers.url, Source.FK, other).status_code == 502


def test_stats_count_requests_per_source_and_outcome(registers, population):
    pnr = population.households[0].members[0]
    registers.faults({"mode": "not_found", "source": "miv"})
    ask(registers.url, Source.FK, pnr)
    ask(registers.url, Source.MIV, pnr)
    stats = registers.stats()
    assert stats["total"] == 2
    assert stats["by_source"] == {"fk": 1, "miv": 1}
    assert stats["by_outcome"] == {"ok": 1, "not_found": 1}
    assert pnr not in json.dumps(stats), "stats key persons by a hash"


def test_serve_watches_a_fault_file_and_never_logs_person_numbers(tmp_path, population):
    faults_file = tmp_path / "faults.json"
    process, url, log_path = start_simulator("--faults-file", str(faults_file), "--verbose", size=200)
    try:
        small = generate(SIMULATOR_SEED, 200)
        pnr = next(iter(small.persons))
        assert ask(url, Source.FK, pnr).status_code == 200
        faults_file.write_text(json.dumps({"rules": [{"mode": "error", "source": "fk", "status": 500}]}))
        deadline = time.monotonic() + 5
        while ask(url, Source.FK, pnr).status_code != 500:
            assert time.monotonic() < deadline, "the fault file was not picked up"
            time.sleep(0.1)
        assert ask(url, Source.AF, pnr).status_code == 200
        ask(url, Source.NAVET, "189001019802")  # not in the population: an empty personpost answer
    finally:
        assert stop_simulator(process) == 0, "SIGTERM stops the simulator cleanly"
    log = log_path.read_text()
    log_path.unlink()
    assert "POST /ssbtek/v10 500" in log, "the access log is on in --verbose"
    assert pnr not in log and "189001019802" not in log
    assert "Registers simulator stopped" in log


def _cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    return subprocess.run(
        [sys.executable, "-m", "bistand.ops.cli", "registers", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def test_cli_lookup_prints_every_source(registers, population):
    pnr = next(p.pnr for p in population if not p.is_samordningsnummer)  # CSN cannot search one
    result = _cli("lookup", pnr, "--month", "2026-03", "--url", registers.url)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["complete"] is True
    assert set(answer["sources"]) == {s.value for s in Source}
    assert all(s["status"] == "ok" for s in answer["sources"].values())


def test_cli_lookup_reports_failures_with_exit_code_1(registers, population):
    pnr = population.households[0].members[0]
    registers.faults({"mode": "error", "variant": "bt", "source": "fk"})  # FK's own failure
    result = _cli(
        "lookup", pnr[2:8] + "-" + pnr[8:], "--month", "2026-03", "--sources", "fk,af", "--url", registers.url
    )
    assert result.returncode == 1
    answer = json.loads(result.stdout)
    assert answer["sources"]["fk"]["error"]["kind"] == "unavailable"
    assert answer["sources"]["af"]["status"] == "ok"


def test_cli_lookup_refuses_a_bad_number(registers):
    result = _cli("lookup", "196408233235", "--month", "2026-03", "--url", registers.url)
    assert result.returncode == 2 and "check digit" in result.stderr


def test_cli_population_summary_and_sample():
    result = _cli("population", "--size", "500", "--sample", "3")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["persons"] == 500
    assert len(data["sample_households"]) == 3


def test_period_is_the_asked_month(registers, population):
    pnr = population.households[0].members[0]
    response = ask(registers.url, Source.AF, pnr, month=Period(2026, 5))
    assert b"<af:From>2026-05-01</af:From>" in response.content or b"2026-05-01" in response.content


def test_one_question_for_all_seven_agencies_gets_one_answer_with_seven_parts(registers, population):
    """The adapters ask one agency per call; the service (and the simulator) also answer all at once."""
    from bistand.identity.personnummer import parse
    from bistand.registers.soap import envelope
    from bistand.registers.ssbtek import SsbtekConfig, request_body
    from tests.registers.wire import mtls_client

    pnr = population.households[0].members[0]
    agencies = set(AGENCY)
    asked = envelope(request_body(SsbtekConfig(registers.url), parse(pnr), MONTH, agencies, "alla"))
    response = mtls_client().post(endpoint(registers.url, Source.FK), content=asked)
    assert response.status_code == 200
    parts = body_child(response.content).find(f"{{{SSBT}}}svarsdata")
    assert [etree.QName(p).localname for p in parts] == list(AGENCY.values())
    validate_exchange(Source.FK, asked, response.content)


def test_one_question_for_every_agency_gets_one_answer_with_each_agencys_fault(registers, population):
    """Fault injection per agency inside the one answer: CSN's own error, MIV unknown, TNS left out, the
    rest answered; the question and the answer valid against the published schemas."""
    from tests.registers.wire import mtls_client, ssbtek_question

    pnr = population.households[0].members[0]
    registers.faults({"mode": "error", "variant": "bt", "source": "csn"})
    registers.faults({"mode": "not_found", "source": "miv"})
    registers.faults({"mode": "not_entitled", "source": "tns"})
    asked = ssbtek_question(registers.url, pnr)
    response = mtls_client().post(
        endpoint(registers.url, Source.FK), content=asked, headers={"Content-Type": "text/xml; charset=utf-8"}
    )
    assert response.status_code == 200
    validate_exchange(Source.FK, asked, response.content)
    assert agency_error(response, Source.CSN) == "BT:TEKNISKT_FEL"
    assert agency_error(response, Source.MIV) == "BT:PERSON_SAKNAS"
    parts = [etree.QName(e).localname for e in body_child(response.content).find(f"{{{SSBT}}}svarsdata")]
    assert parts == ["AF", "CSN", "FK", "SKV", "SO", "MIV"], "schema order, TNS left out"
    for tag in ("AF", "FK", "SKV", "SO"):
        assert (
            body_child(response.content).find(f"{{{SSBT}}}svarsdata/{{{SSBT}}}{tag}/{{{SSBT}}}data")
            is not None
        )
    assert registers.stats()["calls"] == 1
