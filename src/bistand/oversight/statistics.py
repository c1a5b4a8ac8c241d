"""The oversight figures, computed in Python from the case records. Definitions: docs/oversight.md.

The unit of counting is the submitted application for a month in the period (`records.load`); a decision
means the application's first decision (version 1), which is how the case was decided when it was decided.
Later versions (rättelse, ändring) are counted separately as "corrected later".
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median as _median

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.casework import adjustments
from bistand.conversation.models import Appeal, Message
from bistand.decisions.models import Decision
from bistand.identity.models import Municipality, Unit
from bistand.intake.models import Application
from bistand.oversight import records as rec
from bistand.oversight.models import AppealOutcome, Budget, Investigation, RandomCheck
from bistand.oversight.periods import Period, month_start
from bistand.payments.models import PaymentOrder

DAY = datetime.timedelta(hours=24)

# Routing reasons as managers and the public read them; a code not listed is shown as it is stored.
REASON_LABELS = {
    "first_application": _("Ny ansökan (inget stöd förra månaden)"),
    "reported_change": _("Den sökande har angett en ändring"),
    "changed_since_last_month": _("Uppgifter ändrade sedan förra månaden"),
    "income_differs": _("Inkomst skiljer sig från registret"),
    "undeclared_income": _("Inkomst i registret som inte angavs"),
    "capital_income": _("Kapitalinkomst i registret"),
    "vehicle": _("Fordon i registret"),
    "household_differs": _("Hushållet skiljer sig från folkbokföringen"),
    "register_incomplete": _("Svar från register saknas"),
    "register_not_available": _("Registeruppgifter är inte tillgängliga för kommunen"),
    "application_incomplete": _("Ansökan är inte komplett"),
    "extra_needs": _("Söker för kostnader utöver det vanliga"),
    "emergency": _("Nödbistånd"),
    "supplement": _("Ansökan om tillägg för en beslutad månad"),
    "protected_identity": _("Skyddade personuppgifter"),
    "rent_above_guidance": _("Hyran är högre än riktlinjen"),
    "electricity_above_guidance": _("Elkostnaden är högre än riktlinjen"),
    "no_entitlement": _("Inkomsterna täcker behovet (avslag prövas av handläggare)"),
    "large_amount": _("Högt belopp"),
    "unverified_norm": _("Riksnormen är inte bekräftad"),
    "norm_reliability": _("Riksnormens belopp är inte godtagna för automatiskt beslut"),
    "school_status": _("Okänt om ungdom över 18 går i gymnasiet"),
    "calculation_failed": _("Beräkningen kunde inte göras"),
    "aktivitetskrav": _("Aktivitetskravet: plan saknas eller nytt från Arbetsförmedlingen"),
    "medical_certificate": _("Läkarintyg saknas eller täcker inte månaden"),
    "lawful_residence": _("Laglig vistelse i Sverige prövas"),
    "sublet_consent": _("Andrahandsuthyrning utan styrkt samtycke"),
    "riksnorm_ceiling": _("Stöd utöver riksnormen (riksnormen som tak)"),
    "large_household_cap": _("Begränsningen för större hushåll kan gälla"),
    "no_delegation": _("Nämnden har inte delegerat beslutet"),
}

OUTCOMES = ("grant", "partial", "reject")
APPEAL_STATES = ("pending", *AppealOutcome.Outcome.values)
APPEAL_LABELS = {"pending": _("Prövas fortfarande"), **dict(AppealOutcome.Outcome.choices)}
CHECK_OUTCOMES = ("ok", "discrepancy", "not_submitted", "")
# Money has left (or is on its way in a file sent to the bank).
PAID_STATUSES = ("sent", "paid")


def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, code))


def median(values: list[float]) -> float | None:
    """The middle value (the mean of the two middle values for an even count); None for no values."""
    return float(_median(values)) if values else None


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least p % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return float(ordered[rank - 1])


@dataclass(frozen=True)
class Share:
    """`count` of `total`; `percent` is None when there is nothing to divide by."""

    count: int
    total: int

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else 100 * self.count / self.total


@dataclass(frozen=True)
class Durations:
    """Hours from submission to first decision."""

    n: int
    median_hours: float | None
    p90_hours: float | None

    @classmethod
    def of(cls, hours: list[float]) -> Durations:
        return cls(len(hours), median(hours), percentile(hours, 90))


@dataclass(frozen=True)
class ReasonRow:
    code: str
    label: str
    count: int
    cumulative_percent: float  # of all reason mentions, this row and every more frequent one


@dataclass(frozen=True)
class UnitRow:
    """The robot's work on one unit's cases: how much it decided, how much was corrected, why it routed."""

    unit_id: int | None
    name: str
    decided: int
    automated: int
    automated_corrected: int  # automated first decisions a person later corrected or changed
    routed: int
    top_reason: str  # the most frequent routing reason's label, "" if nothing was routed
    by_month: dict[datetime.date, tuple[int, int, int]] = field(
        default_factory=dict
    )  # decided, automated, corrected

    @property
    def automated_share(self) -> Share:
        return Share(self.automated, self.decided)


@dataclass(frozen=True)
class PaymentMonth:
    month: datetime.date
    paid: Decimal
    households: int  # distinct cases paid: public money figures are hidden below five households
    budget: Decimal | None


@dataclass
class Statistics:
    """Every figure for one municipality, period and (optionally) set of units."""

    municipality: Municipality
    period: Period
    unit_ids: list[int] | None
    applications: int = 0
    applications_by_month: dict[datetime.date, int] = field(default_factory=dict)
    applications_by_channel: dict[str, int] = field(default_factory=dict)
    decided: int = 0
    decided_by_month: dict[datetime.date, int] = field(default_factory=dict)
    automated: int = 0
    automated_by_month: dict[datetime.date, int] = field(default_factory=dict)
    decision_time: dict[str, Durations] = field(default_factory=dict)  # "all" and each channel
    within_24h: Share = Share(0, 0)
    finished_runs: int = 0  # decided automatically or routed to a person
    routed: int = 0
    needs_attention: int = 0
    reasons: list[ReasonRow] = field(default_factory=list)
    person_decisions: int = 0  # first decisions by a person on a robot proposal
    changed: int = 0
    changed_by_line: list[tuple[str, int]] = field(default_factory=list)
    changed_reasons: list[tuple[str, str, int]] = field(default_factory=list)  # line, reason category, n
    changed_without_adjustment: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    corrected_later: int = 0
    automated_corrected: int = 0  # automated first decisions that a later version corrected or changed
    automated_corrected_by_month: dict[datetime.date, int] = field(default_factory=dict)
    units: list[UnitRow] = field(default_factory=list)
    appeals: dict[str, int] = field(default_factory=dict)
    decisions_appealed: int = 0
    messages_answered: Share = Share(0, 0)
    random_checks: dict[str, int] = field(default_factory=dict)
    investigations_open: int = 0
    investigations_closed: dict[str, int] = field(default_factory=dict)
    payments: list[PaymentMonth] = field(default_factory=list)
    paid_households: int = 0  # distinct cases paid in the whole period
    records: list[rec.AppRecord] = field(default_factory=list, repr=False)
    # What happened on the cases in the period, from the timeline (one count per category of `_timeline`).
    timeline: dict[str, int] = field(default_factory=dict)

    @property
    def automated_share(self) -> Share:
        return Share(self.automated, self.decided)

    @property
    def routed_share(self) -> Share:
        return Share(self.routed, self.finished_runs)

    @property
    def changed_share(self) -> Share:
        return Share(self.changed, self.person_decisions)

    @property
    def rejected_share(self) -> Share:
        return Share(self.outcomes.get("reject", 0), self.decided)

    @property
    def appeals_total(self) -> int:
        return sum(self.appeals.values())

    @property
    def random_checks_total(self) -> int:
        return sum(self.random_checks.values())

    @property
    def paid_total(self) -> Decimal:
        return sum((m.paid for m in self.payments), Decimal(0))

    @property
    def budget_total(self) -> Decimal | None:
        budgets = [m.budget for m in self.payments if m.budget is not None]
        return sum(budgets, Decimal(0)) if budgets else None


def compute(
    municipality: Municipality,
    period: Period,
    unit_ids: list[int] | None = None,
    *,
    now: datetime.datetime | None = None,
) -> Statistics:
    """All figures for the municipality's applications for months in the period."""
    now = now or timezone.now()
    records = rec.load(municipality, period, unit_ids)
    stats = Statistics(municipality=municipality, period=period, unit_ids=unit_ids, records=records)
    _applications(stats, records)
    _decisions(stats, records)
    _routing(stats, records)
    _changes(stats, records)
    _units(stats, records)
    _appeals(stats, records)
    _messages(stats, now)
    _random_checks(stats)
    _payments(stats)
    _timeline(stats)
    return stats


