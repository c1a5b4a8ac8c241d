"""`bistand manage verify_access_log`: check the access log's hash chain; exit 1 at the first broken entry."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bistand.accesslog import chain


class Command(BaseCommand):
    help = "Check the access log's hash chain. Exits 1 and names the first broken entry when it was tampered with."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--expect",
            metavar="SEQ:HASH",
            help="a head printed by an earlier run and kept elsewhere: it must still be in the chain",
        )

    def handle(self, *args, **options) -> None:
        expect = None
        if options["expect"]:
            seq, _, digest = options["expect"].partition(":")
            if not seq.isdigit() or len(digest) != 64:
                raise CommandError("--expect takes SEQ:HASH, as printed by an earlier run")
            expect = (int(seq), digest.lower())
        verdict = chain.witnessed(expect=expect)
        if not verdict.ok:
            raise CommandError(
                f"access log BROKEN at entry {verdict.broken_seq}: {verdict.reason} "
                f"({verdict.checked} entries before it are intact)",
                returncode=1,
            )
        self.stdout.write(
            f"access log OK: {verdict.checked} entries; head {verdict.head_seq}:{verdict.head_hash}"
        )
