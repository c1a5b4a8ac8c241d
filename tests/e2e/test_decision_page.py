"""The decision page and the error pages in Chromium on a phone, in Swedish and Arabic: axe-clean, 360 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import CITIZEN_PNR
from tests.e2e.conftest import assert_accessible, assert_fits_width
from tests.e2e.test_apply import sign_in
from tests.portal.conftest import case_with_application as case_with_application
from tests.portal.conftest import make_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_decision_and_every_request_read_well_in_swedish_english_and_arabic(
    live_server, new_page, settings, caseworker, case_with_application
):
    """At 360 px with zero axe violations: the decision (a corrected one, with the caseworker's reason and
    its versions), Mina sidor's start page, a request for documents and a kommunicering, in sv, en and ar."""
    import datetime

    from bistand.casework.models import Kommunicering, PipelineRun
    from bistand.conversation import services

    settings.DEMO_MODE = True  # the development eID signs in
    case, application = case_with_application
    first = make_decision(case, application)
    decision = make_decision(case, application, version=2, supersedes=first, reason="Hyran var felskriven.")
    request = services.request_documents(
        case, "Kontoutdrag för november.", datetime.date(2999, 1, 1), caseworker
    )
    run = PipelineRun.objects.create(case=case, application=application, status="routed")
    entry = Kommunicering.objects.create(
        run=run,
        sent_by=caseworker,
        found="Registren visar sjukpenning i november.",
        reply_by=datetime.date(2999, 1, 1),
    )
    interpreter = {"en": "You have the right to have it interpreted", "ar": "يحق لك أن تحصل على ترجمة"}
    summary = {"sv": "Visa hela beräkningen", "en": "Show the whole calculation", "ar": "عرض الحساب كاملًا"}
    for lang in ("sv", "en", "ar"):
        page = new_page()
        sign_in(page, live_server.url, CITIZEN_PNR)
        page.context.add_cookies([{"name": "bistand_language", "value": lang, "url": live_server.url}])
        page.goto(f"{live_server.url}/my/decisions/{decision.pk}/")
        expect(page.get_by_text(summary[lang])).to_be_visible()
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        if lang in interpreter:  # the caseworker's Swedish reason comes with the offer of an interpreter
            expect(page.get_by_text(interpreter[lang])).to_be_visible()
        assert_accessible(page)
        assert_fits_width(page)
        page.get_by_text(summary[lang]).click()  # the calculation in detail, on demand
        assert_accessible(page)
        assert_fits_width(page)
        for path in ("/my/", f"/my/requests/{request.pk}/", f"/my/kommunicering/{entry.pk}/"):
            page.goto(live_server.url + path)
            assert_accessible(page)
            assert_fits_width(page)


def test_error_pages_are_designed_translated_and_lead_back(live_server, new_page):
    for locale, heading, back in (
        ("sv-SE", "Sidan finns inte", "Till startsidan"),
        ("ar", "الصفحة غير موجودة", "إلى الصفحة الرئيسية"),
    ):
        page = new_page(locale=locale)
        response = page.goto(f"{live_server.url}/finns-inte/")
        assert response.status == 404
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_role("link", name=back)).to_be_visible()
        assert_accessible(page)
        assert_fits_width(page)


def test_after_a_failed_upload_the_error_is_where_the_eye_is(
    live_server, new_page, settings, caseworker, case_with_application, tmp_path
):
    import datetime

    from bistand.conversation import services

    settings.DEMO_MODE = True
    case, _application = case_with_application
    services.request_documents(case, "Kontoutdrag för november.", datetime.date(2026, 12, 10), caseworker)
    page = new_page()
    sign_in(page, live_server.url, CITIZEN_PNR)
    page.get_by_role("link", name="Kontoutdrag för november.").click()
    wrong = tmp_path / "kontoutdrag.pdf"
    wrong.write_bytes(b"this is not really a pdf")
    page.get_by_label("Välj en fil").set_input_files(str(wrong))
    page.get_by_role("button", name="Lägg till filen").click()
    alert = page.get_by_role("alert").first
    expect(alert).to_be_focused()  # focus moves to the error, near the top of the page
    assert page.title().startswith("Fel:")
    assert alert.bounding_box()["y"] < 780  # on the first screen of a phone (it was ~1 290 px down)
    assert_accessible(page)


def test_a_decision_made_while_the_citizen_waits_shows_on_the_receipt(
    live_server, new_page, settings, case_with_application
):
    from django.urls import reverse

    settings.DEMO_MODE = True
    case, application = case_with_application
    page = new_page()
    sign_in(page, live_server.url, CITIZEN_PNR)
    page.goto(live_server.url + reverse("intake:received", args=[application.reference]))
    expect(page.get_by_role("heading", name="Vi har tagit emot din ansökan")).to_be_visible()
    assert page.get_by_role("link", name="Se beslutet").count() == 0
    make_decision(case, application)  # decided while the receipt is open
    expect(page.get_by_role("link", name="Se beslutet")).to_be_visible(timeout=15000)
    assert_accessible(page)
