"""Mina sidor: the citizen's own applications and what has happened with them."""

from __future__ import annotations

from django.shortcuts import render

from bistand.casework.models import TimelineEvent
from bistand.identity.access import citizen_required


@citizen_required
def home(request):
    person = request.user.person
    applications = person.applications.order_by("-created_at")[:24]
    events = (
        TimelineEvent.objects.filter(case__applicant=person, visible_to_citizen=True)
        .select_related("application")
        .order_by("-occurred_at")[:50]
    )
    return render(
        request, "portal/home.html", {"person": person, "applications": applications, "events": events}
    )
