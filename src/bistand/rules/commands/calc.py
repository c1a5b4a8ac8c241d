"""`bistand calc FILE.json` — calculate försörjningsstöd for one household.

Prints the result JSON (the calculation contract) on standard output, or with `--explain` the same
calculation as plain Swedish text (`--lang en` for English).

Exit codes: 0 calculated; 1 the input cannot be calculated — the errors are printed on standard output
as the contract's JSON list of `{"field": ..., "message": ...}` (as readable text with `--explain`),
and a one-line summary goes to standard error; 2 wrong use of the command.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal

from bistand.rules.commands import write_err, write_out
from bistand.rules.engine import calculate
from bistand.rules.explain import explain
from bistand.rules.messages import message
from bistand.rules.money import dumps
from bistand.rules.validation import InvalidInput


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument(
        "file", help="the household as JSON (see docs/calculation.md), or - for standard input"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print the calculation as plain text instead of JSON"
    )
    parser.add_argument(
        "--lang", choices=("sv", "en"), default="sv", help="language of text and messages (sv)"
    )
    parser.add_argument("--compact", action="store_true", help="print the JSON on one line")
    parser.epilog = (
        "Exit status: 0 calculated; 1 the input cannot be calculated (the errors are printed on standard "
        "output as a JSON list of {field, message}, or as text with --explain); 2 wrong use of the command."
    )


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.buffer.read().decode("utf-8")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def run(args: argparse.Namespace) -> int:
    """Calculate and print; returns the exit code."""
    lang = args.lang
    try:
        text = _read(args.file)
    except OSError as exc:
        return _fail(args, [{"field": "", "message": _cannot_read(args.file, exc, lang)}])
    except UnicodeDecodeError:
        return _fail(args, [{"field": "", "message": message("not_json", lang, detail="not UTF-8")}])
    try:
        data = json.loads(text, parse_float=Decimal)
    except ValueError as exc:
        return _fail(args, [{"field": "", "message": message("not_json", lang, detail=str(exc))}])
    try:
        result = calculate(data, lang=lang)
    except InvalidInput as exc:
        return _fail(args, exc.as_list(lang))
    if args.explain:
        write_out(explain(result, lang))
    else:
        write_out(dumps(result.to_dict(), indent=None if args.compact else 2) + "\n")
    return 0


def _cannot_read(path: str, exc: OSError, lang: str) -> str:
    reason = exc.strerror or str(exc)
    return (
        f"Kan inte läsa filen {path}: {reason}."
        if lang != "en"
        else f"Cannot read the file {path}: {reason}."
    )


def _fail(args: argparse.Namespace, errors: list[dict[str, str]]) -> int:
    if args.explain:
        heading = (
            "Beräkningen kunde inte göras:" if args.lang != "en" else "The calculation could not be made:"
        )
        lines = [heading] + [
            f"  - {e['field']}: {e['message']}" if e["field"] else f"  - {e['message']}" for e in errors
        ]
        write_out("\n".join(lines) + "\n")
    else:
        write_out(dumps(errors, indent=None if args.compact else 2) + "\n")
    count = len(errors)
    if args.lang == "en":
        write_err(f"Invalid input: {count} error{'s' if count != 1 else ''}.\n")
    else:
        write_err(f"Ogiltiga uppgifter: {count} fel.\n")
    return 1
