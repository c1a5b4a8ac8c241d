"""The robot's runs and the caseworker's records on a case (the case itself is `bistand.cases`)."""

from __future__ import annotations

import calendar

from django.db import models
from django.utils.translation import gettext_lazy as _

from bistand.cases.models import Case
from bistand.identity.models import Person
from bistand.intake.models import Application
from bistand.rules.reform import AF_STATUS


class PipelineRun(models.Model):
    """The robot's work on one application: each step's output is stored, so a retried step resumes.

    Steps run in order; `step` is the next one to run. A run ends decided (by the robot), routed (to a
    person, with every reason named), needing attention (a step kept failing; its error is kept) or waiting
    for the month's riksnorm to be published (`casework.norm_wait`).
    """

    class Step(models.TextChoices):
        COLLECT = "collect", _("Hämtar uppgifter från register")
        RECONCILE = "reconcile", _("Jämför uppgifter")
        CALCULATE = "calculate", _("Beräknar")
        TRIAGE = "triage", _("Bedömer om beslutet kan fattas automatiskt")
        DECIDE = "decide", _("Beslutar")
        PAY = "pay", _("Planerar utbetalning")
        DONE = "done", _("Klar")

    class Status(models.TextChoices):
        RUNNING = "running", _("Pågår")
        DECIDED = "decided", _("Beslutad automatiskt")
        ROUTED = "routed", _("Hos handläggare")
        NEEDS_ATTENTION = "needs_attention", _("Behöver åtgärd")
        # The month's riksnorm is not published yet: kept, and resumed when the table is imported.
        WAITING_NORM = "waiting_norm", _("Väntar på riksnormen")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="pipeline")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pipeline_runs")
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.COLLECT)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    urgent = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the run began and stopped waiting for the month's riksnorm (kept for the oversight dashboard).
    norm_wait_started = models.DateTimeField(null=True, blank=True)
    norm_wait_ended = models.DateTimeField(null=True, blank=True)
    # Each step's stored output.
    register_snapshot = models.JSONField(null=True, blank=True)
    findings = models.JSONField(null=True, blank=True)
    calculation_input = models.JSONField(null=True, blank=True)
    calculation = models.JSONField(null=True, blank=True)
    triage = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"Pipeline for application {self.application_id}: {self.step}/{self.status}"

    @property
    def routing_reasons(self) -> list[dict]:
        return (self.triage or {}).get("reasons", [])


class ActivityPlan(models.Model):
    """An adult's plan towards work (or the reason for an exemption), read by the aktivitetskrav check."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Aktivitetsplan")
        EXEMPTION = "exemption", _("Undantag från aktivitetskrav")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activity_plans")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="activity_plans")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    # The aktivitetskrav as enacted (prop. 2025/26:207): a plan's hours a week and the job-search time in
    # them; an exemption's code (`rules.reform.EXEMPTIONS`).
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    job_search_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    exemption_code = models.CharField(max_length=16, blank=True)
    # Arbetsförmedlingen's status in SSBTEK (`rules.reform.AF_STATUS`) on the case when the caseworker accepted
    # the plan: what they knew. Where the policy lets accepted plans carry over, the same status later is no news.
    af_status_accepted = models.CharField(max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} for person {self.person_id}"

    @property
    def af_status_accepted_text(self) -> str:
        """The accepted AF status as the caseworker reads it: code and meaning ("" when none recorded)."""
        if not self.af_status_accepted:
            return ""
        meaning = AF_STATUS.get(self.af_status_accepted, ("",))[0]
        return f"{self.af_status_accepted} {meaning}".strip()

    def covers_month(self, month) -> bool:
        """Valid on every day of ``month`` (its first day), not only on the first."""
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        return self.covers(month) and self.covers(last)

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Kommunicering(models.Model):
    """What a person found that may go against the citizen, told to them before the decision (FL 25 §).

    The citizen sees it on Mina sidor with the date to reply by; the caseworker sees it in the queue. A
    person's adverse decision needs one whose reply has come in or whose deadline has passed, or a recorded
    exception (casework.kommunicering).
    """

    run = models.ForeignKey(PipelineRun, on_delete=models.CASCADE, related_name="kommuniceringar")
    sent_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    found = models.TextField()  # what was found, in words the citizen understands
    reply_by = models.DateField()
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"Kommunicering {self.pk}"

    def answered_or_due(self, today) -> bool:
        """The citizen has replied, or the time to reply has run out."""
        return self.replied_at is not None or self.reply_by < today


class MedicalCertificate(models.Model):
    """A läkarintyg a caseworker has received: illness keeps the person from the labour market during its
    period (prop. 2025/26:201, from 1 July 2026). It expires: a month outside the period needs a new one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="medical_certificates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_until = models.DateField()
    recorded_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Medical certificate {self.pk}"

    def covers_month(self, month) -> bool:
        """Whether the certificate covers every day of the month (`month` is its first day)."""
        import calendar

        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        return self.valid_from <= month and last <= self.valid_until


