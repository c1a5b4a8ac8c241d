"""Benchmark of the rules engine: one household at a time, and 100 000 households in one batch.

    .venv/bin/python bench/rules_bench.py            # full run (about a minute)
    .venv/bin/python bench/rules_bench.py --quick    # smaller, for a smoke test

Single path: each call is timed on its own with time.perf_counter_ns and the median is reported, over
random households of every year and feature (seeded, so runs are comparable). Batch path: the median of
several runs of the vectorised calculation over 100 000 households, plus the one-off cost of reading
and checking them. Targets (issue 3): < 100 µs per household without explanation, < 1 s for 100 000.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from decimal import Decimal

import numpy as np

from bistand.api.openapi import EXAMPLE_INPUT
from bistand.rules import calculate, default_parameters, explain, validate
from bistand.rules.batch import build_columns, compute, read_jsonl
from bistand.rules.money import dumps
from bistand.rules.synthetic import random_household

# The contract's example household, as the OpenAPI document shows it.
CONTRACT_EXAMPLE = EXAMPLE_INPUT


def per_call_median_us(fn, items, rounds: int) -> float:
    """Median of individually timed calls (µs), after one warm-up pass."""
    for item in items[:200]:
        fn(item)
    samples = []
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for item in items:
            start = clock()
            fn(item)
            samples.append(clock() - start)
    return statistics.median(samples) / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer households and rounds")
    parser.add_argument("--batch", type=int, default=100_000, help="households in the batch (100000)")
    args = parser.parse_args()
    single_count, rounds, batch_size, batch_runs = (
        (300, 3, 10_000, 3) if args.quick else (2000, 5, args.batch, 7)
    )

    params = default_parameters()
    rng = random.Random(2026)
    households = [random_household(rng) for _ in range(single_count)]
    example = [CONTRACT_EXAMPLE] * 500

    rows = []
    calc = per_call_median_us(lambda d: calculate(d, params), households, rounds)
    rows.append(("single, random households, no explanation", f"{calc:.1f} µs", "target < 100 µs"))
    calc_example = per_call_median_us(lambda d: calculate(d, params), example, rounds)
    rows.append(("single, the contract's example, no explanation", f"{calc_example:.1f} µs", ""))
    validated = [validate(d, params) for d in households]
    engine_only = per_call_median_us(lambda h: calculate(h, params), validated, rounds)
    rows.append(("  of which the calculation (input already checked)", f"{engine_only:.1f} µs", ""))
    with_sv = per_call_median_us(lambda d: explain(calculate(d, params), "sv"), households, rounds)
    rows.append(("single, with Swedish explanation", f"{with_sv:.1f} µs", f"× {with_sv / calc:.1f}"))
    with_json = per_call_median_us(
        lambda text: dumps(calculate(json.loads(text, parse_float=Decimal), params).to_dict()),
        [dumps(d, indent=None) for d in households],
        rounds,
    )
    rows.append(
        ("single, JSON text in and out (as the API)", f"{with_json:.1f} µs", f"× {with_json / calc:.1f}")
    )

    # Batch: synthetic households, validated once, then the vectorised calculation timed repeatedly.
    brng = random.Random(7)
    batch = [random_household(brng) for _ in range(batch_size)]
    lines = [dumps(d, indent=None) for d in batch]
    start = time.perf_counter()
    checked, errors = read_jsonl(lines, params)
    read_s = time.perf_counter() - start
    assert not errors
    start = time.perf_counter()
    columns = build_columns(checked, params)
    columns_s = time.perf_counter() - start
    runs = []
    for _ in range(batch_runs):
        start = time.perf_counter()
        totals = compute(columns, params)
        runs.append(time.perf_counter() - start)
    compute_s = statistics.median(runs)
    reform = params.scaled(Decimal("1.02"))
    start = time.perf_counter()
    compute(columns, reform)
    reform_s = time.perf_counter() - start
    n = len(checked)
    rows.append(
        (
            f"batch, {n:,} households: vectorised calculation",
            f"{compute_s:.3f} s",
            f"{compute_s / n * 1e6:.2f} µs each; target < 1 s",
        )
    )
    rows.append((f"batch, {n:,} households: same with norm × 1.02", f"{reform_s:.3f} s", ""))
    rows.append((f"batch, {n:,} households: build columns (once)", f"{columns_s:.2f} s", ""))
    rows.append((f"batch, {n:,} households: read JSON lines and check (once)", f"{read_s:.2f} s", ""))
    total = read_s + columns_s + compute_s
    rows.append(
        (
            f"batch, {n:,} households: end to end from JSON lines",
            f"{total:.2f} s",
            f"× {compute_s / (calc * 1e-6 * n):.3f} of the single path's calculation time",
        )
    )
    entitled = int((totals.entitlement > 0).sum())
    monthly = Decimal(int(np.sum(totals.entitlement))) / 100

    width = max(len(r[0]) for r in rows) + 2
    print(
        f"Rules engine benchmark — Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{platform.machine()}, {'quick' if args.quick else 'full'} run"
    )
    print(
        f"(single path: median of {single_count * rounds:,} timed calls; batch: median of {batch_runs} runs)"
    )
    print()
    for name, value, note in rows:
        print(f"{name:<{width}}{value:>12}   {note}")
    print()
    print(f"Check: {entitled:,} of {n:,} batch households entitled, {monthly:,} kr in total.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
