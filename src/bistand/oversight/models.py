"""Oversight records: the monthly random checks (stickprov) and what came of them, budgets, appeal outcomes.

Statistics and fairness figures are not stored: they are computed from the case records whenever they are
shown (`statistics.py`, `fairness.py`), so a figure can always be traced back to the rows it counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bistand.cases.models import Case
from bistand.identity.models import Municipality, Unit


class OversightSettings(models.Model):
    """A municipality's settings for random checks and fairness alerts. Without a row the defaults apply."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="oversight_settings"
    )
    # Each caseworker's number of checks in a month is drawn uniformly between these (inclusive).
    checks_min = models.PositiveSmallIntegerField(_("minsta antal stickprov per handläggare"), default=3)
    checks_max = models.PositiveSmallIntegerField(_("största antal stickprov per handläggare"), default=5)
    months_back = models.PositiveSmallIntegerField(_("antal månader bakåt"), default=3)
    deadline_days = models.PositiveSmallIntegerField(_("dagar att skicka in underlag"), default=14)
    # A group whose rate differs from everyone else's by at least this many percentage points is flagged,
    # if both sides have at least `fairness_min_group` cases (fewer is noise, not a signal).
    fairness_threshold = models.PositiveSmallIntegerField(
        _("tröskel för avvikelse (procentenheter)"), default=10
    )
    fairness_min_group = models.PositiveSmallIntegerField(_("minsta gruppstorlek"), default=20)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(checks_min__lte=models.F("checks_max")),
                name="oversight_checks_min_le_max",
                violation_error_message=_("Största antalet kan inte vara mindre än minsta antalet."),
            )
        ]

    def __str__(self) -> str:
        return f"Oversight settings for {self.municipality}"

    @classmethod
    def for_municipality(cls, municipality: Municipality) -> OversightSettings:
        """The stored settings, or the defaults (unsaved) when the municipality has none."""
        found = cls.objects.filter(municipality=municipality).first()
        return found if found is not None else cls(municipality=municipality)


class RandomCheckDraw(models.Model):
    """One month's draw in one municipality: the seed, the population drawn from and the result.

    With `population` and `seed` the draw can be repeated exactly (`draw.reproduce`); nothing about the
    households other than their case number and who handles them goes in.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="random_check_draws"
    )
    month = models.DateField(help_text="First day of the month of the applications drawn from.")
    seed = models.BigIntegerField()
    algorithm = models.CharField(max_length=32)
    checks_min = models.PositiveSmallIntegerField()
    checks_max = models.PositiveSmallIntegerField()
    months_back = models.PositiveSmallIntegerField()
    deadline = models.DateField()
    # [{"group": "caseworker:12" | "unit:3", "households": [case ids, ascending]}], groups in draw order.
    population = models.JSONField()
    # [{"group": ..., "count": k, "households": [case ids in the order drawn]}], same order.
    selection = models.JSONField()
    drawn_at = models.DateTimeField(auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-month", "municipality_id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month"], name="one_random_check_draw_per_month")
        ]

    def __str__(self) -> str:
        return f"Random check draw {self.month:%Y-%m} in {self.municipality_id}"

    @property
    def population_size(self) -> int:
        return sum(len(group["households"]) for group in self.population)

    @property
    def selected_count(self) -> int:
        return sum(len(group["households"]) for group in self.selection)


class RandomCheck(models.Model):
    """One household selected in a draw: the documents asked for, and the caseworker's review."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Inte granskat ännu")
        OK = "ok", _("Underlagen stämmer med ansökan")
        DISCREPANCY = "discrepancy", _("Avvikelse – utreds av en handläggare")
        NOT_SUBMITTED = "not_submitted", _("Underlagen kom inte in")

    draw = models.ForeignKey(RandomCheckDraw, on_delete=models.PROTECT, related_name="checks")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="random_checks")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # The caseworker whose household it is; empty when the household was drawn in its unit's pool.
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document_request = models.ForeignKey(
        "conversation.DocumentRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    months_covered = models.JSONField(default=list)  # ["2026-08", "2026-09", "2026-10"]
    deadline = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING, blank=True)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "case"], name="one_random_check_per_case_and_draw")
        ]

    def __str__(self) -> str:
        return f"Random check {self.pk}"

    @property
    def is_reviewed(self) -> bool:
        return self.outcome != self.Outcome.PENDING


class Investigation(models.Model):
    """A person's investigation of a discrepancy found in a random check.

    The system only records it: whether anything follows — a corrected decision, an assessment of
    recovery (återkrav, SoL), a police report — is decided and written down by a person.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        CLOSED = "closed", _("Avslutad")

    class Conclusion(models.TextChoices):
        NONE = "", _("Inte avslutad")
        NO_ACTION = "no_action", _("Ingen åtgärd – avvikelsen förklarades")
        DECISION_CHANGED = "decision_changed", _("Beslutet rättades eller ändrades")
        RECOVERY = "recovery", _("Återkrav prövas (beslut av en person)")
        POLICE_REPORT = "police_report", _("Polisanmälan (beslut av en person)")

    random_check = models.OneToOneField(RandomCheck, on_delete=models.PROTECT, related_name="investigation")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    conclusion = models.CharField(
        max_length=20, choices=Conclusion.choices, default=Conclusion.NONE, blank=True
    )
    conclusion_note = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Investigation {self.pk}"


class Budget(models.Model):
    """The money budgeted for försörjningsstöd in a month, for the municipality (no unit) or for a unit."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["year", "month", "unit_id"]
        constraints = [
            # NULL never equals NULL in a unique index, so the municipality-wide row needs its own.
            models.UniqueConstraint(
                fields=["municipality", "year", "month"],
                condition=models.Q(unit__isnull=True),
                name="one_municipality_budget_per_month",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "month"],
                condition=models.Q(unit__isnull=False),
                name="one_unit_budget_per_month",
            ),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="budget_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"Budget {self.year}-{self.month:02d}"


class AppealOutcome(models.Model):
    """How an appeal ended, recorded by a person: the municipality's reconsideration (FL 39 §) or the court.

    Without a record the outcome is read from the decisions: a newer version made after the appeal was
    lodged means the municipality changed its decision; otherwise the appeal is still being tried.
    """

    class Outcome(models.TextChoices):
        CHANGED_BY_MUNICIPALITY = "changed_by_municipality", _("Kommunen ändrade beslutet vid omprövning")
        UPHELD = "upheld", _("Förvaltningsrätten ändrade inte beslutet")
        CHANGED_BY_COURT = "changed_by_court", _("Förvaltningsrätten ändrade beslutet")
        WITHDRAWN = "withdrawn", _("Överklagandet återkallades")

    appeal = models.OneToOneField(
        "conversation.Appeal", on_delete=models.PROTECT, related_name="outcome_record"
    )
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Outcome of appeal {self.appeal_id}"
