"""Decisions (beslut): immutable records of what was decided, on what, by whom or what, and why.

A decision is never edited. A correction (rättelse, FL 36 §) or a change (ändring, FL 37–38 §§) is a new
version that points at the one it replaces; the newest version of an application's decision is in force.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bistand.cases.models import Case
from bistand.identity.models import Person
from bistand.intake.models import Application

APPEAL_WEEKS = 3


class Decision(models.Model):
    class Outcome(models.TextChoices):
        GRANT = "grant", _("Bifall")
        PARTIAL = "partial", _("Delvis bifall")
        REJECT = "reject", _("Avslag")

    class Correction(models.TextChoices):
        NONE = "", _("Ursprungligt beslut")
        RATTELSE = "rattelse", _("Rättelse (FL 36 §)")
        ANDRING = "andring", _("Ändring (FL 37–38 §§)")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction = models.CharField(
        max_length=16, choices=Correction.choices, default=Correction.NONE, blank=True
    )
    correction_reason = models.TextField(blank=True)

    month = models.DateField(help_text="First day of the month the decision is for.")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    # What was applied for and what is granted, whole kronor.
    amount_applied = models.DecimalField(max_digits=12, decimal_places=2)
    amount_granted = models.DecimalField(max_digits=12, decimal_places=2)
    # The rules engine's result (contract JSON) and the findings it was decided with.
    calculation = models.JSONField()
    findings = models.JSONField(default=list)
    # The ground of a rejection or partial grant (decisions/grounds.py); empty for a grant.
    ground = models.CharField(max_length=16, blank=True)
    # FL 32 §: the reasons, in Swedish, built from the calculation, findings and any adjustment.
    motivation = models.TextField()
    # FL 28 §: automated or not, and the delegation an automated decision rests on.
    automated = models.BooleanField()
    delegation = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A second person's approval, where the municipality requires one (e.g. rejections, large amounts).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    # Everything needed to replay the decision: the engine input, register snapshot, answers, versions.
    inputs = models.JSONField()
    rules_version = models.CharField(max_length=64)
    policy_version = models.CharField(max_length=64, blank=True)
    # The language the household chose for its letters (besides Swedish); the letters are `Letter` rows.
    letter_language = models.CharField(max_length=8, default="sv")

    class Meta:
        ordering = ["-decided_at", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "version"], name="one_decision_version_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"Decision {self.pk} v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("A decision cannot be changed; make a new version instead.")
        super().save(*args, **kwargs)

    @property
    def is_in_force(self) -> bool:
        return not hasattr(self, "superseded_by")

    def letter_for(self, person: Person | None = None, language: str = "sv") -> Letter | None:
        """The letter to `person` (default: the applicant) in `language`, once drawn; else None."""
        recipient = person.pk if person is not None else self.application.applicant_id
        return self.letters.filter(recipient_id=recipient, language=language).first()


class Letter(models.Model):
    """One party's decision letter (PDF) as rendered, kept with its hash. Never changed.

    Every adult party to the application gets their own letter, addressed to them: in Swedish (the
    legally binding text) and, when they read another language, in that language with the Swedish
    original at its end.
    """

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="letters")
    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=8)
    file = models.FileField(upload_to="letters/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    rendered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "recipient", "language"], name="one_letter_per_party_and_language"
            )
        ]

    def __str__(self) -> str:
        return f"Letter {self.pk} ({self.language})"
