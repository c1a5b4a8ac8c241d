"""The timeline's events, typed: one payload class per kind, one `record()` that stores them, one `fold()`.

Every package that writes to a case's timeline builds a payload here and calls `record()`; nothing builds the
`data` dict by hand, so the citizen's timeline (portal/timeline.py), the caseworker's case page
(casework/timeline.py) and the statistics (oversight/statistics.py) read the same fields. A reader folds
events with `fold(handlers)`, which refuses a handler table that misses a kind — and `payload_of` raises on
a stored kind it does not know, rather than showing something vague.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import MISSING, asdict, dataclass, fields
from typing import Any, ClassVar

from django.utils import timezone

from bistand.cases.models import Case, TimelineEvent

Kind = TimelineEvent.Kind
Actor = TimelineEvent.Actor


class UnknownEvent(ValueError):
    """A stored event of a kind no payload type describes."""


def _required(field) -> bool:
    return field.default is MISSING and field.default_factory is MISSING


@dataclass(frozen=True)
class Payload:
    """Base of every event's payload. `kind` ties the class to `TimelineEvent.Kind`."""

    kind: ClassVar[str]

    def to_data(self) -> dict[str, Any]:
        """The JSON stored in `TimelineEvent.data` (dates as ISO text, absent optional fields left out)."""
        data = {}
        for name, value in asdict(self).items():
            if value is None:
                continue
            data[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Payload:
        """The payload of a stored event. Fields it does not name are ignored; a field an older event lacks is
        None (readers say nothing rather than fail on an old row)."""
        data = data or {}
        return cls(**{f.name: data.get(f.name) for f in fields(cls) if f.name in data or _required(f)})


@dataclass(frozen=True)
class Received(Payload):
    kind: ClassVar[str] = Kind.RECEIVED
    month: str  # YYYY-MM
    channel: str


@dataclass(frozen=True)
class WaitingNorm(Payload):
    kind: ClassVar[str] = Kind.WAITING_NORM
    year: int
    expected: str | None = None  # the municipality's expected date, ISO


@dataclass(frozen=True)
class Routed(Payload):
    kind: ClassVar[str] = Kind.ROUTED
    urgent: bool = False
    reasons: tuple[str, ...] | list[str] = ()  # staff only (may tell of a protected person)


@dataclass(frozen=True)
class DocumentsRequested(Payload):
    kind: ClassVar[str] = Kind.DOCUMENTS_REQUESTED
    request_id: int
    deadline: str  # ISO date
    reason: str | None = None
    reminder: bool | None = None


@dataclass(frozen=True)
class DocumentsSubmitted(Payload):
    kind: ClassVar[str] = Kind.DOCUMENTS_SUBMITTED
    request_id: int
    files: int


@dataclass(frozen=True)
class KommuniceringSent(Payload):
    kind: ClassVar[str] = Kind.KOMMUNICERING
    kommunicering_id: int
    found: str
    reply_by: str  # ISO date


@dataclass(frozen=True)
class DecisionStored(Payload):
    kind: ClassVar[str] = Kind.DECISION
    decision_id: int
    version: int
    outcome: str
    amount: str  # exact decimal text
    automated: bool
    correction_reason: str = ""


@dataclass(frozen=True)
class DecisionCorrected(DecisionStored):
    kind: ClassVar[str] = Kind.CORRECTION


@dataclass(frozen=True)
class Payment(Payload):
    """A payment order's news, or (staff only) a recovery assessment opened."""

    kind: ClassVar[str] = Kind.PAYMENT
    status: str
    order: int | None = None
    reference: str | None = None
    payout_date: str | None = None
    amount: str | None = None
    recipient: str | None = None
    cost_type: str | None = None
    payee: str | None = None
    account: str | None = None
    reason: str | None = None
    recovery_case: int | None = None
    overpaid: str | None = None
    rescheduled: bool | None = None
    paid_on: str | None = None  # ISO date
    counter: str | None = None  # paid at the counter: "cash" or "card"
    handed_out: str | None = None  # ISO date the counter handed it out
    place: str | None = None


@dataclass(frozen=True)
class MessageSent(Payload):
    kind: ClassVar[str] = Kind.MESSAGE
    message_id: int
    sender: str  # "citizen" or "caseworker"

    def to_data(self) -> dict[str, Any]:
        # Stored as "from" (a Python keyword), as it always was.
        return {"message_id": self.message_id, "from": self.sender}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> MessageSent:
        return cls(message_id=data.get("message_id"), sender=data.get("from", ""))


@dataclass(frozen=True)
class AppealLodged(Payload):
    kind: ClassVar[str] = Kind.APPEAL
    appeal_id: int
    decision_id: int
    version: int


@dataclass(frozen=True)
class RandomCheckReviewed(Payload):
    kind: ClassVar[str] = Kind.RANDOM_CHECK_REVIEWED
    random_check_id: int
    outcome: str


@dataclass(frozen=True)
class InvestigationClosed(Payload):
    kind: ClassVar[str] = Kind.INVESTIGATION_CLOSED
    investigation_id: int
    conclusion: str


PAYLOADS: dict[str, type[Payload]] = {
    cls.kind: cls
    for cls in (
        Received,
        WaitingNorm,
        Routed,
        DocumentsRequested,
        DocumentsSubmitted,
        KommuniceringSent,
        DecisionStored,
        DecisionCorrected,
        Payment,
        MessageSent,
        AppealLodged,
        RandomCheckReviewed,
        InvestigationClosed,
    )
}
assert set(PAYLOADS) == set(Kind.values), "every TimelineEvent.Kind needs exactly one payload type"


def record(
    case: Case | int,
    payload: Payload,
    *,
    actor: str,
    application=None,
    occurred_at: datetime.datetime | None = None,
    visible_to_citizen: bool = True,
    once: bool = False,
) -> TimelineEvent:
    """Put `payload` on the case's timeline. `once`: an application's event of this kind is recorded only
    once (a retried task), the first one standing."""
    case_id = case if isinstance(case, int) else case.pk
    application_id = application if isinstance(application, int | None) else application.pk
    values = {
        "case_id": case_id,
        "actor": actor,
        "occurred_at": occurred_at or timezone.now(),
        "visible_to_citizen": visible_to_citizen,
        "data": payload.to_data(),
    }
    if once:
        event, _ = TimelineEvent.objects.get_or_create(
            application_id=application_id, kind=payload.kind, defaults=values
        )
        return event
    return TimelineEvent.objects.create(application_id=application_id, kind=payload.kind, **values)


def payload_of(event: TimelineEvent) -> Payload:
    """The typed payload of a stored event; raises `UnknownEvent` for a kind no payload type describes."""
    cls = PAYLOADS.get(event.kind)
    if cls is None:
        raise UnknownEvent(f"timeline event {event.pk} has the unknown kind {event.kind!r}")
    return cls.from_data(event.data or {})


def fold[R](handlers: dict[type[Payload], Callable[..., R]]) -> Callable[[TimelineEvent], R]:
    """One reader of the timeline: a handler `(event, payload) -> R` for every payload type, checked at once.

    Building a reader that misses a kind fails where the reader is defined (at import), not on the day
    such an event first reaches a page.
    """
    missing = set(PAYLOADS.values()) - set(handlers)
    if missing:
        raise TypeError("no handler for " + ", ".join(sorted(cls.__name__ for cls in missing)))

    def read(event: TimelineEvent) -> R:
        payload = payload_of(event)
        return handlers[type(payload)](event, payload)

    return read
