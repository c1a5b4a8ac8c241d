"""A paper application, scanned and read by OCR, confirmed by the caseworker, runs through the same pipeline."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bistand.accesslog.models import AccessLogEntry
from bistand.casework.models import PaperScan, PipelineRun
from bistand.casework.paper import suggestions
from bistand.identity.models import User
from bistand.intake.forms import month_choices
from bistand.intake.models import Application
from tests import samples
from tests.casework.test_pipeline import quiet_single, robot  # noqa: F401

pytestmark = pytest.mark.django_db


def standard_form_pdf(personnummer: str, month: str = "", name: tuple[str, str] = ("", "")) -> bytes:
    """The standard form as a citizen fills it in: one field a line, the "0" written as a letter O."""
    from weasyprint import HTML

    html = f"""<html><body style="font-family: DejaVu Sans; font-size: 16pt">
    <h1>Ansökan om ekonomiskt bistånd</h1>
    <p>Personnummer: {personnummer[:8]}-{personnummer[8:]}</p>
    <p>Förnamn: {name[0]}</p><p>Efternamn: {name[1]}</p><p>Månad: {month}</p>
    <p>Hyra: 65OO kr</p><p>Hushållsel: 300 kr</p><p>Lön: 0 kr</p><p>Andra inkomster:</p></body></html>"""
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
    month = month_choices()[0][0]
    client.force_login(caseworker)
    pdf = standard_form_pdf(person.pnr, month, (person.given_name, person.surname))
    scan = SimpleUploadedFile("blankett.pdf", pdf, content_type="application/pdf")
    page = client.post(reverse("casework:paper"), {"action": "ocr", "scans": scan}).content.decode()
    assert "Inget är klart" in page and "Uppgifterna från blanketten är ifyllda" not in page
    assert 'value="6500"' in page  # "65OO" read as the number it is
    assert f'value="{person.given_name}"' in page and f'<option value="{month}" selected' in page
    assert "säkerhet" in page and "Jag har jämfört" in page
    assert not Application.objects.exists()  # nothing registered until confirmed
    saved = PaperScan.objects.get()
    assert saved.application is None and "Hyra" in saved.ocr_text

    # Registering without ticking each value read by OCR is refused, with nothing lost.
    readings = re.search(r'name="ocr_readings" value="([^"]*)"', page).group(1).replace("&quot;", '"')
    data = {
        "action": "register",
        "channel": "paper",
        "personnummer": person.pnr,
        "first_name": person.given_name,
        "last_name": person.surname,
        "month": month,
        "rent": "6500",
        "electricity": "300",
        "salary": "0",
        "payout_method": "none",
        "scan_ids": str(saved.pk),
        "ocr_readings": readings,
    }
    refused = client.post(reverse("casework:paper"), data).content.decode()
    assert "Bekräfta värdet från blanketten" in refused and not Application.objects.exists()
    confirmations = {f"confirm_{name}": "on" for name in json.loads(readings)}
    assert client.post(reverse("casework:paper"), {**data, **confirmations}).status_code == 302
    assert Application.objects.get().scans.get() == saved


def test_ocr_never_takes_a_value_from_the_next_line_or_column():
    text = (
        "Andra inkomster:              Personnummer: 19950720-2385\nHushållsel: 4OO kr\nBarn 1: 20150101-2384"
    )
    found = suggestions(text)
    assert "other_income" not in found
    assert found["electricity"] == "400"
    assert found["child_1"] == "20150101-2384"


def test_the_standard_form_prints_in_three_languages(client, caseworker):
    client.force_login(caseworker)
    for lang in ("sv", "en", "ar"):
        response = client.get(reverse("casework:paper-form"), {"lang": lang})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert client.get(reverse("casework:paper-form"), {"lang": "xx"}).status_code == 404


def test_a_name_the_population_register_does_not_know_stops_registration(client, caseworker, find):
    person = find(quiet_single)
    client.force_login(caseworker)
    data = _phone(person, payout_method="none", first_name="Testa", last_name="Telefonsson")
    page = client.post(reverse("casework:paper"), data).content.decode()
    assert "Namnet stämmer inte med folkbokföringen" in page
    assert not Application.objects.exists()
    # Left empty, the name is taken from the register.
    assert client.post(reverse("casework:paper"), _phone(person, payout_method="none")).status_code == 302
    assert Application.objects.get().applicant.first_name == person.given_name


def test_abandoned_scans_are_removed(caseworker, settings, tmp_path):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from bistand.casework.paper import remove_abandoned_scans

    settings.MEDIA_ROOT = tmp_path
    old = PaperScan(content_type="png", sha256="0" * 64, uploaded_by=caseworker)
    old.file.save("old.png", ContentFile(samples.png()), save=True)
    PaperScan.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=2))
    fresh = PaperScan(content_type="png", sha256="1" * 64, uploaded_by=caseworker)
    fresh.file.save("fresh.png", ContentFile(samples.png()), save=True)
    path = old.file.path
    assert remove_abandoned_scans() == 1
    assert list(PaperScan.objects.all()) == [fresh]
    assert not (tmp_path / path).exists()


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
            "first_name": person.given_name,
            "last_name": person.surname,
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

    # The scan is on the case page, and each opening is in the access log.
    scan_url = reverse("casework:scan", args=[application.scans.get().pk])
    assert scan_url in client.get(reverse("casework:case", args=[run.case_id])).content.decode()
    assert client.get(scan_url).status_code == 200
    assert AccessLogEntry.objects.filter(object_type="paper_scan", case_id=run.case_id).exists()

    # The citizen reads who registered it and how, and finds the scan among their documents.
    user = User.objects.create(username="pappers", role=User.Role.CITIZEN, person=application.applicant)
    client.force_login(user)
    page = client.get(reverse("portal:application", args=[application.reference])).content.decode()
    assert "Du lämnade ansökan på papper. Kim Handläggare på socialtjänsten registrerade den åt dig." in page
    assert "Registrerat av socialtjänsten" in page and "Från dig" not in page
    assert "Underskrifter" not in page
    own_scan = reverse("portal:scan", args=[application.reference, application.scans.get().pk])
    assert own_scan in page and client.get(own_scan).status_code == 200


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


def test_nodbistand_on_paper_stands_beside_the_regular_application(client, caseworker, find):
    person = find(quiet_single)
    client.force_login(caseworker)
    emergency = _phone(person, payout_method="none", emergency="on")
    assert client.post(reverse("casework:paper"), emergency).status_code == 302
    assert client.post(reverse("casework:paper"), _phone(person, payout_method="none")).status_code == 302
    again = client.post(reverse("casework:paper"), _phone(person, payout_method="none")).content.decode()
    assert "redan en ansökan för månaden" in again
    assert Application.objects.count() == 2


def test_cash_at_the_counter_is_a_payout_method_where_the_municipality_offers_it(client, caseworker, find):
    """Issue 21: someone without a bank account can be paid another way the municipality offers."""
    from bistand.payments.models import PayoutSchedule

    person = find(quiet_single)
    client.force_login(caseworker)
    assert "Kontant i kassan" not in client.get(reverse("casework:paper")).content.decode()
    PayoutSchedule.objects.create(
        municipality=caseworker.unit.municipality, payer_name="Kommunen", offers_cash=True
    )
    assert 'value="cash"' in client.get(reverse("casework:paper")).content.decode()
    assert client.post(reverse("casework:paper"), _phone(person, payout_method="cash")).status_code == 302
    assert Application.objects.get().answers["payout_account"]["value"] == {"route": "cash"}
