"""Every request in the citizen's language (issue 15): documents, the random check and kommunicering.

The frame (heading, what is asked, the deadline, how to reply, the law, what happens without a reply) is
in the page's language; the caseworker's own words stay as written, in Swedish, marked `lang="sv"`, with a
sentence on the right to an interpreter (förvaltningslagen 13 §) for a reader of another language.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from bistand.casework.models import Kommunicering, PipelineRun
from bistand.conversation import services
from tests.conftest import OTHER_CITIZEN_PNR, make_citizen

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2026, 12, 18)
FAR = datetime.date(2999, 1, 1)  # a reply date that has not passed, whatever the clock says
ASKED = "Kontoutdrag för november för ditt sparkonto."
FOUND = "Registren visar sjukpenning på 4 200 kr i november som inte finns med i ansökan."

# What each language's frame says, one phrase for each part of it.
DOCUMENTS = {
    "sv": [
        "Underlag vi behöver",
        "Det här behöver vi",
        "Skicka in senast",
        "Så svarar du",
        "Om du inte svarar",
    ],
    "en": ["Documents we need", "What we need", "by", "How to reply", "If you do not reply"],
    "ar": ["المستندات التي نحتاجها", "ما نحتاجه", "أقصاه", "كيف تردّ", "إذا لم تردّ"],
}
INTERPRETER = {"en": "interpreter", "ar": "مترجماً"}


def page(client, name: str, pk: int, lang: str) -> str:
    html = client.get(reverse(name, args=[pk]), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    return html


def main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def without_swedish(html: str) -> str:
    """The text of `html` less what is marked Swedish (the caseworker's words, the Swedish original) and the
    left-to-right runs (legal references, which keep the law's Swedish name)."""
    html = re.sub(r'<(span|p|details)[^>]*lang="sv"[^>]*>.*?</\1>', " ", html, flags=re.S)
    html = re.sub(r'<bdi dir="ltr">.*?</bdi>', " ", html, flags=re.S)
    html = re.sub(r"<details.*?</details>", " ", html, flags=re.S)  # "the request in Swedish", on demand
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def run(case_with_application):
    case, application = case_with_application
    return PipelineRun.objects.create(case=case, application=application, status="routed")


@pytest.mark.parametrize("lang", ["sv", "en", "ar"])
def test_a_caseworkers_request_is_framed_in_the_readers_language(
    lang, client, citizen, caseworker, case_with_application
):
    case, _application = case_with_application
    request = services.request_documents(case, ASKED, DEADLINE, caseworker)
    client.force_login(citizen)
    html = main(page(client, "portal:request", request.pk, lang))
    for phrase in DOCUMENTS[lang]:
        assert phrase in html, phrase
    # The caseworker's words as written, marked Swedish for a screen reader's Swedish voice.
    assert f'<p class="ds-paragraph" lang="sv" dir="ltr"><span lang="sv" dir="ltr">{ASKED}</span>' in html
    # The law, kept left to right in any page direction; the deadline isolated.
    assert re.search(r'<bdi dir="ltr">[^<]*23[^<]*förvaltningslagen[^<]*2017:900[^<]*</bdi>', html)
    assert re.search(r"<bdi>[^<]*2026</bdi>", html)
    if lang == "sv":
        assert "tolk" not in html
    else:
        assert INTERPRETER[lang] in html and "13" in html  # förvaltningslagen 13 §
        assert not re.search(r"[åäöÅÄÖ]", without_swedish(html)), without_swedish(html)


@pytest.mark.parametrize("lang", ["sv", "en", "ar"])
def test_the_random_check_is_asked_in_the_readers_language_with_its_months(
    lang, client, citizen, case_with_application
):
    case, _application = case_with_application
    months = [datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)]
    from bistand.portal.requests import random_check_text

    request = services.request_documents(
        case, random_check_text(months, DEADLINE), DEADLINE, reason="random_check", months=months
    )
    client.force_login(citizen)
    html = main(page(client, "portal:request", request.pk, lang))
    expected = {
        "sv": ["Slumpvis kontroll", "misstänker", "september 2026, oktober 2026 och november 2026"],
        "en": ["Random check", "suspect", "September 2026, October 2026 and November 2026"],
        "ar": ["تدقيق عشوائي", "نشك", "كشوف حساب"],
    }[lang]
    for phrase in expected:
        assert phrase in html, phrase
    assert "interpreter" not in html and "مترجماً" not in html  # nothing here is the caseworker's Swedish
    if lang != "sv":
        # The Swedish original is one click away, marked; nothing else on the page is left in Swedish.
        assert '<details class="ds-details"><summary>' in html and 'lang="sv"' in html
        assert not re.search(r"[åäöÅÄÖ]", without_swedish(html)), without_swedish(html)
    home = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert {"sv": "Kontoutdrag för alla konton", "en": "Bank statements", "ar": "كشوف حساب"}[lang] in home


@pytest.mark.parametrize("lang", ["sv", "en", "ar"])
def test_kommunicering_has_its_page_in_the_readers_language(lang, client, citizen, caseworker, run):
    entry = Kommunicering.objects.create(run=run, sent_by=caseworker, found=FOUND, reply_by=FAR)
    client.force_login(citizen)
    html = main(page(client, "portal:kommunicering", entry.pk, lang))
    expected = {
        "sv": ["Vi vill höra vad du säger innan vi beslutar", "Svara senast", "Du behöver inte svara"],
        "en": ["We want to hear from you before we decide", "Reply by", "You do not have to reply"],
        "ar": ["نريد أن نسمع رأيك قبل أن نتخذ القرار", "ردّ في موعد أقصاه", "لست ملزماً بالرد"],
    }[lang]
    for phrase in expected:
        assert phrase in html, phrase
    assert f'<span lang="sv" dir="ltr">{FOUND}</span>' in html
    assert re.search(r'<bdi dir="ltr">[^<]*25[^<]*förvaltningslagen[^<]*</bdi>', html)  # FL 25 §
    assert reverse("portal:messages", args=[run.case_id]) in html  # how to reply, one click away
    if lang != "sv":
        assert INTERPRETER[lang] in html
        assert not re.search(r"[åäöÅÄÖ]", without_swedish(html)), without_swedish(html)
    # Mina sidor's start page and the timeline lead to it while a reply can still be given.
    home = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert reverse("portal:kommunicering", args=[entry.pk]) in home


def test_kommunicering_is_shown_only_to_the_household(client, caseworker, run, municipality):
    entry = Kommunicering.objects.create(run=run, sent_by=caseworker, found=FOUND, reply_by=FAR)
    client.force_login(make_citizen(OTHER_CITIZEN_PNR, municipality))
    assert client.get(reverse("portal:kommunicering", args=[entry.pk])).status_code == 404


def test_a_reply_is_acknowledged_and_no_longer_asked_for(client, citizen, caseworker, run):
    from bistand.casework import kommunicering

    entry = Kommunicering.objects.create(run=run, sent_by=caseworker, found=FOUND, reply_by=FAR)
    kommunicering.record_reply(entry, "Sjukpenningen kom i december, inte i november.")
    client.force_login(citizen)
    assert "Vi fick ditt svar" in page(client, "portal:kommunicering", entry.pk, "sv")
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:kommunicering", args=[entry.pk]) not in home


def test_a_closed_request_asks_for_nothing_more(client, citizen, caseworker, case_with_application):
    from bistand.conversation.models import DocumentRequest

    case, _application = case_with_application
    request = services.request_documents(case, ASKED, DEADLINE, caseworker)
    DocumentRequest.objects.filter(pk=request.pk).update(status=DocumentRequest.Status.CLOSED)
    client.force_login(citizen)
    html = main(page(client, "portal:request", request.pk, "sv"))
    assert "Begäran är avslutad." in html and "Skicka in senast" not in html and "Så svarar du" not in html
    assert "Du skickade in underlaget ." not in html


@pytest.mark.parametrize("lang", ["sv", "en", "ar"])
def test_any_caseworker_text_is_kept_exactly_marked_and_escaped(lang):
    """Whatever the caseworker writes (markup, right-to-left letters, line breaks) reaches the citizen as
    written, escaped, inside one Swedish-marked run, in every page language."""
    from django.utils import translation
    from django.utils.html import escape
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from bistand.conversation.models import DocumentRequest
    from bistand.portal.requests import for_document_request, for_kommunicering

    @settings(max_examples=60, deadline=None)
    @given(st.text(min_size=1, max_size=200).filter(str.strip))
    def check(text):
        with translation.override(lang):
            frames = [
                for_document_request(DocumentRequest(text=text, deadline=DEADLINE)),
                for_kommunicering(Kommunicering(found=text, reply_by=DEADLINE)),
            ]
        for frame in frames:
            assert frame.asked == f'<span lang="sv" dir="ltr">{escape(text)}</span>'
            assert bool(frame.interpreter) == (lang != "sv")
            assert "<bdi>" in frame.deadline and "<bdi>" in frame.no_reply

    check()
