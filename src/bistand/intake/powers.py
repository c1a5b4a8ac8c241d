"""Powers of attorney (fullmakt) as data: registered by staff, used by the agent, revoked by either side.

Each step is written to the hash-chained access log, so every power can be followed from its registration
through each use to its revocation (object type ``power_of_attorney``, the principal as the person).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from bistand.accesslog import chain
from bistand.accesslog.models import AccessLogEntry
from bistand.core.files import EXTENSIONS, check
from bistand.core.uploads import sanitise
from bistand.identity.models import Person, User
from bistand.intake.models import PowerOfAttorney

logger = logging.getLogger(__name__)
OBJECT_TYPE = "power_of_attorney"


class PowerRefused(ValueError):
    """The power cannot be registered or revoked as asked; the message says why, in Swedish."""


def log(power: PowerOfAttorney, user, action: str, purpose: str) -> None:
    chain.append(
        user=user,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=power.pk,
        person_id=power.principal_id,
        purpose=purpose,
    )


def register(
    *,
    principal: Person,
    agent: Person,
    scope: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    document: UploadedFile,
    by: User,
    note: str = "",
) -> PowerOfAttorney:
    """Register a checked, signed fullmakt with its scan. Raises PowerRefused for an impossible one."""
    if principal.pk == agent.pk:
        raise PowerRefused("Ombudet och den som ger fullmakten kan inte vara samma person.")
    if valid_to is not None and valid_to < valid_from:
        raise PowerRefused("Fullmakten måste sluta efter att den börjar gälla.")
    kind = check(document)
    kind, document = sanitise(document, kind)  # a re-encoded image or a PDF without active content
    with transaction.atomic():
        power = PowerOfAttorney(
            principal=principal,
            agent=agent,
            scope=scope,
            valid_from=valid_from,
            valid_to=valid_to,
            registered_by=by,
            note=note,
        )
        digest = hashlib.sha256(document.read()).hexdigest()[:12]
        document.seek(0)
        power.document.save(
            f"fullmakt-{uuid.uuid4().hex[:8]}-{digest}.{EXTENSIONS[kind]}", document, save=False
        )
        power.save()
        log(power, by, AccessLogEntry.Action.WRITE, "fullmakt registrerad")
    logger.info("power of attorney registered", extra={"power_id": power.pk, "user_id": by.pk})
    return power


def revoke(power: PowerOfAttorney, by: User) -> PowerOfAttorney:
    """End a power now: the principal on Mina sidor, or staff. The agent's next request says why."""
    with transaction.atomic():
        locked = PowerOfAttorney.objects.select_for_update().get(pk=power.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        who = "huvudmannen" if by.is_citizen else "personal"
        log(locked, by, AccessLogEntry.Action.WRITE, f"fullmakt återkallad av {who}")
    logger.info("power of attorney revoked", extra={"power_id": locked.pk, "user_id": by.pk})
    return locked


def log_use(request: HttpRequest, power: PowerOfAttorney) -> None:
    """One access-log entry per request the agent makes with the power (at most one however often asked)."""
    if getattr(request, "_power_use_logged", False):
        return
    request._power_use_logged = True
    match = getattr(request, "resolver_match", None)
    action = AccessLogEntry.Action.READ if request.method in {"GET", "HEAD"} else AccessLogEntry.Action.WRITE
    log(power, request.user, action, f"ombud: {request.method} {match.view_name if match else ''}")


def given_by(principal: Person):
    """Every power the principal has given, newest first, for Mina sidor."""
    return (
        PowerOfAttorney.objects.filter(principal=principal).select_related("agent").order_by("-registered_at")
    )
