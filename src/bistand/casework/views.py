"""The caseworker's queue and case pages, limited to the caseworker's own unit."""

from __future__ import annotations

from django.db.models import Max
from django.shortcuts import get_object_or_404, render

from bistand.casework.models import Case
from bistand.identity.access import caseworker_required


@caseworker_required
def queue(request):
    """The unit's cases, latest activity first."""
    cases = (
        Case.objects.filter(unit=request.user.unit)
        .select_related("applicant")
        .annotate(last_event=Max("events__occurred_at"))
        .order_by("-last_event")[:200]
    )
    return render(request, "casework/queue.html", {"cases": cases, "unit": request.user.unit})


@caseworker_required
def case_detail(request, case_id: int):
    case = get_object_or_404(Case.objects.select_related("applicant"), pk=case_id, unit=request.user.unit)
    events = case.events.select_related("application")
    return render(request, "casework/case.html", {"case": case, "events": events})
