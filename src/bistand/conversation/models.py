"""What the citizen and the caseworker exchange: documentation requests and their uploads, messages, and
appeals. Each lands on the case's timeline (`cases.TimelineEvent`).

The models moved here from `portal` with their tables (`portal_documentrequest`, …), so the database was
untouched by the move (`migrations/0001_conversation_from_portal.py`)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bistand.cases.models import Case
from bistand.identity.models import Person


class DocumentRequest(models.Model):
    """A request for documents (komplettering): what is asked, by when. Trust first: asked only after a
    random check (stickprov) or when a caseworker needs it."""

    class Reason(models.TextChoices):
        CASEWORKER = "caseworker", _("Handläggaren behöver underlag")
        RANDOM_CHECK = "random_check", _("Slumpvis kontroll (stickprov)")

    class Status(models.TextChoices):
        OPEN = "open", _("Väntar på dig")
        ANSWERED = "answered", _("Inskickat")
        CLOSED = "closed", _("Avslutad")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="document_requests")
    text = models.TextField(help_text="What is asked for, in plain language: the Swedish original.")
    # The months the documents are for ("2026-09"), for a request the system words itself (the random
    # check's): what is asked is then written from them in the reader's own language (`portal.requests`).
    months = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=16, choices=Reason.choices, default=Reason.CASEWORKER)
    deadline = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # A reminder on Mina sidor shortly before the deadline, sent once.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "portal_documentrequest"
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"Document request {self.pk}"


class Upload(models.Model):
    """A file the citizen sent for a request. Its type is read from its content, never from its name."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        HEIC = "heic", "HEIC"

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(DocumentRequest, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Stored under a random name; the citizen's own file name is kept only for display.
    file = models.FileField(upload_to="uploads/%Y/%m/")
    display_name = models.CharField(max_length=120)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "portal_upload"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"Upload {self.reference}"


class Message(models.Model):
    """A message in the case, from the citizen or from a caseworker."""

    class Sender(models.TextChoices):
        CITIZEN = "citizen", _("Du")
        CASEWORKER = "caseworker", _("Handläggare")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    sender_kind = models.CharField(max_length=16, choices=Sender.choices)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "portal_message"
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk}"


class Appeal(models.Model):
    """An appeal (överklagande, FL 44 §) of a decision, lodged within three weeks. The municipality first
    reconsiders (FL 39 §), then forwards it to the administrative court."""

    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="appeals")
    lodged_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    lodged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "portal_appeal"
        ordering = ["lodged_at", "pk"]

    def __str__(self) -> str:
        return f"Appeal {self.pk}"
