"""Form fields shared across the service."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _


class MoneyField(forms.DecimalField):
    """An amount in kronor as people type it: "7 800", "7800,50" or "7800.50"."""

    # A text input: number inputs reject "7 800" and the comma that Swedish uses.
    widget = forms.TextInput

    def __init__(self, *, max_value: Decimal = Decimal("1000000"), **kwargs) -> None:
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Skriv ett belopp i kronor med siffror, till exempel 7 800 eller 7 800,50."),
                "min_value": _("Beloppet kan inte vara mindre än 0 kronor."),
                "max_value": _("Beloppet är för stort. Kontrollera att du skrivit rätt."),
                "max_decimal_places": _("Skriv högst två decimaler (ören)."),
                "max_digits": _("Beloppet är för stort. Kontrollera att du skrivit rätt."),
                "required": _("Fyll i ett belopp. Skriv 0 om du inte har något."),
            },
        )
        super().__init__(max_value=max_value, localize=False, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            # Spaces group thousands in Swedish; "," and Arabic "٫" are decimal separators.
            value = value.strip().removesuffix("kr").strip()
            value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".").replace("\u066b", ".")
        try:
            return super().to_python(value)
        except InvalidOperation:  # pragma: no cover - DecimalField already maps this
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget):
        # No min/max/step attributes: the server's messages explain limits better than the browser's.
        return {k: v for k, v in super().widget_attrs(widget).items() if k not in {"min", "max", "step"}}


class DesignSystemForm(forms.Form):
    """A form whose inputs carry the design system's classes; errors and help are linked by Django."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "ds-input"
            if isinstance(field.widget, forms.Select):
                css = "ds-input ds-select"
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()
