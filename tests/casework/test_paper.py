"""A paper application, scanned and read by OCR, confirmed by the caseworker, runs through the same pipeline."""

from __future__ import annotations

import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bistand.casework.models import PaperScan, PipelineRun
from bistand.casework.paper import suggestions
from bistand.intake.forms import month_choices
from bistand.intake.models import Application
from tests import samples
from tests.casework.test_pipeline import quiet_single, robot  # noqa: F401

pytestmark = pytest.mark.django_db


def standard_form_pdf(personnummer: str) -> bytes:
    from weasyprint import HTML

    html = f"""<html><body style="font-family: DejaVu Sans; font-size: 16pt">
    <h1>Ansökan om ekonomiskt bistånd</h1>
    <p>Personnummer: {personnummer[:8]}-{personnummer[8:]}</p>
    <p>Hyra: 6500 kr</p><p>El: 300 kr</p><p>Lön: 0 kr</p></body></html>"""
    return HTML(string=html).write_pdf()


def test_suggestions_read_the_standard_form_labels():
    text = "Personnummer: 19900921-2384\nHyra: 6 500 kr\nEl: 300 kr\nLön: 0 kr"
    assert suggestions(text) == {
        "personnummer": "19900921-2384",
        "rent": "6500",
        "electricity": "300",
        "salary": "0",
    }


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="make test installs tesseract-ocr")
def test_ocr_suggests_and_the_caseworker_confirms(client, caseworker, find, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = find(quiet_single)
    client.force_login(caseworker)
    scan = SimpleUploadedFile("blankett.pdf", standard_form_pdf(person.pnr), content_type="application/pdf")
    page = client.post(reverse("casework:paper"), {"action": "ocr", "scans": scan}).content.decode()
    assert "Kontrollera varje värde" in page
    assert 'value="6500"' in page
    assert not Application.objects.exists()  # nothing registered until confirmed
    saved = PaperScan.objects.get()
    assert saved.application is None and "Hyra" in saved.ocr_text


def test_a_confirmed_paper_application_runs_through_the_pipeline(
    client, caseworker, find, settings, tmp_path, run_tasks
):
    settings.MEDIA_ROOT = tmp_path
    person = find(quiet_single)
    client.force_login(caseworker)
    scan = SimpleUploadedFile("sida1.png", samples.png(), content_type="image/png")
    response = client.post(
        reverse("casework:paper"),
        {
            "action": "register",
            "channel": "paper",
            "personnummer": person.pnr,
            "first_name": "Pappers",
            "last_name": "Sökande",
            "month": month_choices()[0][0],
            "rent": "6 500",
            "electricity": "300",
            "payout_method": "account",
            "clearing_number": "3300",
            "account_number": "800113-9297",
            "scans": scan,
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.channel == "paper" and application.is_submitted
    assert application.answers["costs"]["source"] == "caseworker"
    assert application.scans.count() == 1
    assert application.answers["payout_account"]["value"] == {
        "clearing_number": "3300",
        "account_number": "8001139297",
    }
    run_tasks()
    run = PipelineRun.objects.get(application=application)
    assert run.status == "routed"  # a first application: a person decides, as for any channel
    assert "first_application" in [r["code"] for r in run.routing_reasons]


def test_a_file_that_is_not_a_scan_is_refused_with_a_message(client, caseworker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(caseworker)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = client.post(
        reverse("casework:paper"), {"action": "ocr", "scans": fake}, follow=True
    ).content.decode()
    assert "PDF, JPEG, PNG eller HEIC" in page
    assert not PaperScan.objects.exists()


def test_the_same_person_and_month_cannot_be_registered_twice(client, caseworker, find, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = find(quiet_single)
    client.force_login(caseworker)
    data = {
        "action": "register",
        "channel": "phone",
        "personnummer": person.pnr,
        "month": month_choices()[0][0],
        "rent": "6500",
        "payout_method": "none",
    }
    assert client.post(reverse("casework:paper"), data).status_code == 302
    again = client.post(reverse("casework:paper"), data)
    assert "redan en ansökan för månaden" in again.content.decode()
    assert Application.objects.count() == 1


def test_a_co_applicant_only_with_their_own_signature_and_the_household_once_a_month(
    client, caseworker, find, settings, tmp_path
):
    """Issue 20 #2 and #4 on the staff channel: the partner's signature is confirmed, and the partner
    cannot be registered again for the same month as an applicant of their own."""
    settings.MEDIA_ROOT = tmp_path
    applicant, partner = (
        find(quiet_single),
        find(lambda p, h: p.pnr != find(quiet_single).pnr and p.registered),
    )
    client.force_login(caseworker)
    data = {
        "action": "register",
        "channel": "paper",
        "personnummer": applicant.pnr,
        "co_applicant": partner.pnr,
        "month": month_choices()[0][0],
        "rent": "6500",
        "payout_method": "none",
    }
    unsigned = client.post(reverse("casework:paper"), data)
    assert unsigned.status_code == 200 and "skrivit under själv" in unsigned.content.decode()
    assert not Application.objects.exists()
    assert client.post(reverse("casework:paper"), {**data, "co_applicant_signed": "on"}).status_code == 302
    application = Application.objects.get()
    assert application.confirmed_co_applicant == partner.pnr

    alone = {**data, "personnummer": partner.pnr, "co_applicant": ""}
    again = client.post(reverse("casework:paper"), alone)
    assert "Hushållet har redan en ansökan för månaden" in again.content.decode()
    assert Application.objects.count() == 1


def _phone(person, **extra) -> dict:
    return {
        "action": "register",
        "channel": "phone",
        "personnummer": person.pnr,
        "month": month_choices()[0][0],
        "rent": "6500",
        **extra,
    }


def test_the_paper_form_asks_how_to_pay(client, caseworker, find):
    person = find(quiet_single)
    client.force_login(caseworker)
    page = client.post(reverse("casework:paper"), _phone(person)).content.decode()
    assert "Välj bankkonto, bankgiro eller att konto saknas." in page
    bad = client.post(
        reverse("casework:paper"),
        _phone(person, payout_method="account", clearing_number="3300", account_number="1"),
    )
    assert bad.status_code == 200 and 'value="6500"' in bad.content.decode()  # nothing typed is lost
    assert not Application.objects.exists()


def test_no_account_is_a_choice_and_the_payment_waits_for_one(client, caseworker, find):
    person = find(quiet_single)
    client.force_login(caseworker)
    assert client.post(reverse("casework:paper"), _phone(person, payout_method="none")).status_code == 302
    assert Application.objects.get().answers["payout_account"]["value"] is None


def test_several_pages_can_be_chosen_at_once(client, caseworker, find, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = find(quiet_single)
    client.force_login(caseworker)
    page = client.get(reverse("casework:paper")).content.decode()
    assert "multiple" in page and "allow_multiple_selected" not in page
    pages = [SimpleUploadedFile(f"sida{n}.png", samples.png(), content_type="image/png") for n in (1, 2)]
    assert (
        client.post(reverse("casework:paper"), _phone(person, payout_method="none", scans=pages)).status_code
        == 302
    )
    assert Application.objects.get().scans.count() == 2
