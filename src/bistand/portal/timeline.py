"""The case timeline as the citizen reads it: each event in words, with a link where there is more."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from bistand.casework.models import TimelineEvent
from bistand.intake.summary import kr


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


def describe(event: TimelineEvent) -> Entry:
    data = event.data or {}
    kind = event.kind
    if kind == TimelineEvent.Kind.RECEIVED:
        month = event.application.month if event.application else None
        detail = _("Ansökan för %(month)s") % {"month": date_format(month, "F Y")} if month else ""
        return Entry(event, _("Ansökan mottagen"), detail)
    if kind == TimelineEvent.Kind.WAITING_NORM:
        detail = _(
            "Riksnormen bestäms av regeringen. Din ansökan är sparad, och vi räknar ut ditt stöd så snart "
            "normen är publicerad."
        )
        if data.get("expected"):
            detail += " " + _("Kommunen räknar med att det blir omkring %(date)s.") % {
                "date": _date(data["expected"])
            }
        return Entry(event, _("Väntar på riksnormen för %(year)s") % {"year": data.get("year", "")}, detail)
    if kind == "routed":
        return Entry(event, _("En handläggare går igenom din ansökan"))
    if kind == TimelineEvent.Kind.DOCUMENTS_REQUESTED:
        return Entry(
            event,
            _("Påminnelse: vi väntar på underlag från dig")
            if data.get("reminder")
            else _("Vi behöver underlag från dig"),
            _("Skicka in senast %(date)s") % {"date": _date(data.get("deadline", ""))},
            reverse("portal:request", args=[data["request_id"]]) if data.get("request_id") else "",
            _("Se vad vi behöver och skicka in"),
        )
    if kind == TimelineEvent.Kind.KOMMUNICERING:
        return Entry(
            event,
            _("Vi har fått uppgifter som kan påverka beslutet"),
            # What was found is the caseworker's Swedish: marked so, in any page language.
            mark_safe(  # noqa: S308 - the template and every value are escaped
                conditional_escape(_("%(found)s Du kan svara till och med %(date)s, innan vi beslutar."))
                % {
                    "found": format_html('<span lang="sv" dir="ltr">{}</span>', data.get("found", "")),
                    "date": conditional_escape(_date(data.get("reply_by", ""))),
                }
            ),
            reverse("portal:messages", args=[event.case_id]),
            _("Svara i ett meddelande"),
        )
    if kind == "documents_submitted":
        return Entry(event, _("Du skickade in underlag"))
    if kind in (TimelineEvent.Kind.DECISION, "correction"):
        title = (
            _("Beslut") if kind == TimelineEvent.Kind.DECISION else _("Beslutet har rättats eller ändrats")
        )
        detail = ""
        if data.get("amount") is not None:
            detail = _("Beviljat belopp: %(amount)s") % {"amount": kr(data["amount"])}
        link = reverse("portal:decision", args=[data["decision_id"]]) if data.get("decision_id") else ""
        return Entry(event, title, detail, link, _("Läs beslutet och beräkningen"))
    if kind == TimelineEvent.Kind.PAYMENT:
        return _payment(event, data)
    if kind == TimelineEvent.Kind.MESSAGE:
        title = (
            _("Du skickade ett meddelande")
            if data.get("from") == "citizen"
            else _("Nytt meddelande från handläggaren")
        )
        return Entry(event, title, "", reverse("portal:messages", args=[event.case_id]), _("Läs meddelanden"))
    if kind == "appeal":
        return Entry(
            event,
            _("Du överklagade beslutet"),
            _(
                "Vi prövar beslutet igen. Ändrar vi det inte skickar vi överklagandet till förvaltningsrätten."
            ),
        )
    return Entry(event, event.get_kind_display())


def _payment(event: TimelineEvent, data: dict) -> Entry:
    """A payment as what it is: only a payment that will go out is "planerad"; a held one says what is missing."""
    from bistand.payments.models import HELD_REASONS

    amount = kr(data["amount"]) if data.get("amount") else ""
    day = _date(data.get("payout_date", ""))
    status = data.get("status")
    if status == "paid":
        return Entry(event, _("Utbetalt %(date)s") % {"date": day}, amount)
    if status == "planned" and data.get("counter"):
        how = _("kontant") if data["counter"] == "cash" else _("på ett förladdat kort")
        return Entry(
            event,
            _("Hämta pengarna %(how)s från %(date)s") % {"how": how, "date": day},
            f"{amount}. {data.get('place') or _('Din handläggare berättar var.')}",
        )
    if status == "held":
        reason, fixable = HELD_REASONS.get(data.get("reason", ""), (_("Vi saknar uppgifter."), False))
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
