"""`bistand manage reset_two_factor USERNAME`: forget a lost authenticator; the next sign-in enrols anew."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bistand.accesslog import chain
from bistand.identity.models import User
from bistand.security.models import TotpDevice


class Command(BaseCommand):
    help = (
        "Remove a member of staff's authenticator (a lost phone). They enrol a new one at the next sign-in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("no account with that username")
        removed, _ = TotpDevice.objects.filter(user=user).delete()
        chain.append(
            action="write", object_type="security.totp", object_id=user.pk, purpose="command reset_two_factor"
        )
        self.stdout.write(
            f"{user.username}: {'authenticator removed' if removed else 'had no authenticator'}"
        )
