"""The application (ansökan): what the citizen says, stored durably before we say "received".

An application starts as a server-side draft (it survives a closed browser and expires after a stated
time), is signed by every adult who applies (each with their own eID), and is submitted when the last one
has signed. From then on it never changes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bistand.identity.models import Municipality, Person


class Application(models.Model):
    """One application for one month. Immutable once submitted: corrections are new facts, not edits."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        # Signed by the applicant (or the representative); waits for the co-applicant's own signature.
        SIGNING = "signing", _("Väntar på underskrift")
        SUBMITTED = "submitted", _("Inskickad")

    class Channel(models.TextChoices):
        E_SERVICE = "e_service", _("E-tjänst")
        PAPER = "paper", _("Pappersansökan")
        PHONE = "phone", _("Telefon")

    class Kind(models.TextChoices):
        FIRST = "first", _("Första ansökan")
        RENEWAL = "renewal", _("Ansökan för en ny månad")
        # Tilläggsansökan: a new need on a month already decided (intake/supplement.py). Claims no month.
        SUPPLEMENT = "supplement", _("Ansökan om tillägg")

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    month = models.DateField(_("månad"), help_text=_("Första dagen i den månad ansökan gäller."))
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.E_SERVICE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FIRST)
    # The submitted application this one repeats (a monthly re-application), if any.
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="followed_by"
    )
    # Each answer as {"value": ..., "source": "citizen" | "register:<src>"}: provenance travels with the fact.
    answers = models.JSONField(default=dict)
    # The wizard's working state while a draft: each step's typed values and the register prefill.
    draft = models.JSONField(default=dict, blank=True)
    # The co-applicant who must sign too, known once the applicant has signed.
    co_applicant = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="co_applications"
    )
    # A representative (ombud) who applied on the applicant's behalf, and the power of attorney used.
    representative = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="represented_applications"
    )
    power_of_attorney = models.ForeignKey(
        "PowerOfAttorney", on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A draft (or an application waiting for a signature) is deleted after this moment.
    expires_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Nödbistånd: set from the answers at submission. An emergency application claims no month, so it can
    # stand beside the household's regular application for the same month.
    emergency = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One application in progress per person: two drafts would only confuse.
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(status__in=["draft", "signing"]),
                name="one_open_application_per_applicant",
            )
        ]

    def __str__(self) -> str:
        return f"Application {self.reference}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Application.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.SUBMITTED:
                raise ValidationError("A submitted application cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def short_reference(self) -> str:
        """The short reference the citizen sees on the receipt and on every letter (e.g. 738AE730)."""
        return str(self.reference)[:8].upper()

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.SIGNING}

    @property
    def is_expired(self) -> bool:
        return self.is_open and self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def adults(self) -> list[int]:
        """The ids of the adults who apply (the applicant and the co-applicant): the household's parties."""
        return [pk for pk in (self.applicant_id, self.co_applicant_id) if pk is not None]

    @property
    def confirmed_co_applicant(self) -> str | None:
        """The co-applicant's personnummer once they signed with their own eID — or, for a paper or phone
        application, once staff confirmed their signature. None until then: nobody is made a co-applicant
        (or looked up in the registers) on someone else's word."""
        if self.co_applicant_id is None:
            return None
        by_staff = self.channel in {self.Channel.PAPER, self.Channel.PHONE}
        signed = self.signatures.filter(role=Signature.Role.CO_APPLICANT, signer_id=self.co_applicant_id)
        return self.co_applicant.personnummer if by_staff or signed.exists() else None

    @property
    def claims_month(self) -> bool:
        """A regular application uses up its month; nödbistånd and a tilläggsansökan stand beside it."""
        return not self.emergency and self.kind != self.Kind.SUPPLEMENT

    def submit(self) -> None:
        """Mark the application submitted; after this it can no longer change.

        A regular application claims its month for every adult who applies, in the same transaction: a
        second regular application for the same household and month raises :class:`MonthTaken` and
        nothing of it is stored, whichever channel it came through.
        """
        answer = self.answers.get("emergency")
        self.emergency = bool(answer.get("value") if isinstance(answer, dict) else answer)
        self.status = self.Status.SUBMITTED
        self.submitted_at = timezone.now()
        self.expires_at = None
        self.draft = {}
        with transaction.atomic():
            self.save()
            if self.claims_month:
                self._claim_month()

    def _claim_month(self) -> None:
        try:
            with transaction.atomic():
                MonthClaim.objects.bulk_create(
                    [MonthClaim(person_id=pk, month=self.month, application=self) for pk in self.adults]
                )
        except IntegrityError:
            earlier = (
                MonthClaim.objects.filter(person_id__in=self.adults, month=self.month)
                .exclude(application=self)
                .select_related("application")
                .first()
            )
            raise MonthTaken(earlier.application if earlier else None) from None


