"""`bistand decisions verify [--since DATE]`: replay every decision and list any that would differ.

`bistand decisions review-norm [--since MONTH]`: list decisions in force whose riksnorm lines would change
with the tables in use now, with the difference, so that a person can correct them in the citizen's favour.
"""

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
    review = sub.add_parser(
        "review-norm", help="list decisions whose riksnorm lines would change with the current tables"
    )
    review.add_argument(
        "--since",
        type=datetime.date.fromisoformat,
        help="only decisions for months from this date (YYYY-MM-DD)",
    )
    review.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.core.django_setup import setup_django

    setup_django()
    if args.action == "review-norm":
        return _review_norm(args)
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.decisions.replay import verify

    checked, differences = verify(args.since)
    if args.json:
        print(json.dumps({"checked": checked, "differences": [vars(d) for d in differences]}, indent=2))
    else:
        print(f"{checked} decisions replayed, {len(differences)} differ.")
        for difference in differences:
            print(f"  {difference}")
    return 1 if differences else 0


def _review_norm(args: argparse.Namespace) -> int:
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.decisions.norm_review import review_all

    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.rules.money import dumps

    checked, found = review_all(args.since)
    if args.json:
        print(dumps({"checked": checked, "decisions": [r.to_dict() for r in found]}, indent=2))
    else:
        print(f"{checked} decisions in force reviewed, {len(found)} with norm lines that would change.")
        for item in found:
            print(item)
        if any(r.difference > 0 for r in found):
            print("A higher norm is in the citizen's favour: correct those decisions (rättelse, FL 36 §).")
    return 1 if found else 0
