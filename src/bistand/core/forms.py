"""Form fields shared across the service."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

# Arabic-Indic and Eastern Arabic-Indic digits, as an Arabic keyboard may type them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_UNIT = re.compile(r"^[^\d\-−]+(?=[\d\-−])|(?<=\d)[^\d.,\u066b\u066c]+$")


def amount_text(value: str, lang: str) -> str:
    """An amount as a person writes it in `lang`, as plain digits with "." for decimals.

    Read with the separators the pages of that language show amounts with (Django's formats): "7 800,50"
    in Swedish, "7,800.50" in English, "7.800,50" in Arabic (also "٧٬٨٠٠٫٥٠"). A thousands separator
    counts only before a group of three digits, so "7800.50" is still read as öre in every language, and
    "7,80" in English is refused rather than guessed.
    """
    text = value.strip().translate(_DIGITS)
    text = _UNIT.sub("", _SPACES.sub("", text))  # "kr", "SEK", "كرون" before or after the number
    thousands = get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)
    decimal = get_format("DECIMAL_SEPARATOR", lang, use_l10n=True)
    for separator in {thousands, "\u066c"}:
        if separator and not _SPACES.fullmatch(separator):
            text = re.sub(re.escape(separator) + r"(?=\d{3}(?!\d))", "", text)
    text = text.replace("\u066b", ".")
    return text.replace(decimal, ".") if decimal != "." else text


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
            value = amount_text(value, translation.get_language() or "sv")
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
