"""The citizen pages and the API under rising concurrency (locust): p50 and p95, and where it bends.

Starts the system (`--web` gunicorn processes on SQLite or PostgreSQL, one worker, the simulator),
prepares `--citizens` returning households (a case with last month's decision), and runs locust headless
(bench/web_locustfile.py) for `--seconds` at each step of `--users` (default 1, 10, 25, 50, 100): two of
three users are citizens (start page, sign-in page, Mina sidor signed in through the development eID),
one of three an API client (`GET /api/v1/cases/{id}` with a bearer token, `POST /api/v1/calculate`).
Every user waits 0.5–1.5 s between requests. Locust runs on the same 2 cores as the server.

    .venv/bin/python bench/web_load.py --db postgres [--users 1,10,25,50,100] [--seconds 30] [--web 4]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline_load import get_tokens
from stack import ROOT, Stack, prepare_households


def run_step(host: str, users: int, seconds: int, data: Path, out: Path) -> list[dict]:
    """One locust run at `users` users; returns its rows of statistics (one per request name + total)."""
    prefix = out / f"u{users}"
    command = [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "web_locustfile.py")]
    command += ["--headless", "--only-summary", "-u", str(users), "-r", str(users), "-t", f"{seconds}s"]
    command += ["--host", host, "--csv", str(prefix), "--stop-timeout", "5"]
    subprocess.run(
        command,
        env={**os.environ, "BISTAND_WEB_LOAD_DATA": str(data)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        timeout=seconds + 60,
    )
    with open(f"{prefix}_stats.csv", newline="") as stream:
        return list(csv.DictReader(stream))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--web", type=int, default=4, help="gunicorn processes (sync workers)")
    parser.add_argument("--users", default="1,10,25,50,100")
    parser.add_argument("--seconds", type=int, default=30, help="per step")
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    stack = Stack(db=args.db, web_processes=args.web, workers=1)
    stack.start()
    out = Path(tempfile.mkdtemp(prefix="bistand-web-load-"))
    steps = []
    try:
        from bistand.registers.simulator.population import generate

        households = prepare_households(generate(1, stack.registers_size), args.citizens, per_person=1)
        tokens = get_tokens(stack.web_url, households, 8)
        data = out / "citizens.json"
        data.write_text(
            json.dumps(
                {
                    "citizens": [
                        {"pnr": h.pnr, "token": tokens[h.pnr], "case_id": h.case_id} for h in households
                    ]
                }
            )
        )
        for users in (int(u) for u in args.users.split(",")):
            rows = run_step(stack.web_url, users, args.seconds, data, out)
            step = {"users": users, "requests": {}}
            for row in rows:
                step["requests"][row["Name"]] = {
                    "count": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"]),
                    "p95_ms": float(row["95%"]),
                    "rps": round(float(row["Requests/s"]), 1),
                }
            total = step["requests"].get("Aggregated", {})
            print(
                f"{users:>4} users: {total.get('rps')} req/s, p50 {total.get('p50_ms')} ms, "
                f"p95 {total.get('p95_ms')} ms, failures {total.get('failures')}",
                flush=True,
            )
            steps.append(step)
            time.sleep(2)
    finally:
        stack.stop()
    result = {"db": args.db, "web": args.web, "seconds": args.seconds, "steps": steps}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
