"""The case page's tillägg forms: register a tilläggsansökan from a call or a visit, and decide one.

Apart from the views (`supplement_views.py`) because the case page (`views.py`) shows these forms and the
views use the case page's helpers: one module each way, no cycle.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from bistand.cases.models import Case
from bistand.casework.kommunicering import EXCEPTIONS
from bistand.casework.models import PipelineRun
from bistand.core.forms import DesignSystemForm, MoneyField
from bistand.intake.models import Application
from bistand.intake.supplement import MAX_AMOUNT, decided_months, need_choices, supplement_of


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