class AutomationPolicy(models.Model):
    """A version of the nämnd's automation policy for a municipality, with the delegation it rests on.

    The newest version valid on a date is in force. Without any row, the default policy in
    `casework/policies/default.yaml` applies.
    """

    municipality = models.ForeignKey(
        "identity.Municipality", on_delete=models.PROTECT, related_name="policies"
    )
    version = models.CharField(max_length=32)
    valid_from = models.DateField()
    # The delegation decision (kommunallagen 6 kap.): body, date, paragraph.
    delegation = models.JSONField()
    config = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "version"], name="one_policy_version")]

    def __str__(self) -> str:
        return f"Automation policy {self.version}"


class JournalNote(models.Model):
    """A dated, signed note in the case (journal). Never edited: a correction is a new note."""

    class Visibility(models.TextChoices):
        CITIZEN = "citizen", _("Synlig för den sökande")
        INTERNAL = "internal", _("Intern")
        # E.g. violence in close relationships: only the case's caseworker and team leads.
        RESTRICTED = "restricted", _("Begränsad")

    class Kind(models.TextChoices):
        NOTE = "note", _("Anteckning")
        HANDOVER = "handover", _("Överlämning")
        CONTACT = "contact", _("Kontakt (möte eller samtal)")
        CONCERN = "concern", _("Orosanmälan")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journal")
    author = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NOTE)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # A contact: the child perspective was considered (barnperspektivet), and the next contact is due.
    children_considered = models.BooleanField(null=True, blank=True)
    next_contact_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Journal note {self.pk}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("a journal note is never edited; write a new note")
        super().save(*args, **kwargs)


class DecisionDraft(models.Model):
    """A caseworker's proposed decision, possibly adjusted, waiting to be decided or approved.

    Nothing reaches the citizen until it is decided; a draft can be changed freely until then.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        AWAITING_APPROVAL = "awaiting_approval", _("Väntar på godkännande")
        RETURNED = "returned", _("Återsänt")
        DECIDED = "decided", _("Beslutat")

    run = models.ForeignKey(PipelineRun, on_delete=models.CASCADE, related_name="drafts")
    proposed_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(max_length=16)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # [{"kind": "cost"|"income"|"norm", "type": ..., "from": "...", "to": "...", "reason": "..."}]
    adjustments = models.JSONField(default=list)
    calculation_input = models.JSONField(null=True, blank=True)
    calculation = models.JSONField(null=True, blank=True)
    motivation = models.TextField(blank=True)
    # Why an adverse draft needs no kommunicering (an FL 25 § exception), when none was made.
    kommunicering_exception = models.CharField(max_length=32, blank=True)
    # The ground of a rejection or partial grant (decisions/grounds.py), from the motivation template chosen.
    ground = models.CharField(max_length=16, blank=True)
    approver = models.ForeignKey(
        "identity.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Decision draft {self.pk}"


class PaperScan(models.Model):
    """A scanned page of a paper application, kept with the application it was registered as."""

    # Empty until the application is registered (a scan may be read by OCR first).
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="scans"
    )
    file = models.FileField(upload_to="scans/%Y/%m/")
    content_type = models.CharField(max_length=32)
    sha256 = models.CharField(max_length=64)
    ocr_text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Scan {self.pk}"


class ConcernReport(models.Model):
    """An orosanmälan (SoL, the duty to report concern for a child) as a route, not just a note.

    Written as a restricted journal note; this row is the task that follows it: the report to the unit the
    municipality's routine names, its status, who sent it and when. Never shown to the household: it has no
    timeline event and is not on Mina sidor; only those who may read restricted notes see it.
    """

    class Status(models.TextChoices):
        TO_REPORT = "to_report", _("Att anmäla")
        REPORTED = "reported", _("Anmäld")
        CLOSED = "closed", _("Avslutad av mottagaren")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="concern_reports")
    # Culled with its note (gallring): the report is the note's route, not a record of its own.
    note = models.OneToOneField(JournalNote, on_delete=models.CASCADE, related_name="concern_report")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.TO_REPORT)
    recipient = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        "identity.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Concern report {self.pk}"


# The findings lifecycle and sign-offs live in their own module (issue 16).
from bistand.casework.findings_models import CaseFinding, FindingEvent, SignOff  # noqa: E402, F401
