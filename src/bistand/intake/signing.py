"""Signing and submitting: every adult who applies signs with their own eID; the last signature submits.

The first signature freezes the answers (the second adult signs exactly what the first signed). The
submission and the task that puts it before the robot are stored in one transaction: either both or
neither, so nothing is lost and nothing is received twice.
"""

from __future__ import annotations

import hashlib
import logging

from django.db import transaction
from django.utils import timezone

from bistand.identity.models import Person
from bistand.intake import wizard
from bistand.intake.models import Application, Signature
from bistand.intake.signals import application_submitted

logger = logging.getLogger(__name__)


class SigningRefused(Exception):
    """This person cannot sign this application now (wrong person, or wrong state)."""


def eid_reference(method: str, subject: str) -> str:
    """A reference to the eID transaction that does not reveal who signed (a hash)."""
    return hashlib.sha256(f"{method}:{subject}:{timezone.now().isoformat()}".encode()).hexdigest()[:32]


def _co_applicant_person(application: Application, personnummer: str) -> Person:
    name = wizard.names(application).get(personnummer, "")
    person, _created = Person.objects.get_or_create(
        personnummer=personnummer,
        defaults={"first_name": name, "last_name": "", "municipality": application.municipality},
    )
    return person


def sign_first(
    application: Application, signer: Person, *, method: str, nothing_changed: bool, language: str
) -> Application:
    """The applicant (or their representative) signs the draft. Submits it unless a co-applicant must sign."""
    acting_as_representative = application.representative_id is not None
    expected = application.representative_id if acting_as_representative else application.applicant_id
    if signer.pk != expected:
        raise SigningRefused("not the applicant")
    answers = wizard.assemble(application, nothing_changed=nothing_changed, language=language)
    with transaction.atomic():
        # Locked and read again: a double click signs once, the second click finds it signed.
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.DRAFT:
            raise SigningRefused("not a draft")
        application.answers = answers
        co = answers["co_applicant"]["value"]
        application.co_applicant = _co_applicant_person(application, co) if co else None
        application.draft.pop("declined", None)
        Signature.objects.create(
            application=application,
            signer=signer,
            role=Signature.Role.REPRESENTATIVE if acting_as_representative else Signature.Role.APPLICANT,
            method=method,
            eid_reference=eid_reference(method, str(signer.pk)),
            language=(answers.get("language") or {}).get("value", ""),
        )
        if application.co_applicant is None:
            _submit(application)
        else:
            application.status = Application.Status.SIGNING
            wizard.touch(application)
            application.save()
    return application


def sign_complete(application: Application, signer: Person, *, method: str) -> Application:
    """The applicant signs an application that came complete from another channel (the API).

    Submitted at once when nobody else applies; with a co-applicant it waits for their own signature in
    the e-service, as the wizard's applications do — nobody is made a co-applicant, or looked up in the
    registers, on someone else's word.
    """
    if application.status != Application.Status.DRAFT or signer.pk != application.applicant_id:
        raise SigningRefused("not the applicant's draft")
    co = (application.answers.get("co_applicant") or {}).get("value")
    with transaction.atomic():
        application.co_applicant = _co_applicant_person(application, co) if co else None
        Signature.objects.create(
            application=application,
            signer=signer,
            role=Signature.Role.APPLICANT,
            method=method,
            eid_reference=eid_reference(method, str(signer.pk)),
        )
        if application.co_applicant is None:
            application.submit()
        else:
            application.status = Application.Status.SIGNING
            wizard.touch(application)
            application.save()
    return application


def sign_as_co_applicant(
    application: Application, signer: Person, *, method: str, language: str = ""
) -> Application:
    """The co-applicant signs with their own eID, in their own `language`; the application is submitted.

    A second click on "Skriv under" while the first is under way finds the application submitted and
    does nothing: the row is locked, so the two cannot both sign.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.is_submitted and locked.co_applicant_id == signer.pk:
            return locked
        if locked.status != Application.Status.SIGNING or locked.co_applicant_id != signer.pk:
            raise SigningRefused("not waiting for this person")
        application = locked
        Signature.objects.create(
            application=application,
            signer=signer,
            role=Signature.Role.CO_APPLICANT,
            method=method,
            eid_reference=eid_reference(method, str(signer.pk)),
            language=language if language in ("sv", "en", "ar") else "",
        )
        _submit(application)
    return application


def return_to_draft(application: Application, by: Person, *, declined: bool) -> Application:
    """The co-applicant wants a change (or the first signer withdraws): signatures go, the draft stays."""
    if application.status != Application.Status.SIGNING:
        raise SigningRefused("not waiting for a signature")
    allowed = {application.co_applicant_id, application.applicant_id, application.representative_id}
    if by.pk not in allowed:
        raise SigningRefused("not part of this application")
    with transaction.atomic():
        application.signatures.all().delete()
        application.status = Application.Status.DRAFT
        application.answers = {}
        application.co_applicant = None
        if declined:
            application.draft["declined"] = {"at": timezone.now().isoformat()}
        wizard.touch(application)
        application.save()
    return application


def _submit(application: Application) -> None:
    application.submit()
    application_submitted.send(sender=Application, application=application)
    logger.info("application submitted", extra={"application_id": application.pk})
