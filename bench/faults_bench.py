"""Faults at scale: workers killed at random, registers failing a fifth of their calls, PostgreSQL restarted.

Starts the system on a throwaway PostgreSQL cluster (or SQLite with `--db sqlite`, without restarts),
prepares N returning households, submits every application through the intake API (clients retry what
fails, as an app would), and meanwhile, from one seeded random generator:

- kills a random worker process with SIGKILL every 1–4 s and starts a replacement;
- restarts PostgreSQL (`pg_ctl restart -m fast`) `--restarts` times at random moments;
- has citizens upload documentation (`conversation.services.add_upload`), retrying what fails;
- and the registers simulator fails 20 % of all calls (`{"mode": "error", "probability": 0.2}`) on top
  of `--latency-ms` per source.

When the chaos ends the faults stop and the surviving workers finish. Then the checks of
tests/faults/invariants.py: every application decided or in a person's queue, no decision, decision event,
payment plan or payment order twice, payments equal to the amounts granted, every letter and every
acknowledged upload on disk.

    .venv/bin/python bench/faults_bench.py --n 2000 --workers 4 --chaos-seconds 240 --restarts 3
    .venv/bin/python bench/faults_bench.py --n 24 --chaos-seconds 14 --restarts 1   # as tests/faults does
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline_load import get_tokens, submit_all
from stack import Stack, prepare_households


def with_retries(action: Callable[[], Any], attempts: int = 30) -> Any:
    """Run a database action, retrying while the database is away (a restart takes a few seconds)."""
    from django.db import DatabaseError, close_old_connections, connections

    for attempt in range(attempts):
        try:
            close_old_connections()
            return action()
        except DatabaseError:
            connections.close_all()
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
    return None


def png(seed: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (seed % 256, 90, 150)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(case_id: int, seed: int) -> tuple[str, str]:
    """One documentation request answered with one file; (reference, sha256) once stored."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from bistand.cases.models import Case
    from bistand.conversation.services import add_upload, request_documents

    case = Case.objects.select_related("applicant").get(pk=case_id)
    request = request_documents(case, "Kontoutdrag för förra månaden", datetime.date(2026, 12, 31))
    stored = add_upload(
        request, SimpleUploadedFile(f"underlag-{seed}.png", png(seed), "image/png"), case.applicant
    )
    return str(stored.reference), stored.sha256


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--error-share", type=float, default=0.2, help="share of register calls that fail")
    parser.add_argument("--chaos-seconds", type=float, default=120)
    parser.add_argument("--restarts", type=int, default=2, help="PostgreSQL restarts during the chaos")
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 1_000_000)
    parser.add_argument("--registers-size", type=int, default=14_000)
    parser.add_argument("--finish-within", type=float, default=900, help="seconds after the chaos")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.db == "sqlite":
        args.restarts = 0
    chaos = random.Random(args.seed)

    # Short heartbeat and stall time, so that runs a killed worker held are taken up within seconds.
    stack = Stack(
        db=args.db,
        web_processes=args.web,
        workers=0,
        registers_size=args.registers_size,
        heartbeat=1.0,
        stalled_after=5.0,
    )
    stack.start()
    report: dict[str, Any] = {"seed": args.seed, "db": args.db, "workers": args.workers, "n": args.n}
    try:
        from tests.faults.invariants import outcome_counts, problems

        from bistand.casework.models import PipelineRun
        from bistand.decisions.models import Decision
        from bistand.registers.simulator.population import generate

        households = prepare_households(generate(1, stack.registers_size), args.n)
        tokens = get_tokens(stack.web_url, households, args.clients)
        stack.faults(
            {"mode": "latency", "latency_ms": args.latency_ms},
            {"mode": "error", "status": 503, "probability": args.error_share, "seed": args.seed},
        )
        for _ in range(args.workers):
            stack.start_worker()

        submitted: dict[str, Any] = {}

        def submit() -> None:
            latencies, refused = submit_all(stack.web_url, households, tokens, args.clients, 0)
            submitted.update(count=len(latencies), refused=refused)

        submitter = threading.Thread(target=submit)
        submitter.start()
        began = time.monotonic()
        # Restarts in the first half, while there is surely work in flight.
        restart_at = sorted(chaos.uniform(2, args.chaos_seconds / 2) for _ in range(args.restarts))
        upload_at = sorted(chaos.uniform(1, args.chaos_seconds) for _ in range(args.uploads))
        upload_cases = [h.case_id for h in chaos.sample(households, min(args.uploads, len(households)))]
        kills, restarts, away, uploads, running_at_restart = 0, 0, [], [], []

        def unfinished() -> int:
            return PipelineRun.objects.filter(status="running").count()

        def unlettered() -> int:
            # Letters are drawn on their own queue after the decision is stored: wait for them too.
            # Only this run's decisions: the households' history decisions were written without letters.
            runs = PipelineRun.objects.values("application_id")
            return Decision.objects.filter(application_id__in=runs, letters__isnull=True).count()

        next_kill = began + chaos.uniform(1, 4)
        while time.monotonic() - began < args.chaos_seconds:
            now = time.monotonic() - began
            if time.monotonic() >= next_kill:
                live = stack.live_workers()
                if live:
                    stack.kill(chaos.choice(live))
                    kills += 1
                stack.start_worker()
                next_kill = time.monotonic() + chaos.uniform(1, 4)
            if restart_at and now >= restart_at[0]:
                restart_at.pop(0)
                running_at_restart.append(with_retries(unfinished))
                away.append(round(stack.postgres.restart(), 2))
                restarts += 1
            if upload_at and now >= upload_at[0] and upload_cases:
                upload_at.pop(0)
                case_id = upload_cases.pop()
                uploads.append(with_retries(lambda case_id=case_id: upload(case_id, case_id)))
            time.sleep(0.1)
        submitter.join()
        stack.faults()  # the faults stop; what was left must now be finished
        while len(stack.live_workers()) < args.workers:
            stack.start_worker()

        deadline = time.monotonic() + args.finish_within
        while (with_retries(unfinished) or with_retries(unlettered)) and time.monotonic() < deadline:
            time.sleep(1)
        finished_s = time.monotonic() - began
        ids = with_retries(lambda: list(PipelineRun.objects.values_list("application_id", flat=True)))
        report.update(
            submitted=submitted.get("count"),
            refused=submitted.get("refused"),
            workers_killed=kills,
            postgres_restarts=restarts,
            postgres_away_s=away,
            unfinished_at_restart=running_at_restart,
            uploads_acknowledged=len(uploads),
            seconds_to_finish=round(finished_s, 1),
            outcomes=with_retries(lambda: outcome_counts(ids)),
            problems=with_retries(lambda: problems(ids, uploads, stack.data_dir / "files")),
        )
    finally:
        stack.stop()
    print(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    return 0 if not report.get("problems") and report.get("outcomes") else 1


if __name__ == "__main__":
    sys.exit(main())
