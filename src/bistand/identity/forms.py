"""Sign-in forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bistand.core.forms import DesignSystemForm
from bistand.identity.personnummer import PersonnummerError, parse
from bistand.testdata import is_test_identity


class DevEidForm(DesignSystemForm):
    """The development eID: pick or type one of Skatteverket's test personnummer."""

    personnummer = forms.CharField(
        label=_("Personnummer"),
        help_text=_("12 siffror, till exempel 198001139297. Endast Skatteverkets testpersonnummer."),
        max_length=13,
    )

    def clean_personnummer(self) -> str:
        raw = self.cleaned_data["personnummer"]
        try:
            number = parse(raw)
        except PersonnummerError:
            raise forms.ValidationError(
                _("Det här är inte ett giltigt personnummer. Skriv 12 siffror, till exempel 198001139297.")
            ) from None
        if not is_test_identity(number.digits):
            raise forms.ValidationError(
                _("Utvecklingsinloggningen tar bara emot Skatteverkets testpersonnummer.")
            )
        return number.digits
