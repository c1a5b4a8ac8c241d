"""`bistand manage shield_register_answers`: remove protected addresses from register answers stored earlier."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from bistand.security.stored_answers import shield_stored_answers


class Command(BaseCommand):
    help = (
        "Rewrite stored raw register answers (robot runs, decisions, the register cache) through the "
        "shield, so no protected person's address is kept. Run once after upgrading; safe to run again."
    )

    def handle(self, *args, **options) -> None:
        done = shield_stored_answers()
        self.stdout.write(
            f"Rewritten: {done.runs} robot runs, {done.decisions} decisions, {done.cache_files} cache files."
        )