def _applications(stats: Statistics, records: list[rec.AppRecord]) -> None:
    stats.applications = len(records)
    by_month = Counter(r.month for r in records)
    stats.applications_by_month = {m: by_month.get(m, 0) for m in stats.period.months()}
    by_channel = Counter(r.channel for r in records)
    stats.applications_by_channel = {c: by_channel.get(c, 0) for c in Application.Channel.values}


def _decisions(stats: Statistics, records: list[rec.AppRecord]) -> None:
    decided = [r for r in records if r.decision is not None]
    stats.decided = len(decided)
    months = stats.period.months()
    by_month = Counter(r.month for r in decided)
    auto_by_month = Counter(r.month for r in decided if r.decision.automated)
    stats.decided_by_month = {m: by_month.get(m, 0) for m in months}
    stats.automated_by_month = {m: auto_by_month.get(m, 0) for m in months}
    stats.automated = sum(auto_by_month.values())
    hours = {r.id: r.hours_to_decision for r in decided}
    stats.decision_time = {"all": Durations.of([hours[r.id] for r in decided])}
    for channel in Application.Channel.values:
        stats.decision_time[channel] = Durations.of([hours[r.id] for r in decided if r.channel == channel])
    stats.within_24h = Share(sum(1 for r in decided if hours[r.id] <= 24), len(decided))
    outcomes = Counter(r.decision.outcome for r in decided)
    stats.outcomes = {o: outcomes.get(o, 0) for o in OUTCOMES}
    stats.corrected_later = sum(1 for r in decided if r.latest_version > 1)
    corrected = Counter(r.month for r in decided if r.decision.automated and r.latest_version > 1)
    stats.automated_corrected_by_month = {m: corrected.get(m, 0) for m in months}
    stats.automated_corrected = sum(corrected.values())


