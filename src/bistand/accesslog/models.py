"""The access log: who read which person's data, when and why; append-only and tamper-evident.

Each entry carries the SHA-256 of its canonical form and of the entry before it (a hash chain,
`accesslog/chain.py`). Editing, removing or reordering an entry breaks the chain, and
`bistand manage verify_access_log` says where. It holds ids, never content: who (account id, username,
role, unit), what (object type and id, the person's id), in which case, when, and the route.

The tables keep the names they had in `audit` (`audit_accesslogentry`, `audit_chainhead`): the move was
state-only, and the database's append-only triggers name the table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove an access-log entry."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused, as for single entries."""

    def update(self, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("the access log is append-only")

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError("the access log is append-only")


class ChainHead(models.Model):
    """The single row that points at the newest entry. Writers lock it, so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "audit_chainhead"

    def __str__(self) -> str:
        return f"Access log head {self.seq}"


class AccessLogEntry(models.Model):
    """One read of personal data by a member of staff (or an auditor reading the log itself)."""

    class Action(models.TextChoices):
        READ = "read", _("Läste")
        DOWNLOAD = "download", _("Hämtade fil")
        EXPORT = "export", _("Exporterade")
        SEARCH = "search", _("Sökte")
        EXTRACT = "extract", _("Registerutdrag")
        WRITE = "write", _("Ändrade")
        # Tried to open something and was refused (another unit's case, a protected case): snooping leaves
        # a trace too.
        REFUSED = "refused", _("Nekades åtkomst")

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    # Plain ids, not foreign keys: the log outlives accounts, cases and culled people, and nothing cascades.
    user_id = models.BigIntegerField(null=True, db_index=True)
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, blank=True)
    unit_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.READ)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.BigIntegerField(null=True, db_index=True)
    person_id = models.BigIntegerField(null=True, db_index=True)
    # The route and method (e.g. "GET casework:case"), or the command that read the data.
    purpose = models.CharField(max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when the log lived in audit (a state-only move): the append-only
        # triggers of audit's migration 0002 name it.
        db_table = "audit_accesslogentry"
        ordering = ["seq"]
        verbose_name = _("åtkomstloggpost")

    def __str__(self) -> str:
        return f"Access {self.seq}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("an access-log entry is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("an access-log entry is never removed")
