"""The citizen applies: the form, then a receipt once the application is stored."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from bistand.casework.tasks import receive_application
from bistand.identity.access import citizen_required
from bistand.identity.models import Municipality
from bistand.intake.forms import ApplicationForm
from bistand.intake.models import Application

logger = logging.getLogger(__name__)


def _municipality_for(person) -> Municipality | None:
    return person.municipality or Municipality.objects.order_by("pk").first()


@citizen_required
@require_http_methods(["GET", "POST"])
def apply(request):
    """The one-page application. Nothing is lost on an error: the form comes back filled in."""
    person = request.user.person
    municipality = _municipality_for(person)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and municipality is not None:
        month = datetime.date.fromisoformat(form.cleaned_data["month"] + "-01")
        # The application and its task are stored in one transaction: either both or neither.
        with transaction.atomic():
            application = Application.objects.create(
                applicant=person, municipality=municipality, month=month, answers=form.answers()
            )
            application.submit()
            receive_application.enqueue(application.pk)
        logger.info("application submitted", extra={"application_id": application.pk})
        return redirect("intake:received", reference=application.reference)
    return render(request, "intake/apply.html", {"form": form, "no_municipality": municipality is None})


@citizen_required
def received(request, reference):
    """The receipt: shown only after the application is safely stored."""
    application = get_object_or_404(Application, reference=reference, applicant=request.user.person)
    return render(request, "intake/received.html", {"application": application})
