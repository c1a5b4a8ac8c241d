"""What a request to the citizen says, in the reader's language: documents, the random check, kommunicering.

Each kind of request has one frame (`KINDS`): its heading, why we ask, what is asked, the deadline, how to
reply, the law it rests on and what happens if no reply comes. The frame is gettext, so it is read in the
page's language (Swedish, English or Arabic). What a caseworker wrote is kept as written, in Swedish, and
marked so (`lang="sv"`); a reader of another language is told so, and that they can have it interpreted
(förvaltningslagen 13 §). Dates are isolated and legal references kept left to right, so that right-to-left
reading does not jumble them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from bistand.casework.models import Kommunicering
from bistand.conversation.models import DocumentRequest
from bistand.decisions.statement import fill, fl, interpreter_offer, swedish


@dataclass(frozen=True)
class Kind:
    """The fixed words of one kind of request; `%(date)s` is the deadline, `%(law)s` the reference."""

    heading: Promise
    why: Promise
    asked_label: Promise
    deadline: Promise
    how: Promise
    law: Promise
    section: int  # the förvaltningslagen section the request rests on
    no_reply: Promise


KINDS: dict[str, Kind] = {
    DocumentRequest.Reason.CASEWORKER: Kind(
        heading=gettext_lazy("Underlag vi behöver"),
        why=gettext_lazy("Din handläggare behöver underlag för att kunna utreda din ansökan."),
        asked_label=gettext_lazy("Det här behöver vi"),
        deadline=gettext_lazy("Skicka in senast %(date)s."),
        how=gettext_lazy(
            "Lägg till filerna här nedanför och tryck på ”Skicka in underlaget”. Ett foto med mobilen går "
            "bra. Behöver du mer tid eller hjälp? Skriv ett meddelande eller ring oss."
        ),
        law=gettext_lazy(
            "Kommunen ska se till att din ansökan blir utredd, och du hjälper till genom att skicka in det "
            "som behövs (%(law)s)."
        ),
        section=23,
        no_reply=gettext_lazy(
            "Om underlaget inte har kommit in senast %(date)s beslutar vi utifrån de uppgifter vi har. Det "
            "kan betyda att du inte får stöd för det som vi inte har kunnat utreda."
        ),
    ),
    DocumentRequest.Reason.RANDOM_CHECK: Kind(
        heading=gettext_lazy("Slumpvis kontroll: underlag vi behöver"),
        why=gettext_lazy(
            "Ditt hushåll har lottats ut till en slumpvis kontroll (stickprov). Varje månad lottar vi några "
            "hushåll bland alla som får försörjningsstöd. Det betyder inte att vi misstänker något fel."
        ),
        asked_label=gettext_lazy("Det här behöver vi"),
        deadline=gettext_lazy("Skicka in senast %(date)s."),
        how=gettext_lazy(
            "Lägg till filerna här nedanför och tryck på ”Skicka in underlaget”. Ett foto med mobilen går "
            "bra. Behöver du mer tid eller hjälp? Skriv ett meddelande eller ring oss."
        ),
        law=gettext_lazy(
            "Kommunen kontrollerar att försörjningsstödet blir rätt och ska se till att varje ärende är "
            "utrett (%(law)s)."
        ),
        section=23,
        no_reply=gettext_lazy(
            "Om underlaget inte har kommit in senast %(date)s går en handläggare igenom ditt ärende och "
            "hör av sig till dig."
        ),
    ),
    "kommunicering": Kind(
        heading=gettext_lazy("Vi vill höra vad du säger innan vi beslutar"),
        why=gettext_lazy(
            "Vi har fått uppgifter som kan påverka beslutet om din ansökan. Innan vi beslutar får du veta "
            "vad som har kommit fram och säga vad du tycker."
        ),
        asked_label=gettext_lazy("Det här har kommit fram"),
        deadline=gettext_lazy("Svara senast %(date)s."),
        how=gettext_lazy(
            "Svara i ett meddelande här på Mina sidor, ring oss eller skriv ett brev. Du kan också be att "
            "få säga det muntligt."
        ),
        law=gettext_lazy(
            "Innan kommunen fattar ett beslut som går dig emot ska du få veta vad som har kommit fram och "
            "få svara på det (%(law)s)."
        ),
        section=25,
        no_reply=gettext_lazy(
            "Du behöver inte svara. Om vi inte har fått något svar senast %(date)s beslutar vi utifrån det "
            "som har kommit fram."
        ),
    ),
}


@dataclass(frozen=True)
class Frame:
    """One request as the reader meets it, in one language; every value safe for a template."""

    kind: str
    lang: str
    heading: str
    why: str
    asked_label: str
    asked: SafeString  # the caseworker's Swedish (marked), or our own words in the reader's language
    swedish: bool  # `asked` is the caseworker's Swedish: its paragraph reads left to right on any page
    interpreter: SafeString  # said when the caseworker's Swedish meets a reader of another language
    deadline: SafeString
    how: str
    law: SafeString
    no_reply: SafeString
    original: SafeString  # the whole request in Swedish, for a reader of another language; else empty


def day(value: datetime.date) -> SafeString:
    """A date in the active language, isolated (its direction follows its own words)."""
    return format_html("<bdi>{}</bdi>", date_format(value, "j F Y"))


def months_text(months: Iterable[datetime.date]) -> str:
    """`september 2026, oktober 2026 och november 2026` in the active language."""
    names = [date_format(month, "F Y") for month in months]
    if len(names) <= 1:
        return "".join(names)
    return _("%(list)s och %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def random_check_asked(months: Iterable[datetime.date]) -> str:
    """What the random check asks for, in the active language."""
    return _(
        "Kontoutdrag för alla konton som någon i hushållet har, och kvitton på hushållets utgifter, för "
        "%(months)s."
    ) % {"months": months_text(months)}


def random_check_text(months: list[datetime.date], deadline: datetime.date, lang: str = "sv") -> str:
    """The whole random-check request as plain text in `lang`: the Swedish original is stored with it."""
    kind = KINDS[DocumentRequest.Reason.RANDOM_CHECK]
    with translation.override(lang):
        date = date_format(deadline, "j F Y")
        return " ".join(
            [
                str(kind.why),
                f"{kind.asked_label}: {random_check_asked(months)}",
                str(kind.deadline) % {"date": date},
                _("Behöver du mer tid eller hjälp? Skriv ett meddelande till oss."),
            ]
        )


def _months(values: Iterable[str]) -> list[datetime.date]:
    return [datetime.date.fromisoformat(f"{value}-01") for value in values]


def _frame(kind_key: str, *, asked: SafeString, by_caseworker: bool, deadline: datetime.date, original: str):
    kind = KINDS[kind_key]
    lang = get_language() or "sv"
    foreign = not lang.startswith("sv")
    interpreter = interpreter_offer() if by_caseworker and foreign else mark_safe("")
    return Frame(
        kind=kind_key,
        lang=lang,
        heading=str(kind.heading),
        why=str(kind.why),
        asked_label=str(kind.asked_label),
        asked=asked,
        swedish=by_caseworker,
        interpreter=interpreter,
        deadline=fill(str(kind.deadline), date=day(deadline)),
        how=str(kind.how),
        law=fill(str(kind.law), law=fl(kind.section)),
        no_reply=fill(str(kind.no_reply), date=day(deadline)),
        original=swedish(original) if foreign and original else mark_safe(""),
    )


def for_document_request(request: DocumentRequest) -> Frame:
    """A request for documents in the active language: the random check's worded by us, a caseworker's
    own text kept in Swedish."""
    if request.reason == DocumentRequest.Reason.RANDOM_CHECK and request.months:
        return _frame(
            request.reason,
            asked=conditional_escape(random_check_asked(_months(request.months))),
            by_caseworker=False,
            deadline=request.deadline,
            original=request.text,
        )
    # A caseworker's request, or an old random check without its months: the Swedish as it was written.
    return _frame(
        request.reason if request.reason in KINDS else DocumentRequest.Reason.CASEWORKER,
        asked=swedish(request.text),
        by_caseworker=True,
        deadline=request.deadline,
        original="",
    )


def for_kommunicering(entry: Kommunicering) -> Frame:
    """A kommunicering in the active language, with what the caseworker found kept in Swedish."""
    return _frame(
        "kommunicering", asked=swedish(entry.found), by_caseworker=True, deadline=entry.reply_by, original=""
    )


def summary(request: DocumentRequest) -> SafeString:
    """A short line for lists (Mina sidor's start page): what is asked, in the reader's language where we
    worded it, else the caseworker's Swedish, marked."""
    if request.reason == DocumentRequest.Reason.RANDOM_CHECK and request.months:
        return conditional_escape(random_check_asked(_months(request.months)))
    text = request.text if len(request.text) <= 80 else request.text[:79].rstrip() + "…"
    return swedish(text)
