"""Whom the signed-in citizen acts for: themselves, or a principal whose power of attorney they hold.

The choice lives in the session and is checked against the register of powers on every request, so a
revoked or expired power stops working at once, and the agent is told why (`ended_power`). Every request
made with a power is written to the access log.
"""

from __future__ import annotations

from django.http import HttpRequest

from bistand.identity.models import Person
from bistand.intake.models import PowerOfAttorney

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
    from bistand.intake.powers import log_use

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
