"""Retention's records: the monthly figures kept through culling, and the record of each culling run.

The access log itself is `bistand.accesslog` (lower in the floor plan, as every floor writes to it).
"""

from __future__ import annotations

from django.db import models


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
