"""The application (ansökan): what the citizen says, stored durably before we say "received"."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bistand.identity.models import Municipality, Person


class Application(models.Model):
    """One application for one month. Immutable once submitted: corrections are new facts, not edits."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad")

    class Channel(models.TextChoices):
        E_SERVICE = "e_service", _("E-tjänst")
        PAPER = "paper", _("Pappersansökan")
        PHONE = "phone", _("Telefon")

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    month = models.DateField(_("månad"), help_text=_("Första dagen i den månad ansökan gäller."))
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.E_SERVICE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Each answer as {"value": ..., "source": "citizen"}: provenance travels with the fact.
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Application {self.reference}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Application.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.SUBMITTED:
                raise ValidationError("A submitted application cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def submit(self) -> None:
        """Mark the application submitted; after this it can no longer change."""
        self.status = self.Status.SUBMITTED
        self.submitted_at = timezone.now()
        self.save()
