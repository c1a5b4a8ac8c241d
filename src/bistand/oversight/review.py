"""The caseworker's review of a random check, and the investigation a discrepancy opens.

Nothing here decides anything about the household's money: a discrepancy opens an investigation that a
person carries out, and what follows (a corrected decision, a recovery assessment, a police report) is that
person's decision, recorded here with their name.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.oversight import documents
from bistand.oversight.models import Investigation, RandomCheck

# Internal timeline events (the citizen is told in a message the caseworker writes).
EVENT_REVIEWED = TimelineEvent.Kind.RANDOM_CHECK_REVIEWED
EVENT_INVESTIGATION_CLOSED = TimelineEvent.Kind.INVESTIGATION_CLOSED


class ReviewError(ValueError):
    """The review cannot be recorded as asked (the message says why, for the caseworker)."""


def record_outcome(check: RandomCheck, outcome: str, note: str, by, message: str = "") -> RandomCheck:
    """Record the caseworker's review; a discrepancy opens an investigation. Reviewed once."""
    if outcome not in (
        RandomCheck.Outcome.OK,
        RandomCheck.Outcome.DISCREPANCY,
        RandomCheck.Outcome.NOT_SUBMITTED,
    ):
        raise ReviewError("unknown outcome")
    if outcome == RandomCheck.Outcome.DISCREPANCY and not note.strip():
        raise ReviewError("a discrepancy needs a note saying what differs")
    if outcome == RandomCheck.Outcome.NOT_SUBMITTED and documents.received(check):
        raise ReviewError("the documents did come in")
    if outcome == RandomCheck.Outcome.NOT_SUBMITTED and timezone.localdate() <= check.deadline:
        raise ReviewError("the deadline has not passed")
    with transaction.atomic():
        locked = RandomCheck.objects.select_for_update().get(pk=check.pk)
        if locked.is_reviewed:
            raise ReviewError("already reviewed")
        locked.outcome = outcome
        locked.note = note.strip()
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["outcome", "note", "reviewed_by", "reviewed_at"])
        if outcome == RandomCheck.Outcome.DISCREPANCY:
            Investigation.objects.create(
                random_check=locked, case=locked.case, reason=locked.note, opened_by=by
            )
        events.record(
            locked.case,
            events.RandomCheckReviewed(random_check_id=locked.pk, outcome=outcome),
            actor=TimelineEvent.Actor.CASEWORKER,
            occurred_at=locked.reviewed_at,
            visible_to_citizen=False,
        )
        documents.close_request(locked)
        if message.strip():
            documents.tell_citizen(locked, message.strip(), by)
    return locked


def close_investigation(investigation: Investigation, conclusion: str, note: str, by) -> Investigation:
    """A person closes the investigation with their conclusion and why."""
    valid = {c for c in Investigation.Conclusion.values if c}
    if conclusion not in valid:
        raise ReviewError("unknown conclusion")
    if not note.strip():
        raise ReviewError("say what the conclusion rests on")
    with transaction.atomic():
        locked = Investigation.objects.select_for_update().get(pk=investigation.pk)
        if locked.status == Investigation.Status.CLOSED:
            raise ReviewError("already closed")
        locked.status = Investigation.Status.CLOSED
        locked.conclusion = conclusion
        locked.conclusion_note = note.strip()
        locked.closed_by = by
        locked.closed_at = timezone.now()
        locked.save()
        events.record(
            locked.case,
            events.InvestigationClosed(investigation_id=locked.pk, conclusion=conclusion),
            actor=TimelineEvent.Actor.CASEWORKER,
            occurred_at=locked.closed_at,
            visible_to_citizen=False,
        )
    return locked
