"""`bistand decisions verify [--since DATE]`: replay every decision and list any that would differ."""

from __future__ import annotations

import argparse
import datetime
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = sub.add_parser("verify", help="recompute every decision from its stored inputs")
    verify.add_argument(
        "--since", type=datetime.date.fromisoformat, help="only decisions from this date (YYYY-MM-DD)"
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from bistand.core.manage import setup_django

    setup_django()
    from bistand.decisions.replay import verify

    checked, differences = verify(args.since)
    if args.json:
        print(json.dumps({"checked": checked, "differences": [vars(d) for d in differences]}, indent=2))
    else:
        print(f"{checked} decisions replayed, {len(differences)} differ.")
        for difference in differences:
            print(f"  {difference}")
    return 1 if differences else 0