def _routing(stats: Statistics, records: list[rec.AppRecord]) -> None:
    # A routed run stays "routed" after a person has decided it, so this counts every routing.
    routed = [r for r in records if r.run_status == "routed"]
    stats.routed = len(routed)
    stats.finished_runs = sum(1 for r in records if r.run_status in ("decided", "routed"))
    stats.needs_attention = sum(1 for r in records if r.run_status == "needs_attention")
    mentions = Counter(code for r in routed for code in dict.fromkeys(r.reasons))
    total = sum(mentions.values())
    rows, running = [], 0
    # Most frequent first; ties by code so the order never depends on the database.
    for code, count in sorted(mentions.items(), key=lambda item: (-item[1], item[0])):
        running += count
        rows.append(ReasonRow(code, reason_label(code), count, 100 * running / total))
    stats.reasons = rows


def _units(stats: Statistics, records: list[rec.AppRecord]) -> None:
    """Automation, corrections of automated decisions and the main routing reason per unit."""
    names = dict(Unit.objects.filter(municipality=stats.municipality).values_list("pk", "name"))
    by_unit: dict[int | None, list[rec.AppRecord]] = defaultdict(list)
    for r in records:
        by_unit[r.unit_id].append(r)
    rows = []
    for unit_id, unit_records in by_unit.items():
        decided = [r for r in unit_records if r.decision is not None]
        automated = [r for r in decided if r.decision.automated]
        routed = [r for r in unit_records if r.run_status == "routed"]
        mentions = Counter(code for r in routed for code in dict.fromkeys(r.reasons))
        top = min(mentions.items(), key=lambda item: (-item[1], item[0]))[0] if mentions else ""
        by_month = {
            m: (
                sum(1 for r in decided if r.month == m),
                sum(1 for r in automated if r.month == m),
                sum(1 for r in automated if r.month == m and r.latest_version > 1),
            )
            for m in stats.period.months()
        }
        rows.append(
            UnitRow(
                unit_id=unit_id,
                name=names.get(unit_id, str(_("Ingen enhet än"))),
                decided=len(decided),
                automated=len(automated),
                automated_corrected=sum(1 for r in automated if r.latest_version > 1),
                routed=len(routed),
                top_reason=reason_label(top) if top else "",
                by_month=by_month,
            )
        )
    stats.units = sorted(rows, key=lambda row: (row.unit_id is None, row.name))


