"""The random check's conversation with the citizen, through the portal's service API (Mina sidor).

A thin adapter: the request for documents, reading what came in, and closing the request after review
all go through `bistand.portal`, so Mina sidor shows one list of requests whatever asked for them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from bistand.conversation.models import DocumentRequest
from bistand.conversation.services import request_documents, send_message
from bistand.portal.requests import random_check_text

if TYPE_CHECKING:
    from bistand.oversight.models import RandomCheck


def ask(check: RandomCheck, months: list[datetime.date]):
    """Ask the drawn household for bank statements and receipts by the check's deadline.

    The Swedish original is stored; Mina sidor writes the request from its months in whatever language
    the reader uses (`portal.requests`). Returns the portal's DocumentRequest.
    """
    return request_documents(
        check.case,
        random_check_text(months, check.deadline, "sv"),
        check.deadline,
        None,
        reason=DocumentRequest.Reason.RANDOM_CHECK,
        months=months,
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
