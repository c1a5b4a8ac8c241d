"""Mina sidor: the timeline, decisions with calculation and versions, letters, requests with upload,
messages and appeals — each only for the person it concerns."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bistand.cases.models import TimelineEvent
from bistand.conversation import services
from bistand.conversation.models import Appeal, DocumentRequest, Message
from bistand.core.files import sniff
from tests import samples
from tests.conftest import OTHER_CITIZEN_PNR, make_citizen, make_staff
from tests.portal.conftest import CALCULATION, make_decision

pytestmark = pytest.mark.django_db

# Real files: uploads are decoded and re-encoded, so magic bytes alone are refused (tests/security).
PNG = samples.png()
HEIC = samples.heic()


def test_timeline_shows_received_decision_and_payment(client, citizen, case_with_application):
    case, application = case_with_application
    decision = make_decision(case, application)
    TimelineEvent.objects.create(
        case=case,
        kind="payment",
        actor="robot",
        occurred_at=timezone.now(),
        data={"status": "planned", "payout_date": "2026-11-25", "amount": "12170"},
    )
    client.force_login(citizen)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Ansökan mottagen" in page
    assert "Utbetalning planerad 25 november" in page
    assert reverse("portal:decision", args=[decision.pk]) in page


def test_decision_shows_calculation_explanation_and_letter(client, citizen, case_with_application):
    case, application = case_with_application
    decision = make_decision(case, application)
    client.force_login(citizen)
    page = client.get(reverse("portal:decision", args=[decision.pk])).content.decode()
    assert "En vuxen (Erik)" in page  # people by name, never by an internal id
    assert "2 kap. 1 § socialtjänstförordningen (2001:937)" in page
    assert "12 kap. 7 § första stycket 1 socialtjänstlagen (2025:400)" in page  # the norm's own section
    assert page.count("Visa hela beräkningen") == 1  # the calculation once, detail on demand
    assert "Överklaga beslutet" in page
    letter = client.get(reverse("portal:letter", args=[decision.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")


def _pdf_text(response) -> str:
    """The PDF's language, then its text as read in order, one space between words."""
    import io
    import re
    import subprocess

    from pypdf import PdfReader

    pdf = b"".join(response.streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    lang = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"]
    return f"{lang} " + re.sub(r"\s+", " ", text.decode())


def test_each_adult_party_gets_their_own_letter_in_their_own_language(client, citizen, case_with_application):
    """A couple: the applicant reads English, the co-applicant signed in Arabic. Each gets a letter
    addressed to them (both named as parties), in Swedish and in their own language."""
    from bistand.decisions.letters import ensure_letters
    from bistand.intake.models import Signature

    case, application = case_with_application
    partner = make_citizen(OTHER_CITIZEN_PNR, application.municipality, first_name="Bo")
    type(application).objects.filter(pk=application.pk).update(co_applicant=partner.person)  # as signed
    application.refresh_from_db()
    Signature.objects.create(application=application, signer=citizen.person, role="applicant", language="en")
    Signature.objects.create(
        application=application, signer=partner.person, role="co_applicant", language="ar"
    )
    decision = make_decision(case, application)
    decision.letters.all().delete()  # drawn below as the letters queue draws them
    type(decision).objects.filter(pk=decision.pk).update(letter_language="en")
    decision.refresh_from_db()

    ensure_letters(decision)
    assert set(decision.letters.values_list("recipient__first_name", "language")) == {
        ("Erik", "sv"),
        ("Erik", "en"),
        ("Bo", "sv"),
        ("Bo", "ar"),
    }
    client.force_login(partner)
    swedish = _pdf_text(client.get(reverse("portal:letter", args=[decision.pk])))
    assert (
        swedish.startswith("sv ") and "Till: Bo" in swedish and "Parter: Bo" in swedish and "Erik" in swedish
    )
    arabic = client.get(reverse("portal:letter-translated", args=[decision.pk]))
    assert arabic["Content-Disposition"].endswith('-ar.pdf"')
    assert _pdf_text(arabic).startswith("ar ")
    client.force_login(citizen)
    own = _pdf_text(client.get(reverse("portal:letter", args=[decision.pk])))
    assert "Till: Erik" in own and "Parter: Erik" in own
    english = _pdf_text(client.get(reverse("portal:letter-translated", args=[decision.pk])))
    assert english.startswith("en ") and "To: Erik" in english


def test_the_decision_page_in_arabic_isolates_amounts_and_marks_the_swedish_text(
    client, citizen, case_with_application
):
    case, application = case_with_application
    decision = make_decision(case, application)
    client.force_login(citizen)
    page = client.get(
        reverse("portal:decision", args=[decision.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert 'dir="rtl"' in page
    assert "المساعدة المعيشية التي تحصل عليها" in page  # the calculation is translated
    assert '<bdi dir="ltr">12 kap. 1 § socialtjänstlagen (2025:400)</bdi>' in page
    assert '<span lang="sv">' in page


def test_a_correction_shows_what_changed_and_why(client, citizen, case_with_application):
    case, application = case_with_application
    first = make_decision(case, application)
    corrected = copy.deepcopy(CALCULATION)
    corrected["lines"][2]["amount"] = 8200
    corrected["costs_total"] = 8200
    corrected["entitlement"] = 12570
    second = make_decision(
        case, application, version=2, supersedes=first, calculation=corrected, reason="Hyran var fel inläst."
    )
    client.force_login(citizen)
    page = client.get(reverse("portal:decision", args=[second.pk])).content.decode()
    assert "Hyran var fel inläst." in page
    assert "Det här ändrades" in page
    assert "7\xa0800\xa0kr" in page and "8\xa0200\xa0kr" in page
    old = client.get(reverse("portal:decision", args=[first.pk])).content.decode()
    assert "har ersatts av ett nyare" in old


def test_others_cannot_see_a_decision_or_its_letter(client, citizen, municipality, case_with_application):
    case, application = case_with_application
    decision = make_decision(case, application)
    client.force_login(make_citizen(OTHER_CITIZEN_PNR, municipality, first_name="Anna"))
    assert client.get(reverse("portal:decision", args=[decision.pk])).status_code == 404
    assert client.get(reverse("portal:letter", args=[decision.pk])).status_code == 404


def test_appeal_within_three_weeks_lands_on_the_timeline(client, citizen, case_with_application):
    case, application = case_with_application
    decision = make_decision(case, application, days_ago=20)
    client.force_login(citizen)
    url = reverse("portal:appeal", args=[decision.pk])
    empty = client.post(url, {"text": ""}).content.decode()
    assert "Skriv vad du tycker är fel i beslutet" in empty
    client.post(url, {"text": "Hyran är högre än ni har räknat med."})
    appeal = Appeal.objects.get()
    assert appeal.decision == decision
    assert TimelineEvent.objects.filter(kind="appeal", case=case).exists()


def test_appeal_after_the_deadline_is_refused_plainly(client, citizen, case_with_application):
    case, application = case_with_application
    decision = make_decision(case, application, days_ago=22)
    client.force_login(citizen)
    page = client.post(reverse("portal:appeal", args=[decision.pk]), {"text": "För sent?"}).content.decode()
    assert "Tiden för att överklaga gick ut" in page
    assert not Appeal.objects.exists()


def test_a_request_marks_the_caseworkers_swedish(client, citizen, case_with_application):
    """A screen reader reads the caseworker's Swedish with a Swedish voice, the Arabic frame right to left
    (every language of the frame: tests/portal/test_requests.py)."""
    case, _application = case_with_application
    request = services.request_documents(
        case, "Skicka kontoutdrag för november.", datetime.date(2026, 12, 10)
    )
    client.force_login(citizen)
    html = client.get(
        reverse("portal:request", args=[request.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert '<span lang="sv" dir="ltr">Skicka kontoutdrag för november.</span>' in html
    assert "المستندات التي نحتاجها" in html
    home = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<span lang="sv" dir="ltr">Skicka kontoutdrag för november.</span>' in home


def test_upload_on_request_checks_content_and_size(
    client, citizen, caseworker, case_with_application, settings
):
    case, _application = case_with_application
    request = services.request_documents(
        case, "Kontoutdrag för november.", datetime.date(2026, 12, 10), caseworker
    )
    client.force_login(citizen)
    url = reverse("portal:request", args=[request.pk])
    page = client.get(url).content.decode()
    assert "Kontoutdrag för november." in page and "10 december 2026" in page

    fake = SimpleUploadedFile(
        "kontoutdrag.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )
    page = client.post(url, {"action": "upload", "file": fake}).content.decode()
    assert "Vi kan bara ta emot PDF, JPEG, PNG eller HEIC" in page

    settings.UPLOAD_MAX_BYTES = 50
    big = SimpleUploadedFile("stor.png", PNG, content_type="image/png")
    page = client.post(url, {"action": "upload", "file": big}).content.decode()
    assert "Filen är för stor" in page
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024

    page = client.post(url, {"action": "submit"}).content.decode()
    assert "Lägg till minst en fil" in page

    for name, content in (("bild.png", PNG), ("foto.heic", HEIC), ("utdrag.pdf", samples.pdf())):
        response = client.post(url, {"action": "upload", "file": SimpleUploadedFile(name, content)})
        assert response.status_code == 302
    # A HEIC photo is kept as JPEG, which every browser shows.
    assert sorted(request.uploads.values_list("kind", flat=True)) == ["jpeg", "pdf", "png"]
    stored = request.uploads.first().file.name
    assert "bild" not in stored  # never the citizen's own file name
    client.post(url, {"action": "submit"})
    request.refresh_from_db()
    assert request.status == DocumentRequest.Status.ANSWERED
    assert TimelineEvent.objects.filter(kind="documents_submitted", case=case).exists()


def test_sniffing_accepts_only_the_four_kinds():
    assert sniff(b"%PDF-1.7") == "pdf"
    assert sniff(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff(PNG) == "png"
    assert sniff(HEIC) == "heic"
    assert sniff(b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif") is None
    assert sniff(b"GIF89a") is None
    assert sniff(b"<html>") is None


def test_messages_both_ways(client, citizen, unit, case_with_application):
    case, _application = case_with_application
    staff = make_staff("handlaggare9", unit)
    services.send_message(case, "Hej! Vi har fått din ansökan.", staff)
    client.force_login(citizen)
    home = client.get(reverse("portal:home")).content.decode()
    assert "1 nytt" in home
    url = reverse("portal:messages", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Vi har fått din ansökan." in page
    assert Message.objects.get(sender_kind="caseworker").read_at is not None
    empty = client.post(url, {"body": " "}).content.decode()
    assert "Skriv ditt meddelande innan du skickar." in empty
    client.post(url, {"body": "Tack!"})
    assert Message.objects.filter(sender_kind="citizen", body="Tack!").exists()
    assert TimelineEvent.objects.filter(kind="message", case=case).count() == 2
