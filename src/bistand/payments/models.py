"""Payments: orders made from decisions, the ISO 20022 files that carry them, and what the bank said.

A decision version is planned once (`PaymentPlan`, one row per decision); its money goes out as one or more
`PaymentOrder`s (the citizen, the partner, a landlord), each unique by decision, version and line. Orders
travel to the bank in a `PaymentFile` that two finance users release. An overpayment found by a correction
becomes a `RecoveryCase` for a person to assess, never a debt.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bistand.cases.models import Case
from bistand.decisions.models import Decision
from bistand.identity.models import Municipality, Person, Unit
from bistand.intake.models import Application
from bistand.intake.payout import COUNTER_KINDS, COUNTER_ROUTES, PayoutRoute

CURRENCY = "SEK"

# What a payment is for. The citizen's own money is "livelihood"; the rest are paid to a third party.
COST_TYPES = {
    "livelihood": _("Försörjningsstöd"),
    "rent": _("Hyra"),
    "electricity": _("El"),
    "home_insurance": _("Hemförsäkring"),
    "other": _("Övrigt"),
}


# Why an order is held, as the citizen reads it, and whether the citizen can put it right by giving an account.
# One table for every screen: Mina sidor, the case page and the finance view all say the same thing.
HELD_REASONS = {
    "missing_account": (_("Vi saknar ett konto att betala till."), True),
    "invalid_account": (_("Kontot vi fick går inte att betala till."), True),
    "third_party_exceeds_grant": (_("Din handläggare behöver gå igenom vem som ska få pengarna."), False),
    "invalid_third_party": (_("Din handläggare behöver gå igenom vem som ska få pengarna."), False),
}
CITIZEN_FIXABLE = frozenset(code for code, (_text, fixable) in HELD_REASONS.items() if fixable)


class PayoutSchedule(models.Model):
    """When and from which account a municipality pays: the payout day and the paying (debtor) account."""

    class EmergencyPayout(models.TextChoices):
        REGULAR = "regular", _("Nästa möjliga bankdag")
        SAME_DAY = "same_day", _("Samma dag, i en egen betalfil")

    class Pain001Version(models.TextChoices):
        V03 = "pain.001.001.03", "pain.001.001.03"
        V09 = "pain.001.001.09", "pain.001.001.09"
        V10 = "pain.001.001.10", "pain.001.001.10"
        V11 = "pain.001.001.11", "pain.001.001.11"

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="payout_schedule"
    )
    # The day of the month money goes out; a day that is not a bank day moves back to the bank day before.
    payout_day = models.PositiveSmallIntegerField(
        _("utbetalningsdag"), default=25, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    # Support for a month is usually paid in the month before (applied from the 9th, paid on the 25th).
    months_before = models.PositiveSmallIntegerField(_("månader före"), default=1)
    # A late decision is paid this many bank days after it is made, at the earliest (time to release a file).
    lead_bank_days = models.PositiveSmallIntegerField(_("bankdagar i förväg"), default=1)
    pain001_version = models.CharField(
        _("pain.001-version"), max_length=20, choices=Pain001Version.choices, default=Pain001Version.V09
    )
    payer_name = models.CharField(_("betalarens namn"), max_length=70)
    payer_organisation_number = models.CharField(_("organisationsnummer"), max_length=10)
    # The municipality's own account, as a Swedish account (clearing + number) or as an IBAN.
    payer_clearing_number = models.CharField(_("clearingnummer"), max_length=5, blank=True)
    payer_account_number = models.CharField(_("kontonummer"), max_length=15, blank=True)
    payer_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    payer_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    # How an emergency grant (nödbistånd) is paid: as any late decision, or the same bank day in its own file.
    emergency_payout = models.CharField(
        _("utbetalning av nödbistånd"),
        max_length=16,
        choices=EmergencyPayout.choices,
        default=EmergencyPayout.REGULAR,
    )
    # Payout without a bank account (payments/counter.py): cash or a prepaid card handed out at the
    # municipality's counter, where and when the citizen is told.
    offers_cash = models.BooleanField(_("utbetalning kontant i kassan"), default=False)
    offers_card = models.BooleanField(_("utbetalning på förladdat kort"), default=False)
    counter_place = models.CharField(
        _("var och när pengarna hämtas"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel: Medborgarkontoret, Stortorget 1, vardagar 9–12. Ta med legitimation."),
    )
    # Cost type -> the ledger's cost code (konto), e.g. {"livelihood": "4711", "rent": "4712"}.
    cost_codes = models.JSONField(_("kostnadskoder"), default=dict, blank=True)
    # Separation of duties: whoever changed an order's payout account does not approve the file that pays it.
    account_changer_may_not_release = models.BooleanField(
        _("den som ändrat ett utbetalningskonto får inte godkänna betalningen"), default=True
    )

    def __str__(self) -> str:
        return f"Payout schedule for {self.municipality}"

    def cost_code(self, cost_type: str) -> str:
        """The ledger code for a cost type; the cost type itself when none is configured."""
        return str(self.cost_codes.get(cost_type) or cost_type)

    def offers(self, route: str) -> bool:
        """Whether the municipality pays out at its counter this way ("cash" or "card")."""
        return {PayoutRoute.CASH: self.offers_cash, PayoutRoute.CARD: self.offers_card}.get(route, False)

    def counter_choices(self) -> list[tuple[str, str]]:
        """The counter routes the municipality offers, as (value, label) choices for a form."""
        return [(route.value, str(route.label)) for route in COUNTER_ROUTES if self.offers(route)]


class PaymentPlan(models.Model):
    """A decision version whose payments have been planned. One row per decision: the idempotency anchor."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="payment_plan")
    decision_version = models.PositiveIntegerField()
    planned_at = models.DateTimeField(auto_now_add=True)
    # What planning did, for people reading it later: orders made, orders cancelled, differences.
    summary = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Payment plan for decision {self.decision_id} v{self.decision_version}"


