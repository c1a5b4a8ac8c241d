"""Staff register and revoke powers of attorney (fullmakt) after checking the signed paper.

The page lists the municipality's powers with their state; the registration form takes both persons, the
scope, the validity and the scanned fullmakt. The rules and the access log live in `bistand.intake.powers`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bistand.audit import chain
from bistand.cases.protection import may_handle_protected
from bistand.cases.scope import without_protected
from bistand.core.files import UploadRejected
from bistand.core.forms import DesignSystemForm
from bistand.identity.access import caseworker_required
from bistand.identity.models import Person
from bistand.identity.personnummer import PersonnummerError, parse
from bistand.intake import powers
from bistand.intake.models import PowerOfAttorney


class PowerForm(DesignSystemForm):
    principal = forms.CharField(label=gettext_lazy("Personnummer för den som ger fullmakten"), max_length=13)
    principal_name = forms.CharField(
        label=gettext_lazy("Namn (om personen inte finns här ännu)"), max_length=200, required=False
    )
    agent = forms.CharField(label=gettext_lazy("Ombudets personnummer"), max_length=13)
    agent_name = forms.CharField(
        label=gettext_lazy("Ombudets namn (om ombudet inte finns här ännu)"), max_length=200, required=False
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Vad får ombudet göra?"), choices=PowerOfAttorney.Scope.choices
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Gäller från"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=gettext_lazy("Gäller till och med (tomt: tills den återkallas)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    document = forms.FileField(
        label=gettext_lazy("Den underskrivna fullmakten, skannad (PDF, JPEG eller PNG)"),
        error_messages={"required": gettext_lazy("Skanna in den underskrivna fullmakten och bifoga den.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Anteckning (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, municipality=None, user=None, **kwargs) -> None:
        self.municipality = municipality
        self.user = user
        super().__init__(*args, **kwargs)

    def _person(self, field: str) -> Person | None:
        try:
            digits = parse(self.cleaned_data[field]).digits
        except PersonnummerError:
            self.add_error(field, _("Det här är inte ett giltigt personnummer. Skriv 12 siffror."))
            return None
        person = Person.objects.filter(personnummer=digits).first()
        if person is not None and person.is_protected and not may_handle_protected(self.user):
            self.add_error(
                field,
                _(
                    "Vänd dig till en handläggare med behörighet för skyddade personuppgifter för den här fullmakten."
                ),
            )
            return None
        if person is not None:
            return person
        name = (self.cleaned_data.get(f"{field}_name") or "").strip()
        if not name:
            self.add_error(f"{field}_name", _("Personen finns inte här ännu. Skriv för- och efternamn."))
            return None
        first, _space, last = name.partition(" ")
        return Person(personnummer=digits, first_name=first, last_name=last, municipality=self.municipality)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["principal_person"] = self._person("principal")
        data["agent_person"] = self._person("agent")
        principal, agent = data.get("principal_person"), data.get("agent_person")
        if principal and agent and principal.personnummer == agent.personnummer:
            self.add_error("agent", _("Ombudet och den som ger fullmakten kan inte vara samma person."))
        valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", _("Fullmakten måste sluta efter att den börjar gälla."))
        return data


def _unit_powers(request):
    """The powers this unit deals with: the principal has a case here, or the unit registered the power."""
    unit = request.user.unit
    powers_here = PowerOfAttorney.objects.filter(Q(principal__cases__unit=unit) | Q(registered_by__unit=unit))
    # A protected person's powers only for "Skyddade personuppgifter", as their cases (`cases.scope`).
    powers_here = without_protected(request.user, powers_here, "principal", "agent")
    return powers_here.distinct().select_related("principal", "agent")


@caseworker_required
def register(request):
    """Register a power of attorney from the signed paper; list the municipality's powers."""
    municipality = request.user.unit.municipality
    form = PowerForm(
        request.POST or None, request.FILES or None, municipality=municipality, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for key in ("principal_person", "agent_person"):
            if data[key].pk is None:
                data[key].save()
        try:
            powers.register(
                principal=data["principal_person"],
                agent=data["agent_person"],
                scope=data["scope"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                document=data["document"],
                by=request.user,
                note=data["note"],
            )
        except UploadRejected as rejected:
            form.add_error("document", rejected.message)
        except powers.PowerRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Fullmakten är registrerad. Båda ser den på Mina sidor."))
            return redirect("casework:powers")
    listed = list(_unit_powers(request)[:100])
    # The list names people: it is a read of personal data like any other (the route has no id to log by).
    chain.append(user=request.user, object_type="power_of_attorney_list", purpose="GET casework:powers")
    return render(request, "casework/powers.html", {"form": form, "powers": listed})


@caseworker_required
@require_POST
def revoke(request, power_id: int):
    power = get_object_or_404(_unit_powers(request), pk=power_id)
    powers.revoke(power, request.user)
    messages.success(request, _("Fullmakten är återkallad."))
    return redirect("casework:powers")


@caseworker_required
def document(request, power_id: int):
    """The scanned fullmakt, for staff of the principal's municipality."""
    from django.http import FileResponse, Http404

    power = get_object_or_404(_unit_powers(request), pk=power_id)
    if not power.document:
        raise Http404
    powers.log(power, request.user, "download", "fullmakt öppnad")
    return FileResponse(
        power.document.open("rb"), as_attachment=True, filename=power.document.name.rsplit("/", 1)[-1]
    )
