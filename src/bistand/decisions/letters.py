"""Decision letters as PDF (WeasyPrint), in Swedish and in the citizen's language.

A letter never carries an address: it is delivered on Mina sidor, and a protected person's address must
never be written anywhere.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bistand.decisions.motivation import kronor, paragraphs
from bistand.decisions.presentation import explanation


def _lines(calculation: dict, lang: str) -> list[dict]:
    with translation.override(lang):
        labels = {"norm": _("Riksnorm"), "costs": _("Kostnader"), "income": _("Inkomster")}
        rows = []
        for line in calculation.get("lines", []):
            section = labels.get(line["section"], line["section"])
            rows.append({"section_label": section, "label": line["label"], "amount": kronor(line["amount"])})
        return rows


def _explanation(decision, lang: str) -> list[str]:
    """The rules engine's plain-language explanation, where it speaks the language (Swedish, English)."""
    if lang not in ("sv", "en"):
        return []
    return explanation(decision, lang)


def render_letter(decision, lang: str = "sv") -> bytes:
    """The letter as PDF bytes."""
    from weasyprint import HTML

    application = decision.application
    person = application.applicant
    with translation.override(lang):
        html = render_to_string(
            "decisions/letter.html",
            {
                "lang": lang,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "decision": decision,
                "municipality": application.municipality.name,
                "recipient": person.full_name,
                "reference": str(application.reference)[:8].upper(),
                "decided_on": date_format(decision.decided_at, "j F Y"),
                "decided_by": decision.decided_by.get_full_name() if decision.decided_by else "",
                "paragraphs": paragraphs(decision, lang),
                "lines": _lines(decision.calculation, lang),
                "granted": kronor(decision.amount_granted),
                "explanation": _explanation(decision, lang),
            },
        )
    return HTML(string=html).write_pdf()


def attach_letters(decision) -> None:
    """Render the Swedish letter (and the translation) onto an unsaved decision, with their hashes."""
    reference = f"{str(decision.application.reference)[:8]}-v{decision.version}"
    pdf = render_letter(decision, "sv")
    decision.letter.save(f"{reference}-sv.pdf", ContentFile(pdf), save=False)
    decision.letter_sha256 = hashlib.sha256(pdf).hexdigest()
    if decision.letter_language and decision.letter_language != "sv":
        translated = render_letter(decision, decision.letter_language)
        decision.letter_translation.save(
            f"{reference}-{decision.letter_language}.pdf", ContentFile(translated), save=False
        )
        decision.letter_translation_sha256 = hashlib.sha256(translated).hexdigest()
