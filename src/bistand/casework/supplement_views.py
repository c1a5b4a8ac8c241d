"""The case page's tilläggsbeslut: register a tilläggsansökan from a call or a visit, and decide one."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bistand.cases.models import Case
from bistand.casework import views, workspace
from bistand.casework.kommunicering import EXCEPTIONS
from bistand.casework.models import PipelineRun
from bistand.casework.supplements import decide_supplement
from bistand.core.forms import DesignSystemForm, MoneyField
from bistand.identity.access import caseworker_required
from bistand.intake.models import Application
from bistand.intake.supplement import (
    MAX_AMOUNT,
    SupplementInvalid,
    apply_for_supplement,
    decided_months,
    need_choices,
    supplement_of,
)


class SupplementRequestForm(DesignSystemForm):
    """A tilläggsansökan the caseworker takes down: the decided month, the need, the amount and why."""

    month = forms.ChoiceField(label=gettext_lazy("Månad"))
    need = forms.ChoiceField(label=gettext_lazy("Behov"))
    amount = MoneyField(label=gettext_lazy("Belopp (kronor)"), max_value=MAX_AMOUNT)
    description = forms.CharField(
        label=gettext_lazy("Vad gäller kostnaden och varför behövs den?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Hur kom ansökan in?"),
        choices=[
            (Application.Channel.PHONE, gettext_lazy("Telefon")),
            (Application.Channel.PAPER, gettext_lazy("Papper eller besök")),
        ],
    )

    def __init__(self, *args, months=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat()[:7], m.isoformat()[:7]) for m in months]
        self.fields["need"].choices = need_choices("sv")


class SupplementDecisionForm(DesignSystemForm):
    """The tilläggsbeslut: grant, partly or wholly, or reject, with the reasons."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Beslut"),
        choices=[("grant", gettext_lazy("Bifall")), ("reject", gettext_lazy("Avslag"))],
    )
    amount = MoneyField(
        label=gettext_lazy("Beviljat belopp (kronor)"),
        max_value=MAX_AMOUNT,
        required=False,
        help_text=gettext_lazy("Mindre än det sökta är ett delvis bifall."),
    )
    motivation = forms.CharField(
        label=gettext_lazy("Motivering"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    kommunicering_exception = forms.ChoiceField(
        label=gettext_lazy("Undantag från kommunicering (vid avslag eller delvis bifall)"),
        required=False,
        choices=[("", gettext_lazy("Inget, kommunicering är gjord")), *EXCEPTIONS.items()],
    )


def supplement_context(case: Case, run: PipelineRun | None, decided) -> dict:
    """What the case page shows of tillägg: the form to register one, and the form to decide one."""
    request = supplement_of(run.application) if run else None
    return {
        "supplement_request": request,
        "supplement_decision_form": SupplementDecisionForm(initial={"amount": request.amount})
        if request and not decided
        else None,
        "supplement_form": SupplementRequestForm(months=decided_months(case.applicant))
        if decided_months(case.applicant)
        else None,
    }


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
