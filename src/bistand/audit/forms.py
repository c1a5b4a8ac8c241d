"""The auditor's search of the access log, and the register extract's person field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bistand.accesslog.models import AccessLogEntry
from bistand.identity.models import Person
from bistand.identity.personnummer import PersonnummerError, parse


def person_for(value: str) -> Person | None:
    """The person with this personnummer (any common way of writing it), or None."""
    try:
        digits = parse(value.strip()).digits
    except PersonnummerError:
        return None
    return Person.objects.filter(personnummer=digits).first()


class PersonnummerField(forms.CharField):
    """A personnummer, written with or without century and dash; cleaned to twelve digits."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return parse(value.strip()).digits
        except PersonnummerError:
            raise forms.ValidationError(
                _("Skriv ett giltigt personnummer, till exempel 19800113-9297.")
            ) from None


class SearchForm(forms.Form):
    personnummer = PersonnummerField(label=_("Personnummer"), required=False, max_length=13)
    username = forms.CharField(label=_("Användarnamn (personal)"), required=False, max_length=150)
    case_id = forms.IntegerField(label=_("Ärendenummer"), required=False, min_value=1, max_value=2**62)
    action = forms.ChoiceField(
        label=_("Händelse"), required=False, choices=[("", _("Alla")), *AccessLogEntry.Action.choices]
    )
    date_from = forms.DateField(label=_("Från och med (ÅÅÅÅ-MM-DD)"), required=False)
    date_to = forms.DateField(label=_("Till och med (ÅÅÅÅ-MM-DD)"), required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            raise forms.ValidationError(_("Från-datumet ligger efter till-datumet."))
        return data


class ExtractForm(forms.Form):
    personnummer = PersonnummerField(label=_("Personnummer"), max_length=13)
