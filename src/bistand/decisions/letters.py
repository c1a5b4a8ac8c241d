"""Decision letters as PDF (WeasyPrint): each adult party their own, in Swedish and in their language.

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
from typing import Any

import pydyf
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from bistand.decisions.models import Letter
from bistand.decisions.statement import parties, statement

STYLESHEET = Path(__file__).resolve().parent / "templates" / "decisions" / "letter.css"


@functools.cache
def _style():
    """The parsed stylesheet and its font configuration, shared by every letter in this process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(STYLESHEET), font_config=fonts), fonts


@functools.cache
def _no_fetching():
    """A URL fetcher that fetches nothing, shared by every letter.

    A letter needs nothing from outside (its stylesheet is parsed once, fonts come from the system), so a
    URL in a letter is never followed. And WeasyPrint's default fetcher builds a fresh TLS context for
    each document, about a tenth of a letter's time.
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class NoFetching(URLFetcher):
        def __init__(self) -> None:
            super(URLFetcher, self).__init__()  # no handlers: nothing to open, no TLS context

        def fetch(self, url, headers=None):
            raise FatalURLFetchingError(f"a letter fetches nothing ({url[:40]})")

    return NoFetching()


def letter_html(decision, lang: str = "sv", recipient=None, *, draft: bool = False) -> str:
    """The letter as HTML: the decision's statement in `lang`, addressed to `recipient` (default
    applicant) and naming every party, the recipient first. A `draft` (the caseworker's preview of a
    decision not yet made) says so at the top."""
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
    html = HTML(string=letter_html(decision, lang, recipient, draft=draft), url_fetcher=_no_fetching())
    return html.write_pdf(
        stylesheets=[css],
        font_config=fonts,
        pdf_variant="pdf/ua-1",
        finisher=functools.partial(_tag_for_screen_readers, translated=lang != "sv"),
    )


def _tag_for_screen_readers(document, pdf, *, translated: bool) -> None:
    """What WeasyPrint's structure tree leaves out, added before the PDF is written (PDF/UA-1 7.2, 7.5).

    - The Swedish original of a translated letter gets its language (/Lang sv), so a screen reader reads it
      with a Swedish voice: WeasyPrint sets the document's language only, and the letter's one `<section>`
      is the Swedish original (decisions/letter.html).
    - Each header cell gets its /Scope: a column header in the table's head, a row header elsewhere (the
      letter's row headers are `scope="row"`), so the header of every amount can be told.
    """
    elements = {
        item.number: item
        for item in pdf.objects
        if isinstance(item, dict) and item.get("Type") == "/StructElem"
    }

    def parent(item):
        reference = item.get("P")
        number = int(bytes(reference).split()[0]) if isinstance(reference, bytes | str) else None
        return elements.get(number)

    for item in elements.values():
        if translated and item.get("S") == "/Sect":
            item["Lang"] = pydyf.String("sv")
        if item.get("S") == "/TH":
            row = parent(item)
            group = parent(row) if row is not None else None
            scope = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
            attributes = item.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
            attributes["Scope"] = scope


def party_languages(decision) -> list[tuple[Any, str]]:
    """Every adult party with the language they read: the applicant the household's choice, the
    co-applicant the language they signed in (the household's choice when not recorded)."""
    application = decision.application
    signed = {s.signer_id: s.language for s in application.signatures.all()}
    chosen = decision.letter_language or "sv"
    return [
        (person, chosen if person.pk == application.applicant_id else signed.get(person.pk) or chosen)
        for person in parties(decision)
    ]


def wanted_letters(decision) -> list[tuple[Any, str]]:
    """The letters a decision owes: for each party, in Swedish and in their own language if another."""
    return [
        (person, lang) for person, own in party_languages(decision) for lang in dict.fromkeys(("sv", own))
    ]


def ensure_letters(decision):
    """The decision with its letters: one for each adult party, addressed to them, in Swedish and in
    their own language, each rendered and kept once with its hash.

    Idempotent and safe when two workers race: a letter is kept only if the decision has none for that
    party and language yet (a unique constraint), and the loser's file is removed. The decision's own
    record is never changed.
    """

    if not decision.motivation:
        return decision  # culled under retention (its reasons are gone): never drawn again
    have = set(decision.letters.values_list("recipient_id", "language"))
    storage = Letter._meta.get_field("file").storage
    short = str(decision.application.reference)[:8]
    for number, (person, lang) in enumerate(wanted_letters(decision), start=1):
        if (person.pk, lang) in have:
            continue
        pdf = render_letter(decision, lang, person)
        # The name says which decision and language, never who: no personnummer in a file name.
        name = storage.save(
            _upload_name(f"{short}-v{decision.version}-{number}-{lang}.pdf"), ContentFile(pdf)
        )
        try:
            with transaction.atomic():
                Letter.objects.create(
                    decision=decision,
                    recipient=person,
                    language=lang,
                    file=name,
                    sha256=hashlib.sha256(pdf).hexdigest(),
                )
        except IntegrityError:  # another worker kept this letter first
            storage.delete(name)
    return decision


def _upload_name(filename: str) -> str:
    """Where a letter of this name is kept (the field's `upload_to`, e.g. letters/2026/12/)."""

    return Letter._meta.get_field("file").generate_filename(None, filename)
