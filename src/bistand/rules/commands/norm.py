"""`bistand norm` — show the riksnorm tables and load next year's.

    bistand norm list                    every year, whether it is verified, and its source
    bistand norm show 2026               one year's table (`--format yaml` prints a file to start from)
    bistand norm import 2027.yaml        check a new table, show how it differs from the year before, save

Every November the government sets next year's riksnorm (SoF 2001:937 2 kap. 1 §). A municipality copies
`bistand norm show 2026 --format yaml`, types in the new amounts, SFS number and source, and imports it.
The import refuses a table with a missing bracket, a negative or lowered amount, or an implausibly large
change (`--force` accepts the last two after a human has checked). The file is saved in the data
directory (`$BISTAND_DATA_DIR/parameters/riksnorm/`), which overlays the packaged tables; `--replace`
is needed to replace a year that exists (for example a derived 2025 table by the official one).

A file with `kind: prisbasbelopp`, `year`, `value`, `source` and `verified` imports the year's
prisbasbelopp the same way.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from bistand.rules.ages import bracket_words
from bistand.rules.commands import write_err, write_out
from bistand.rules.money import format_sek
from bistand.rules.parameters import (
    BRACKETS,
    COMMON_SIZES,
    YOUNG_BRACKETS,
    NormTable,
    ParameterError,
    ParameterSet,
    ParamValue,
    load_parameters,
    overlay_dir,
    parse_norm_table,
    reset_default_parameters,
)

# An uprating above this share is refused without --force. The largest real change 2013–2026 was about
# +11 % (2018: +1.6 % and +200 kr for children); 2023 and 2024 were +8.6 % and +8.7 %.
MAX_CHANGE = Decimal("0.20")
MAX_PBB_CHANGE = Decimal("0.12")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("sv", "en"), default="sv", help="language of the output (sv)")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="list the years with tables", parents=[common])
    show = sub.add_parser("show", help="show one year's table", parents=[common])
    show.add_argument("year", type=int)
    show.add_argument("--format", choices=("text", "json", "yaml"), default="text")
    imp = sub.add_parser(
        "import", help="check a new year's table, show the difference and save it", parents=[common]
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check and show the difference, do not save")
    imp.add_argument("--replace", action="store_true", help="replace a year that already has a table")
    imp.add_argument("--force", action="store_true", help="accept a lowered amount or a very large change")


def run(args: argparse.Namespace) -> int:
    """Run the chosen subcommand; returns the exit code."""
    try:
        params = load_parameters()
    except ParameterError as exc:
        write_err(f"{exc}\n")
        return 1
    if args.action == "list":
        return _list(params, args.lang)
    if args.action == "show":
        return _show(params, args.year, args.format, args.lang)
    return _import(params, args)


def _t(lang: str, sv: str, en: str) -> str:
    return en if lang == "en" else sv


def _list(params: ParameterSet, lang: str) -> int:
    rows = [_t(lang, "År   Kontrollerad  Källa", "Year Verified      Source")]
    for year, table in sorted(params.tables.items()):
        if table.fully_verified:
            status = _t(lang, "ja", "yes")
        elif table.declared_verified:
            status = _t(lang, "delvis", "partly")
        else:
            status = _t(lang, "nej", "no")
        rows.append(f"{year} {status:<13} {table.source_label} [{table.source_tag}]")
    write_out("\n".join(rows) + "\n")
    return 0


def _amount(value: ParamValue, lang: str) -> str:
    return format_sek(value.amount, lang) + ("" if value.verified else " *")


def table_text(table: NormTable, params: ParameterSet | None = None, lang: str = "sv") -> str:
    """A readable table for one year; amounts not checked against the official text carry a *."""
    en = lang == "en"
    out = [
        _t(
            lang,
            f"Riksnormen {table.year} ({table.id}), gäller från {table.valid_from}",
            f"Riksnorm {table.year} ({table.id}), in force from {table.valid_from}",
        ),
        _t(lang, f"Författning: {table.reference}", f"Legal basis: {table.reference}")
        + (f" ({table.amendment})" if table.amendment else ""),
        _t(
            lang,
            f"Källa: {table.source} [{table.source_tag}]",
            f"Source: {table.source} [{table.source_tag}]",
        ),
        _t(lang, "Kontrollerad mot författningstexten (SFS): ", "Checked against the SFS text: ")
        + (
            _t(lang, "ja", "yes")
            if table.fully_verified
            else _t(lang, "nej (se * nedan)", "no (see * below)")
        ),
        "",
        _t(lang, "Personliga kostnader per barn (kr/månad)", "Personal costs per child (SEK/month)"),
        _t(
            lang,
            f"  {'Ålder':<12}{'med lunch':>16}{'ej lunch 5 d/v':>18}",
            f"  {'Age':<12}{'with lunch':>16}{'no lunch 5 d/wk':>18}",
        ),
    ]
    for key in BRACKETS:
        name = bracket_words(key, "en" if en else "sv")
        without = _amount(table.without_lunch[key], lang) if key in YOUNG_BRACKETS else "–"
        out.append(f"  {name:<12}{_amount(table.with_lunch[key], lang):>16}{without:>18}")
    out += [
        "",
        _t(lang, "Personliga kostnader, vuxna", "Personal costs, adults"),
        f"  {_t(lang, 'Ensamstående', 'Single'):<12}{_amount(table.adults['single'], lang):>16}",
        f"  {_t(lang, 'Sammanboende', 'Couple'):<12}{_amount(table.adults['couple'], lang):>16}",
        "",
        _t(lang, "Gemensamma hushållskostnader", "Common household costs"),
    ]
    for size in COMMON_SIZES:
        label = _t(
            lang,
            f"{size} person" + ("er" if size > 1 else ""),
            f"{size} " + ("people" if size > 1 else "person"),
        )
        out.append(f"  {label:<12}{_amount(table.common[size], lang):>16}")
    step = table.common[7].amount - table.common[6].amount
    out.append(
        _t(
            lang,
            f"  Varje person utöver 7: {format_sek(step, lang)} (7 personer − 6 personer)",
            f"  Each person above 7: {format_sek(step, lang)} (7 people − 6 people)",
        )
    )
    totals = table.published_totals
    if totals:
        out += [
            "",
            _t(
                lang,
                "Officiellt publicerade totalbelopp (stämmer med tabellen):",
                "Officially published totals (the table matches them):",
            ),
            f"  {_t(lang, 'Ensamstående + gemensamma 1 person', 'Single + common 1 person')}: "
            f"{format_sek(Decimal(totals['single_alone']), lang)}",
            f"  {_t(lang, 'Sammanboende + gemensamma 2 personer', 'Couple + common 2 people')}: "
            f"{format_sek(Decimal(totals['couple_alone']), lang)}",
            f"  {totals.get('source', '')}",
        ]
    if params is not None:
        pbb = params.at(table.valid_from.replace(day=1)).prisbasbelopp
        if pbb is not None:
            out += [
                "",
                _t(lang, "Prisbasbelopp ", "Prisbasbelopp ")
                + f"{table.year}: "
                + format_sek(pbb.values["value"], lang)
                + ("" if pbb.verified else " *"),
            ]
    notes = []
    for name, value in table.cells():
        if not value.verified:
            notes.append((name, f"[{value.reliability}] {value.method or value.note or ''}"))
    if notes:
        out += [
            "",
            _t(
                lang,
                "* Inte kontrollerat mot författningstexten (SFS):",
                "* Not checked against the SFS text:",
            ),
        ]
        seen: set[str] = set()
        for name, why in notes:
            if why in seen:
                out.append(f"  {name}")
            else:
                seen.add(why)
                out.append(f"  {name}: {' '.join(why.split())}")
    for extra in (table.method, table.note):
        if extra:
            out += ["", " ".join(extra.split())]
    return "\n".join(out) + "\n" + breakdown_text(table, lang)


def table_json(table: NormTable) -> dict[str, Any]:
    """The table as JSON-ready data with each amount's metadata."""

    def cell(value: ParamValue) -> dict[str, Any]:
        data: dict[str, Any] = {
            "amount": int(value.amount) if value.amount == int(value.amount) else str(value.amount)
        }
        data.update(verified=value.verified, source=value.source, source_tag=value.source_tag)
        if value.method:
            data["method"] = " ".join(value.method.split())
        return data

    return {
        "id": table.id,
        "year": table.year,
        "valid_from": table.valid_from.isoformat(),
        "reference": table.reference,
        "amendment": table.amendment,
        "source": table.source,
        "verified": table.fully_verified,
        "children": {k: cell(v) for k, v in table.with_lunch.items()},
        "children_without_lunch": {k: cell(v) for k, v in table.without_lunch.items()},
        "adults": {k: cell(v) for k, v in table.adults.items()},
        "common": {str(k): cell(v) for k, v in table.common.items()},
    }


