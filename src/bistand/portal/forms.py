"""Forms on Mina sidor: a message, an upload, an appeal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bistand.core.forms import DesignSystemForm


class MessageForm(DesignSystemForm):
    body = forms.CharField(
        label=_("Ditt meddelande"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Skriv ditt meddelande innan du skickar."),
            "max_length": _(
                "Skriv högst %(limit_value)d tecken. Dela upp det i flera meddelanden om det behövs."
            ),
        },
    )


class UploadForm(DesignSystemForm):
    file = forms.FileField(
        label=_("Välj en fil"),
        help_text=_("PDF, JPEG, PNG eller HEIC. Högst 10 MB per fil. Du kan ta en bild med mobilen."),
        error_messages={
            "required": _("Välj en fil att skicka, eller ta en bild med mobilen."),
            "empty": _("Filen är tom. Välj filen igen, eller ta en ny bild."),
            "invalid": _("Det gick inte att läsa filen. Välj den igen."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "application/pdf,image/jpeg,image/png,image/heic,.heic"


class AppealForm(DesignSystemForm):
    text = forms.CharField(
        label=_("Vad tycker du är fel i beslutet, och hur vill du att det ska ändras?"),
        help_text=_("Skriv med egna ord. Du kan skriva på ditt eget språk."),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Skriv vad du tycker är fel i beslutet och hur du vill att det ska ändras."),
            "max_length": _("Skriv högst %(limit_value)d tecken."),
        },
    )
