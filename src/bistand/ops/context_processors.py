"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language_bidi

from bistand.identity.models import Municipality


def site(request: HttpRequest) -> dict:
    """Demo-mode flag, text direction and the languages (each in its own name) for the base layout."""
    return {
        "demo_mode": settings.DEMO_MODE,
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "site_languages": settings.LANGUAGES,
        "contact_municipality": SimpleLazyObject(lambda: contact_municipality(request)),
    }


def contact_municipality(request: HttpRequest):
    """The municipality a page's "ring kommunen" points to: the signed-in person's, or the only one."""

    person = getattr(getattr(request, "user", None), "person", None)
    if person is not None and person.municipality_id:
        return person.municipality
    only = list(Municipality.objects.all()[:2])
    return only[0] if len(only) == 1 else None
