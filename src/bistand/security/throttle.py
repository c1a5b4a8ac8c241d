"""Login rate limiting and lockout, per account name and per address.

Each failed staff sign-in (wrong password, or wrong code in the second step) is stored. With
`LOGIN_MAX_FAILURES_PER_USER` failures for one account name, or `LOGIN_MAX_FAILURES_PER_IP` from one
address, within `LOGIN_LOCKOUT_MINUTES`, further attempts are refused until the window has passed — even
with the right password, so guessing gains nothing. A successful sign-in clears the account's count.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from bistand.security.models import LoginFailure

logger = logging.getLogger(__name__)


def username_key(username: str) -> str:
    return hashlib.sha256((username or "").strip().lower().encode()).hexdigest()


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our own proxy the address it saw (rightmost hop)."""
    if request is None:
        return None
    if settings.BEHIND_PROXY and (forwarded := request.META.get("HTTP_X_FORWARDED_FOR")):
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def record_failure(username: str, request: HttpRequest | None, kind: str = "password") -> None:
    LoginFailure.objects.create(username_key=username_key(username), ip=client_ip(request), kind=kind)
    # Old rows tell nothing any more; keep the table small.
    LoginFailure.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=1)).delete()


def locked_out(username: str, request: HttpRequest | None) -> bool:
    """Whether sign-in attempts for this account name or from this address are refused now."""
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    if (
        username
        and recent.filter(username_key=username_key(username)).count() >= settings.LOGIN_MAX_FAILURES_PER_USER
    ):
        return True
    ip = client_ip(request)
    return bool(ip) and recent.filter(ip=ip).count() >= settings.LOGIN_MAX_FAILURES_PER_IP


@receiver(user_login_failed)
def _on_failure(sender, credentials, request=None, **kwargs) -> None:
    record_failure(str(credentials.get("username", "")), request)
    logger.warning("staff sign-in failed", extra={"ip": client_ip(request)})


@receiver(user_logged_in)
def _on_success(sender, request, user, **kwargs) -> None:
    if getattr(user, "role", "citizen") != "citizen":
        LoginFailure.objects.filter(username_key=username_key(user.get_username())).delete()
