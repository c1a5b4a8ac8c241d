"""The conversation's service API: requests for documents, uploads, messages and appeals.

The caseworker workspace and the random check call `request_documents` and `send_message`; Mina sidor calls
the rest. Every call puts an event on the case's timeline, so citizen and caseworker read one history.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bistand.cases import events
from bistand.cases.models import Case, TimelineEvent
from bistand.conversation.models import Appeal, DocumentRequest, Message, Upload
from bistand.core import files
from bistand.core.uploads import sanitise
from bistand.decisions.models import APPEAL_WEEKS, Decision
from bistand.identity.models import Person

MAX_FILES_PER_REQUEST = 20


def request_documents(
    case: Case,
    text: str,
    deadline: datetime.date,
    by_user=None,
    *,
    reason: str = DocumentRequest.Reason.CASEWORKER,
    months: Iterable[datetime.date] = (),
) -> DocumentRequest:
    """Ask the citizen for documents by a deadline (a caseworker, or the random check with ``by_user=None``).

    `text` is the Swedish original. A request the system words itself gives the `months` the documents are
    for, and is then shown in the reader's own language (`portal.requests`).
    """
    if not text.strip():
        raise ValueError("say what is asked for")
    with transaction.atomic():
        request = DocumentRequest.objects.create(
            case=case,
            text=text.strip(),
            months=[f"{month:%Y-%m}" for month in months],
            deadline=deadline,
            requested_by=by_user,
            reason=reason,
        )
        events.record(
            case,
            events.DocumentsRequested(request_id=request.pk, deadline=deadline.isoformat(), reason=reason),
            actor=TimelineEvent.Actor.CASEWORKER if by_user else TimelineEvent.Actor.ROBOT,
        )
    return request


def send_message(case: Case, body: str, sender) -> Message:
    """A message in the case from the citizen (a citizen account) or from a caseworker (a staff account)."""
    body = body.strip()
    if not body:
        raise ValueError("a message needs a text")
    kind = Message.Sender.CITIZEN if sender.is_citizen else Message.Sender.CASEWORKER
    with transaction.atomic():
        message = Message.objects.create(case=case, sender=sender, sender_kind=kind, body=body)
        events.record(
            case,
            events.MessageSent(message_id=message.pk, sender=kind),
            actor=TimelineEvent.Actor.CITIZEN
            if kind == Message.Sender.CITIZEN
            else TimelineEvent.Actor.CASEWORKER,
            occurred_at=message.sent_at,
        )
    return message


def add_upload(request: DocumentRequest, upload: UploadedFile, person: Person) -> Upload:
    """Store one checked file for a request (it is sent with `submit_documents`)."""
    if request.status == DocumentRequest.Status.CLOSED:
        raise files.UploadRejected("closed")
    if request.uploads.count() >= MAX_FILES_PER_REQUEST:
        raise files.UploadRejected(
            _("Du kan skicka högst %(n)d filer till en begäran. Samla flera sidor i en PDF.")
            % {"n": MAX_FILES_PER_REQUEST}
        )
    kind = files.check(upload)
    kind, upload = sanitise(upload, kind)  # re-encoded image / PDF without active content
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:120] or "fil"
    stored = Upload(
        request=request,
        uploaded_by=person,
        kind=kind,
        size=upload.size,
        sha256=digest.hexdigest(),
        display_name=name,
    )
    stored.file.save(f"{uuid.uuid4().hex}.{files.EXTENSIONS[kind]}", upload, save=False)
    stored.save()
    return stored


def submit_documents(request: DocumentRequest, person: Person) -> None:
    """The citizen is done: the request is answered and the caseworker sees it on the timeline."""
    with transaction.atomic():
        request.status = DocumentRequest.Status.ANSWERED
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at"])
        events.record(
            request.case,
            events.DocumentsSubmitted(request_id=request.pk, files=request.uploads.count()),
            actor=TimelineEvent.Actor.CITIZEN,
            occurred_at=request.answered_at,
        )


def appeal_deadline(decision: Decision) -> datetime.date:
    """The last day to appeal: three weeks from the decision (FL 44 §), counted from the day it was made."""
    return timezone.localtime(decision.decided_at).date() + datetime.timedelta(weeks=APPEAL_WEEKS)


def can_appeal(decision: Decision, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return today <= appeal_deadline(decision)


class AppealRefused(Exception):
    pass


def lodge_appeal(decision: Decision, text: str, person: Person) -> Appeal:
    """Record an appeal and put it on the timeline and before the caseworker."""
    if timezone.localdate() > appeal_deadline(decision):
        raise AppealRefused("too late")
    if not text.strip():
        raise AppealRefused("empty")
    with transaction.atomic():
        appeal = Appeal.objects.create(decision=decision, lodged_by=person, text=text.strip())
        events.record(
            decision.case,
            events.AppealLodged(appeal_id=appeal.pk, decision_id=decision.pk, version=decision.version),
            actor=TimelineEvent.Actor.CITIZEN,
            application=decision.application,
            occurred_at=appeal.lodged_at,
        )
    return appeal


def mark_read(messages: Iterable[Message]) -> None:
    ids = [m.pk for m in messages if m.read_at is None]
    if ids:
        Message.objects.filter(pk__in=ids).update(read_at=timezone.now())


REMIND_DAYS_BEFORE = 2


def remind_due_requests(today: datetime.date | None = None) -> int:
    """Remind the citizen of open documentation requests due within two days (once per request).

    The reminder is an event on the case's timeline, shown on Mina sidor; what happens at the deadline is
    still a caseworker's decision. Returns how many reminders were sent.
    """
    today = today or timezone.localdate()
    due = DocumentRequest.objects.filter(
        status=DocumentRequest.Status.OPEN,
        reminded_at__isnull=True,
        deadline__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        deadline__gte=today,
    )
    sent = 0
    for request in due:
        with transaction.atomic():
            # Claimed under the update, so two workers never remind twice.
            if not DocumentRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            ):
                continue
            events.record(
                request.case,
                events.DocumentsRequested(
                    request_id=request.pk, deadline=request.deadline.isoformat(), reminder=True
                ),
                actor=TimelineEvent.Actor.ROBOT,
            )
        sent += 1
    return sent