def _changes(stats: Statistics, records: list[rec.AppRecord]) -> None:
    """How often a person's decision differs from the robot's proposal, and what was changed."""
    by_line: Counter[str] = Counter()
    reasons: Counter[tuple[str, str]] = Counter()
    person, changed, unexplained = 0, 0, 0
    for r in records:
        d = r.decision
        if d is None or d.automated or r.proposal is None:
            continue
        person += 1
        amount_differs = d.amount != r.proposal
        if not (amount_differs or d.adjustments):
            continue
        changed += 1
        if not d.adjustments:
            unexplained += 1
        # By line and reason category: the caseworker's free text stays inside the case.
        for adjustment in d.adjustments:
            if adjustment.get("kind") == "motivation":
                continue
            by_line[adjustments.line_label(adjustment)] += 1
            reasons[(adjustments.line_label(adjustment), adjustments.category(adjustment))] += 1
    stats.person_decisions = person
    stats.changed = changed
    stats.changed_without_adjustment = unexplained
    stats.changed_by_line = sorted(by_line.items(), key=lambda item: (-item[1], item[0]))
    stats.changed_reasons = [
        (line, reason, n)
        for (line, reason), n in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    ]


def appeal_state(appeal, later_decisions: list[tuple[int, datetime.datetime]]) -> str:
    """A recorded outcome, else "changed_by_municipality" when a newer decision version was made after the
    appeal was lodged, else "pending"."""
    record = getattr(appeal, "outcome_record", None)
    if record is not None:
        return record.outcome
    for version, decided_at in later_decisions:
        if version > appeal.decision.version and decided_at >= appeal.lodged_at:
            return AppealOutcome.Outcome.CHANGED_BY_MUNICIPALITY
    return "pending"


def _appeals(stats: Statistics, records: list[rec.AppRecord]) -> None:
    stats.appeals = dict.fromkeys(APPEAL_STATES, 0)

    ids = [r.id for r in records]
    appeals = list(
        Appeal.objects.filter(decision__application_id__in=ids).select_related("decision", "outcome_record")
    )
    later: dict[int, list[tuple[int, datetime.datetime]]] = defaultdict(list)
    for row in Decision.objects.filter(
        application_id__in={a.decision.application_id for a in appeals}
    ).values("application_id", "version", "decided_at"):
        later[row["application_id"]].append((row["version"], row["decided_at"]))
    for appeal in appeals:
        stats.appeals[appeal_state(appeal, later[appeal.decision.application_id])] += 1
    stats.decisions_appealed = len({a.decision.application_id for a in appeals})


