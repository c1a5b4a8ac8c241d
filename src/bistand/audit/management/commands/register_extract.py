"""`bistand manage register_extract PERSONNUMMER --out FILE`: a person's register extract (GDPR Art. 15)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bistand.accesslog import chain
from bistand.accesslog.models import AccessLogEntry
from bistand.audit import extract
from bistand.audit.forms import person_for


class Command(BaseCommand):
    help = "Write everything held about a person to a file: a ZIP (JSON, letters, uploads) or, for .json, the JSON alone."

    def add_arguments(self, parser) -> None:
        parser.add_argument("personnummer")
        parser.add_argument("--out", required=True, help="the file to write (.zip or .json)")

    def handle(self, *args, **options) -> None:
        person = person_for(options["personnummer"])
        if person is None:
            raise CommandError("no person with that personnummer is held here")
        out = Path(options["out"])
        content = extract.build_json(person) if out.suffix.lower() == ".json" else extract.build_zip(person)
        out.write_bytes(content)
        out.chmod(0o600)
        # The extract reads everything about the person: that read is logged like any other.
        chain.append(
            action=AccessLogEntry.Action.EXTRACT,
            object_type="identity.person",
            object_id=person.pk,
            person_id=person.pk,
            purpose="command register_extract",
        )
        self.stdout.write(f"register extract for person {person.pk} written to {out} ({len(content)} bytes)")
