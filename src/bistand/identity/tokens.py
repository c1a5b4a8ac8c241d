"""Bearer tokens for the API: issued once, stored as a hash, valid for a limited time."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from bistand.identity.models import ApiToken, User

TOKEN_LIFETIME = timedelta(hours=8)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, lifetime: timedelta = TOKEN_LIFETIME, *, demo: bool = False) -> str:
    """Create a token for the user and return it (the only time it is seen in clear)."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(token), expires_at=timezone.now() + lifetime, demo=demo)
    return token


def user_from_request(request: HttpRequest, *, allow_session: bool = False) -> User | None:
    """The user of a valid `Authorization: Bearer …` header, else None.

    The session user counts only where `allow_session` (safe methods): a CSRF-exempt POST must not act on a
    browser's cookies.
    """
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        row = (
            ApiToken.objects.select_related("user__person", "user__unit")
            .filter(key_hash=_hash(header.removeprefix("Bearer ").strip()), expires_at__gt=timezone.now())
            .first()
        )
        if row is None or (row.demo and not settings.DEMO_MODE):
            return None  # a development token does not outlive demo mode
        return row.user if row.user.is_active else None
    if allow_session and request.user.is_authenticated:
        return request.user
    return None
