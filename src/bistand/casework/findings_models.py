"""Findings with a lifecycle, and sign-offs: who approved what, and when.

A finding of the robot's comparison (`casework.reconcile`) is open until a caseworker acknowledges it with
a note, and closed when its cause is gone on a new register look-up. A closed finding is never reopened:
the same cause seen again is a new finding, so the history of each stays as it happened.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFinding(models.Model):
    """One finding about one application, as it stands: open, acknowledged or closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        ACKNOWLEDGED = "acknowledged", _("Kvitterad")
        CLOSED = "closed", _("Stängd")

    class Severity(models.TextChoices):
        INFO = "info", _("Information")
        NOTICE = "notice", _("Att känna till")
        WARNING = "warning", _("Att utreda")
        HIGH = "high", _("Hindrar beslut")

    run = models.ForeignKey("casework.PipelineRun", on_delete=models.CASCADE, related_name="case_findings")
    # What identifies the cause across look-ups: the code, whose, from which register, which income type.
    key = models.CharField(max_length=200)
    code = models.CharField(max_length=40)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    message = models.TextField()
    role = models.CharField(max_length=16, blank=True)
    source = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        "identity.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opened_at", "pk"]
        constraints = [
            # One live finding per cause; a closed one stays closed beside a new one.
            models.UniqueConstraint(
                fields=["run", "key"], condition=~models.Q(status="closed"), name="one_live_finding_per_cause"
            )
        ]

    def __str__(self) -> str:
        return f"Finding {self.pk} ({self.code}, {self.status})"


class FindingEvent(models.Model):
    """A step in a finding's life, kept for the record."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Upptäckt")
        ACKNOWLEDGED = "acknowledged", _("Kvitterad")
        CLOSED = "closed", _("Stängd: orsaken finns inte kvar vid ny registerkontroll")
        SEEN_AGAIN = "seen_again", _("Fortfarande kvar vid ny registerkontroll")

    finding = models.ForeignKey(CaseFinding, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    by = models.ForeignKey("identity.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} of finding {self.finding_id}"


class SignOff(models.Model):
    """Who approved a calculation or a decision, and when (one row per approval, never edited).

    A payment's approvals are the payment file's own (`payments.PaymentFile.released_by_1/2`), and who gave
    an order its payout account is on the order (`account_changed_by`): the case page shows all of them."""

    class What(models.TextChoices):
        CALCULATION = "calculation", _("Beräkning")
        DECISION = "decision", _("Beslut")

    class Role(models.TextChoices):
        APPROVED = "approved", _("Godkände")
        DECIDED = "decided", _("Beslutade")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sign_offs")
    what = models.CharField(max_length=16, choices=What.choices)
    role = models.CharField(max_length=16, choices=Role.choices)
    # The approved thing: a draft or a decision id, as text.
    reference = models.CharField(max_length=64)
    by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.role} {self.what} {self.reference}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("a sign-off is never edited")
        super().save(*args, **kwargs)
