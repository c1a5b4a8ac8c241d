"""Mina sidor: apply for a tillägg (a new need) on a month that is already decided."""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from bistand.core.forms import DesignSystemForm, MoneyField
from bistand.intake.acting import acting_person, acting_power, citizen_required
from bistand.intake.supplement import (
    MAX_AMOUNT,
    SupplementInvalid,
    apply_for_supplement,
    decided_months,
    need_choices,
)


class SupplementForm(DesignSystemForm):
    """The citizen's tilläggsansökan: which decided month, what the need is, what it costs and why."""

    month = forms.ChoiceField(label=gettext_lazy("Vilken månad gäller det?"))
    need = forms.ChoiceField(label=gettext_lazy("Vad behöver du pengar till?"))
    amount = MoneyField(label=gettext_lazy("Vad kostar det? (kronor)"), max_value=MAX_AMOUNT)
    description = forms.CharField(
        label=gettext_lazy("Berätta vad kostnaden gäller och varför den behövs"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Till exempel: mitt barn behöver nya glasögon, optikern har gett ett pris."),
    )

    def __init__(self, *args, months=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat()[:7], m.isoformat()[:7]) for m in months]
        self.fields["need"].choices = need_choices(get_language() or "sv")


@citizen_required
def supplement(request: HttpRequest) -> HttpResponse:
    """Ansök om tillägg: decided beside the month's decision, with its own letter and payment."""
    person = acting_person(request)
    months = decided_months(person)
    form = SupplementForm(request.POST if request.method == "POST" else None, months=months)
    if request.method == "POST" and months and form.is_valid():
        try:
            application = apply_for_supplement(person, form.cleaned_data)
        except SupplementInvalid as invalid:
            form.add_error(invalid.field if invalid.field in form.fields else None, invalid.message)
        else:
            flash.success(
                request,
                _("Tack! Din ansökan om tillägg är mottagen (%(reference)s). En handläggare beslutar om den.")
                % {"reference": application.short_reference},
            )
            return redirect("portal:home")
    context = {"form": form, "months": months, "power": acting_power(request)}
    return render(request, "portal/supplement.html", context)
