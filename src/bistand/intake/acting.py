"""Whom the signed-in citizen acts for: themselves, or a principal whose power of attorney they hold.

The choice lives in the session and is checked against the register of powers on every request, so a
revoked or expired power stops working at once, and the agent is told why (`ended_power`). Every request
made with a power is written to the access log.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from bistand.identity.models import Person
from bistand.intake.models import PowerOfAttorney
from bistand.intake.powers import log_use

SESSION_KEY = "acting_for_poa"


def acting_power(request: HttpRequest) -> PowerOfAttorney | None:
    """The power of attorney the citizen is using now, if any and still valid."""
    poa_id = request.session.get(SESSION_KEY)
    if not poa_id:
        return None
    power = PowerOfAttorney.valid_for(request.user.person).filter(pk=poa_id).first()
    if power is None:
        request.session.pop(SESSION_KEY, None)
        return None

    log_use(request, power)
    return power


def ended_power(request: HttpRequest) -> PowerOfAttorney | None:
    """The power the agent was acting with, if it has since been revoked or has run out; it is let go of."""
    poa_id = request.session.get(SESSION_KEY)
    if not poa_id:
        return None
    power = PowerOfAttorney.objects.filter(pk=poa_id, agent=request.user.person).first()
    if power is not None and not power.ended_reason():
        return None
    request.session.pop(SESSION_KEY, None)
    return power


def acting_person(request: HttpRequest) -> Person:
    """The person whose pages are shown: the principal when acting as ombud, else oneself."""
    power = acting_power(request)
    return power.principal if power else request.user.person


def act_for(request: HttpRequest, power: PowerOfAttorney | None) -> None:
    if power is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = power.pk


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only a citizen signed in with eID; others are sent to the citizen sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("identity:citizen-login"))
        if not user.is_citizen or user.person is None:
            raise PermissionDenied
        ended = ended_power(request)
        if ended is not None:
            # Acting for someone whose power has ended: say so, rather than a bare "not found".
            return redirect(reverse("intake:power-ended", args=[ended.pk]))
        return view(request, *args, **kwargs)

    return wrapper
