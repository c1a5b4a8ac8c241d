"""Fixtures for the registers: the simulator as a real subprocess, and a clean fault table per test.

Imported by tests/conftest.py, so every test directory can use them.

``registers_simulator`` is self-contained so it can be hoisted to tests/conftest.py for the robot pipeline:
it starts ``bistand registers serve --port 0 --check-schemas`` (the OS picks a free port; the command prints
its URL), waits for /healthz and returns the base URL. The simulator speaks SOAP over mutual TLS with a test
CA it makes at start-up in ``TLS_DIR``; ``BISTAND_REGISTERS_TLS_DIR`` points every client of the session
(and every worker process it starts) there, so the tests run the production code path, certificates
included. With ``--check-schemas`` every answer is checked against the published XSDs before it is sent. ``registers`` gives each test a :class:`SimulatorAdmin` with
faults and request counters reset before and after the test.
"""

from __future__ import annotations

import os
import queue
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

SIMULATOR_SEED = 1
SIMULATOR_SIZE = 10_000
_SRC = Path(__file__).resolve().parents[2] / "src"
# One test CA per test process, shared by every simulator it starts and found by every client.
TLS_DIR = Path(os.environ.setdefault("BISTAND_REGISTERS_TLS_DIR", tempfile.mkdtemp(prefix="registers-tls-")))


def admin_client(url: str, **kwargs: Any) -> httpx.Client:
    """An HTTP client for the simulator's health and admin endpoints (verifies it against the test CA)."""
    return httpx.Client(base_url=url, verify=ssl.create_default_context(cafile=TLS_DIR / "ca.crt"), **kwargs)


def start_simulator(
    *extra: str, seed: int = SIMULATOR_SEED, size: int = SIMULATOR_SIZE, timeout: float = 30.0
):
    """Start ``bistand registers serve`` on a free port; return (process, base URL, stderr file path)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_SRC), os.environ.get("PYTHONPATH")])),
    }
    stderr = tempfile.NamedTemporaryFile(prefix="registers-sim-", suffix=".log", delete=False)  # noqa: SIM115
    command = [sys.executable, "-m", "bistand.ops.cli", "registers", "serve", "--port", "0"]
    command += [
        "--seed",
        str(seed),
        "--size",
        str(size),
        "--tls-dir",
        str(TLS_DIR),
        "--check-schemas",
        *extra,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        line = ""
    if "https://" not in line:
        process.kill()
        raise RuntimeError(f"the simulator did not start: {Path(stderr.name).read_text()[-2000:]}")
    url = line[line.index("https://") :].split()[0]
    deadline = time.monotonic() + timeout
    while True:
        try:
            with admin_client(url, timeout=1.0) as http:
                if http.get("/healthz").status_code == 200:
                    break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("the simulator did not become healthy")
        time.sleep(0.05)
    return process, url, Path(stderr.name)


def stop_simulator(process: subprocess.Popen) -> int:
    """Stop the simulator as an operator would (SIGTERM) and return its exit code."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@pytest.fixture(scope="session")
def registers_simulator() -> Iterator[str]:
    """Base URL of a registers simulator running as a subprocess for the whole session."""
    process, url, log_path = start_simulator()
    try:
        yield url
    finally:
        stop_simulator(process)
        log_path.unlink(missing_ok=True)


class SimulatorAdmin:
    """Switch faults and read counters on a running simulator (one kept-alive HTTP connection)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = admin_client(url, timeout=5)

    def faults(self, *rules: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.http.post("/admin/faults", json=list(rules))
        response.raise_for_status()
        return response.json()["added"]

    def clear_faults(self) -> None:
        self.http.delete("/admin/faults").raise_for_status()

    def stats(self) -> dict[str, Any]:
        return self.http.get("/admin/stats").json()

    def reset_stats(self) -> None:
        self.http.delete("/admin/stats").raise_for_status()

    def requests_for(self, pnr: str, source: str | None = None) -> int:
        """Requests the simulator received for one person (and one source, if given)."""
        from bistand.registers.simulator.server import person_key

        counts = self.stats()["by_person"].get(person_key(pnr), {})
        return counts.get(source, 0) if source else sum(counts.values())


@pytest.fixture(scope="session")
def _registers_admin(registers_simulator: str) -> Iterator[SimulatorAdmin]:
    admin = SimulatorAdmin(registers_simulator)
    yield admin
    admin.http.close()


@pytest.fixture
def registers(_registers_admin: SimulatorAdmin) -> Iterator[SimulatorAdmin]:
    """The session's simulator with no faults and zeroed counters, cleaned again after the test."""
    admin = _registers_admin
    admin.clear_faults()
    admin.reset_stats()
    yield admin
    admin.clear_faults()


@pytest.fixture(scope="session")
def population():
    """The same synthetic population the simulator serves (same seed and size)."""
    from bistand.registers.simulator.population import generate

    return generate(SIMULATOR_SEED, SIMULATOR_SIZE)


@pytest.fixture(scope="session")
def find(population):
    """``find(predicate)``: the first person (in household order) the predicate accepts."""

    def first(predicate) -> Any:
        for household in population.households:
            for person in population.members(household):
                if predicate(person, household):
                    return person
        raise LookupError("no such person in the population")

    return first


def sjukersattning_alone(person, household) -> bool:
    """An applicant whose one payment is sjukersättning, paid since before September 2026 and ongoing (a
    predicate for ``find``: the person follows the population, not a number written into a test)."""
    import datetime

    streams = [s.code for s in person.streams]
    return (
        person.role == "applicant"
        and not person.is_samordningsnummer
        and streams == ["FK:SA"]
        and person.streams[0].start <= datetime.date(2026, 9, 1)
        and person.streams[0].end is None
        and household.bostadsbidrag is None
        and person.pnr not in household.child_benefit_to
        and person.akassa is None
        and person.study is None
    )


def net_monthly(stream) -> str:
    """A stream's monthly amount after tax, in whole kronor, as the simulator pays it."""
    from decimal import ROUND_HALF_UP, Decimal

    def kronor(value: Decimal) -> Decimal:
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)

    return str(kronor(stream.monthly_gross) - kronor(stream.monthly_gross * stream.tax_rate))
