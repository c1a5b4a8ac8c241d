"""The simulator as an HTTP service: endpoints, request validation, fault administration, the watched
fault file, byte-identical answers, an access log without person numbers, and the CLI around it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bistand.registers.population import generate
from bistand.registers.simulator.answers import answer_for
from bistand.registers.sources import Period, Source
from bistand.registers.wire import path_for
from tests.simulator import SIMULATOR_SEED, start_simulator, stop_simulator

BODY_PERIOD = {"FromDatum": "2026-03-01", "TomDatum": "2026-03-31"}


_HTTP = httpx.Client(timeout=5)  # one client: creating one per request costs more than the request


def ask(url: str, source: Source, pnr: str, **kwargs) -> httpx.Response:
    return _HTTP.post(url + path_for(source), json={"Personidentitet": pnr, "Period": BODY_PERIOD}, **kwargs)


def test_healthz(registers):
    health = registers.http.get("/healthz").json()
    assert health == {
        "status": "ok",
        "seed": SIMULATOR_SEED,
        "persons": 10_000,
        "households": health["households"],
        "sources": [s.value for s in Source],
    }


def test_every_source_answers_with_its_own_shape(registers, population):
    person = population.members(population.households[0])[0]
    for source in Source:
        response = ask(registers.url, source, person.pnr, headers={"X-Request-Id": "req-1"})
        assert response.status_code == 200
        assert response.headers["X-Request-Id"] == "req-1"
        document = response.json()
        assert document["Kalla"] == source.value.upper()
        assert document["Personidentitet"] == person.pnr
        assert document["Partiellt"] is False and document["Felmeddelanden"] == []


def test_answers_are_byte_identical_for_the_same_seed(registers, population):
    """Same seed → same bytes, across processes: the subprocess's answer equals this process's rendering."""
    household = next(h for h in population.households if len(h.members) >= 4)
    for pnr in household.members:
        for source in Source:
            first = ask(registers.url, source, pnr).content
            assert ask(registers.url, source, pnr).content == first
            local = answer_for(population, source, population.person(pnr), Period(2026, 3))
            assert first == json.dumps(local, ensure_ascii=False, separators=(",", ":")).encode()


def test_a_different_seed_gives_different_people(population):
    other = generate(SIMULATOR_SEED + 1, 2_000)
    assert set(other.persons) != set(list(population.persons)[:2_000])


@pytest.mark.parametrize(
    "body",
    [
        {"Personidentitet": "12345", "Period": BODY_PERIOD},
        {"Personidentitet": "199001012385"},
        {"Personidentitet": "199001012385", "Period": {"FromDatum": "2026-03-31", "TomDatum": "2026-03-01"}},
        ["not", "an", "object"],
    ],
)
def test_bad_requests_are_rejected(registers, body):
    response = registers.http.post(path_for(Source.FK), json=body)
    assert response.status_code == 400
    assert response.json()["Fel"]["Tagg"] == "SSBT"


def test_unknown_endpoint(registers):
    assert registers.http.get("/nope").status_code == 404
    assert registers.http.post("/ssbtek/v10/xyz", json={}).status_code == 404


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


def test_person_rule_wins_over_wildcard(registers, population):
    pnr = population.households[0].members[0]
    registers.faults({"mode": "error", "status": 502}, {"mode": "not_found", "person": pnr})
    assert ask(registers.url, Source.FK, pnr).status_code == 404
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
        ask(url, Source.NAVET, "189001019802")  # not in the population: 404
    finally:
        assert stop_simulator(process) == 0, "SIGTERM stops the simulator cleanly"
    log = log_path.read_text()
    log_path.unlink()
    assert "POST /ssbtek/v10/fk 500" in log, "the access log is on in --verbose"
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
    pnr = population.households[0].members[0]
    result = _cli("lookup", pnr, "--month", "2026-03", "--url", registers.url)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["complete"] is True
    assert set(answer["sources"]) == {s.value for s in Source}
    assert all(s["status"] == "ok" for s in answer["sources"].values())


def test_cli_lookup_reports_failures_with_exit_code_1(registers, population):
    pnr = population.households[0].members[0]
    registers.faults({"mode": "error", "source": "fk"})
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
