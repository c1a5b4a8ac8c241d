"""The whole pipeline under load: N applications through the intake API, decided by K workers.

Starts the registers simulator (every source answering after `--latency-ms`), `--web` gunicorn processes and
`--workers` worker processes on SQLite or a throwaway PostgreSQL cluster, prepares N returning households
(last month granted, written directly to the database), then submits every application through
`POST /api/v1/applications` from `--clients` threads — as fast as the web answers (the first days of a
month), or at `--rate` applications a second — and waits until the robot has finished all of them.

Reported: applications finished per minute (decided by the robot, or routed to a person), how many went to
a person and why, submission → finished latency (median, p95) from the server's own timestamps
(`Application.submitted_at` → `PipelineRun.finished_at`, i.e. decision stored and payment planned; the
letter is drawn after it on the `letters` queue, and `lettered_per_hour` counts decisions with their letters
drawn until the last is drawn or `--letters-timeout` ends the wait), and the submission rate the web
sustained.

    .venv/bin/python bench/pipeline_load.py --db sqlite --workers 1 --n 1000
    .venv/bin/python bench/pipeline_load.py --db postgres --workers 4 --n 1000
    .venv/bin/python bench/pipeline_load.py --db postgres --workers 2 --concurrency 4 --n 300
    .venv/bin/python bench/pipeline_load.py --db postgres --workers 2 --n 60 --rate 1   # latency, not load
    .venv/bin/python bench/pipeline_load.py --db postgres --workers 1 --n 200 --profile /tmp/worker.prof
"""

from __future__ import annotations

import argparse
import json
import pstats
import queue
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import ANSWERS, Household, Stack, percentile, prepare_households


def get_tokens(base: str, households: list[Household], clients: int) -> dict[str, str]:
    """A bearer token per household (development eID), fetched in parallel."""
    tokens: dict[str, str] = {}
    jobs: queue.Queue[Household] = queue.Queue()
    for household in households:
        jobs.put(household)

    def work() -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            while True:
                try:
                    household = jobs.get_nowait()
                except queue.Empty:
                    return
                response = http.post("/api/v1/dev/token", json={"personnummer": household.pnr})
                response.raise_for_status()
                tokens[household.pnr] = response.json()["token"]

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tokens


def submit_all(
    base: str,
    households: list[Household],
    tokens: dict[str, str],
    clients: int,
    rate: float,
    bodies: dict[str, dict] | None = None,
) -> tuple[list[float], int]:
    """Submit every (household, month) application; returns the POST latencies and the number refused.

    Each household sends `bodies[pnr]` when given (bench/month.py), else the "nothing changed" ANSWERS.
    """
    # Interleave households so that one household's months are not all in flight at once.
    jobs_list = []
    for index in range(max(len(h.months) for h in households)):
        jobs_list += [(h, h.months[index]) for h in households if index < len(h.months)]
    jobs: queue.Queue[tuple[int, Household, object]] = queue.Queue()
    for number, (household, month) in enumerate(jobs_list):
        jobs.put((number, household, month))
    latencies: list[float] = []
    failed = 0
    lock = threading.Lock()
    started = time.monotonic()

    def work() -> None:
        nonlocal failed
        with httpx.Client(base_url=base, timeout=120) as http:
            while True:
                try:
                    number, household, month = jobs.get_nowait()
                except queue.Empty:
                    return
                if rate > 0:
                    time.sleep(max(0.0, started + number / rate - time.monotonic()))
                answers = bodies[household.pnr] if bodies else ANSWERS
                body = {**answers, "month": month.isoformat()[:7]}
                headers = {"Authorization": f"Bearer {tokens[household.pnr]}"}
                sent = time.monotonic()
                for _attempt in range(5):  # a client retries a refused or failed submission, as an app would
                    try:
                        response = http.post("/api/v1/applications", json=body, headers=headers)
                        if response.status_code in (201, 202):  # 202: waits for the co-applicant to sign
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(1)
                else:
                    with lock:
                        failed += 1
                    continue
                with lock:
                    latencies.append(time.monotonic() - sent)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failed


def wait_until_finished(expected: int, timeout: float) -> None:
    from django.db import close_old_connections

    from bistand.casework.models import PipelineRun

    deadline = time.monotonic() + timeout
    last_print = 0.0
    while True:
        close_old_connections()
        done = PipelineRun.objects.exclude(status="running").count()
        if time.monotonic() - last_print > 15:
            print(f"  … {done}/{expected} finished", flush=True)
            last_print = time.monotonic()
        if done >= expected:
            return
        if time.monotonic() > deadline:
            print(f"  timed out with {done}/{expected} finished", flush=True)
            return
        time.sleep(1)


def wait_for_letters(since, timeout: float) -> tuple[float, int, int]:
    """Wait until every decision made since `since` has its letter (drawn on the `letters` queue).

    Returns the wall-clock moment (epoch seconds) the waiting ended, and how many decisions had their
    letters then and how many still had none (0 unless the wait timed out).
    """
    from django.db import close_old_connections

    from bistand.decisions.models import Decision

    deadline = time.monotonic() + timeout
    while True:
        close_old_connections()
        made = Decision.objects.filter(decided_at__gte=since)
        left = made.filter(letters__isnull=True).count()
        if not left or time.monotonic() > deadline:
            if left:
                print(f"  timed out with {left} letters still to draw", flush=True)
            return time.time(), made.count() - left, left
        time.sleep(1)


