"""The finance view: finance staff only; next payout day, totals, files, four eyes, bank status, ledger CSV."""

import csv
import io

import pytest
from django.urls import reverse

from bistand.identity.models import User
from bistand.payments.models import PaymentFile, PaymentOrder
from bistand.payments.services import create_payment_file, mark_sent, plan_payments, release
from tests.bank.status_files import camt054
from tests.conftest import make_staff
from tests.payments.conftest import LANDLORD_BANKGIRO, PAYOUT_DAY, answers, make_decision

pytestmark = pytest.mark.django_db
RENT = [
    {"cost_type": "rent", "amount": "5200", "bankgiro": LANDLORD_BANKGIRO, "payee_name": "Bostadsbolaget AB"}
]


@pytest.fixture
def planned(citizen, unit, schedule):
    return plan_payments(
        make_decision(citizen.person, unit, "7800", answers_=answers(third_party_payments=RENT))
    )


PAGES = [
    ("get", "payments:overview", []),
    ("get", "payments:ledger-csv", []),
    ("post", "payments:create-file", []),
    ("post", "payments:import-status", []),
]


@pytest.mark.parametrize("method, name, args", PAGES)
def test_caseworkers_and_citizens_are_refused(client, caseworker, citizen, method, name, args):
    for user in (caseworker, citizen, make_staff("lead", caseworker.unit, role=User.Role.TEAM_LEAD)):
        client.force_login(user)
        assert getattr(client, method)(reverse(name, args=args)).status_code == 403


def test_signed_out_staff_are_sent_to_sign_in(client):
    response = client.get(reverse("payments:overview"))
    assert response.status_code == 302 and reverse("identity:staff-login") in response["Location"]


def test_a_file_of_another_municipality_is_not_found(client, planned, finance, other_unit):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    client.force_login(make_staff("malmo-ekonomi", other_unit, role=User.Role.FINANCE))
    assert client.get(reverse("payments:file", args=[payment_file.pk])).status_code == 404


def test_overview_shows_the_next_payout_day_and_totals_per_unit_and_cost_code(client, planned, finance, unit):
    client.force_login(finance)
    page = client.get(reverse("payments:overview")).content.decode()
    assert "25 november 2030" in page
    assert "2 st, 7\xa0800\xa0kr" in page  # planned total, the one money format
    assert unit.name in page and "4711" in page and "4712" in page
    assert "5\xa0200\xa0kr" in page and "2\xa0600\xa0kr" in page  # rent and the citizen's own money
    assert "Erik" not in page and "Demosson" not in page  # finance sees sums, not people
    assert "Skapa betalfil för 25 november" in page


def test_four_eyes_through_the_pages(client, planned, finance, finance2):
    client.force_login(finance)
    response = client.post(
        reverse("payments:create-file"), {"payout_date": PAYOUT_DAY.isoformat()}, follow=True
    )
    payment_file = PaymentFile.objects.get()
    assert "Två personer måste godkänna" in response.content.decode()
    assert "****1055" in response.content.decode()
    # Not downloadable before release.
    download = reverse("payments:download-file", args=[payment_file.pk])
    assert client.get(download).status_code == 302
    release_url = reverse("payments:release-file", args=[payment_file.pk])
    assert "En annan person måste också" in client.post(release_url, follow=True).content.decode()
    again = client.post(release_url, follow=True).content.decode()
    assert "Du har redan godkänt filen" in again
    payment_file.refresh_from_db()
    assert payment_file.status == "approved"
    client.force_login(finance2)
    assert "godkänd av två personer" in client.post(release_url, follow=True).content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{payment_file.message_id}.xml"'
    assert response.content == payment_file.xml.encode()
    client.post(reverse("payments:mark-sent", args=[payment_file.pk]))
    assert set(PaymentOrder.objects.values_list("status", flat=True)) == {"sent"}


def test_bank_status_upload(client, planned, finance, finance2):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    release(payment_file, finance)
    release(payment_file, finance2)
    mark_sent(payment_file, finance)
    content = camt054([(o.end_to_end_id, str(o.amount), "DBIT", False) for o in planned])
    client.force_login(finance)
    upload = io.BytesIO(content)
    upload.name = "camt054.xml"
    page = client.post(
        reverse("payments:import-status"), {"status_file": upload}, follow=True
    ).content.decode()
    assert "2 utbetalda" in page
    assert set(PaymentOrder.objects.values_list("status", flat=True)) == {"paid"}
    junk = io.BytesIO(b"<x/>")
    junk.name = "junk.xml"
    page = client.post(reverse("payments:import-status"), {"status_file": junk}, follow=True).content.decode()
    assert "varken en pain.002" in page


def test_ledger_csv_has_sums_per_day_unit_and_cost_code_and_no_personal_data(
    client, planned, finance, finance2, unit
):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    release(payment_file, finance)
    release(payment_file, finance2)
    mark_sent(payment_file, finance)
    client.force_login(finance)
    response = client.get(reverse("payments:ledger-csv"), {"first": "2030-11-01", "last": "2030-11-30"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "reskontra-1287-2030-11-01-2030-11-30.csv" in response["Content-Disposition"]
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "utbetalningsdag",
        "enhet_id",
        "enhet",
        "kostnadskod",
        "kostnadsslag",
        "antal",
        "belopp",
        "betalfil",
    ]
    assert rows[1:] == [
        [
            "2030-11-25",
            str(unit.pk),
            unit.name,
            "4711",
            "livelihood",
            "1",
            "2600,00",
            payment_file.message_id,
        ],
        ["2030-11-25", str(unit.pk), unit.name, "4712", "rent", "1", "5200,00", payment_file.message_id],
    ]
    for secret in ("198001139297", "8001139297", "Erik", "50501055"):
        assert secret not in text
    bad = client.get(reverse("payments:ledger-csv"), {"first": "2030-12-01", "last": "2030-11-01"})
    assert bad.status_code == 302


def test_nothing_planned(client, finance):
    client.force_login(finance)
    page = client.get(reverse("payments:overview")).content.decode()
    assert "Inga utbetalningar är planerade." in page
    assert "betalkonto är inte inlagt" in page
