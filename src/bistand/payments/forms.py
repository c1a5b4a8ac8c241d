"""Forms of the finance view."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from bistand.core.forms import DesignSystemForm

MAX_STATUS_FILE_BYTES = 20 * 1024 * 1024


class BankStatusForm(DesignSystemForm):
    status_file = forms.FileField(
        label=_("Statusfil från banken"),
        help_text=_("En pain.002- eller camt.054-fil. Samma fil två gånger ändrar ingenting."),
    )

    def clean_status_file(self):
        upload = self.cleaned_data["status_file"]
        if upload.size > MAX_STATUS_FILE_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 20 MB)."))
        return upload


class LedgerExportForm(DesignSystemForm):
    first = forms.DateField(label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            raise forms.ValidationError(_("Från-datumet måste vara före till-datumet."))
        if first and last and (last - first) > datetime.timedelta(days=400):
            raise forms.ValidationError(_("Välj högst ett år åt gången."))
        return data


class VoidFileForm(DesignSystemForm):
    reason = forms.CharField(label=_("Varför makuleras filen?"), max_length=500)
