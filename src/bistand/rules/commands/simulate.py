"""`bistand simulate FILE.jsonl` — many households at once, for policy questions.

Reads one household per line (the calculation contract's input, `rules.jsonl`), computes them all with
the vectorised batch path, and prints per month: households, how many get support and the total. With a
variant (`--norm-factor`, `--jobbstimulans-share`, `--cap`) it compares baseline and variant: the cost,
how many households gain or lose, and the same per household type, as a table and, with `--chart`, as an
SVG chart. For example, what a 2 % higher norm with a cap of 25 000 kr would cost:

    bistand simulate households.jsonl --norm-factor 1.02 --cap 25000 --chart norm.svg

`--random N` draws N synthetic households instead of reading a file (a demonstration; `--seed`).
Lines that are not valid input are skipped, counted, and reported on standard error with their errors.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from bistand.rules import chart, simulation
from bistand.rules.batch import Columns, Totals, build_columns, compute
from bistand.rules.commands import write_err, write_out
from bistand.rules.jsonl import Batch, Reason, read_file
from bistand.rules.money import dumps, format_sek, from_ore
from bistand.rules.parameters import ParameterSet, default_parameters
from bistand.rules.simulation import HOUSEHOLD_TYPES, Comparison, Variant
from bistand.rules.synthetic import random_household
from bistand.rules.validation import validate

REASONS_OF = 250  # refused lines whose errors are counted for the report (validate words each: ~35 µs)


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
        "--cap", type=_decimal, metavar="KR", help="variant: at most this much försörjningsstöd per household"
    )
    parser.add_argument("--chart", type=Path, metavar="FILE.svg", help="draw the comparison as an SVG chart")
    parser.add_argument(
        "--output", type=Path, help="write each household's totals as JSON lines to this file"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--lang", choices=("sv", "en"), default="sv")


def _variant(params: ParameterSet, args: argparse.Namespace) -> Variant | None:
    """The variant the options describe, or None when they describe none."""
    changed = params
    labels = []
    if args.norm_factor is not None:
        changed = changed.scaled(args.norm_factor, args.round_to or None)
        labels.append(f"riksnorm × {args.norm_factor}")
    if args.jobbstimulans_share is not None:
        changed = changed.with_jobbstimulans_share(args.jobbstimulans_share)
        labels.append(f"jobbstimulans {args.jobbstimulans_share * 100:g} %")
    if args.cap is not None:
        labels.append(("cap " if args.lang == "en" else "tak ") + format_sek(args.cap, args.lang))
    if not labels:
        return None
    return Variant(changed, args.cap, ", ".join(labels))


def _read(args: argparse.Namespace, params: ParameterSet) -> tuple[Columns, Batch | None]:
    """The households as columns, and the batch read (None for --random)."""
    if args.random:
        rng = random.Random(args.seed)  # noqa: S311 - synthetic test data, not security
        households = [
            validate(random_household(rng, last_year=params.last_year), params) for _ in range(args.random)
        ]
        return build_columns(households, params), None
    if str(args.file) == "-":
        batch = read_file(sys.stdin.buffer, params, args.lang)
    else:
        with args.file.open("rb") as handle:
            batch = read_file(handle, params, args.lang)
    return batch.columns, batch


def run(args: argparse.Namespace) -> int:
    """Simulate and print the summary; returns the exit code."""
    lang = args.lang
    if not args.random and args.file is None:
        write_err("Ange en fil eller --random N.\n" if lang != "en" else "Give a file or --random N.\n")
        return 2
    params = default_parameters()
    started = time.perf_counter()
    try:
        columns, batch = _read(args, params)
    except OSError as exc:
        name = exc.filename or args.file
        write_err(
            f"Kan inte läsa {name}: {exc.strerror}\n"
            if lang != "en"
            else f"Cannot read {name}: {exc.strerror}\n"
        )
        return 2
    invalid = batch.invalid_count if batch else 0
    refused = _Refused(invalid, [], 0)
    if batch and invalid:
        errors = batch.errors(limit=REASONS_OF)
        refused = _Refused(invalid, batch.reasons(errors), len(errors))
        for number, problems in errors[:20]:
            for problem in problems:
                write_err(f"line {number}: {problem['field'] or '(input)'}: {problem['message']}\n")
        if invalid > 20:
            write_err(f"… and {invalid - 20} more invalid lines\n")
    if not len(columns):
        write_err("Inga giltiga hushåll.\n" if lang != "en" else "No valid households.\n")
        return 1
    loaded = time.perf_counter()
    variant = _variant(params, args)
    if variant is None:
        base = compute(columns, params)
        comparison = None
    else:
        comparison = simulation.run(columns, params, variant)
        base = comparison.base
    done = time.perf_counter()

    summary = _summary(columns, base, comparison)
    timing = {"read_and_check_s": loaded - started, "compute_s": done - loaded}
    try:
        if args.output:
            _write_rows(args.output, columns.month_labels(), base, comparison)
        if args.chart and comparison is not None:
            args.chart.write_text(chart.svg(comparison, lang, variant.label), encoding="utf-8")
    except OSError as exc:
        name = exc.filename
        write_err(
            f"Kan inte skriva {name}: {exc.strerror}\n"
            if lang != "en"
            else f"Cannot write {name}: {exc.strerror}\n"
        )
        return 2
    if args.json:
        out = {
            "households": len(columns),
            "invalid_lines": invalid,
            "invalid_reasons": {
                "lines_counted": refused.counted,
                "by_field": [reason._asdict() for reason in refused.reasons],
            },
            "months": summary,
            "timing": {k: round(v, 4) for k, v in timing.items()},
        }
        if comparison is not None:
            out["variant"] = variant.label
            out["overall"] = comparison.overall.as_dict()
            out["by_type"] = [g.as_dict() for g in comparison.by_type]
        write_out(dumps(out) + "\n")
    else:
        write_out(_report(summary, comparison, lang, len(columns), refused, timing, variant))
    return 0


def _summary(columns: Columns, base: Totals, comparison: Comparison | None) -> list[dict]:
    if comparison is not None:
        out = []
        for group in comparison.by_month:
            row = group.as_dict()
            row["month"] = row.pop("key")
            out.append(row)
        return out
    out = []
    for index, month in sorted(enumerate(columns.months), key=lambda pair: pair[1]):
        mask = columns.month == index
        out.append(
            {
                "month": f"{month:%Y-%m}",
                "households": int(mask.sum()),
                "with_support": int((base.entitlement[mask] > 0).sum()),
                "total": from_ore(base.entitlement[mask].sum()),
            }
        )
    return out


def _columns_text(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    ]


def _report(
    summary: list[dict],
    comparison: Comparison | None,
    lang: str,
    count: int,
    refused: _Refused,
    timing: dict,
    variant: Variant | None,
) -> str:
    en = lang == "en"

    def kr(amount: Decimal) -> str:
        return format_sek(amount, lang)

    head = (
        ["Month", "Households", "With support", "Total"] if en else ["Månad", "Hushåll", "Med stöd", "Summa"]
    )
    if comparison is not None:
        head += (
            ["With support after", "Total after", "Difference"]
            if en
            else ["Med stöd efter", "Summa efter", "Skillnad"]
        )
    rows = [head]
    for r in summary:
        cells = [r["month"], str(r["households"]), str(r["with_support"]), kr(r["total"])]
        if comparison is not None:
            cells += [str(r["with_support_after"]), kr(r["total_after"]), kr(r["difference"])]
        rows.append(cells)
    if comparison is not None and len(summary) > 1:
        g = comparison.overall
        rows.append(
            [
                "Total" if en else "Totalt",
                str(g.households),
                str(g.with_support),
                kr(g.total),
                str(g.with_support_after),
                kr(g.total_after),
                kr(g.difference),
            ]
        )
    elif len(summary) > 1:
        rows.append(
            [
                "Total" if en else "Totalt",
                str(sum(r["households"] for r in summary)),
                str(sum(r["with_support"] for r in summary)),
                kr(sum((r["total"] for r in summary), Decimal(0))),
            ]
        )
    parts = ["\n".join(_columns_text(rows))]
    if comparison is not None:
        head = (
            ["Household type", "Households", "Total now", "Total after", "Difference", "Gain", "Lose"]
            if en
            else ["Hushållstyp", "Hushåll", "Summa nu", "Summa efter", "Skillnad", "Får mer", "Får mindre"]
        )
        names = {key: (sv, en_name) for key, sv, en_name in HOUSEHOLD_TYPES}
        rows = [head]
        for g in [*comparison.by_type, comparison.overall]:
            name = ("All" if en else "Alla") if g.key == "all" else names[g.key][en]
            rows.append(
                [
                    name,
                    str(g.households),
                    kr(g.total),
                    kr(g.total_after),
                    kr(g.difference),
                    str(g.gainers),
                    str(g.losers),
                ]
            )
        title = f"{'Variant' if en else 'Ändring'}: {variant.label}" if variant else ""
        parts.append(title + "\n" + "\n".join(_columns_text(rows)))
    note = (
        f"{count} households, {refused.count} invalid lines skipped. "
        f"Time: read and check {timing['read_and_check_s']:.2f} s, calculation {timing['compute_s']:.3f} s."
        if en
        else f"{count} hushåll, {refused.count} ogiltiga rader hoppades över. Tid: läsa och kontrollera "
        f"{timing['read_and_check_s']:.2f} s, beräkning {timing['compute_s']:.3f} s."
    )
    return "\n\n".join(parts) + "\n\n" + _refused_text(refused, count, en) + note + "\n"


class _Refused(NamedTuple):
    """The lines refused: how many, and why, counted over the first `counted` of them."""

    count: int
    reasons: list[Reason]
    counted: int


def _refused_text(refused: _Refused, count: int, en: bool) -> str:
    """A paragraph saying plainly how many lines were refused and the commonest reason (empty if none):
    an analyst comparing with another engine sees which households this one did not compute."""
    if not refused.count:
        return ""
    top = refused.reasons[0]
    lines = refused.count + count
    percent = f"{refused.count / lines * 100:.1f}"
    if en:
        return (
            f"Refused: {refused.count} of {lines} lines ({percent}%) are not valid input under "
            f"the calculation contract and were not computed. Commonest reason, in {top.lines} of the first "
            f"{refused.counted} refused lines: {top.field}: {top.example}\n"
        )
    return (
        f"Avvisade: {refused.count} av {lines} rader ({percent.replace('.', ',')} %) är inte giltig indata enligt "
        f"beräkningskontraktet och beräknades inte. Vanligaste skälet, i {top.lines} av de första "
        f"{refused.counted} avvisade raderna: {top.field}: {top.example}\n"
    )


def _write_rows(path: Path, months: list[str], base: Totals, comparison: Comparison | None) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i, month in enumerate(months):
            row = {"household": i + 1, "month": month}
            for name in ("norm", "costs", "income", "deficit", "entitlement"):
                row[name] = from_ore(getattr(base, name)[i])
            if comparison is not None:
                row["entitlement_after"] = from_ore(comparison.after.entitlement[i])
            handle.write(dumps(row, indent=None) + "\n")
