"""The access log, the monthly figures kept through retention, and the record of each culling run.

The access log is append-only and tamper-evident: each entry carries the SHA-256 of its canonical form and
of the entry before it (a hash chain). Editing, removing or reordering an entry breaks the chain, and
`bistand manage verify_access_log` says where. It holds ids, never content: who (account id, username,
role, unit), what (object type and id, the person's id), in which case, when, and the route.
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


class MonthlyAggregate(models.Model):
    """A figure for a municipality and month, kept before the records it was counted from are culled.

    Culling removes what identifies people, not the counts: these rows survive it, and the open data can
    be rebuilt from them for months whose records are gone.
    """

    municipality_code = models.CharField(max_length=4)
    month = models.DateField()
    figure = models.CharField(max_length=48)
    value = models.DecimalField(max_digits=16, decimal_places=2)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code", "month", "figure"], name="one_figure_per_month"
            )
        ]
        ordering = ["municipality_code", "month", "figure"]

    def __str__(self) -> str:
        return f"{self.municipality_code} {self.month:%Y-%m} {self.figure}"


class CullRun(models.Model):
    """One run of retention (gallring): when, the cut-off, whether it was a dry run, and what it removed."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cutoff = models.DateTimeField()
    dry_run = models.BooleanField(default=False)
    # {"cases": n, "journal_notes": n, "messages": n, "uploads": n, "letters": n, ...}
    removed = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Cull run {self.pk}"


class CulledCase(models.Model):
    """A case whose personal content retention has culled (so a later run leaves it alone)."""

    case_id = models.BigIntegerField(unique=True)
    run = models.ForeignKey(CullRun, on_delete=models.PROTECT, related_name="cases")
    culled_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Culled case {self.case_id}"
