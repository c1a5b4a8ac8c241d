"""The case timeline as the citizen reads it: each event in words, with a link where there is more."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.intake.summary import kr
from bistand.payments.models import HELD_REASONS


@dataclass
class Entry:
    event: TimelineEvent
    title: str
    detail: str = ""
    link: str = ""
    link_text: str = ""


def _date(value: str) -> str:
    try:
        return date_format(datetime.date.fromisoformat(value), "j F")
    except (TypeError, ValueError):
        return ""


def _received(event: TimelineEvent, payload: events.Received) -> Entry:
    month = event.application.month if event.application else None
    detail = _("Ansökan för %(month)s") % {"month": date_format(month, "F Y")} if month else ""
    return Entry(event, _("Ansökan mottagen"), detail)


def _waiting_norm(event: TimelineEvent, payload: events.WaitingNorm) -> Entry:
    detail = _(
        "Riksnormen bestäms av regeringen. Din ansökan är sparad, och vi räknar ut ditt stöd så snart "
        "normen är publicerad."
    )
    if payload.expected:
        detail += " " + _("Kommunen räknar med att det blir omkring %(date)s.") % {
            "date": _date(payload.expected)
        }
    return Entry(event, _("Väntar på riksnormen för %(year)s") % {"year": payload.year or ""}, detail)


def _routed(event: TimelineEvent, payload: events.Routed) -> Entry:
    # The reasons are for staff only (they may tell of another person's protected identity).
    return Entry(event, _("En handläggare går igenom din ansökan"))


def _documents_requested(event: TimelineEvent, payload: events.DocumentsRequested) -> Entry:
    return Entry(
        event,
        _("Påminnelse: vi väntar på underlag från dig")
        if payload.reminder
        else _("Vi behöver underlag från dig"),
        _("Skicka in senast %(date)s") % {"date": _date(payload.deadline)},
        reverse("portal:request", args=[payload.request_id]) if payload.request_id else "",
        _("Se vad vi behöver och skicka in"),
    )


def _kommunicering(event: TimelineEvent, payload: events.KommuniceringSent) -> Entry:
    return Entry(
        event,
        _("Vi har fått uppgifter som kan påverka beslutet"),
        _("Du kan svara till och med %(date)s, innan vi beslutar.") % {"date": _date(payload.reply_by)},
        reverse("portal:kommunicering", args=[payload.kommunicering_id]) if payload.kommunicering_id else "",
        _("Läs vad som har kommit fram och svara"),
    )


def _documents_submitted(event: TimelineEvent, payload: events.DocumentsSubmitted) -> Entry:
    return Entry(event, _("Du skickade in underlag"))


def _decision(event: TimelineEvent, payload: events.DecisionStored) -> Entry:
    corrected = isinstance(payload, events.DecisionCorrected)
    title = _("Beslutet har rättats eller ändrats") if corrected else _("Beslut")
    detail = (
        _("Beviljat belopp: %(amount)s") % {"amount": kr(payload.amount)}
        if payload.amount is not None
        else ""
    )
    link = reverse("portal:decision", args=[payload.decision_id]) if payload.decision_id else ""
    return Entry(event, title, detail, link, _("Läs beslutet och beräkningen"))


def _message(event: TimelineEvent, payload: events.MessageSent) -> Entry:
    title = (
        _("Du skickade ett meddelande")
        if payload.sender == "citizen"
        else _("Nytt meddelande från handläggaren")
    )
    return Entry(event, title, "", reverse("portal:messages", args=[event.case_id]), _("Läs meddelanden"))


def _appeal(event: TimelineEvent, payload: events.AppealLodged) -> Entry:
    return Entry(
        event,
        _("Du överklagade beslutet"),
        _("Vi prövar beslutet igen. Ändrar vi det inte skickar vi överklagandet till förvaltningsrätten."),
    )


def _staff_only(event: TimelineEvent, payload: events.Payload) -> Entry:
    # Recorded with visible_to_citizen=False: never listed on Mina sidor; named plainly should one be.
    return Entry(event, event.get_kind_display())


def _payment(event: TimelineEvent, payment: events.Payment) -> Entry:
    """A payment as what it is: only a payment that will go out is "planerad"; a held one says what is missing."""
    amount = kr(payment.amount) if payment.amount else ""
    day = _date(payment.payout_date or "")
    status = payment.status
    if status == "paid":
        return Entry(event, _("Utbetalt %(date)s") % {"date": day}, amount)
    if status == "planned" and payment.counter:
        how = _("kontant") if payment.counter == "cash" else _("på ett förladdat kort")
        return Entry(
            event,
            _("Hämta pengarna %(how)s från %(date)s") % {"how": how, "date": day},
            f"{amount}. {payment.place or _('Din handläggare berättar var.')}",
        )
    if status == "held":
        reason, fixable = HELD_REASONS.get(payment.reason or "", (_("Vi saknar uppgifter."), False))
        return Entry(
            event,
            _("Utbetalningen väntar – den är inte planerad"),
            f"{amount}. {reason}",
            reverse("portal:payout-account") if fixable else "",
            _("Ange ett konto för utbetalning") if fixable else "",
        )
    if status == "sent":
        return Entry(event, _("Utbetalningen är skickad till banken, %(date)s") % {"date": day}, amount)
    if status in {"returned", "stopped"}:
        return Entry(event, _("Utbetalningen kom inte fram. Din handläggare hör av sig."), amount)
    if status == "cancelled":
        return Entry(event, _("Utbetalningen ersattes när beslutet ändrades"), amount)
    return Entry(event, _("Utbetalning planerad %(date)s") % {"date": day}, amount)


# Every kind, or the module does not load (cases.events.fold); an unknown stored kind raises.
describe = events.fold(
    {
        events.Received: _received,
        events.WaitingNorm: _waiting_norm,
        events.Routed: _routed,
        events.DocumentsRequested: _documents_requested,
        events.KommuniceringSent: _kommunicering,
        events.DocumentsSubmitted: _documents_submitted,
        events.DecisionStored: _decision,
        events.DecisionCorrected: _decision,
        events.Payment: _payment,
        events.MessageSent: _message,
        events.AppealLodged: _appeal,
        events.RandomCheckReviewed: _staff_only,
        events.InvestigationClosed: _staff_only,
    }
)
