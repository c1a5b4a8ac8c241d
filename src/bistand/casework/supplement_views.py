"""The case page's tilläggsbeslut: register a tilläggsansökan from a call or a visit, and decide one."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bistand.casework import views, workspace
from bistand.casework.supplement_forms import SupplementDecisionForm, SupplementRequestForm
from bistand.casework.supplements import decide_supplement
from bistand.identity.access import caseworker_required
from bistand.intake.supplement import SupplementInvalid, apply_for_supplement, decided_months


def _errors(form) -> str:
    return "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())


@caseworker_required
@require_POST
def register(request, case_id: int):
    """A tilläggsansökan taken by phone or at a visit, registered in the citizen's name."""
    case = views._case(request, case_id)
    form = SupplementRequestForm(request.POST, months=decided_months(case.applicant))
    if not form.is_valid():
        messages.error(
            request, _("Ansökan om tillägg registrerades inte: %(errors)s") % {"errors": _errors(form)}
        )
        return views._back(case, "#supplement")
    try:
        apply_for_supplement(
            case.applicant,
            form.cleaned_data,
            channel=form.cleaned_data["channel"],
            registered_by=request.user.get_full_name() or request.user.username,
        )
    except SupplementInvalid as invalid:
        messages.error(request, invalid.message)
        return views._back(case, "#supplement")
    messages.success(request, _("Ansökan om tillägg är registrerad. Besluta den nedan när roboten är klar."))
    return views._back(case, "#decide")


@caseworker_required
@require_POST
def decide(request, case_id: int):
    """The tilläggsbeslut on the case's latest application, a tilläggsansökan."""
    case = views._case(request, case_id)
    run = views._latest_run(case)
    form = SupplementDecisionForm(request.POST)
    if run is None or not form.is_valid():
        messages.error(request, _("Beslutet fattades inte: %(errors)s") % {"errors": _errors(form)})
        return views._back(case, "#decide")
    data = form.cleaned_data
    try:
        decide_supplement(
            run,
            request.user,
            outcome=data["outcome"],
            amount=data["amount"] if data["amount"] is not None else Decimal(0),
            motivation=data["motivation"],
            kommunicering_exception=data["kommunicering_exception"],
        )
    except workspace.WorkspaceError as error:
        return views._fail(request, case, error, "#decide")
    messages.success(request, _("Tilläggsbeslutet är fattat och skickat till den sökande."))
    return views._back(case, "#decide")
