"""The managers' dashboard, its CSV export, and the budget, settings and appeal-outcome pages."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bistand.casework.norm_wait import wait_figures
from bistand.conversation.models import Appeal
from bistand.decisions.models import Decision
from bistand.identity.access import manager_required
from bistand.intake.models import Application
from bistand.oversight import charts, fairness, transparency
from bistand.oversight.forms import AppealOutcomeForm, BudgetForm, FilterForm, SettingsForm
from bistand.oversight.models import AppealOutcome, Budget, Investigation, OversightSettings
from bistand.oversight.periods import Period, month_label
from bistand.oversight.statistics import APPEAL_LABELS, Statistics, appeal_state, compute, timeline_rows
from bistand.oversight.suppression import format_number
from bistand.rules.money import format_sek

CAN_MANAGE = frozenset({"team_lead", "admin"})  # auditors read, they do not set budgets or settings


def _filters(request: HttpRequest) -> tuple[FilterForm, Period | None, list[int] | None]:
    municipality = request.user.unit.municipality
    units = list(municipality.units.order_by("name"))
    form = FilterForm(request.GET or None, units=units, today=timezone.localdate())
    if request.GET:
        if not form.is_valid():
            return form, None, None
        period = form.cleaned_data["period"]
        unit = form.cleaned_data.get("unit")
        return form, period, ([unit] if unit else None)
    return form, transparency.default_period(timezone.localdate()), None


def _hours_chart(stats: Statistics) -> list[charts.Bar]:

    labels = dict(Application.Channel.choices)
    items = []
    for code in Application.Channel.values:
        d = stats.decision_time[code]
        shown = "–" if d.median_hours is None else f"{format_number(d.median_hours, 1)} h"
        items.append((labels[code], d.median_hours, shown))
    return charts.bars(items)


def _time_rows(stats: Statistics) -> list[tuple[str, object]]:

    rows = [(str(label), stats.decision_time[code]) for code, label in Application.Channel.choices]
    return [*rows, (_("Alla"), stats.decision_time["all"])]


@manager_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The managers' figures for a period and unit, with charts, fairness alerts and a CSV export."""
    municipality = request.user.unit.municipality
    form, period, unit_ids = _filters(request)
    context = {"form": form, "municipality": municipality, "can_manage": request.user.role in CAN_MANAGE}
    if period is None:
        return render(request, "oversight/dashboard.html", context, status=400)
    stats = compute(municipality, period, unit_ids)
    config = OversightSettings.for_municipality(municipality)
    rates = fairness.group_rates(stats.records, config.fairness_threshold, config.fairness_min_group)
    months = period.months()
    context.update(
        {
            "stats": stats,
            "period": period,
            "config": config,
            "fairness_rates": rates,
            "fairness_alerts": fairness.alerts(rates),
            "fairness_rate_labels": fairness.RATES,
            "export_query": request.GET.urlencode(),
            "applications_chart": charts.bars(
                [
                    (
                        month_label(m),
                        stats.applications_by_month[m],
                        format_number(stats.applications_by_month[m]),
                    )
                    for m in months
                ]
            ),
            "automated_chart": charts.bars(
                [
                    (
                        month_label(m),
                        _pct(stats.automated_by_month[m], stats.decided_by_month[m]),
                        _pct_text(stats.automated_by_month[m], stats.decided_by_month[m]),
                    )
                    for m in months
                ],
                scale=100,
            ),
            "hours_chart": _hours_chart(stats),
            "reasons_chart": charts.bars(
                [(r.label, r.count, format_number(r.count)) for r in stats.reasons],
                notes=[f"{format_number(r.cumulative_percent, 1)} %" for r in stats.reasons],
            ),
            "outcomes_chart": charts.bars(
                [
                    (str(transparency.OUTCOME_LABELS[k]), v, format_number(v))
                    for k, v in stats.outcomes.items()
                ]
            ),
            "appeals_chart": charts.bars(
                [(str(APPEAL_LABELS[k]), v, format_number(v)) for k, v in stats.appeals.items()]
            ),
            "checks_chart": charts.bars(
                [
                    (str(transparency.CHECK_LABELS[k]), v, format_number(v))
                    for k, v in stats.random_checks.items()
                ]
            ),
            "month_rows": [
                (
                    m,
                    stats.applications_by_month[m],
                    stats.decided_by_month[m],
                    stats.automated_by_month[m],
                    stats.automated_corrected_by_month[m],
                )
                for m in months
            ],
            "time_rows": _time_rows(stats),
            "closed_rows": [
                (label, stats.investigations_closed[key])
                for key, label in Investigation.Conclusion.choices
                if stats.investigations_closed.get(key)
            ],
            "payments_chart": _payments_chart(stats),
            "timeline_rows": timeline_rows(stats),
            "norm_waits": wait_figures(municipality, unit_ids),
        }
    )
    return render(request, "oversight/dashboard.html", context)


