from django.core.management.base import BaseCommand

from bistand.intake.drafts import purge_expired


class Command(BaseCommand):
    help = "Delete application drafts (and applications waiting for a signature) whose time is up"

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Deleted {purge_expired()} expired draft(s).")
