"""Every staff read of personal data goes into the access log, and protected cases stay closed.

Before the view: the route is described (`routes.target_for`); a case about a person with protected
identity is refused — with the same 404 as a case that does not exist, so a case id never tells whether
its person is protected — unless the account belongs to the restricted group.
After the view: a page that was shown (2xx) or an action that went through (3xx) is logged, and so is a
refusal (403/404) — trying to open another unit's or a protected case leaves a trace. If the log
cannot be written, the page is not shown either (503): no read without its entry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse

from bistand.accesslog import chain
from bistand.accesslog.models import AccessLogEntry
from bistand.audit.routes import Target, target_for
from bistand.cases.protection import may_open_case
from bistand.identity.tokens import user_from_request

logger = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _staff_user(request: HttpRequest, route: str):
    """The member of staff making the request (session, or a bearer token on the API), else None."""
    user = getattr(request, "user", None)
    if route.startswith("api:") and not (user and user.is_authenticated):
        user = user_from_request(request)
    if user is None or not user.is_authenticated or getattr(user, "role", "citizen") == "citizen":
        return None
    return user


def _id(value: int | None) -> int | None:
    """An id as the log's integer columns hold it; a refused probe can name ids no database holds."""
    return value if value is None or -(2**63) <= value < 2**63 else None


class AccessLogMiddleware:
    """Log staff reads of personal data in the hash-chained access log; shield protected cases."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        target: Target | None = getattr(request, "_access_target", None)
        refused = response.status_code in (403, 404)
        if target is None or not (200 <= response.status_code < 400 or refused):
            return response
        if refused:
            action = AccessLogEntry.Action.REFUSED
        else:
            action = target.action if request.method in SAFE_METHODS else AccessLogEntry.Action.WRITE
        try:
            chain.append(
                user=request._access_user,
                action=action,
                object_type=target.object_type,
                object_id=target.object_id,
                case_id=_id(target.case_id),
                person_id=_id(target.person_id),
                purpose=f"{request.method} {request.resolver_match.view_name}",
            )
        except DatabaseError:
            if request.method not in SAFE_METHODS:
                # The change is made already; saying it failed would only make it be made twice.
                logger.exception("the access log could not be written for a change")
                return response
            logger.exception("the access log could not be written; the page is withheld")
            return HttpResponse(
                "Tjänsten är tillfälligt otillgänglig.", status=503, content_type="text/plain; charset=utf-8"
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        route = match.view_name if match else ""
        user = _staff_user(request, route)
        if user is None:
            return None
        try:
            target = target_for(route, view_kwargs)
        except (ValueError, TypeError):
            target = None
        if target is None:
            return None
        request._access_target = target
        request._access_user = user
        if target.case_id is not None and not may_open_case(user, target.case_id):
            logger.warning(
                "a protected case was refused",
                extra={"user_id": user.pk, "route": route, "case_id": target.case_id},
            )
            raise Http404  # logged as refused on the way out
        return None
