"""How large a request body may be, per channel: refused with 413 before anything reads it.

Django bounds a form's fields (`DATA_UPLOAD_MAX_MEMORY_SIZE`) but not the files in it, and the API read
its JSON whole. Each channel now has its own explicit limit, checked on the declared length before the
body is read (a WSGI server reads no further than that length, so a body cannot be longer than declared):

- the API (`/api/`): `API_BODY_MAX_BYTES` — an application is a few kilobytes;
- a form with files (`multipart/form-data`): `UPLOAD_BODY_MAX_BYTES`, room for `UPLOAD_MAX_FILES` files of
  `UPLOAD_MAX_BYTES` each (each file is checked again on its own, `security.uploads`);
- any other form: `FORM_BODY_MAX_BYTES`.

The answer says what the limit is: JSON with a field-less error for the API, a page for people.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def limit_for(request: HttpRequest) -> int:
    """The largest body this request's channel accepts, in bytes."""
    if request.path.startswith("/api/"):
        return settings.API_BODY_MAX_BYTES
    if request.content_type == "multipart/form-data":
        return settings.UPLOAD_BODY_MAX_BYTES
    return settings.FORM_BODY_MAX_BYTES


def declared_length(request: HttpRequest) -> int | None:
    """The body's declared length; None when it is not a number (answered as a bad request)."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw)
    except ValueError:
        return None
    return length if length >= 0 else None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",")


class BodySizeMiddleware:
    """Answer 413 (or 400 for a nonsensical length) before a too large body is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        limit = limit_for(request)
        if length is not None and length <= limit:
            return self.get_response(request)
        status = 400 if length is None else 413
        logger.warning("request body refused", extra={"status": status, "length": length, "limit": limit})
        message = _("Det du skickade är för stort. Högst %(size)s MB går att skicka på en gång.") % {
            "size": _megabytes(limit)
        }
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"errors": [{"field": "", "message": message}]},
                status=status,
                json_dumps_params={"ensure_ascii": False},
            )
        return render(request, "security/too_large.html", {"message": message}, status=status)
