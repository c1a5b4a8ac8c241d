"""The public side, no sign-in: the transparency page, the calculator and the open data."""

from __future__ import annotations

import csv
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bistand.casework.policy import describe, policy_for
from bistand.decisions.motivation import appeal_notice
from bistand.identity.models import Municipality
from bistand.oversight import charts, transparency
from bistand.oversight.forms import CalculatorForm
from bistand.oversight.periods import Period, month_label, parse_month
from bistand.rules import InvalidInput, calculate, explain
from bistand.rules.commands.norm import table_json
from bistand.rules.reform import reform_rules


@require_safe
def transparency_index(request: HttpRequest) -> HttpResponse:
    """Every municipality's transparency page; straight to it when there is only one."""
    municipalities = list(Municipality.objects.order_by("name"))
    if len(municipalities) == 1:
        return redirect("oversight:transparency", code=municipalities[0].code)
    return render(request, "oversight/transparency_index.html", {"municipalities": municipalities})


def _public_period(request: HttpRequest) -> Period:
    """`?fran=YYYY-MM&till=YYYY-MM`, else the default twelve months. Invalid values give 404, not a guess."""
    default = transparency.default_period(timezone.localdate())
    try:
        first = parse_month(request.GET["fran"]) if request.GET.get("fran") else None
        last = parse_month(request.GET["till"]) if request.GET.get("till") else None
        last = last or default.last
        period = Period(first or Period.last_months(12, last).first, last)
    except ValueError:
        raise Http404("no such period") from None
    if len(period.months()) > 60:
        raise Http404("at most five years at a time")
    return period


def _appeal() -> dict[str, str]:
    """How to appeal in the page's language when the decisions catalogue has it, else in Swedish."""
    lang = get_language() or "sv"
    text = appeal_notice(lang)
    if lang != "sv" and text == appeal_notice("sv"):
        return {"appeal_text": text, "appeal_lang": "sv"}
    return {"appeal_text": text, "appeal_lang": ""}


def _rules_language() -> str:
    """The rules engine writes Swedish and English; other languages get the Swedish text."""
    return "en" if (get_language() or "").startswith("en") else "sv"


def _public_context(municipality: Municipality, period: Period) -> dict:
    today = timezone.localdate()
    policy = policy_for(municipality, today)
    report = transparency.public_report(municipality, period)
    months = report.months
    return {
        "municipality": municipality,
        "policy": policy,
        "policy_lines": describe(policy),
        "report": report,
        "norm": transparency.norm_overview(today),
        "reform_rules": list(reform_rules().values()),
        **_appeal(),
        "applications_chart": charts.bars(
            [(month_label(m.month), m.applications.value, m.applications.display) for m in months]
        ),
        "automated_chart": charts.bars(
            [(month_label(m.month), m.automated_share.value, m.automated_share.display) for m in months],
            scale=100,
        ),
        "reasons_chart": charts.bars([(r.label, r.count.value, r.count.display) for r in report.reasons]),
        "outcomes_chart": charts.bars([(o.label, o.count.value, o.count.display) for o in report.outcomes]),
    }


@require_safe
def transparency_page(request: HttpRequest, code: str) -> HttpResponse:
    """The public page: how decisions are made, the norms, the figures, how to appeal, the calculator."""
    municipality = get_object_or_404(Municipality, code=code)
    context = _public_context(municipality, _public_period(request))
    context["form"] = CalculatorForm(initial={"month": month_label(timezone.localdate())})
    return render(request, "oversight/transparency.html", context)


@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest, code: str) -> HttpResponse:
    """The public calculator. Nothing typed here is stored or logged."""
    municipality = get_object_or_404(Municipality, code=code)
    result = explanation = None
    if request.method == "POST":
        form = CalculatorForm(request.POST)
        if form.is_valid():
            data, fields = form.engine_input()
            data["municipality"] = municipality.code
            try:
                result = calculate(data, lang=_rules_language())
                explanation = explain(result, _rules_language())
            except InvalidInput as exc:
                for error in exc.as_list(_rules_language()):
                    field = fields.get(error["field"])
                    form.add_error(field, error["message"])
    else:
        form = CalculatorForm(initial={"month": month_label(timezone.localdate())})
    response = render(
        request,
        "oversight/calculator.html",
        {
            "municipality": municipality,
            "form": form,
            "result": result,
            "explanation": explanation,
            "explanation_lang": _rules_language(),
        },
    )
    # The answer is about one household's money: never cached on the way.
    response["Cache-Control"] = "no-store"
    return response


def _open_data_rows(request: HttpRequest, code: str):
    municipality = get_object_or_404(Municipality, code=code)
    period = _public_period(request)
    report = transparency.public_report(municipality, period)
    return municipality, period, report


@require_safe
def open_data_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The public figures as CSV (UTF-8, comma-separated, one figure a row; hidden values are empty)."""
    municipality, period, report = _open_data_rows(request, code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"bistand-{municipality.code}-{month_label(period.first)}-{month_label(period.last)}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    writer = csv.writer(response)
    columns = ["figure", "label", "month", "group", "group_label", "unit", "value", "display", "suppressed"]
    writer.writerow(columns)
    for row in report.rows():
        data = row.to_dict()
        data["value"] = "" if data["value"] is None else data["value"]
        data["suppressed"] = "1" if data["suppressed"] else "0"
        writer.writerow([data[c] for c in columns])
    return response


@require_safe
def open_data_json(request: HttpRequest, code: str) -> HttpResponse:
    """The public figures as JSON, with the period and how small counts are hidden."""
    municipality, period, report = _open_data_rows(request, code)
    body = {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "period": {"from": month_label(period.first), "to": month_label(period.last)},
        "generated_at": report.generated_at.isoformat(),
        "suppression": _(
            "Antal 1–4 visas som <5 och värdet är null. Andelar, medianer och belopp som skulle avslöja ett "
            "sådant antal visas inte heller. x betyder att ett tal döljs så att ett annat inte kan räknas fram."
        ),
        "definitions": request.build_absolute_uri(f"{request.path.rsplit('/', 1)[0]}/#definitioner"),
        "figures": [row.to_dict() for row in report.rows()],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def norm_json(request: HttpRequest, code: str) -> HttpResponse:
    """The riksnorm table in force, each amount with its source and whether it is verified."""
    get_object_or_404(Municipality, code=code)
    overview = transparency.norm_overview(timezone.localdate())
    response = HttpResponse(
        json.dumps(table_json(overview.table), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