def _show(params: ParameterSet, year: int, fmt: str, lang: str) -> int:
    table = params.tables.get(year)
    if table is None:
        years = f"{min(params.tables)}–{max(params.tables)}"
        write_err(
            _t(
                lang,
                f"Det finns ingen riksnorm för {year}. Bistånd har {years}.\n",
                f"There is no riksnorm for {year}. Bistånd has {years}.\n",
            )
        )
        return 1
    if fmt == "json":
        write_out(json.dumps(table_json(table), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "yaml":
        write_out(Path(table.origin).read_text(encoding="utf-8"))
    else:
        write_out(table_text(table, params, lang))
    return 0


# --- import -------------------------------------------------------------------------------------


def diff_rows(old: NormTable, new: NormTable) -> list[tuple[str, Decimal, Decimal]]:
    """(parameter, old amount, new amount) for every amount of two tables."""
    before = dict(old.cells())
    return [(name, before[name].amount, value.amount) for name, value in new.cells()]


_SHAPE_NAMES = {
    "per_person": ("tabell per person och hushållsstorlek", "table per person and household size"),
    "referensvarde": (
        "referensvärde: kostnadsposter per hushållstyp",
        "referensvärde: cost items per household type",
    ),
}


def diff_text(old: NormTable, new: NormTable, lang: str) -> str:
    """How `new` differs from `old`, amount by amount, in kronor and per cent (and item by item when both
    are built from cost items)."""
    header = _t(lang, f"Skillnad mot {old.year}:", f"Difference from {old.year}:")
    out = [header]
    if old.shape != new.shape:
        en = lang == "en"
        out.append(
            _t(
                lang,
                f"  Ny form: {old.year} är en {_SHAPE_NAMES[old.shape][en]}, {new.year} ett "
                f"{_SHAPE_NAMES[new.shape][en]}. Jämförelsen gäller beloppen per person och hushållsstorlek.",
                f"  New shape: {old.year} is a {_SHAPE_NAMES[old.shape][en]}, {new.year} a "
                f"{_SHAPE_NAMES[new.shape][en]}. The comparison is of the amounts per person and household size.",
            )
        )
    out.append(f"  {'':<28}{old.year:>10}{new.year:>10}{'kr':>8}{'%':>8}")
    for name, a, b in diff_rows(old, new):
        pct = (b - a) / a * 100
        out.append(f"  {name:<28}{a:>10}{b:>10}{b - a:>+8}{pct:>+8.1f}")
    if old.breakdown and new.breakdown:
        out.append(_t(lang, "  Kostnadsposter:", "  Cost items:"))
        for cell, items in new.breakdown.items():
            before = old.breakdown.get(cell, {})
            for item, amount in items.items():
                was = before.get(item)
                change = "" if was is None else f"{amount - was:>+8}"
                out.append(f"    {cell + ' ' + item:<44}{'–' if was is None else was:>8}{amount:>8}{change}")
    return "\n".join(out) + "\n"


def breakdown_text(table: NormTable, lang: str) -> str:
    """The cost items behind each amount of a referensvärde table ("" for a per-person table)."""
    if not table.breakdown:
        return ""
    out = ["", _t(lang, "Kostnadsposter (referensvärde)", "Cost items (referensvärde)")]
    for cell, items in table.breakdown.items():
        out.append(f"  {cell:<26}" + ", ".join(f"{item} {amount}" for item, amount in items.items()))
    return "\n".join(out) + "\n"


def plausibility_problems(old: NormTable, new: NormTable, lang: str) -> list[str]:
    """Lowered amounts and implausibly large changes compared with the year before."""
    problems = []
    limit = f"{MAX_CHANGE * 100:.0f}"
    for name, a, b in diff_rows(old, new):
        if b < a:
            problems.append(
                _t(
                    lang,
                    f"{name}: {b} är lägre än {old.year} ({a}).",
                    f"{name}: {b} is lower than in {old.year} ({a}).",
                )
            )
        elif (b - a) / a > MAX_CHANGE:
            problems.append(
                _t(
                    lang,
                    f"{name}: ökningen från {a} till {b} är mer än {limit} % – troligen ett skrivfel.",
                    f"{name}: the increase from {a} to {b} is more than {limit} % – probably a typo.",
                )
            )
    return problems


def _import(params: ParameterSet, args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        doc = yaml.safe_load(args.file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        write_err(_t(lang, f"Kan inte läsa {args.file}: {exc}\n", f"Cannot read {args.file}: {exc}\n"))
        return 1
    if isinstance(doc, dict) and doc.get("kind") == "prisbasbelopp":
        return _import_prisbasbelopp(params, doc, args)
    try:
        table = parse_norm_table(doc, origin=str(args.file))
    except ParameterError as exc:
        write_err(_t(lang, f"Tabellen kan inte läsas in: {exc}\n", f"The table cannot be imported: {exc}\n"))
        return 1
    year = table.year
    problems: list[str] = []
    if year in params.tables and not args.replace:
        write_err(
            _t(
                lang,
                f"Det finns redan en riksnorm för {year} ({params.tables[year].source_label}). "
                "Använd --replace för att ersätta den.\n",
                f"There is already a riksnorm for {year} ({params.tables[year].source_label}). "
                "Use --replace to replace it.\n",
            )
        )
        return 1
    previous = params.tables.get(year - 1)
    if previous is None:
        problems.append(
            _t(
                lang,
                f"Det finns ingen riksnorm för {year - 1} att jämföra med.",
                f"There is no riksnorm for {year - 1} to compare with.",
            )
        )
    else:
        write_out(diff_text(previous, table, lang))
        problems += plausibility_problems(previous, table, lang)
    if year in params.tables:
        write_out(
            "\n"
            + _t(lang, "Ersätter den nuvarande tabellen. ", "Replaces the current table. ")
            + diff_text(params.tables[year], table, lang)
        )
    if problems:
        write_err(_t(lang, "Kontrollera:\n", "Please check:\n") + "".join(f"  - {p}\n" for p in problems))
        if not args.force:
            write_err(
                _t(
                    lang,
                    "Inget sparat. Rätta filen, eller använd --force om beloppen är kontrollerade.\n",
                    "Nothing saved. Correct the file, or use --force if the amounts have been checked.\n",
                )
            )
            return 1
    if not table.fully_verified:
        write_err(
            _t(
                lang,
                "Obs: tabellen är markerad som inte kontrollerad (verified: false); "
                "beräkningar med den får en varning.\n",
                "Note: the table is marked as not checked (verified: false); calculations with it carry "
                "a warning.\n",
            )
        )
    if args.dry_run:
        write_out(_t(lang, "Provkörning: inget sparat.\n", "Dry run: nothing saved.\n"))
        return 0
    target = overlay_dir() / "riksnorm" / f"{year}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(args.file.read_text(encoding="utf-8"), encoding="utf-8")
    reset_default_parameters()
    try:
        load_parameters()
    except ParameterError as exc:  # never leave a broken overlay behind
        target.unlink()
        write_err(f"{exc}\n")
        return 1
    write_out(_t(lang, f"Sparad: {target}\n", f"Saved: {target}\n"))
    return 0


def _import_prisbasbelopp(params: ParameterSet, doc: dict, args: argparse.Namespace) -> int:
    lang = args.lang
    year = doc.get("year")
    value = doc.get("value")
    if (
        not isinstance(year, int)
        or isinstance(value, bool)
        or not isinstance(value, int | float)
        or value <= 0
    ):
        write_err(
            _t(
                lang,
                "Filen behöver year (ett år) och value (ett positivt belopp).\n",
                "The file needs year (a year) and value (a positive amount).\n",
            )
        )
        return 1
    if not isinstance(doc.get("source"), str) or not isinstance(doc.get("verified"), bool):
        write_err(
            _t(
                lang,
                "Filen behöver source (källa) och verified (true/false).\n",
                "The file needs source and verified (true/false).\n",
            )
        )
        return 1
    amount = Decimal(str(value))
    existing = {r.valid_from.year: r for r in params.prisbasbelopp}
    if year in existing and not args.replace:
        write_err(
            _t(
                lang,
                f"Prisbasbeloppet för {year} finns redan. Använd --replace.\n",
                f"The prisbasbelopp for {year} exists already. Use --replace.\n",
            )
        )
        return 1
    before = existing.get(year - 1)
    if before is not None:
        old = before.values["value"]
        write_out(
            _t(
                lang,
                f"Prisbasbelopp {year - 1}: {old}  {year}: {amount}  ({amount - old:+})\n",
                f"Prisbasbelopp {year - 1}: {old}  {year}: {amount}  ({amount - old:+})\n",
            )
        )
        if abs(amount - old) / old > MAX_PBB_CHANGE and not args.force:
            write_err(
                _t(
                    lang,
                    "Ändringen är orimligt stor. Inget sparat (använd --force om den är kontrollerad).\n",
                    "The change is implausibly large. Nothing saved (use --force if it has been checked).\n",
                )
            )
            return 1
    if args.dry_run:
        write_out(_t(lang, "Provkörning: inget sparat.\n", "Dry run: nothing saved.\n"))
        return 0
    target = overlay_dir() / "prisbasbelopp.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    current = yaml.safe_load(target.read_text(encoding="utf-8")) if target.is_file() else None
    current = current or {"values": {}}
    current["values"] = {str(k): v for k, v in (current.get("values") or {}).items()}
    entry = {k: doc[k] for k in ("value", "amendment", "source", "verified", "note") if k in doc}
    current["values"][f"{year}-01-01"] = entry
    # Dates as real YAML dates, so the loader reads them like the packaged file.
    text = yaml.safe_dump(current, allow_unicode=True, sort_keys=True)
    for key in list(current["values"]):
        text = text.replace(f"'{key}':", f"{key}:")
    target.write_text(text, encoding="utf-8")
    reset_default_parameters()
    write_out(_t(lang, f"Sparad: {target}\n", f"Saved: {target}\n"))
    return 0