class PaymentFile(models.Model):
    """One ISO 20022 pain.001 file for one payout day, kept as sent with its SHA-256."""

    class Status(models.TextChoices):
        CREATED = "created", _("Skapad, väntar på godkännande")
        APPROVED = "approved", _("Godkänd av en person, väntar på den andra")
        RELEASED = "released", _("Godkänd av två personer, klar att skicka")
        SENT = "sent", _("Skickad till banken")
        INVALID = "invalid", _("Ogiltig, kan inte skickas")
        VOID = "void", _("Makulerad")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="payment_files")
    payout_date = models.DateField(_("utbetalningsdag"))
    message_id = models.CharField(max_length=35, unique=True)
    version = models.CharField(max_length=20)
    xml = models.TextField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CREATED)
    validation_errors = models.JSONField(default=list, blank=True)
    number_of_transactions = models.PositiveIntegerField(default=0)
    control_sum = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    released_by_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at_1 = models.DateTimeField(null=True, blank=True)
    released_by_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at_2 = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-payout_date", "-pk"]
        constraints = [
            # Four eyes, in the database too: the second release is never by the first person.
            models.CheckConstraint(
                condition=models.Q(released_by_2__isnull=True)
                | ~models.Q(released_by_2=models.F("released_by_1")),
                name="payment_file_two_different_releasers",
            )
        ]

    def __str__(self) -> str:
        return f"Payment file {self.message_id}"

    @property
    def is_committed(self) -> bool:
        """Released or sent: its money is treated as gone, whatever happens to the decisions behind it."""
        return self.status in {self.Status.RELEASED, self.Status.SENT}


