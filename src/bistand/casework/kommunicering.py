"""Kommunicering (förvaltningslagen 25 §): before a person decides against the citizen, the citizen is told.

A decision goes against the citizen when it is a rejection, a partial grant, or less than what the
citizen's own answers give (``amount_applied``). Such a decision is made only after a kommunicering whose
reply has come in or whose deadline has passed, or with one of the law's exceptions recorded as the reason
none was needed. The robot never decides against the citizen at all (casework.pipeline).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.casework.models import Kommunicering, PipelineRun
from bistand.intake.supplement import supplement_of

# FL 25 § andra stycket: when the authority may decide without kommunicering.
EXCEPTIONS = {
    "unnecessary": _(
        "Uppgiften saknar betydelse eller kommunicering är av någon annan anledning uppenbart obehövlig "
        "(förvaltningslagen 25 § andra stycket 1)"
    ),
    "harder_to_enforce": _(
        "Det kan befaras att det annars blir avsevärt svårare att genomföra beslutet "
        "(förvaltningslagen 25 § andra stycket 2)"
    ),
    "cannot_wait": _("Avgörandet kan inte skjutas upp (förvaltningslagen 25 § andra stycket 3)"),
}
MIN_DAYS_TO_REPLY = 7


class KommuniceringMissing(ValueError):
    """An adverse decision without kommunicering or a recorded exception; the message says what to do."""


def applied_amount(run: PipelineRun) -> Decimal | None:
    """What the citizen's own answers give: the robot's calculation, which uses only their figures; for a
    tilläggsansökan, the amount the citizen asked for (the month's own calculation is decided already)."""

    supplement = supplement_of(run.application)
    if supplement is not None:
        return supplement.amount
    calculation = run.calculation or {}
    if "entitlement" not in calculation:
        return None
    return Decimal(str(calculation["entitlement"]))


def is_adverse(run: PipelineRun, outcome: str, amount: Decimal) -> bool:
    applied = applied_amount(run)
    return outcome != "grant" or (applied is not None and amount < applied)


def outcome_for(run: PipelineRun, outcome: str, amount: Decimal) -> str:
    """A "grant" of less than the citizen's own figures give is a partial grant, and is called one.

    The letter then says the citizen does not get everything applied for, and the statistics count it.
    """
    applied = applied_amount(run)
    if outcome == "grant" and applied is not None and amount < applied:
        return "partial"
    return outcome


def communicate(run: PipelineRun, by, *, found: str, reply_by: datetime.date, today=None) -> Kommunicering:
    """Tell the citizen what was found and by when to reply; shown on Mina sidor and in the queue."""
    today = today or timezone.localdate()
    if not found.strip():
        raise KommuniceringMissing("Skriv vad som har kommit fram, så att den sökande kan svara på det.")
    if reply_by < today + datetime.timedelta(days=MIN_DAYS_TO_REPLY):
        raise KommuniceringMissing(f"Svarsdatum: ge den sökande minst {MIN_DAYS_TO_REPLY} dagar att svara.")
    with transaction.atomic():
        entry = Kommunicering.objects.create(run=run, sent_by=by, found=found.strip(), reply_by=reply_by)
        events.record(
            run.case,
            events.KommuniceringSent(
                kommunicering_id=entry.pk, found=entry.found, reply_by=reply_by.isoformat()
            ),
            actor=TimelineEvent.Actor.CASEWORKER,
            application=run.application,
        )
    return entry


def record_reply(entry: Kommunicering, text: str) -> Kommunicering:
    """The citizen's reply (in a message, by phone or by letter), noted on the kommunicering."""
    if not text.strip():
        raise KommuniceringMissing("Skriv vad den sökande svarade.")
    entry.reply, entry.replied_at = text.strip(), timezone.now()
    entry.save(update_fields=["reply", "replied_at"])
    return entry


def record_of(run: PipelineRun) -> list[dict]:
    """The kommunicering of a run as the decision keeps it: what was found, the deadline, the reply."""
    return [
        {
            "id": entry.pk,
            "found": entry.found,
            "reply_by": entry.reply_by.isoformat(),
            "reply": entry.reply,
            "replied_at": entry.replied_at.isoformat() if entry.replied_at else None,
        }
        for entry in Kommunicering.objects.filter(run=run).order_by("sent_at", "pk")
    ]


def check(run: PipelineRun, *, outcome: str, amount: Decimal, exception: str = "", today=None) -> None:
    """Raise :class:`KommuniceringMissing` for an adverse decision that may not be made yet."""
    if not is_adverse(run, outcome, amount):
        return
    if exception:
        if exception not in EXCEPTIONS:
            raise KommuniceringMissing("Okänt undantag från kommunicering.")
        return
    today = today or timezone.localdate()
    entries = list(Kommunicering.objects.filter(run=run))
    if not entries:
        raise KommuniceringMissing(
            "Beslutet går den sökande emot. Kommunicera först vad som har kommit fram och ge en tid att "
            "svara (förvaltningslagen 25 §), eller ange varför det inte behövs."
        )
    if not any(entry.answered_or_due(today) for entry in entries):
        latest = max(entry.reply_by for entry in entries)
        raise KommuniceringMissing(
            f"Den sökande har till och med {latest.isoformat()} på sig att svara. Vänta på svaret innan du "
            "beslutar."
        )