def _pct(part: int, total: int) -> float | None:
    return None if total == 0 else 100 * part / total


def _pct_text(part: int, total: int) -> str:
    value = _pct(part, total)
    return "–" if value is None else f"{format_number(value, 1)} %"


def _payments_chart(stats: Statistics) -> list[charts.Bar]:
    items, notes = [], []
    for m in stats.payments:
        items.append((month_label(m.month), m.paid, format_sek(m.paid.quantize(Decimal("1")))))
        if m.budget:
            notes.append(_("%(share)s av budget") % {"share": _pct_text(int(m.paid), int(m.budget))})
        else:
            notes.append(_("ingen budget"))
    scale = max(
        [float(m.paid) for m in stats.payments] + [float(m.budget or 0) for m in stats.payments], default=0
    )
    return charts.bars(items, notes=notes, scale=scale)


@manager_required
@require_safe
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """Every dashboard figure for the chosen period and unit, one figure a row, unsuppressed (staff only)."""
    municipality = request.user.unit.municipality
    _form, period, unit_ids = _filters(request)
    if period is None:
        return HttpResponse(status=400)
    stats = compute(municipality, period, unit_ids)
    config = OversightSettings.for_municipality(municipality)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="oversikt-{municipality.code}-{month_label(period.first)}-{month_label(period.last)}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["figure", "month", "group", "value"])
    for row in export_rows(stats, config):
        writer.writerow(row)
    return response


