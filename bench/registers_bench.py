"""Benchmark: register look-ups (all eight sources) against the simulator: SOAP over mutual TLS on loopback,
through the production adapters (SSBTEK v10 and Navet).

Starts ``bistand registers serve`` as a subprocess on a free port with a fresh test CA, then measures look-ups per second and
the median / 95th percentile time per look-up and the CPU each look-up costs the client and the simulator,
sequentially and from several threads, without and with added latency on every source (fault injection). Every loop is bounded in count and time.

    .venv/bin/python bench/registers_bench.py [--lookups 300] [--threads 4] [--latency-ms 50]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bistand.registers import ClientSettings, http_gateway  # noqa: E402
from bistand.registers.simulator.population import generate  # noqa: E402
from bistand.registers.tls import TlsFiles  # noqa: E402

MONTH = "2026-03"
TIME_LIMIT_S = 30.0  # per scenario


TLS_DIR = Path(tempfile.mkdtemp(prefix="bench-registers-tls-"))


def admin_client(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=5, verify=ssl.create_default_context(cafile=TLS_DIR / "ca.crt"))


def start_simulator(seed: int, size: int) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "bistand.ops.cli", "registers", "serve", "--port", "0"]
    command += ["--seed", str(seed), "--size", str(size), "--tls-dir", str(TLS_DIR)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if "https://" not in line:
        process.kill()
        raise SystemExit("the simulator did not start")
    url = line[line.index("https://") :].split()[0]
    for _ in range(100):
        try:
            with admin_client(url) as admin:
                if admin.get("/healthz").status_code == 200:
                    return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the simulator did not become healthy")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc (Linux); 0 where there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_scenario(
    url: str, persons: list[str], lookups: int, threads: int, server_pid: int
) -> dict[str, float]:
    settings = ClientSettings(timeout=5.0, retries=0, max_workers=8 * threads)
    durations: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT_S
    with http_gateway(url, settings, tls=TlsFiles.in_dir(TLS_DIR)) as gateway:
        gateway.lookup(persons[0], MONTH)  # warm up the connection pool

        def one(index: int) -> None:
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            answer = gateway.lookup(persons[index % len(persons)], MONTH)
            elapsed = time.perf_counter() - started
            # CSN cannot search a samordningsnummer ("not available"): an answer all the same.
            if any(error.kind != "not_available" for error in answer.errors.values()):
                raise RuntimeError(f"incomplete answer: {answer.errors}")
            with lock:
                durations.append(elapsed)

        started = time.perf_counter()
        # CPU per look-up, client and simulator apart: unlike wall time, hardly moved by others' load.
        client_cpu, server_cpu = time.process_time(), cpu_seconds(server_pid)
        if threads == 1:
            for i in range(lookups):
                one(i)
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(one, range(lookups)))
        wall = time.perf_counter() - started
        client_cpu = time.process_time() - client_cpu
        server_cpu = cpu_seconds(server_pid) - server_cpu
    durations.sort()
    return {
        "lookups": len(durations),
        "lookups_per_s": len(durations) / wall,
        "median_ms": statistics.median(durations) * 1000,
        "p95_ms": durations[int(len(durations) * 0.95) - 1] * 1000,
        "client_cpu_ms": client_cpu / len(durations) * 1000,
        "simulator_cpu_ms": server_cpu / len(durations) * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=300, help="look-ups per scenario (default 300)")
    parser.add_argument("--threads", type=int, default=4, help="threads in the concurrent scenarios")
    parser.add_argument("--latency-ms", type=int, default=50, help="latency added to every source")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()

    population = generate(args.seed, args.size)
    persons = random.Random(0).sample(sorted(population.persons), min(2_000, len(population)))
    process, url = start_simulator(args.seed, args.size)
    results = []
    try:
        admin = admin_client(url)
        for latency in (0, args.latency_ms):
            admin.delete("/admin/faults")
            if latency:
                admin.post("/admin/faults", json={"mode": "latency", "latency_ms": latency})
            for threads in (1, args.threads):
                figures = run_scenario(url, persons, args.lookups, threads, process.pid)
                results.append({"added_latency_ms": latency, "threads": threads, **figures})
        admin.delete("/admin/faults")
        admin.close()
    finally:
        process.terminate()
        process.wait(timeout=10)

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(
        "| added latency per source | client threads | look-ups | look-ups/s | median ms | p95 ms "
        "| client CPU ms | simulator CPU ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['added_latency_ms']} ms | {r['threads']} | {r['lookups']} | {r['lookups_per_s']:.0f} "
            f"| {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['client_cpu_ms']:.1f} "
            f"| {r['simulator_cpu_ms']:.1f} |"
        )
    print(
        "\nEach look-up asks all 8 sources (FK, AF, SO, CSN, SKV, TNS, MIV, Navet): one SSBTEK call for the"
        " seven agencies and one Navet call, in parallel. CPU ms are per look-up."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
