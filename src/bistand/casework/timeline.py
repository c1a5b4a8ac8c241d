"""The case's timeline as the caseworker reads it: one line of detail per event, every kind handled.

The same typed events as the citizen's Mina sidor (portal/timeline.py) and the statistics read
(`cases.events`); here with what is for staff only (the robot's routing reasons, oversight's outcomes).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.intake.summary import kr


def _amount(amount: str | None) -> str:
    return kr(amount) if amount else ""


def _join(*parts) -> str:
    """The parts that are there, with a dot between (an older event may lack some)."""
    return " · ".join(str(part) for part in parts if part not in (None, ""))


def _received(event: TimelineEvent, p: events.Received) -> str:
    return _join(p.month, p.channel)


def _waiting_norm(event: TimelineEvent, p: events.WaitingNorm) -> str:
    return _join(p.year, p.expected)


def _routed(event: TimelineEvent, p: events.Routed) -> str:
    return ", ".join(p.reasons or ())


def _documents_requested(event: TimelineEvent, p: events.DocumentsRequested) -> str:
    return _("Skicka in senast %(date)s") % {"date": p.deadline} if p.deadline else ""


def _documents_submitted(event: TimelineEvent, p: events.DocumentsSubmitted) -> str:
    return _join(p.files)


def _kommunicering(event: TimelineEvent, p: events.KommuniceringSent) -> str:
    return _join(p.found, p.reply_by)


def _decision(event: TimelineEvent, p: events.DecisionStored) -> str:
    return _join(p.outcome, _amount(p.amount), p.version and f"v{p.version}", p.correction_reason)


def _payment(event: TimelineEvent, p: events.Payment) -> str:
    return _join(p.status, _amount(p.amount or p.overpaid), p.payout_date, p.reason)


def _message(event: TimelineEvent, p: events.MessageSent) -> str:
    return ""


def _appeal(event: TimelineEvent, p: events.AppealLodged) -> str:
    return _join(p.version and f"v{p.version}")


def _random_check(event: TimelineEvent, p: events.RandomCheckReviewed) -> str:
    return _join(p.outcome)


def _investigation(event: TimelineEvent, p: events.InvestigationClosed) -> str:
    return _join(p.conclusion)


# Every kind, or the module does not load (cases.events.fold); an unknown stored kind raises.
detail = events.fold(
    {
        events.Received: _received,
        events.WaitingNorm: _waiting_norm,
        events.Routed: _routed,
        events.DocumentsRequested: _documents_requested,
        events.DocumentsSubmitted: _documents_submitted,
        events.KommuniceringSent: _kommunicering,
        events.DecisionStored: _decision,
        events.DecisionCorrected: _decision,
        events.Payment: _payment,
        events.MessageSent: _message,
        events.AppealLodged: _appeal,
        events.RandomCheckReviewed: _random_check,
        events.InvestigationClosed: _investigation,
    }
)


def lines(case_events) -> list[tuple[TimelineEvent, str]]:
    """Each event of the case with its line of detail, in order."""
    return [(event, detail(event)) for event in case_events]