def _local_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _messages(stats: Statistics, now: datetime.datetime) -> None:
    """Citizens' messages sent in the period, and whether a caseworker wrote back within 24 hours.

    A message still inside its 24 hours without an answer is not counted yet.
    """
    start, end = _local_start(stats.period.first), _local_start(stats.period.end)
    cases = Message.objects.filter(
        case__unit__municipality=stats.municipality, sent_at__gte=start, sent_at__lt=end
    ).filter(rec.unit_filter(stats.unit_ids, "case__unit_id"))
    case_ids = set(cases.values_list("case_id", flat=True))
    thread: dict[int, list[tuple[datetime.datetime, str]]] = defaultdict(list)
    for row in (
        Message.objects.filter(case_id__in=case_ids, sent_at__gte=start, sent_at__lt=end + DAY)
        .order_by("sent_at", "pk")
        .values("case_id", "sent_at", "sender_kind")
    ):
        thread[row["case_id"]].append((row["sent_at"], row["sender_kind"]))
    answered = total = 0
    for messages in thread.values():
        for index, (sent_at, kind) in enumerate(messages):
            if kind != "citizen" or sent_at >= end:
                continue
            reply = next((t for t, k in messages[index + 1 :] if k == "caseworker" and t >= sent_at), None)
            if reply is not None and reply - sent_at <= DAY:
                answered += 1
                total += 1
            elif now - sent_at > DAY:
                total += 1
    stats.messages_answered = Share(answered, total)


def _random_checks(stats: Statistics) -> None:
    checks = RandomCheck.objects.filter(
        draw__municipality=stats.municipality,
        draw__month__gte=stats.period.first,
        draw__month__lt=stats.period.end,
    ).filter(rec.unit_filter(stats.unit_ids, "unit_id"))
    counts = Counter(checks.values_list("outcome", flat=True))
    stats.random_checks = {o: counts.get(o, 0) for o in CHECK_OUTCOMES}
    investigations = Investigation.objects.filter(random_check__in=checks)
    stats.investigations_open = investigations.filter(status=Investigation.Status.OPEN).count()
    closed = Counter(
        investigations.filter(status=Investigation.Status.CLOSED).values_list("conclusion", flat=True)
    )
    stats.investigations_closed = {
        c: closed.get(c, 0) for c in Investigation.Conclusion.values if c != Investigation.Conclusion.NONE
    }


def budget_for(
    municipality: Municipality, month: datetime.date, unit_ids: list[int] | None
) -> Decimal | None:
    """The month's budget: the municipality's own row (or the sum of its units' rows when it has none); for
    chosen units, the sum of their rows. None when nothing is budgeted."""
    rows = Budget.objects.filter(municipality=municipality, year=month.year, month=month.month)
    if unit_ids is None:
        whole = rows.filter(unit__isnull=True).values_list("amount", flat=True).first()
        if whole is not None:
            return whole
        amounts = list(rows.filter(unit__isnull=False).values_list("amount", flat=True))
    else:
        amounts = list(rows.filter(unit_id__in=unit_ids).values_list("amount", flat=True))
    return sum(amounts, Decimal(0)) if amounts else None


def _payments(stats: Statistics) -> None:
    """Money paid (sent to the bank or confirmed paid) by payout month, against the month's budget."""
    orders = PaymentOrder.objects.filter(
        municipality=stats.municipality,
        status__in=PAID_STATUSES,
        payout_date__gte=stats.period.first,
        payout_date__lt=stats.period.end,
    ).filter(rec.unit_filter(stats.unit_ids, "unit_id"))
    paid: dict[datetime.date, Decimal] = defaultdict(Decimal)
    households: dict[datetime.date, set[int]] = defaultdict(set)
    for row in orders.values("payout_date", "amount", "case_id"):
        month = month_start(row["payout_date"])
        paid[month] += row["amount"]
        households[month].add(row["case_id"])
    stats.paid_households = len(set().union(*households.values())) if households else 0
    stats.payments = [
        PaymentMonth(
            month=m,
            paid=paid.get(m, Decimal(0)),
            households=len(households.get(m, ())),
            budget=budget_for(stats.municipality, m, stats.unit_ids),
        )
        for m in stats.period.months()
    ]


