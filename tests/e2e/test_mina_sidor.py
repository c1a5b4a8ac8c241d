"""Mina sidor in Chromium on a phone: upload on request (with a clear error first), and an appeal."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from bistand.conversation import services
from bistand.conversation.models import Appeal, DocumentRequest
from tests import samples
from tests.conftest import CITIZEN_PNR
from tests.e2e.conftest import assert_accessible, assert_fits_width
from tests.e2e.test_apply import sign_in
from tests.portal.conftest import case_with_application as case_with_application
from tests.portal.conftest import make_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PNG = samples.png()


def check(page) -> None:
    assert_accessible(page)
    assert_fits_width(page)


def test_upload_on_request_and_appeal(
    live_server, new_page, settings, caseworker, case_with_application, tmp_path
):
    settings.DEMO_MODE = True
    case, application = case_with_application
    services.request_documents(
        case, "Kontoutdrag för november, alla konton.", datetime.date(2026, 12, 10), caseworker
    )
    decision = make_decision(case, application)

    page = new_page()
    sign_in(page, live_server.url, CITIZEN_PNR)
    expect(page.get_by_role("heading", name="Vi behöver underlag från dig")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Kontoutdrag för november, alla konton.").click()
    expect(page.get_by_text("Skicka in senast 10 december 2026.")).to_be_visible()
    check(page)

    wrong = tmp_path / "kontoutdrag.pdf"
    wrong.write_bytes(b"this is not really a pdf")
    page.get_by_label("Välj en fil").set_input_files(str(wrong))
    page.get_by_role("button", name="Lägg till filen").click()
    expect(page.get_by_role("alert")).to_contain_text("Vi kan bara ta emot PDF, JPEG, PNG eller HEIC")
    check(page)

    photo = tmp_path / "foto.png"
    photo.write_bytes(PNG)
    page.get_by_label("Välj en fil").set_input_files(str(photo))
    page.get_by_role("button", name="Lägg till filen").click()
    expect(page.get_by_text("foto.png")).to_be_visible()
    page.get_by_role("button", name="Skicka in underlaget").click()
    expect(page.get_by_text("Tack! Vi har fått dina filer.")).to_be_visible()
    assert DocumentRequest.objects.get().status == DocumentRequest.Status.ANSWERED

    page.get_by_role("link", name="Läs beslutet och beräkningen").first.click()
    expect(page.get_by_role("heading", name="Så har vi räknat")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Överklaga beslutet").click()
    check(page)
    page.get_by_role("button", name="Skicka överklagandet").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv vad du tycker är fel i beslutet")
    check(page)
    page.get_by_label("Vad tycker du är fel i beslutet").fill("Min hyra är 8 200 kronor, inte 7 800.")
    page.get_by_role("button", name="Skicka överklagandet").click()
    expect(page.get_by_text("Vi har tagit emot ditt överklagande")).to_be_visible()
    assert Appeal.objects.get().decision == decision
    page.goto(live_server.url + "/my/")
    expect(page.get_by_text("Du överklagade beslutet")).to_be_visible()
    check(page)
