"""The random check's conversation with the citizen, through the portal's service API (Mina sidor).

A thin adapter: the request for documents, reading what came in, and closing the request after review
all go through `bistand.portal`, so Mina sidor shows one list of requests whatever asked for them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bistand.portal.models import DocumentRequest
from bistand.portal.services import request_documents, send_message

if TYPE_CHECKING:
    from bistand.oversight.models import RandomCheck


def _months_text(months: list[datetime.date]) -> str:
    names = [date_format(m, "F Y") for m in months]
    if len(names) <= 1:
        return "".join(names)
    return _("%(list)s och %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def request_text(months: list[datetime.date], deadline: datetime.date, lang: str = "sv") -> str:
    """What the citizen is asked, in plain words, in `lang`."""
    with translation.override(lang):
        return _(
            "Ditt hushåll har lottats ut till en slumpvis kontroll (stickprov). Varje månad lottar vi några "
            "hushåll bland alla som får försörjningsstöd. Det betyder inte att vi misstänker något fel. "
            "Skicka kontoutdrag för alla konton i hushållet och kvitton på era utgifter för %(months)s. "
            "Skicka in senast %(deadline)s. Behöver du mer tid eller hjälp? Skriv ett meddelande till oss."
        ) % {"months": _months_text(months), "deadline": date_format(deadline, "j F Y")}


def _language(check: RandomCheck) -> str:
    """The language the household chose on its latest application."""
    latest = check.case.pipeline_runs.select_related("application").order_by("-created_at").first()
    if latest is None:
        return "sv"
    entry = (latest.application.answers or {}).get("language") or {}
    return entry.get("value") or "sv"


def ask(check: RandomCheck, months: list[datetime.date]):
    """Ask the drawn household for bank statements and receipts by the check's deadline.

    In Swedish (the original), with the same request in the household's own language when it chose
    another, kept apart so each is shown marked with its language. Returns the portal's DocumentRequest.
    """
    lang = _language(check)
    return request_documents(
        check.case,
        request_text(months, check.deadline, "sv"),
        check.deadline,
        None,
        reason=DocumentRequest.Reason.RANDOM_CHECK,
        translation=request_text(months, check.deadline, lang) if lang != "sv" else "",
        translation_language=lang if lang != "sv" else "",
    )


def received(check: RandomCheck) -> bool:
    """Whether the citizen has sent the documents in."""
    request = check.document_request
    return request is not None and request.status != "open"


def uploads(check: RandomCheck) -> list:
    """The files sent for the check's request (names and sizes are shown; the files open in the case)."""
    if check.document_request is None:
        return []
    return list(check.document_request.uploads.all())


def close_request(check: RandomCheck) -> None:
    """The review is done: the request no longer waits for the citizen."""
    if check.document_request_id is not None:
        DocumentRequest.objects.filter(pk=check.document_request_id).update(
            status=DocumentRequest.Status.CLOSED
        )


def tell_citizen(check: RandomCheck, body: str, by) -> None:
    """A message to the household from the reviewing caseworker (the caseworker writes or confirms it)."""
    send_message(check.case, body, by)
