"""Cases and their timeline: one event model that both the citizen and the caseworker read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bistand.identity.models import Person, Unit
from bistand.intake.models import Application


class Case(models.Model):
    """A household's case (ärende) at a unit; each month's application is added to it."""

    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    opened_at = models.DateTimeField(auto_now_add=True)
    # The caseworker who has taken the case; None: anyone in the unit may take it.
    assigned_to = models.ForeignKey(
        "identity.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )

    class Meta:
        # The table keeps the name it had when the case lived in casework (a state-only move).
        db_table = "casework_case"
        constraints = [models.UniqueConstraint(fields=["applicant", "unit"], name="one_case_per_unit")]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class TimelineEvent(models.Model):
    """Something that happened in a case, in the order it happened."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Ansökan mottagen")
        DOCUMENTS_REQUESTED = "documents_requested", _("Komplettering begärd")
        DECISION = "decision", _("Beslut")
        PAYMENT = "payment", _("Utbetalning")
        MESSAGE = "message", _("Meddelande")
        ROUTED = "routed", _("Hos handläggare")
        CORRECTION = "correction", _("Beslut rättat eller ändrat")
        APPEAL = "appeal", _("Överklagande")
        DOCUMENTS_SUBMITTED = "documents_submitted", _("Komplettering inskickad")
        KOMMUNICERING = "kommunicering", _("Kommunicering före beslut")
        WAITING_NORM = "waiting_norm", _("Väntar på riksnormen")
        # Oversight's, for staff only.
        RANDOM_CHECK_REVIEWED = "random_check_reviewed", _("Stickprov granskat")
        INVESTIGATION_CLOSED = "investigation_closed", _("Utredning avslutad")

    class Actor(models.TextChoices):
        CITIZEN = "citizen", _("Sökande")
        ROBOT = "robot", _("Automatiserad handläggning")
        CASEWORKER = "caseworker", _("Handläggare")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.CharField(max_length=16, choices=Actor.choices)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    visible_to_citizen = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "casework_timelineevent"
        ordering = ["occurred_at", "pk"]
        constraints = [
            # A retried task must not record the same receipt twice.
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=models.Q(kind="received"),
                name="one_receipt_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} in case {self.case_id}"

    # What the robot noted for staff only. The routing reasons say, among other things, that someone in the
    # household has protected personal data — shown to the applicant, that would tell them about another
    # person (whose number they may only have typed in).
    STAFF_ONLY_DATA = frozenset({"reasons"})

    @property
    def citizen_data(self) -> dict:
        """The event's data as the citizen may read it."""
        return {k: v for k, v in (self.data or {}).items() if k not in self.STAFF_ONLY_DATA}
