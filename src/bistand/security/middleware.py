"""Request-level protections: login lockout, staff idle timeout, staff two-factor, and response headers.

Order in MIDDLEWARE (after AuthenticationMiddleware): `LoginThrottleMiddleware`, `StaffSessionMiddleware`
(idle timeout, then the second factor), `SecurityHeadersMiddleware`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from bistand.security import throttle

logger = logging.getLogger(__name__)

LAST_SEEN = "staff_last_seen"
SECOND_FACTOR = "staff_second_factor"
# Pages a half-signed-in member of staff may still reach: the second step itself, signing out, the
# language switch, the health check.
OPEN_ROUTES = frozenset(
    {"security:two-factor", "security:enrol", "identity:logout", "set_language", "core:healthz", "core:home"}
)


def is_staff_user(user) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "role", "citizen") != "citizen")


class LoginThrottleMiddleware:
    """Refuse a staff sign-in attempt while the account name or the address is locked out (429)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if request.method != "POST" or not match or match.view_name != "identity:staff-login":
            return None
        if throttle.locked_out(request.POST.get("username", ""), request):
            logger.warning("staff sign-in refused: locked out", extra={"ip": throttle.client_ip(request)})
            return render(
                request,
                "security/locked.html",
                {"minutes": settings.LOGIN_LOCKOUT_MINUTES},
                status=429,
            )
        return None


class StaffSessionMiddleware:
    """Staff: signed out after a spell without activity, and nowhere without the second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if not is_staff_user(user):
            return None
        match = request.resolver_match
        route = match.view_name if match else ""
        now = time.time()
        last = request.session.get(LAST_SEEN)
        if last is not None and now - float(last) > settings.STAFF_IDLE_SECONDS:
            auth.logout(request)
            flash.info(
                request, _("Du har loggats ut eftersom du inte har varit aktiv på en stund. Logga in igen.")
            )
            return redirect(
                f"{reverse('identity:staff-login')}?{urlencode({'next': request.get_full_path()})}"
            )
        # Written at most once a minute: every request need not rewrite the session.
        if last is None or now - float(last) > 60:
            request.session[LAST_SEEN] = now
        if not settings.STAFF_TWO_FACTOR or request.session.get(SECOND_FACTOR) == user.pk:
            return None
        if route in OPEN_ROUTES:
            return None
        if route.startswith("api:"):
            return JsonResponse(
                {"errors": [{"field": "", "message": "Tvåstegsverifiering krävs. Logga in i webbläsaren."}]},
                status=401,
            )
        target = "security:two-factor" if _has_device(user) else "security:enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def _has_device(user) -> bool:
    device = getattr(user, "totp", None)
    return device is not None and device.confirmed


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: a permissions policy, and no caching of signed-in pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        # Only a request with a session can be signed in; asking anonymous requests would add Vary: Cookie.
        has_session = (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or settings.SESSION_COOKIE_NAME in response.cookies
        )
        user = getattr(request, "user", None) if has_session else None
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            # Personal data must not stay in a shared computer's cache (a library, a job centre).
            response["Cache-Control"] = "no-store, private"
        return response