def _num(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def export_rows(stats: Statistics, config: OversightSettings) -> list[tuple[str, str, str, str]]:
    """The dashboard's figures as (figure, month, group, value) rows."""
    rows: list[tuple[str, str, str, str]] = []

    def add(figure: str, value, month: str = "", group: str = "") -> None:
        rows.append((figure, month, group, _num(value)))

    for m in stats.period.months():
        label = month_label(m)
        add("applications", stats.applications_by_month[m], label)
        add("decisions", stats.decided_by_month[m], label)
        add("automated", stats.automated_by_month[m], label)
        add("automated_corrected", stats.automated_corrected_by_month[m], label)
    for channel, n in stats.applications_by_channel.items():
        add("applications", n, group=f"channel:{channel}")
    add("applications", stats.applications)
    add("decisions", stats.decided)
    add("automated", stats.automated)
    add("automated_percent", stats.automated_share.percent)
    add("automated_corrected", stats.automated_corrected)
    for row in stats.units:
        group = f"unit:{row.unit_id or '-'}"
        add("decisions", row.decided, group=group)
        add("automated", row.automated, group=group)
        add("automated_percent", row.automated_share.percent, group=group)
        add("automated_corrected", row.automated_corrected, group=group)
        add("routed", row.routed, group=group)
        for m, (decided, automated, corrected) in row.by_month.items():
            add("decisions", decided, month_label(m), group)
            add("automated", automated, month_label(m), group)
            add("automated_corrected", corrected, month_label(m), group)
    for key, d in stats.decision_time.items():
        group = "" if key == "all" else f"channel:{key}"
        add("decision_hours_n", d.n, group=group)
        add("decision_hours_median", d.median_hours, group=group)
        add("decision_hours_p90", d.p90_hours, group=group)
    add("decided_within_24h", stats.within_24h.count)
    add("decided_within_24h_percent", stats.within_24h.percent)
    add("finished_runs", stats.finished_runs)
    add("routed", stats.routed)
    add("routed_percent", stats.routed_share.percent)
    add("needs_attention", stats.needs_attention)
    for r in stats.reasons:
        add("routing_reason", r.count, group=r.code)
        add("routing_reason_cumulative_percent", r.cumulative_percent, group=r.code)
    add("person_decisions_on_proposal", stats.person_decisions)
    add("changed_proposal", stats.changed)
    add("changed_proposal_percent", stats.changed_share.percent)
    add("changed_without_adjustment", stats.changed_without_adjustment)
    for line, n in stats.changed_by_line:
        add("changed_line", n, group=line)
    for outcome, n in stats.outcomes.items():
        add("outcome", n, group=outcome)
    add("rejected_percent", stats.rejected_share.percent)
    add("corrected_later", stats.corrected_later)
    for state, n in stats.appeals.items():
        add("appeal", n, group=state)
    add("decisions_appealed", stats.decisions_appealed)
    add("messages_answered_within_24h", stats.messages_answered.count)
    add("messages_counted", stats.messages_answered.total)
    add("messages_answered_within_24h_percent", stats.messages_answered.percent)
    for outcome, n in stats.random_checks.items():
        add("random_check", n, group=outcome or "pending")
    add("investigations_open", stats.investigations_open)
    for conclusion, n in stats.investigations_closed.items():
        add("investigations_closed", n, group=conclusion)
    for p in stats.payments:
        label = month_label(p.month)
        add("paid", p.paid, label)
        add("paid_households", p.households, label)
        add("budget", p.budget, label)
    add("paid", stats.paid_total)
    add("budget", stats.budget_total)
    for key, n in sorted(stats.timeline.items()):
        add("timeline_events", n, group=f"event:{key}")
    for rate in fairness.group_rates(stats.records, config.fairness_threshold, config.fairness_min_group):
        group = f"{rate.dimension}:{rate.group}"
        add(f"{rate.rate}_percent", rate.share.percent, group=group)
        add(f"{rate.rate}_n", rate.share.total, group=group)
        add(f"{rate.rate}_flagged", int(rate.flagged), group=group)
    return rows


def _require_manage(request: HttpRequest) -> None:
    if request.user.role not in CAN_MANAGE:
        raise PermissionDenied


@manager_required
@require_http_methods(["GET", "POST"])
def budget(request: HttpRequest) -> HttpResponse:
    """The monthly budget, for the municipality or a unit (team leads and administrators)."""
    municipality = request.user.unit.municipality
    units = list(municipality.units.order_by("name"))
    if request.method == "POST":
        _require_manage(request)
        form = BudgetForm(request.POST, units=units)
        if form.is_valid():
            month = form.cleaned_data["month"]
            unit_id = form.cleaned_data.get("unit")
            if unit_id is not None and unit_id not in {u.pk for u in units}:
                raise PermissionDenied
            Budget.objects.update_or_create(
                municipality=municipality,
                unit_id=unit_id,
                year=month.year,
                month=month.month,
                defaults={"amount": form.cleaned_data["amount"], "updated_by": request.user},
            )
            messages.success(request, _("Budgeten för %(month)s är sparad.") % {"month": month_label(month)})
            return redirect("oversight:budget")
    else:
        form = BudgetForm(units=units)
    rows = (
        Budget.objects.filter(municipality=municipality)
        .select_related("unit")
        .order_by("-year", "-month", "unit__name")[:60]
    )
    return render(
        request,
        "oversight/budget.html",
        {"form": form, "budgets": rows, "can_manage": request.user.role in CAN_MANAGE},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    """Random-check and fairness settings (team leads and administrators change them)."""
    municipality = request.user.unit.municipality
    instance = OversightSettings.for_municipality(municipality)
    if request.method == "POST":
        _require_manage(request)
        form = SettingsForm(request.POST, instance=instance)
        if form.is_valid():
            saved = form.save(commit=False)
            saved.updated_by = request.user
            saved.save()
            messages.success(request, _("Inställningarna är sparade."))
            return redirect("oversight:settings")
    else:
        form = SettingsForm(instance=instance)
    return render(
        request, "oversight/settings.html", {"form": form, "can_manage": request.user.role in CAN_MANAGE}
    )


@manager_required
@require_http_methods(["GET", "POST"])
def appeals(request: HttpRequest) -> HttpResponse:
    """Appeals in the municipality with their outcome; a team lead records how the court ruled."""
    municipality = request.user.unit.municipality
    found = (
        Appeal.objects.filter(decision__case__unit__municipality=municipality)
        .select_related("decision", "outcome_record")
        .order_by("-lodged_at")[:200]
    )
    if request.method == "POST":
        _require_manage(request)
        appeal = get_object_or_404(
            Appeal, pk=request.POST.get("appeal"), decision__case__unit__municipality=municipality
        )
        form = AppealOutcomeForm(request.POST, prefix=f"a{appeal.pk}")
        if form.is_valid():
            AppealOutcome.objects.update_or_create(
                appeal=appeal,
                defaults={
                    "outcome": form.cleaned_data["outcome"],
                    "decided_on": form.cleaned_data["decided_on"],
                    "recorded_by": request.user,
                },
            )
            messages.success(request, _("Utfallet är sparat."))
            return redirect("oversight:appeals")
        messages.error(request, _("Välj ett utfall och skriv datumet som ÅÅÅÅ-MM-DD."))
    versions: dict[int, list] = {}
    for row in Decision.objects.filter(application_id__in={a.decision.application_id for a in found}).values(
        "application_id", "version", "decided_at"
    ):
        versions.setdefault(row["application_id"], []).append((row["version"], row["decided_at"]))
    rows = [
        {
            "appeal": a,
            "state": APPEAL_LABELS[appeal_state(a, versions.get(a.decision.application_id, []))],
            "form": AppealOutcomeForm(prefix=f"a{a.pk}"),
        }
        for a in found
    ]
    return render(
        request, "oversight/appeals.html", {"rows": rows, "can_manage": request.user.role in CAN_MANAGE}
    )