def first_submission(since) -> float:
    """When the first application of this run was submitted (epoch seconds)."""
    from bistand.intake.models import Application

    return min(
        Application.objects.filter(submitted_at__gte=since).values_list("submitted_at", flat=True)
    ).timestamp()


def results(expected: int) -> dict:
    from bistand.casework.models import PipelineRun

    runs = list(
        PipelineRun.objects.values_list("status", "application__submitted_at", "finished_at", "triage")
    )
    finished = [r for r in runs if r[2] is not None]
    statuses = Counter(r[0] for r in runs)
    reasons = Counter(
        code["code"] for r in runs if r[0] == "routed" for code in ((r[3] or {}).get("reasons") or [])
    )
    decided = [(r[2] - r[1]).total_seconds() for r in finished if r[0] == "decided"]
    all_latency = [(r[2] - r[1]).total_seconds() for r in finished]
    first = min(r[1] for r in runs)
    last = max(r[2] for r in finished) if finished else first
    window = (last - first).total_seconds()
    return {
        "expected": expected,
        "statuses": dict(statuses),
        "routed_because": dict(reasons.most_common()),
        "window_s": round(window, 1),
        "finished_per_minute": round(len(finished) / window * 60, 1) if window else None,
        "decided_per_minute": round(len(decided) / window * 60, 1) if window else None,
        "per_hour": round(len(finished) / window * 3600) if window else None,
        "decided_median_s": round(statistics.median(decided), 2) if decided else None,
        "decided_p95_s": round(percentile(decided, 0.95), 2) if decided else None,
        "all_median_s": round(statistics.median(all_latency), 2) if all_latency else None,
        "all_p95_s": round(percentile(all_latency, 0.95), 2) if all_latency else None,
    }


def summarise_profile(path: Path, out: Path) -> None:
    """Top functions by cumulative time in the profiled worker, written next to the profile."""
    with out.open("w") as stream:
        stats = pstats.Stats(str(path), stream=stream)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="applications (default 10 000)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--concurrency", type=int, default=1, help="task loops per worker process (threads; default 1)"
    )
    parser.add_argument("--web", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--clients", type=int, default=8, help="submitting threads")
    parser.add_argument(
        "--rate", type=float, default=0, help="applications a second (0: as fast as possible)"
    )
    parser.add_argument("--latency-ms", type=int, default=200, help="added latency per register source")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the robot")
    parser.add_argument(
        "--letters-timeout",
        type=float,
        help="seconds to wait for the letters after the last decision (default: --timeout); on time-out "
        "the letters drawn so far are reported",
    )
    parser.add_argument("--profile", type=Path, help="run the first worker under cProfile, write it here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    stack = Stack(
        db=args.db,
        web_processes=args.web,
        workers=0,
        worker_concurrency=args.concurrency,
        profile_first_worker=args.profile,
    )
    stack.start()
    try:
        from bistand.registers.simulator.population import generate

        prepared_at = time.monotonic()
        households = prepare_households(generate(1, stack.registers_size), args.n)
        prepare_s = time.monotonic() - prepared_at
        tokens = get_tokens(stack.web_url, households, args.clients)
        stack.faults({"mode": "latency", "latency_ms": args.latency_ms})
        for _ in range(args.workers):
            stack.start_worker()
        began = time.monotonic()
        from django.utils import timezone

        since = timezone.now()
        post_latencies, refused = submit_all(stack.web_url, households, tokens, args.clients, args.rate)
        submit_s = time.monotonic() - began
        print(f"  submitted {len(post_latencies)} in {submit_s:.0f} s ({refused} refused)", flush=True)
        wait_until_finished(len(post_latencies), args.timeout)
        figures = results(len(post_latencies))
        # Letters are drawn on their own queue after the decisions: the throughput with every letter drawn.
        letters_timeout = args.timeout if args.letters_timeout is None else args.letters_timeout
        lettered_at, lettered, unlettered = wait_for_letters(since, letters_timeout)
        if figures["window_s"]:
            window = lettered_at - first_submission(since)
            figures["letters_window_s"] = round(window, 1)
            figures["decisions_lettered"] = lettered
            figures["decisions_unlettered"] = unlettered
            # Decisions whose letters were all drawn, per hour from the first submission.
            figures["lettered_per_hour"] = round(lettered / window * 3600)
    finally:
        stack.stop()
    figures.update(
        db=args.db,
        workers=args.workers,
        concurrency=args.concurrency,
        web=args.web,
        clients=args.clients,
        rate=args.rate,
        latency_ms=args.latency_ms,
        households=len(households),
        prepare_s=round(prepare_s, 1),
        submitted=len(post_latencies),
        refused=refused,
        submit_per_s=round(len(post_latencies) / submit_s, 1),
        post_median_ms=round(statistics.median(post_latencies) * 1000) if post_latencies else None,
        post_p95_ms=round(percentile(post_latencies, 0.95) * 1000) if post_latencies else None,
    )
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.profile and args.profile.exists():
        summary = args.profile.with_suffix(".txt")
        summarise_profile(args.profile, summary)
        print(f"profile: {summary}")
    return 0 if figures["statuses"].get("running", 0) == 0 and not refused else 1


if __name__ == "__main__":
    sys.exit(main())
