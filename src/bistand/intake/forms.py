"""The one-page application form (a placeholder until the full e-application)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bistand.core.forms import DesignSystemForm, MoneyField


def month_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The months one can apply for: this month and the next."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return [(m.isoformat()[:7], date_format(m, "F Y")) for m in (first, following)]


class ApplicationForm(DesignSystemForm):
    month = forms.ChoiceField(label=_("Vilken månad söker du för?"))
    living = forms.ChoiceField(
        label=_("Bor du ensam eller med make, maka eller sambo?"),
        choices=[("alone", _("Jag bor ensam")), ("partner", _("Jag bor med make, maka eller sambo"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj hur du bor.")},
    )
    children = forms.IntegerField(
        label=_("Hur många barn under 21 år bor hos dig?"),
        min_value=0,
        max_value=15,
        initial=0,
        error_messages={
            "invalid": _("Skriv antalet barn med siffror, till exempel 2."),
            "min_value": _("Antalet barn kan inte vara mindre än 0."),
            "max_value": _("Kontrollera antalet barn. Ring oss om ni har fler än 15 barn."),
            "required": _("Skriv antalet barn. Skriv 0 om inga barn bor hos dig."),
        },
    )
    rent = MoneyField(label=_("Hyra per månad (kronor)"), max_value=100000)
    salary = MoneyField(label=_("Lön efter skatt den månad du söker för (kronor)"))
    other_income = MoneyField(label=_("Andra inkomster den månad du söker för (kronor)"))
    message = forms.CharField(
        label=_("Vill du berätta något mer? (frivilligt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )
    truthful = forms.BooleanField(
        label=_("Jag intygar att uppgifterna är riktiga och fullständiga."),
        error_messages={"required": _("Du behöver intyga att uppgifterna stämmer för att skicka ansökan.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices()
        self.fields["month"].error_messages["invalid_choice"] = _("Välj en av månaderna i listan.")

    def answers(self) -> dict:
        """The answers with their provenance, as stored on the application."""
        data = self.cleaned_data
        return {
            key: {
                "value": str(data[key]) if key in {"rent", "salary", "other_income"} else data[key],
                "source": "citizen",
            }
            for key in ("living", "children", "rent", "salary", "other_income", "message")
        }
