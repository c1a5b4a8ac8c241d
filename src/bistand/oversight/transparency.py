"""What the public transparency page and the open data show: the same figures, with small counts hidden.

`public_report` turns the oversight statistics into public figures (see `suppression.py`); the page, the CSV
and the JSON are all rendered from one report, so they cannot disagree. `norm_overview` gives the norm
tables in force with their sources.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bistand.intake.models import Application
from bistand.oversight import fairness
from bistand.oversight import suppression as sup
from bistand.oversight.models import OversightSettings, RandomCheck, RandomCheckDraw
from bistand.oversight.periods import Period, add_months, month_label, month_start
from bistand.oversight.statistics import (
    APPEAL_LABELS,
    APPEAL_STATES,
    Statistics,
    compute,
    median,
)
from bistand.rules import default_parameters
from bistand.rules.ages import bracket_words
from bistand.rules.money import format_sek
from bistand.rules.parameters import BRACKETS, COMMON_SIZES, YOUNG_BRACKETS, NormTable, ParamValue

OUTCOME_LABELS = {"grant": _("Beviljat"), "partial": _("Delvis beviljat"), "reject": _("Avslag")}
CHECK_LABELS = {
    "ok": _("Underlagen stämde"),
    "discrepancy": _("Avvikelse, utreds av en person"),
    "not_submitted": _("Underlagen kom inte in"),
    "": _("Inte granskade ännu"),
}
PUBLIC_MONTHS = 12


def default_period(today: datetime.date) -> Period:
    """Twelve application months ending next month: people apply in one month for the next."""
    last = add_months(month_start(today), 1)
    return Period(add_months(last, -(PUBLIC_MONTHS - 1)), last)


@dataclass(frozen=True)
class Row:
    """One public figure, as the CSV and JSON carry it."""

    figure: str
    month: str  # YYYY-MM, or "" for the whole period
    group: str  # a channel, reason, outcome … code; "" when the figure has no groups
    unit: str  # antal | procent | timmar | kronor
    public: sup.Public
    label: str = ""
    group_label: str = ""

    def to_dict(self) -> dict[str, Any]:
        value = self.public.value
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        return {
            "figure": self.figure,
            "label": self.label,
            "month": self.month,
            "group": self.group,
            "group_label": self.group_label,
            "unit": self.unit,
            "value": value,
            "display": self.public.display,
            "suppressed": self.public.suppressed,
        }


FIGURE_LABELS = {
    "applications": _("Ansökningar"),
    "decisions": _("Beslut"),
    "automated": _("Beslut fattade automatiskt"),
    "automated_share": _("Andel beslut fattade automatiskt"),
    "median_hours": _("Tid från ansökan till beslut, median"),
    "p90_hours": _("Tid från ansökan till beslut, 90:e percentilen"),
    "within_24h_share": _("Andel beslut inom 24 timmar"),
    "rejections": _("Avslag"),
    "outcomes": _("Beslut efter utfall"),
    "outcome_share": _("Andel beslut efter utfall"),
    "routed": _("Ansökningar som gick till handläggare"),
    "routed_share": _("Andel ansökningar som gick till handläggare"),
    "routing_reasons": _("Skäl till att ansökan gick till handläggare"),
    "routing_reason_share": _("Andel av ansökningarna hos handläggare med skälet"),
    "changed_share": _("Andel handläggarbeslut som ändrade datorns förslag"),
    "person_decisions": _("Handläggarbeslut med förslag från datorn"),
    "corrected_later": _("Beslut som rättats eller ändrats senare"),
    "appeals": _("Överklaganden"),
    "appeal_outcomes": _("Överklaganden efter utfall"),
    "messages_24h_share": _("Andel meddelanden besvarade inom 24 timmar"),
    "random_checks": _("Stickprov"),
    "random_check_outcomes": _("Stickprov efter utfall"),
    "paid": _("Utbetalt"),
    "budget": _("Budget"),
    "routed_share_by_group": _("Andel till handläggare per grupp"),
    "rejected_share_by_group": _("Andel avslag per grupp"),
}


@dataclass
class MonthFigures:
    month: datetime.date
    applications: sup.Public
    decisions: sup.Public
    automated: sup.Public
    automated_share: sup.Public
    median_hours: sup.Public
    rejections: sup.Public
    paid: sup.Public
    budget: sup.Public


@dataclass
class Labelled:
    """A figure in a list (a channel, a reason, an outcome …) with its share where it has one."""

    code: str
    label: str
    count: sup.Public
    share: sup.Public | None = None
    extra: dict[str, sup.Public] = field(default_factory=dict)


@dataclass
class DrawSummary:
    month: datetime.date
    population: sup.Public
    selected: sup.Public
    seed: int
    algorithm: str


@dataclass
class PublicReport:
    """Everything the public sees, for one municipality and period."""

    municipality: Any
    period: Period
    generated_at: datetime.datetime
    totals: dict[str, sup.Public]
    months: list[MonthFigures]
    channels: list[Labelled]
    outcomes: list[Labelled]
    reasons: list[Labelled]
    appeals: list[Labelled]
    checks: list[Labelled]
    fairness: list[Labelled]
    draws: list[DrawSummary]
    checks_per_caseworker: tuple[int, int]

    def rows(self) -> list[Row]:
        """Every figure as a flat row, for the CSV and the JSON."""
        out: list[Row] = []

        def add(figure: str, public: sup.Public, unit: str, month: str = "", group: str = "", group_label=""):
            out.append(Row(figure, month, group, unit, public, str(FIGURE_LABELS[figure]), str(group_label)))

        t = self.totals
        for key, unit in (
            ("applications", "antal"),
            ("decisions", "antal"),
            ("automated", "antal"),
            ("automated_share", "procent"),
            ("median_hours", "timmar"),
            ("p90_hours", "timmar"),
            ("within_24h_share", "procent"),
            ("rejections", "antal"),
            ("routed", "antal"),
            ("routed_share", "procent"),
            ("person_decisions", "antal"),
            ("changed_share", "procent"),
            ("corrected_later", "antal"),
            ("appeals", "antal"),
            ("messages_24h_share", "procent"),
            ("random_checks", "antal"),
            ("paid", "kronor"),
            ("budget", "kronor"),
        ):
            add(key, t[key], unit)
        for m in self.months:
            label = month_label(m.month)
            add("applications", m.applications, "antal", label)
            add("decisions", m.decisions, "antal", label)
            add("automated", m.automated, "antal", label)
            add("automated_share", m.automated_share, "procent", label)
            add("median_hours", m.median_hours, "timmar", label)
            add("rejections", m.rejections, "antal", label)
            add("paid", m.paid, "kronor", label)
            add("budget", m.budget, "kronor", label)
        for c in self.channels:
            add("applications", c.count, "antal", group=c.code, group_label=c.label)
            add("median_hours", c.extra["median_hours"], "timmar", group=c.code, group_label=c.label)
            add("p90_hours", c.extra["p90_hours"], "timmar", group=c.code, group_label=c.label)
        for o in self.outcomes:
            add("outcomes", o.count, "antal", group=o.code, group_label=o.label)
            add("outcome_share", o.share, "procent", group=o.code, group_label=o.label)
        for r in self.reasons:
            add("routing_reasons", r.count, "antal", group=r.code, group_label=r.label)
            add("routing_reason_share", r.share, "procent", group=r.code, group_label=r.label)
        for a in self.appeals:
            add("appeal_outcomes", a.count, "antal", group=a.code, group_label=a.label)
        for c in self.checks:
            add("random_check_outcomes", c.count, "antal", group=c.code or "pending", group_label=c.label)
        for f in self.fairness:
            add("routed_share_by_group", f.extra["routed"], "procent", group=f.code, group_label=f.label)
            add("rejected_share_by_group", f.extra["rejected"], "procent", group=f.code, group_label=f.label)
        return out


def _month_figures(stats: Statistics) -> list[MonthFigures]:
    """Month by month. Each series adds up to a total shown elsewhere on the page, so each is suppressed
    as a breakdown: one hidden month could otherwise be found by subtraction."""
    months = stats.period.months()
    decided: dict[datetime.date, list] = {m: [] for m in months}
    for r in stats.records:
        if r.decision is not None:
            decided[r.month].append(r)
    decisions = {m: len(decided[m]) for m in months}
    rejections = {m: sum(1 for r in decided[m] if r.decision.outcome == "reject") for m in months}
    automated = {m: stats.automated_by_month.get(m, 0) for m in months}
    applications = sup.breakdown({m: stats.applications_by_month.get(m, 0) for m in months})
    decision_cells = sup.breakdown(decisions)
    automated_cells = sup.breakdown(automated)
    rejection_cells = sup.breakdown(rejections)
    paid = sup.money_breakdown({p.month: (p.paid, p.households) for p in stats.payments})
    budgets = {p.month: p.budget for p in stats.payments}
    out = []
    for m in months:
        hours = [r.hours_to_decision for r in decided[m]]
        hidden_share = automated_cells[m].suppressed or decision_cells[m].suppressed
        out.append(
            MonthFigures(
                month=m,
                applications=applications[m],
                decisions=decision_cells[m],
                automated=automated_cells[m],
                automated_share=(
                    sup.Public(None, "–", True) if hidden_share else sup.share(automated[m], decisions[m])
                ),
                median_hours=sup.hours(median(hours), len(hours)),
                rejections=rejection_cells[m],
                paid=paid.get(m, sup.Public(None, "–")),
                budget=_budget(budgets.get(m)),
            )
        )
    return out


def _budget(amount: Decimal | None) -> sup.Public:
    # A budget is a decision of the nämnd about money, not about people: never hidden.
    if amount is None:
        return sup.Public(None, "–")
    kronor = amount.quantize(Decimal("1"))
    return sup.Public(kronor, format_sek(kronor))


def public_report(municipality, period: Period, *, now: datetime.datetime | None = None) -> PublicReport:
    """The public figures for the whole municipality (all units) and the period."""
    now = now or timezone.now()
    stats = compute(municipality, period, now=now)
    config = OversightSettings.for_municipality(municipality)
    records = stats.records
    t = stats.decision_time["all"]
    totals = {
        "applications": sup.count(stats.applications),
        "decisions": sup.count(stats.decided),
        "automated": sup.count(stats.automated),
        "automated_share": sup.share(stats.automated, stats.decided),
        "median_hours": sup.hours(t.median_hours, t.n),
        "p90_hours": sup.hours(t.p90_hours, t.n),
        "within_24h_share": sup.share(stats.within_24h.count, stats.within_24h.total),
        "rejections": sup.count(stats.outcomes.get("reject", 0)),
        "routed": sup.count(stats.routed),
        "routed_share": sup.share(stats.routed, stats.finished_runs),
        "person_decisions": sup.count(stats.person_decisions),
        "changed_share": sup.share(stats.changed, stats.person_decisions),
        "corrected_later": sup.count(stats.corrected_later),
        "appeals": sup.count(stats.appeals_total),
        "messages_24h_share": sup.share(stats.messages_answered.count, stats.messages_answered.total),
        "random_checks": sup.count(stats.random_checks_total),
        # Hidden when one to four distinct households were paid in the whole period.
        "paid": sup.money(stats.paid_total, stats.paid_households),
        "budget": _budget(stats.budget_total),
    }
    channel_labels = dict(Application.Channel.choices)
    channel_cells = sup.breakdown(
        {c: stats.applications_by_channel.get(c, 0) for c in Application.Channel.values}
    )
    channels = []
    for code in Application.Channel.values:
        d = stats.decision_time[code]
        channels.append(
            Labelled(
                code,
                str(channel_labels[code]),
                channel_cells[code],
                extra={
                    "median_hours": sup.hours(d.median_hours, d.n),
                    "p90_hours": sup.hours(d.p90_hours, d.n),
                },
            )
        )
    outcome_cells = sup.breakdown(stats.outcomes)
    outcomes = [
        Labelled(
            code,
            str(OUTCOME_LABELS[code]),
            outcome_cells[code],
            sup.breakdown_share(outcome_cells[code], stats.outcomes[code], stats.decided),
        )
        for code in stats.outcomes
    ]
    # Reasons are not a breakdown (a case can have several), so each is suppressed on its own.
    reasons = [
        Labelled(row.code, row.label, sup.count(row.count), sup.share(row.count, stats.routed))
        for row in stats.reasons
    ]
    appeal_cells = sup.breakdown(stats.appeals)
    appeals = [Labelled(code, str(APPEAL_LABELS[code]), appeal_cells[code]) for code in APPEAL_STATES]
    check_cells = sup.breakdown(stats.random_checks)
    checks = [Labelled(code, str(CHECK_LABELS[code]), check_cells[code]) for code in stats.random_checks]
    return PublicReport(
        municipality=municipality,
        period=period,
        generated_at=now,
        totals=totals,
        months=_month_figures(stats),
        channels=channels,
        outcomes=outcomes,
        reasons=reasons,
        appeals=appeals,
        checks=checks,
        fairness=_fairness(records),
        draws=_draws(municipality, period),
        checks_per_caseworker=(config.checks_min, config.checks_max),
    )


def _fairness(records) -> list[Labelled]:
    """Routing and rejection rates per group. Within a dimension the groups add up to totals shown on the
    page, so counts and the parts behind each share are suppressed as breakdowns, and a share is shown
    only when neither its group nor its part is hidden."""
    out = []
    finished = [r for r in records if r.run_status in ("decided", "routed")]
    decided = [r for r in records if r.decision is not None]
    for dimension, dimension_label in fairness.DIMENSIONS.items():
        groups = sorted({getattr(r, dimension) for r in records})
        finished_n = Counter(getattr(r, dimension) for r in finished)
        decided_n = Counter(getattr(r, dimension) for r in decided)
        routed = Counter(getattr(r, dimension) for r in finished if r.run_status == "routed")
        rejected = Counter(getattr(r, dimension) for r in decided if r.decision.outcome == "reject")
        count_cells = sup.breakdown({g: finished_n[g] for g in groups})
        decided_cells = sup.breakdown({g: decided_n[g] for g in groups})
        routed_cells = sup.breakdown({g: routed[g] for g in groups})
        rejected_cells = sup.breakdown({g: rejected[g] for g in groups})
        for group in groups:
            hide_routed = count_cells[group].suppressed or routed_cells[group].suppressed
            hide_rejected = decided_cells[group].suppressed or rejected_cells[group].suppressed
            out.append(
                Labelled(
                    f"{dimension}:{group}",
                    f"{dimension_label}: {fairness.group_label(dimension, group)}",
                    count_cells[group],
                    extra={
                        "routed": sup.Public(None, "–", True)
                        if hide_routed
                        else sup.share(routed[group], finished_n[group]),
                        "rejected": sup.Public(None, "–", True)
                        if hide_rejected
                        else sup.share(rejected[group], decided_n[group]),
                    },
                )
            )
    return out


def _draws(municipality, period: Period) -> list[DrawSummary]:
    draws = RandomCheckDraw.objects.filter(
        municipality=municipality, month__gte=period.first, month__lt=period.end
    ).order_by("month")
    counts = Counter(RandomCheck.objects.filter(draw__in=draws).values_list("draw_id", flat=True))
    return [
        DrawSummary(
            d.month, sup.count(d.population_size), sup.count(counts.get(d.pk, 0)), d.seed, d.algorithm
        )
        for d in draws
    ]


# The norm tables ------------------------------------------------------------------------------------


@dataclass
class NormCell:
    label: str
    amount: Decimal
    verified: bool
    note: str = ""


@dataclass
class NormOverview:
    table: NormTable
    in_force_for: datetime.date
    children: list[tuple[str, NormCell, NormCell | None]]
    adults: list[NormCell]
    common: list[NormCell]
    common_step: Decimal
    prisbasbelopp: Any
    jobbstimulans: Any
    child_exemption_limit: Decimal
    unverified_notes: list[str]
    # True when most unchecked amounts were made by uprating last year's amounts (the usual case for a year
    # whose SFS text is not loaded yet); the page then says so in plain Swedish.
    uprated: bool = False

    @property
    def jobbstimulans_terms(self) -> dict[str, Any] | None:
        """Share of salary not counted (percent), months in a row that qualify, months it lasts."""
        if self.jobbstimulans is None:
            return None
        values = self.jobbstimulans.values
        return {
            "percent": int(Decimal(str(values["share"])) * 100),
            "months": values["qualifying_months"],
            "period": values["period_months"],
            "reference": self.jobbstimulans.reference,
        }


def _cell(label: str, value: ParamValue) -> NormCell:
    note = "" if value.verified else " ".join((value.method or value.note or "").split())
    return NormCell(str(label), value.amount, value.verified, note)


def norm_overview(today: datetime.date) -> NormOverview | None:
    """The riksnorm table in force this month (or the newest one), with what it rests on."""
    params = default_parameters()
    month = month_start(today)
    table = params.table_for(month)
    if table is None:
        table = params.tables[params.last_year]
        month = table.valid_from.replace(day=1)
    in_force = params.at(month)
    lang = get_language() or "sv"
    children = [
        (
            bracket_words(key, lang),
            _cell(bracket_words(key, lang), table.with_lunch[key]),
            _cell(bracket_words(key, lang), table.without_lunch[key]) if key in YOUNG_BRACKETS else None,
        )
        for key in BRACKETS
    ]
    adults = [
        _cell(_("Ensamstående vuxen"), table.adults["single"]),
        _cell(_("Sammanboende vuxna (tillsammans)"), table.adults["couple"]),
    ]
    common = []
    for size in COMMON_SIZES:
        label = _("1 person") if size == 1 else _("%(n)d personer") % {"n": size}
        common.append(_cell(label, table.common[size]))
    cells = [row[1] for row in children] + [row[2] for row in children if row[2]] + adults + common
    notes = list(dict.fromkeys(cell.note for cell in cells if cell.note))
    unchecked = [v for _name, v in table.cells() if not v.verified]
    by_uprating = [v for v in unchecked if (v.derivation or {}).get("kind") in ("per_item", "uprate")]
    uprated = bool(unchecked) and 2 * len(by_uprating) > len(unchecked)
    return NormOverview(
        table=table,
        in_force_for=month,
        children=children,
        adults=adults,
        common=common,
        common_step=table.common[7].amount - table.common[6].amount,
        prisbasbelopp=in_force.prisbasbelopp,
        jobbstimulans=in_force.jobbstimulans,
        child_exemption_limit=in_force.child_exemption_limit,
        unverified_notes=notes,
        uprated=uprated,
    )