class PaymentOrder(models.Model):
    """One payment to one recipient, made from one decision version."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        HELD = "held", _("Väntar på uppgifter")
        SENT = "sent", _("Skickad till banken")
        PAID = "paid", _("Utbetald")
        RETURNED = "returned", _("Returnerad")
        STOPPED = "stopped", _("Stoppad")
        CANCELLED = "cancelled", _("Ersatt av ändrat beslut")

    class Recipient(models.TextChoices):
        CITIZEN = "citizen", _("Den enskilde")
        THIRD_PARTY = "third_party", _("Tredje part")

    # The citizen's payout route, written once in intake (where it is chosen); kept under this name.
    AccountKind = PayoutRoute

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payment_orders")
    decision_version = models.PositiveIntegerField()
    # Which payment of the decision: "citizen", "partner", "third_party-1", "top_up", "citizen-r1" (reissue).
    line = models.CharField(max_length=32)
    # The id that travels through the bank and back in pain.002 and camt.054 (ISO 20022 EndToEndId).
    end_to_end_id = models.CharField(max_length=35, unique=True)

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_orders")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payment_orders")
    # The person paid, when the recipient is the applicant; empty for a partner or a third party.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    recipient_kind = models.CharField(max_length=16, choices=Recipient.choices)
    payee_name = models.CharField(max_length=70, blank=True)
    cost_type = models.CharField(max_length=32, default="livelihood")
    cost_code = models.CharField(max_length=32, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    payout_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    # Why an order is held or was stopped, cancelled or returned: a code and a sentence for staff.
    status_reason = models.CharField(max_length=48, blank=True)
    status_note = models.TextField(blank=True)

    # Where the money goes. Kept whole only because the file needs it; screens show `account_masked`.
    account_kind = models.CharField(max_length=16, choices=AccountKind.choices, blank=True)
    clearing_number = models.CharField(max_length=5, blank=True)
    account_number = models.CharField(max_length=15, blank=True)
    bankgiro = models.CharField(max_length=8, blank=True)
    account_masked = models.CharField(max_length=12, blank=True)
    # What the payee sees on the statement: an OCR number (structured) or a short text.
    reference = models.CharField(max_length=140, blank=True)
    reference_is_ocr = models.BooleanField(default=False)

    payment_file = models.ForeignKey(
        PaymentFile, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    bank_status = models.CharField(max_length=8, blank=True)
    bank_reason = models.CharField(max_length=35, blank=True)
    bank_status_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    # Cash or card: who handed the money out, and when (once; payments/counter.py).
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handed_out_at = models.DateTimeField(null=True, blank=True)
    reissue_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reissued_as"
    )
    # Who gave the order its payout account by hand (a held order resolved, a returned one reissued), and when.
    account_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    account_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["payout_date", "pk"]
        constraints = [
            # The exactly-once guarantee: a retry, a crash or a double click can never make a second one.
            models.UniqueConstraint(
                fields=["decision", "decision_version", "line"], name="one_payment_order_per_decision_line"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_order_amount_positive"),
        ]
        indexes = [models.Index(fields=["municipality", "status", "payout_date"])]

    def __str__(self) -> str:
        return f"Payment order {self.end_to_end_id}"

    @property
    def is_committed(self) -> bool:
        """Sent, paid or in a released file: the money has left, or is about to."""
        if self.status in {self.Status.SENT, self.Status.PAID}:
            return True
        return (
            self.status == self.Status.PLANNED
            and self.payment_file is not None
            and self.payment_file.is_committed
        )

    @property
    def at_counter(self) -> bool:
        """Paid out in cash or on a card at the municipality's counter, not through the bank."""
        return self.account_kind in COUNTER_KINDS

    @property
    def counter_place(self) -> str:
        """Where and when a cash or card payout is collected, as the municipality wrote it."""
        if not self.at_counter:
            return ""
        schedule = PayoutSchedule.objects.filter(municipality_id=self.municipality_id).first()
        return schedule.counter_place if schedule else ""

    @property
    def counter_routes(self) -> list[tuple[str, str]]:
        """The counter routes the municipality offers for this (held) order: what a person may choose."""
        schedule = PayoutSchedule.objects.filter(municipality_id=self.municipality_id).first()
        if schedule is None or self.recipient_kind != self.Recipient.CITIZEN:
            return []
        return schedule.counter_choices()

    @property
    def cost_type_label(self) -> str:
        return str(COST_TYPES.get(self.cost_type, self.cost_type))

    @property
    def held_reason_text(self) -> str:
        """Why the order waits, in words the citizen can act on (empty unless held)."""
        if self.status != self.Status.HELD:
            return ""
        return str(HELD_REASONS.get(self.status_reason, (_("Utbetalningen väntar på uppgifter."), False))[0])

    @property
    def citizen_can_fix(self) -> bool:
        """A held payment to the applicant that waits only for an account the applicant can give."""
        return (
            self.status == self.Status.HELD
            and self.recipient_kind == self.Recipient.CITIZEN
            and "partner" not in self.line
            and self.status_reason in CITIZEN_FIXABLE
        )


class RecoveryCase(models.Model):
    """A possible återkrav (SoL 33 kap.) for a person to assess: money paid under an earlier decision
    version that the corrected decision no longer grants.

    This is a task, not a claim. Whether anything is reclaimed is a separate, appealable decision taken by a
    person (33 kap.; talan om återkrav may not be delegated to the robot); the citizen is not told of a debt
    because none exists until then.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Att bedöma")
        NO_RECOVERY = "no_recovery", _("Bedömd: inget återkrav")
        RECOVERY_DECIDED = "recovery_decided", _("Bedömd: beslut om återkrav fattat")

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="recovery_case")
    earlier_decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recovery_cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    paid_amount = models.DecimalField(max_digits=12, decimal_places=2)
    granted_amount = models.DecimalField(max_digits=12, decimal_places=2)
    overpaid_amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    assessment_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Recovery assessment {self.pk} for decision {self.decision_id}"


class BankStatusImport(models.Model):
    """A pain.002 or camt.054 file read from the bank, kept with its hash so a second import is a no-op."""

    class Kind(models.TextChoices):
        PAIN002 = "pain.002", "pain.002"
        CAMT054 = "camt.054", "camt.054"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=200, blank=True)
    content = models.TextField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    # Counts of what changed and the ids the file named that match no order here.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk}"
