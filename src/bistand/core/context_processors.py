"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi


def site(request: HttpRequest) -> dict:
    """Demo-mode flag, text direction and the languages (each in its own name) for the base layout."""
    return {
        "demo_mode": settings.DEMO_MODE,
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "site_languages": settings.LANGUAGES,
    }
