"""The caseworkers' random checks: the unit's list, the review and the investigation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bistand.cases.scope import cases_visible_to
from bistand.identity.access import caseworker_required
from bistand.oversight import documents, draw, review
from bistand.oversight.forms import InvestigationForm, OutcomeForm
from bistand.oversight.models import Investigation, RandomCheck, RandomCheckDraw


def _unit_checks(request: HttpRequest):
    """The unit's random checks, of the cases this member of staff may open (`cases.scope`)."""
    return RandomCheck.objects.filter(
        unit=request.user.unit, case__in=cases_visible_to(request.user)
    ).select_related("draw", "case", "caseworker", "document_request", "reviewed_by")


@caseworker_required
@require_safe
def random_checks(request: HttpRequest) -> HttpResponse:
    """The unit's random checks: the caseworker's own first, those waiting for review before the rest."""
    checks = list(_unit_checks(request).order_by("outcome", "deadline", "pk")[:300])
    mine = [c for c in checks if c.caseworker_id == request.user.pk]
    pool = [c for c in checks if c.caseworker_id is None]
    others = [c for c in checks if c.caseworker_id not in (None, request.user.pk)]
    open_investigations = Investigation.objects.filter(
        random_check__unit=request.user.unit, status=Investigation.Status.OPEN
    ).select_related("random_check")
    draws = [
        {"draw": d, "verified": draw.verify(d)}
        for d in RandomCheckDraw.objects.filter(municipality=request.user.unit.municipality)[:12]
    ]
    return render(
        request,
        "oversight/random_checks.html",
        {
            "mine": mine,
            "pool": pool,
            "others": others,
            "investigations": open_investigations,
            "draws": draws,
            "today": timezone.localdate(),
        },
    )


@caseworker_required
@require_http_methods(["GET", "POST"])
def random_check_detail(request: HttpRequest, check_id: int) -> HttpResponse:
    """One check: what was asked, what came in, the caseworker's review and any investigation."""
    check = get_object_or_404(_unit_checks(request), pk=check_id)
    investigation = Investigation.objects.filter(random_check=check).first()
    action = request.POST.get("action") if request.method == "POST" else None
    form = OutcomeForm(request.POST if action == "review" else None, initial={"message": _default_message()})
    investigation_form = InvestigationForm(request.POST if action == "close" else None)
    status = 200
    if action == "review" and not check.is_reviewed:
        if form.is_valid():
            try:
                review.record_outcome(
                    check,
                    form.cleaned_data["outcome"],
                    form.cleaned_data["note"],
                    request.user,
                    form.cleaned_data["message"],
                )
            except review.ReviewError as exc:
                form.add_error("outcome", _review_error(str(exc)))
            else:
                messages.success(request, _("Granskningen är sparad."))
                return redirect("oversight:random-check", check_id=check.pk)
        status = 400
    elif action == "close" and investigation is not None:
        if investigation_form.is_valid():
            try:
                review.close_investigation(
                    investigation,
                    investigation_form.cleaned_data["conclusion"],
                    investigation_form.cleaned_data["note"],
                    request.user,
                )
            except review.ReviewError:
                messages.error(request, _("Utredningen är redan avslutad."))
            else:
                messages.success(request, _("Utredningen är avslutad."))
            return redirect("oversight:random-check", check_id=check.pk)
        status = 400
    return render(
        request,
        "oversight/random_check.html",
        {
            "check": check,
            "form": form,
            "received": documents.received(check),
            "uploads": documents.uploads(check),
            "investigation": investigation,
            "investigation_form": investigation_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _default_message() -> str:
    return _("Tack för att du skickade in underlagen. Vi har gått igenom dem.")


def _review_error(code: str) -> str:
    return {
        "the deadline has not passed": _("Sista dagen har inte passerat än. Vänta tills den har gått."),
        "the documents did come in": _("Underlagen har kommit in. Granska dem i stället."),
        "already reviewed": _("Kontrollen är redan granskad."),
    }.get(code, _("Granskningen kunde inte sparas. Kontrollera uppgifterna."))
