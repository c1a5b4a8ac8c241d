"""`bistand manage cull [--dry-run]`: retention (gallring) now, with a report of what it removed."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from bistand.audit.retention import cull


class Command(BaseCommand):
    help = (
        "Cull the personal content of cases whose last entry is older than BISTAND_RETENTION_YEARS "
        "(SoL 16 kap. 1 §; default 5 years) and report what was removed. Aggregate figures are kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would be removed; change nothing"
        )
        parser.add_argument("--years", type=int, help="override BISTAND_RETENTION_YEARS for this run")

    def handle(self, *args, **options) -> None:
        report = cull(dry_run=options["dry_run"], years=options["years"])
        for line in report.lines():
            self.stdout.write(line)
        if report.cases:
            self.stdout.write("  case ids: " + ", ".join(str(c) for c in report.cases))