class MonthTaken(Exception):
    """The household already has a regular application for this month (a second would be paid twice)."""

    def __init__(self, earlier: Application | None) -> None:
        super().__init__("the household already applied for this month")
        self.earlier = earlier


class MonthClaim(models.Model):
    """One row per adult and month with a regular application: the database keeps it to one.

    Written by :meth:`Application.submit` in the submission's transaction, so the web wizard, the API and
    staff registering a paper or phone application all meet the same constraint.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="month_claims")
    month = models.DateField()
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="month_claims")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month"], name="one_regular_application_per_adult_month"
            )
        ]

    def __str__(self) -> str:
        return f"Month claim {self.pk}"


class Signature(models.Model):
    """One adult's signature on an application, made with their own eID. Never changed, only withdrawn
    (deleted) together with the others when the application goes back to being a draft."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Sökande")
        CO_APPLICANT = "co_applicant", _("Medsökande")
        REPRESENTATIVE = "representative", _("Ombud")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="signatures")
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(max_length=16, choices=Role.choices)
    signed_at = models.DateTimeField(default=timezone.now)
    # Which eID: "dev-eid" (demo mode only) or "oidc:<issuer>"; and the eID's own reference (a hash).
    method = models.CharField(max_length=200)
    eid_reference = models.CharField(max_length=64, blank=True)
    # The language the signer used (their letters come in it too, besides Swedish); blank before 2026-12.
    language = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "signer"], name="one_signature_per_signer"),
            models.UniqueConstraint(fields=["application", "role"], name="one_signature_per_role"),
        ]

    def __str__(self) -> str:
        return f"Signature {self.pk} ({self.role})"


class PowerOfAttorney(models.Model):
    """A registered power of attorney (fullmakt): the agent may act for the principal within its scope.

    Registered by staff after checking the written fullmakt, whose scan is kept with it (in demo mode it comes
    with the demo data). The principal sees it on Mina sidor and may revoke it there; staff may revoke it too.
    Every registration, use and revocation is written to the access log (`bistand.intake.powers`).
    """

    class Scope(models.TextChoices):
        APPLY = "apply", _("Ansöka och följa ärendet")
        FOLLOW = "follow", _("Följa ärendet, inte ansöka")

    principal = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="powers_given")
    agent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="powers_held")
    scope = models.CharField(_("omfattning"), max_length=16, choices=Scope.choices, default=Scope.APPLY)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    # The signed fullmakt as scanned by staff; kept as evidence of what the principal agreed to.
    document = models.FileField(upload_to="powers/%Y/%m/", blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="power_of_attorney_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(principal=models.F("agent")), name="power_of_attorney_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"Power of attorney {self.pk}"

    def is_valid_on(self, day) -> bool:
        if self.revoked_at is not None:
            return False
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def ended_reason(self, day=None) -> str:
        """Why the power does not hold on `day`: "revoked", "expired", "not_started", or "" when it holds."""
        day = day or timezone.localdate()
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_to is not None and day > self.valid_to:
            return "expired"
        if day < self.valid_from:
            return "not_started"
        return ""

    @classmethod
    def valid_for(cls, agent: Person, day=None) -> models.QuerySet[PowerOfAttorney]:
        """The powers the agent holds on the given day (default today)."""
        day = day or timezone.localdate()
        return (
            cls.objects.filter(agent=agent, revoked_at__isnull=True, valid_from__lte=day)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))
            .select_related("principal")
        )
