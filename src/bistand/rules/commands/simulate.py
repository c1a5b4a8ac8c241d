"""`bistand simulate FILE.jsonl` — many households at once, for policy questions.

Reads one household per line (the calculation contract's input), computes them all with the vectorised
batch path, and prints per month: households, how many get support, the total, and — with a change of
parameters — the same under the change and the difference. For example, what a 2 % higher norm costs:

    bistand simulate households.jsonl --norm-factor 1.02

`--random N` draws N synthetic households instead of reading a file (a demonstration; `--seed`).
Lines that are not valid input are skipped and reported on standard error with their errors.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np

from bistand.rules.batch import Totals, build_columns, compute, read_jsonl
from bistand.rules.commands import write_err, write_out
from bistand.rules.money import dumps, format_sek
from bistand.rules.parameters import ParameterSet, default_parameters
from bistand.rules.synthetic import random_household
from bistand.rules.validation import validate


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from exc
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"not a non-negative number: {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the command's options."""
    parser.add_argument(
        "file", nargs="?", type=Path, help="households, one JSON object per line (- for stdin)"
    )
    parser.add_argument("--random", type=int, metavar="N", help="use N random synthetic households instead")
    parser.add_argument("--seed", type=int, default=1, help="seed for --random (1)")
    parser.add_argument(
        "--norm-factor", type=_decimal, help="multiply every riksnorm amount, e.g. 1.02 for +2 %%"
    )
    parser.add_argument(
        "--round-to",
        type=_decimal,
        default=Decimal(10),
        help="round each changed norm amount to this many kronor, as the government does (10; 0 = öre)",
    )
    parser.add_argument("--jobbstimulans-share", type=_decimal, help="share of salary left out, e.g. 0.30")
    parser.add_argument(
        "--output", type=Path, help="write each household's totals as JSON lines to this file"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--lang", choices=("sv", "en"), default="sv")


def _reform(params: ParameterSet, args: argparse.Namespace) -> ParameterSet | None:
    reform = None
    if args.norm_factor is not None:
        reform = params.scaled(args.norm_factor, args.round_to or None)
    if args.jobbstimulans_share is not None:
        reform = (reform or params).with_jobbstimulans_share(args.jobbstimulans_share)
    return reform


def run(args: argparse.Namespace) -> int:
    """Simulate and print the summary; returns the exit code."""
    lang = args.lang
    params = default_parameters()
    started = time.perf_counter()
    if args.random:
        rng = random.Random(args.seed)  # noqa: S311 - synthetic test data, not security
        households = [
            validate(random_household(rng, last_year=params.last_year), params) for _ in range(args.random)
        ]
        errors: list = []
    elif args.file is not None:
        if str(args.file) == "-":
            households, errors = read_jsonl(sys.stdin, params, lang)
        else:
            with args.file.open(encoding="utf-8") as handle:
                households, errors = read_jsonl(handle, params, lang)
    else:
        write_err("Ange en fil eller --random N.\n" if lang != "en" else "Give a file or --random N.\n")
        return 2
    for number, problems in errors[:20]:
        for problem in problems:
            write_err(f"line {number}: {problem['field'] or '(input)'}: {problem['message']}\n")
    if len(errors) > 20:
        write_err(f"… and {len(errors) - 20} more invalid lines\n")
    if not households:
        write_err("Inga giltiga hushåll.\n" if lang != "en" else "No valid households.\n")
        return 1
    loaded = time.perf_counter()
    columns = build_columns(households, params)
    built = time.perf_counter()
    base = compute(columns, params)
    reform_params = _reform(params, args)
    reform = compute(columns, reform_params) if reform_params else None
    done = time.perf_counter()

    months = [h.month_label for h in households]
    summary = _summary(months, base, reform)
    timing = {"read_and_validate_s": loaded - started, "columns_s": built - loaded, "compute_s": done - built}
    if args.output:
        _write_rows(args.output, months, base, reform)
    if args.json:
        write_out(
            dumps(
                {
                    "households": len(households),
                    "invalid_lines": len(errors),
                    "months": summary,
                    "timing": {k: round(v, 4) for k, v in timing.items()},
                }
            )
            + "\n"
        )
    else:
        write_out(_table(summary, reform is not None, lang, len(households), len(errors), timing))
    return 0


def _summary(months: list[str], base: Totals, reform: Totals | None) -> list[dict]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, month in enumerate(months):
        groups[month].append(i)
    out = []
    for month in sorted(groups):
        idx = np.array(groups[month])
        row = {
            "month": month,
            "households": len(idx),
            "with_support": int((base.entitlement[idx] > 0).sum()),
            "total": Decimal(int(base.entitlement[idx].sum())) / 100,
        }
        if reform is not None:
            row["with_support_after"] = int((reform.entitlement[idx] > 0).sum())
            row["total_after"] = Decimal(int(reform.entitlement[idx].sum())) / 100
            row["difference"] = row["total_after"] - row["total"]
        out.append(row)
    return out


def _table(summary: list[dict], changed: bool, lang: str, count: int, invalid: int, timing: dict) -> str:
    en = lang == "en"
    head = (
        ["Month", "Households", "With support", "Total"] if en else ["Månad", "Hushåll", "Med stöd", "Summa"]
    )
    if changed:
        head += (
            ["With support after", "Total after", "Difference"]
            if en
            else ["Med stöd efter", "Summa efter", "Skillnad"]
        )
    rows = [head]
    totals = defaultdict(Decimal)
    for r in summary:
        cells = [r["month"], str(r["households"]), str(r["with_support"]), format_sek(r["total"], lang)]
        if changed:
            cells += [
                str(r["with_support_after"]),
                format_sek(r["total_after"], lang),
                format_sek(r["difference"], lang),
            ]
        rows.append(cells)
        for key in ("households", "with_support", "total", "with_support_after", "total_after", "difference"):
            if key in r:
                totals[key] += Decimal(r[key])
    if len(summary) > 1:
        cells = [
            "Total" if en else "Totalt",
            str(totals["households"]),
            str(totals["with_support"]),
            format_sek(totals["total"], lang),
        ]
        if changed:
            cells += [
                str(totals["with_support_after"]),
                format_sek(totals["total_after"], lang),
                format_sek(totals["difference"], lang),
            ]
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    ]
    note = (
        f"{count} households, {invalid} invalid lines skipped. "
        f"Time: read and check {timing['read_and_validate_s']:.2f} s, "
        f"columns {timing['columns_s']:.2f} s, calculation {timing['compute_s']:.3f} s."
        if en
        else f"{count} hushåll, {invalid} ogiltiga rader hoppades över. Tid: läsa och kontrollera "
        f"{timing['read_and_validate_s']:.2f} s, kolumner {timing['columns_s']:.2f} s, "
        f"beräkning {timing['compute_s']:.3f} s."
    )
    return "\n".join(lines) + "\n\n" + note + "\n"


def _write_rows(path: Path, months: list[str], base: Totals, reform: Totals | None) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i, month in enumerate(months):
            row = {"household": i + 1, "month": month}
            for name in ("norm", "costs", "income", "deficit", "entitlement"):
                row[name] = Decimal(int(getattr(base, name)[i])) / 100
            if reform is not None:
                row["entitlement_after"] = Decimal(int(reform.entitlement[i])) / 100
            handle.write(dumps(row, indent=None) + "\n")