def _decision_category(event, payload: events.DecisionStored) -> str:
    return "decided_automatically" if payload.automated else "decided_by_person"


def _payment_category(event, payload: events.Payment) -> str:
    return f"payment_{payload.status}"


# The same typed events the citizen and the caseworker read, folded into counts: every kind, or this
# module does not load (cases.events.fold).
_category = events.fold(
    {
        events.Received: lambda event, payload: "received",
        events.WaitingNorm: lambda event, payload: "waiting_norm",
        events.Routed: lambda event, payload: "routed",
        events.DocumentsRequested: lambda event, payload: (
            "reminder" if payload.reminder else "documents_requested"
        ),
        events.DocumentsSubmitted: lambda event, payload: "documents_submitted",
        events.KommuniceringSent: lambda event, payload: "kommunicering",
        events.DecisionStored: _decision_category,
        events.DecisionCorrected: lambda event, payload: "corrected",
        events.Payment: _payment_category,
        events.MessageSent: lambda event, payload: f"message_from_{payload.sender}",
        events.AppealLodged: lambda event, payload: "appealed",
        events.RandomCheckReviewed: lambda event, payload: "random_check_reviewed",
        events.InvestigationClosed: lambda event, payload: "investigation_closed",
    }
)


# What each category of `_category` is called on the dashboard, in the order it is read: a case's life from
# application to payment, then the conversation and the checks. Every category the fold can give has a row
# (tests/oversight/test_timeline_figures.py).
TIMELINE_LABELS = {
    "received": _("Ansökningar mottagna"),
    "waiting_norm": _("Väntade på riksnormen"),
    "routed": _("Gick till handläggare"),
    "documents_requested": _("Begäran om underlag"),
    "reminder": _("Påminnelser om underlag"),
    "documents_submitted": _("Underlag inkomna"),
    "kommunicering": _("Kommuniceringar före beslut"),
    "decided_automatically": _("Beslut fattade automatiskt"),
    "decided_by_person": _("Beslut fattade av handläggare"),
    "corrected": _("Rättade eller ändrade beslut"),
    "payment_planned": _("Utbetalningar planerade"),
    "payment_held": _("Utbetalningar som väntar på uppgifter"),
    "payment_sent": _("Utbetalningar skickade till banken"),
    "payment_paid": _("Utbetalningar gjorda"),
    "payment_returned": _("Utbetalningar som kom tillbaka"),
    "payment_stopped": _("Utbetalningar stoppade"),
    "payment_cancelled": _("Utbetalningar ersatta av ändrat beslut"),
    "payment_recovery_assessment": _("Möjliga återkrav att bedöma"),
    "message_from_citizen": _("Meddelanden från sökande"),
    "message_from_caseworker": _("Meddelanden från handläggare"),
    "appealed": _("Överklaganden inkomna"),
    "random_check_reviewed": _("Stickprov granskade"),
    "investigation_closed": _("Utredningar avslutade"),
}


def timeline_rows(stats: Statistics) -> list[tuple[str, int]]:
    """The period's timeline counts as (label, count) rows in reading order, leaving out what did not happen.
    A category without a label is shown by its key rather than dropped (and fails the test that guards it)."""
    known = [
        (str(label), stats.timeline[key]) for key, label in TIMELINE_LABELS.items() if key in stats.timeline
    ]
    unknown = [(key, n) for key, n in sorted(stats.timeline.items()) if key not in TIMELINE_LABELS]
    return known + unknown


def _timeline(stats: Statistics) -> None:
    """Timeline events recorded in the period on the municipality's cases, counted by category."""
    start, end = _local_start(stats.period.first), _local_start(stats.period.end)
    recorded = TimelineEvent.objects.filter(
        case__unit__municipality=stats.municipality, occurred_at__gte=start, occurred_at__lt=end
    ).filter(rec.unit_filter(stats.unit_ids, "case__unit_id"))
    stats.timeline = dict(Counter(_category(event) for event in recorded.iterator()))
