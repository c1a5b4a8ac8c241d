"""Benchmark: register look-ups (all eight sources) against the simulator over real HTTP on loopback.

Starts ``bistand registers serve`` as a subprocess on a free port, then measures look-ups per second and
the median / 95th percentile time per look-up, sequentially and from several threads, without and with
added latency on every source (fault injection). Every loop is bounded in count and time.

    .venv/bin/python bench/registers_bench.py [--lookups 300] [--threads 4] [--latency-ms 50]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bistand.registers import ClientSettings, http_gateway  # noqa: E402
from bistand.registers.population import generate  # noqa: E402

MONTH = "2026-03"
TIME_LIMIT_S = 30.0  # per scenario


def start_simulator(seed: int, size: int) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "bistand.ops.cli", "registers", "serve", "--port", "0"]
    command += ["--seed", str(seed), "--size", str(size)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if "http://" not in line:
        process.kill()
        raise SystemExit("the simulator did not start")
    url = line[line.index("http://") :].split()[0]
    for _ in range(100):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the simulator did not become healthy")


def run_scenario(url: str, persons: list[str], lookups: int, threads: int) -> dict[str, float]:
    settings = ClientSettings(timeout=5.0, retries=0, max_workers=8 * threads)
    durations: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT_S
    with http_gateway(url, settings) as gateway:
        gateway.lookup(persons[0], MONTH)  # warm up the connection pool

        def one(index: int) -> None:
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            answer = gateway.lookup(persons[index % len(persons)], MONTH)
            elapsed = time.perf_counter() - started
            if not answer.complete:
                raise RuntimeError(f"incomplete answer: {answer.errors}")
            with lock:
                durations.append(elapsed)

        started = time.perf_counter()
        if threads == 1:
            for i in range(lookups):
                one(i)
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(one, range(lookups)))
        wall = time.perf_counter() - started
    durations.sort()
    return {
        "lookups": len(durations),
        "lookups_per_s": len(durations) / wall,
        "median_ms": statistics.median(durations) * 1000,
        "p95_ms": durations[int(len(durations) * 0.95) - 1] * 1000,
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
        admin = httpx.Client(base_url=url, timeout=5)
        for latency in (0, args.latency_ms):
            admin.delete("/admin/faults")
            if latency:
                admin.post("/admin/faults", json={"mode": "latency", "latency_ms": latency})
            for threads in (1, args.threads):
                figures = run_scenario(url, persons, args.lookups, threads)
                results.append({"added_latency_ms": latency, "threads": threads, **figures})
        admin.delete("/admin/faults")
        admin.close()
    finally:
        process.terminate()
        process.wait(timeout=10)

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print("| added latency per source | client threads | look-ups | look-ups/s | median ms | p95 ms |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['added_latency_ms']} ms | {r['threads']} | {r['lookups']} | {r['lookups_per_s']:.0f} "
            f"| {r['median_ms']:.1f} | {r['p95_ms']:.1f} |"
        )
    print("\nEach look-up asks all 8 sources (FK, AF, SO, CSN, SKV, TNS, MIV, Navet) in parallel.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
