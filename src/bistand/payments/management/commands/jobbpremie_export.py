"""`bistand manage jobbpremie_export --from 2025-07 --to 2025-12 [--out FILE]`: the months försörjningsstöd was
paid, per person, for Försäkringskassan's jobbpremie (SoL 15 kap. 4 §)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bistand.payments.jobbpremie import export_csv, ledger


def _month(text: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise CommandError(f"{option}: skriv månaden som ÅÅÅÅ-MM, till exempel 2025-07.") from None


class Command(BaseCommand):
    help = "Write the jobbpremie ledger (person, month, amount paid) as CSV for Försäkringskassan."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="first", required=True, help="first month, YYYY-MM")
        parser.add_argument("--to", dest="last", required=True, help="last month, YYYY-MM")
        parser.add_argument("--out", type=Path, help="file to write (default: standard output)")

    def handle(self, *args, **options) -> None:
        first, last = _month(options["first"], "--from"), _month(options["last"], "--to")
        if last < first:
            raise CommandError("--to: den sista månaden kan inte vara före den första.")
        text = export_csv(ledger(first, last))
        if options["out"]:
            options["out"].write_text(text, encoding="utf-8")
            self.stderr.write(f"Sparad: {options['out']} ({text.count(chr(10)) - 1} rader)")
        else:
            self.stdout.write(text, ending="")
