"""Submission → decision for auto-decidable applications, on the embedded default, registers at 200 ms.

Starts `bistand run` (SQLite, one worker, the simulator) in a temporary data folder, gives N households from
the simulator's population last month's granted decision, sets every register source to answer after
`--latency-ms`, then submits each household's unchanged application through the intake API (one every
`--spacing` seconds) and polls its case until it is decided. Prints median and p95 in seconds.

    .venv/bin/python bench/pipeline_bench.py [--households 20] [--latency-ms 200] [--spacing 1.0]
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def prepare_households(data_dir: str, registers_url: str, count: int, month: datetime.date) -> list[str]:
    """Create `count` returning households (last month granted) in the run's database. Returns their numbers."""
    os.environ.update(BISTAND_DATA_DIR=data_dir, BISTAND_REGISTERS_URL=registers_url, LOG_LEVEL="WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    from bistand.core.django_setup import setup_django

    setup_django()
    from bistand.identity.models import Municipality, Person, User
    from bistand.ops.demo import DEMO_ANSWERS
    from bistand.registers.simulator.population import generate

    municipality = Municipality.objects.get(code="1287")
    caseworker = User.objects.get(username="handlaggare1")
    population = generate()
    chosen = [
        p.pnr
        for h in population.households
        for p in population.members(h)
        if h.kind == "single"
        and p.situation == "no_income"
        and not p.vehicles
        and p.capital_base == 0
        and h.bostadsbidrag is None
        and p.protection == "none"
        and p.registered
        and not Person.objects.filter(personnummer=p.pnr).exists()
    ][:count]
    from bistand.casework import pipeline
    from bistand.casework.deciding import decide_by_person
    from bistand.intake.models import Application
    from bistand.intake.schema import validate_application, with_provenance

    last = (month - datetime.timedelta(days=1)).replace(day=1)
    for pnr in chosen:
        person = Person.objects.create(
            personnummer=pnr, first_name="Bench", last_name="Hushåll", municipality=municipality
        )
        values = validate_application({"month": last.isoformat()[:7], **DEMO_ANSWERS})
        application = Application.objects.create(
            applicant=person, municipality=municipality, month=last, answers=with_provenance(values)
        )
        application.submit()
        run = pipeline.start(application)
        pipeline.advance(run.pk)
        run.refresh_from_db()
        decide_by_person(run, caseworker)
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=20)
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--spacing", type=float, default=1.0, help="seconds between submissions")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="bistand-bench-")
    web, registers = free_port(), free_port()
    base, registers_url = f"http://127.0.0.1:{web}", f"https://127.0.0.1:{registers}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(BISTAND_DATA_DIR=data_dir, BISTAND_DEMO="1")
    run = subprocess.Popen(
        [str(ROOT / ".venv/bin/bistand"), "run", "--port", str(web), "--registers-port", str(registers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait(f"{base}/healthz")
        month = datetime.date.today().replace(day=1)
        households = prepare_households(data_dir, registers_url, args.households, month)
        tls_dir = os.environ.get("BISTAND_REGISTERS_TLS_DIR") or os.path.join(data_dir, "registers-tls")
        httpx.post(
            f"{registers_url}/admin/faults",
            json={"mode": "latency", "latency_ms": args.latency_ms},
            verify=ssl.create_default_context(cafile=os.path.join(tls_dir, "ca.crt")),
        ).raise_for_status()

        latencies: list[float] = []
        statuses: dict[str, int] = {}
        lock = threading.Lock()

        def one(pnr: str) -> None:
            token = httpx.post(f"{base}/api/v1/dev/token", json={"personnummer": pnr}).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            body = {
                "month": month.isoformat()[:7],
                **{
                    "costs": [{"type": "rent", "amount": "5900"}, {"type": "electricity", "amount": "300"}],
                    "incomes": [],
                    "nothing_changed": True,
                },
            }
            started = time.monotonic()
            created = httpx.post(f"{base}/api/v1/applications", json=body, headers=headers, timeout=30)
            created.raise_for_status()
            case_id, reference = created.json()["case_id"], created.json()["application"]
            while time.monotonic() - started < 120:
                case = httpx.get(f"{base}/api/v1/cases/{case_id}", headers=headers, timeout=30).json()
                status = next(a["status"] for a in case["applications"] if a["application"] == reference)
                if status != "running":
                    with lock:
                        statuses[status] = statuses.get(status, 0) + 1
                        if status == "decided":
                            latencies.append(time.monotonic() - started)
                    return
                time.sleep(0.1)
            with lock:
                statuses["timed_out"] = statuses.get("timed_out", 0) + 1

        threads = []
        for pnr in households:
            thread = threading.Thread(target=one, args=(pnr,))
            thread.start()
            threads.append(thread)
            time.sleep(args.spacing)
        for thread in threads:
            thread.join()
    finally:
        run.send_signal(signal.SIGINT)
        run.wait(timeout=30)

    from bistand.casework.models import PipelineRun

    routed = PipelineRun.objects.filter(application__month=month, status="routed")
    reasons = sorted({r["code"] for run in routed for r in run.routing_reasons})
    latencies.sort()
    # Nearest rank: the 95th percentile is a latency that was actually measured.
    p95 = latencies[math.ceil(0.95 * len(latencies)) - 1] if latencies else float("nan")
    print(
        f"households: {len(households)}, register latency {args.latency_ms} ms per source, spacing {args.spacing} s"
    )
    print(f"outcomes: {statuses}" + (f"; routed because: {', '.join(reasons)}" if reasons else ""))
    if latencies:
        print(
            f"submission → automated decision: median {statistics.median(latencies):.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s"
        )
    return 0 if statuses.get("decided") == len(households) else 1


if __name__ == "__main__":
    sys.exit(main())
