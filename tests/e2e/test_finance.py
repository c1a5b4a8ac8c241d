"""The finance view in Chromium: accessible (axe, WCAG 2.1 AA), usable at 360 px, four eyes by two people."""

import pytest
from playwright.sync_api import expect

from bistand.payments.services import plan_payments
from tests.conftest import STAFF_PASSWORD
from tests.e2e.conftest import assert_accessible, assert_fits_width
from tests.payments.conftest import LANDLORD_BANKGIRO, answers, make_decision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url: str, user, next_url: str = "/finance/") -> None:
    page.goto(f"{base_url}/staff/login/?next={next_url}")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_two_finance_users_release_a_file_on_a_phone(
    live_server, new_page, citizen, unit, schedule, finance, finance2
):
    rent = [
        {
            "cost_type": "rent",
            "amount": "5200",
            "bankgiro": LANDLORD_BANKGIRO,
            "payee_name": "Bostadsbolaget AB",
        }
    ]
    plan_payments(make_decision(citizen.person, unit, "7800", answers_=answers(third_party_payments=rent)))

    page = new_page()  # 360 px wide
    sign_in(page, live_server.url, finance)
    expect(page.get_by_role("heading", name="Utbetalningar", exact=True)).to_be_visible()
    expect(page.get_by_text("måndag 25 november 2030")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("button", name="Skapa betalfil för 25 november").click()
    expect(page.get_by_text("Två personer måste godkänna den")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("button", name="Godkänn (första godkännandet)").click()
    expect(page.get_by_text("En annan person måste också godkänna.")).to_be_visible()
    expect(page.get_by_role("button", name="Godkänn (andra godkännandet)")).to_have_count(0)

    other = new_page(width=1280, height=900)
    sign_in(other, live_server.url, finance2, next_url=page.url.removeprefix(live_server.url))
    other.get_by_role("button", name="Godkänn (andra godkännandet)").click()
    expect(other.get_by_role("status")).to_contain_text("godkänd av två personer")
    expect(other.get_by_role("link", name="Hämta filen (XML)")).to_be_visible()
    assert_accessible(other)
