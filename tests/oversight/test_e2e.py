"""In Chromium on a small phone: the transparency page as a journalist uses it, and the managers' pages."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from playwright.sync_api import expect

from bistand.identity.models import User
from bistand.oversight import draw
from tests.conftest import STAFF_PASSWORD, make_staff
from tests.e2e.conftest import assert_accessible, assert_fits_width
from tests.oversight.conftest import World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("OVERSIGHT_SCREENSHOTS")  # a folder: save what the browser saw, for a person


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def _this_month() -> str:
    return datetime.date.today().strftime("%Y-%m")


def _next_month() -> datetime.date:
    return (datetime.date.today().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _records(unit) -> World:
    world = World(unit)
    month = _this_month()
    for hours in (1, 2, 3, 4, 5, 6, 7, 8, 9):
        world.application(month=month, decided_after_hours=hours)
    for hours in (20, 25, 35):
        world.application(
            month=month, run="routed", reasons=("first_application",), decided_after_hours=hours
        )
    for hours in (30, 40, 50):
        world.application(
            month=month,
            run="routed",
            reasons=("no_entitlement",),
            proposal=0,
            decided_after_hours=hours,
            outcome="reject",
            amount=0,
        )
    return world


def test_a_journalist_reads_the_page_and_tries_the_calculator(live_server, new_page, unit):
    _records(unit)
    page = new_page()
    page.goto(live_server.url + "/insyn/")
    expect(page.get_by_role("heading", name="Så beslutar vi om försörjningsstöd", level=1)).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    _shot(page, "transparency")
    # The automation in plain Swedish, and figures that match the 15 applications made above.
    expect(page.get_by_text("Datorn följer fasta regler")).to_be_visible()
    figures = page.locator(".key-figures")
    expect(figures).to_contain_text("15")
    expect(figures).to_contain_text("60,0 %")
    expect(figures).to_contain_text("<5")  # three rejections: hidden
    # The calculator, with a mistake first.
    page.get_by_label("Hyra per månad (kr)").fill("sjutusen")
    page.get_by_role("button", name="Räkna ut").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv ett belopp i kronor med siffror")
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_label("Månad", exact=True).fill("2026-03")
    page.get_by_label("Barn 1: födelsedatum").fill("2021-05-01")
    page.get_by_label("Barn 1 äter lunch i förskolan på vardagar").check()
    page.get_by_label("Hyra per månad (kr)").fill("7 800")
    page.get_by_label("Barnbidrag per månad (kr)").fill("1250")
    page.get_by_role("button", name="Räkna ut").click()
    expect(page.get_by_role("heading", name="Resultat: 14\u00a0590 kr i månaden")).to_be_visible()
    expect(page.get_by_text("Riksnormen är ett belopp som regeringen bestämmer")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    _shot(page, "calculator")


def test_the_page_in_arabic_reads_right_to_left(live_server, new_page, unit):
    _records(unit)
    page = new_page(locale="ar")
    page.goto(live_server.url + f"/insyn/{unit.municipality.code}/")
    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("كيف نقرر بشأن إعانة الإعالة")
    assert_accessible(page)
    assert_fits_width(page)
    _shot(page, "transparency-ar")


def test_a_team_lead_uses_the_dashboard_and_a_caseworker_reviews_a_check(live_server, new_page, unit):
    world = _records(unit)
    lead = make_staff("gruppledare-e2e", unit, role=User.Role.TEAM_LEAD)
    kim = world.caseworker()
    # One more household, next month, decided by a person and then drawn for a random check.
    world.application(
        month=_next_month().strftime("%Y-%m"), run="routed", decided_after_hours=2, decided_by=kim
    )
    made = draw.perform_draw(unit.municipality, _next_month(), seed=11)

    page = new_page()
    page.goto(live_server.url + "/oversight/")
    page.get_by_label("Användarnamn").fill(lead.username)
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Uppföljning", level=1)).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    _shot(page, "dashboard")
    expect(page.locator(".key-figures")).to_contain_text("16")
    expect(page.locator(".key-figures")).to_contain_text("56,2 %")  # 9 of 16 decided by the robot

    page = new_page()
    page.goto(live_server.url + f"/oversight/random-checks/{made.checks.get().pk}/")
    page.get_by_label("Användarnamn").fill(kim.username)
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stickprov i ärende")
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_label("Avvikelse – utreds av en handläggare").check()
    page.get_by_role("button", name="Spara granskningen").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv vad som skiljer sig")
    assert_accessible(page)
    page.get_by_label("Anteckning").fill("Ett sparkonto saknas i ansökan.")
    page.get_by_role("button", name="Spara granskningen").click()
    expect(page.get_by_role("heading", name="Utredning")).to_be_visible()
    assert_accessible(page)
    _shot(page, "random-check")


def test_the_pages_keep_to_the_content_security_policy(live_server, browser, unit):
    """No inline script or style anywhere on the oversight pages: the site's CSP blocks them."""
    _records(unit)
    lead = make_staff("gruppledare-csp", unit, role=User.Role.TEAM_LEAD)
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="sv-SE", bypass_csp=False)
    try:
        page = context.new_page()
        blocked: list[str] = []
        page.on(
            "console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None
        )
        page.goto(live_server.url + f"/insyn/{unit.municipality.code}/")
        page.get_by_label("Hyra per månad (kr)").fill("7 800")
        page.get_by_role("button", name="Räkna ut").click()
        expect(page.get_by_role("heading", name=re.compile("^Resultat:"))).to_be_visible()
        page.goto(live_server.url + "/oversight/")
        page.get_by_label("Användarnamn").fill(lead.username)
        page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        expect(page.get_by_role("heading", name="Uppföljning", level=1)).to_be_visible()
        assert blocked == []
    finally:
        context.close()
