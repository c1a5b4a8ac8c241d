"""Decision letters as PDF (WeasyPrint), in Swedish and in the citizen's language.

The letter renders the decision's statement (`decisions/statement.py`), built from the decision as stored,
so it says exactly what was decided. The PDF is tagged (PDF/UA-1: structure tree, language, reading
order) for screen readers. The stylesheet and fonts are parsed once per process and reused.

A letter never carries an address: it is delivered on Mina sidor, and a protected person's address must
never be written anywhere.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from bistand.decisions.statement import statement

STYLESHEET = Path(__file__).resolve().parent / "templates" / "decisions" / "letter.css"


@functools.cache
def _style():
    """The parsed stylesheet and its font configuration, shared by every letter in this process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(STYLESHEET), font_config=fonts), fonts


def letter_html(decision, lang: str = "sv", recipient=None, *, draft: bool = False) -> str:
    """The letter as HTML: the decision's statement in `lang`, addressed to `recipient` (default applicant).

    A `draft` (the caseworker's preview of a decision not yet made) says so on every page."""
    application = decision.application
    with translation.override(lang):
        return render_to_string(
            "decisions/letter.html",
            {
                "lang": lang,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "decision": decision,
                "municipality": application.municipality.name,
                "reference": application.short_reference,
                "decided_on": date_format(decision.decided_at, "j F Y"),
                "decided_by": decision.decided_by.get_full_name() if decision.decided_by else "",
                "s": statement(decision, lang, recipient),
                "original": statement(decision, "sv", recipient) if lang != "sv" else None,
                "draft": draft,
            },
        )


def render_letter(decision, lang: str = "sv", recipient=None, *, draft: bool = False) -> bytes:
    """The letter as tagged PDF bytes (a `draft` preview marked as such)."""
    from weasyprint import HTML

    css, fonts = _style()
    html = HTML(string=letter_html(decision, lang, recipient, draft=draft))
    return html.write_pdf(stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1")


def ensure_letters(decision):
    """The decision with its letters: rendered and kept once (Swedish, and the citizen's language).

    Idempotent and safe when two workers race: the letter is stored only if the decision still has
    none, and the loser's files are removed. The decision's own record is never changed; only its
    letter fields, which start empty, are filled once.
    """
    from bistand.decisions.models import Decision

    if decision.letter and decision.letter_sha256:
        return decision
    if not decision.motivation:
        return decision  # culled under retention (its reasons are gone): never drawn again
    reference = f"{str(decision.application.reference)[:8]}-v{decision.version}"
    storage = Decision._meta.get_field("letter").storage
    fields = {}
    pdf = render_letter(decision, "sv")
    fields["letter"] = storage.save(_upload_name("letter", f"{reference}-sv.pdf"), ContentFile(pdf))
    fields["letter_sha256"] = hashlib.sha256(pdf).hexdigest()
    if decision.letter_language and decision.letter_language != "sv":
        translated = render_letter(decision, decision.letter_language)
        name = f"{reference}-{decision.letter_language}.pdf"
        fields["letter_translation"] = storage.save(
            _upload_name("letter_translation", name), ContentFile(translated)
        )
        fields["letter_translation_sha256"] = hashlib.sha256(translated).hexdigest()
    stored = Decision.objects.filter(pk=decision.pk, letter_sha256="").update(**fields)
    if not stored:  # another worker kept its letters first
        for key in ("letter", "letter_translation"):
            if key in fields:
                storage.delete(fields[key])
    decision.refresh_from_db()
    return decision


def _upload_name(field: str, filename: str) -> str:
    """Where the field keeps a file of this name (its `upload_to`, e.g. letters/2026/12/)."""
    from bistand.decisions.models import Decision

    return Decision._meta.get_field(field).generate_filename(None, filename)
