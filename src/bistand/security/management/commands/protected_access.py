"""`bistand manage protected_access grant|revoke|list [USERNAME]`: the staff who may open protected cases."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from bistand.accesslog import chain
from bistand.cases.protection import PROTECTED_GROUP
from bistand.identity.models import User


class Command(BaseCommand):
    help = "Grant, revoke or list membership of the group that may open cases of persons with protected identity."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["grant", "revoke", "list"])
        parser.add_argument("username", nargs="?")

    def handle(self, *args, **options) -> None:
        group, _ = Group.objects.get_or_create(name=PROTECTED_GROUP)
        if options["action"] == "list":
            for user in group.user_set.order_by("username"):
                self.stdout.write(f"{user.username}\t{user.role}\t{user.unit or ''}")
            return
        user = User.objects.filter(username=options["username"] or "").first()
        if user is None:
            raise CommandError("no account with that username")
        if user.role not in {User.Role.CASEWORKER, User.Role.TEAM_LEAD}:
            raise CommandError("only caseworkers and team leads handle cases")
        if options["action"] == "grant":
            user.groups.add(group)
        else:
            user.groups.remove(group)
        # Who may see protected persons is itself something an auditor must be able to follow.
        chain.append(
            action="write",
            object_type="security.protected_group",
            object_id=user.pk,
            purpose=f"command protected_access {options['action']}",
        )
        self.stdout.write(f"{options['action']}: {user.username}")
