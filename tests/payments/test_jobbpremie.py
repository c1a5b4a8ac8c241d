"""Jobbpremie: an exact per-person ledger of the months försörjningsstöd was paid, its export for
Försäkringskassan (SoL 15 kap. 4 §), and Mina sidor telling someone who qualifies (issue 17)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from bistand.payments.jobbpremie import export_csv, ledger, paid_months
from bistand.payments.models import PaymentOrder
from bistand.payments.services import plan_payments
from bistand.rules.jobbpremie import may_be_eligible, qualifies
from tests.payments.conftest import answers, make_decision

pytestmark = pytest.mark.django_db

PARTNER = "198001249286"  # a Skatteverket test personnummer (the schema's example co-applicant)


def paid(person, unit, month: datetime.date, amount: str = "7800", **extra) -> None:
    decision = make_decision(person, unit, amount, month=month, answers_=answers(**extra))
    orders = plan_payments(decision)
    PaymentOrder.objects.filter(pk__in=[o.pk for o in orders]).update(status="paid", paid_on=month)


def test_the_ledger_has_each_paid_month_per_person_exactly(citizen, unit, schedule):
    person = citizen.person
    for m in range(7, 13):
        paid(person, unit, datetime.date(2025, m, 1), co_applicant=PARTNER)
    # A returned payment is not a month paid.
    decision = make_decision(person, unit, "5000", month=datetime.date(2026, 1, 1))
    PaymentOrder.objects.filter(pk__in=[o.pk for o in plan_payments(decision)]).update(status="returned")

    rows = ledger(datetime.date(2025, 7, 1), datetime.date(2026, 1, 1))
    assert [r.month for r in rows if r.personnummer == person.personnummer] == [
        f"2025-{m:02d}" for m in range(7, 13)
    ]
    assert {r.personnummer for r in rows} == {person.personnummer, PARTNER}
    assert all(r.amount == Decimal("7800") for r in rows)
    text = export_csv(rows)
    assert text.splitlines()[0] == "personnummer,manad,utbetalt_forsorjningsstod_kr,kommunkod"
    assert f"{person.personnummer},2025-07,7800.00,{unit.municipality.code}" in text
    assert qualifies(paid_months(person.personnummer)) and qualifies(paid_months(PARTNER))


def test_the_export_command_writes_the_file_and_refuses_a_bad_month(citizen, unit, schedule, tmp_path):
    paid(citizen.person, unit, datetime.date(2025, 7, 1))
    out = tmp_path / "jobbpremie.csv"
    call_command("jobbpremie_export", "--from", "2025-07", "--to", "2025-12", "--out", str(out))
    assert out.read_text(encoding="utf-8").count("\n") == 2
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--from: skriv månaden som ÅÅÅÅ-MM"):
        call_command("jobbpremie_export", "--from", "juli", "--to", "2025-12")


def test_jobbpremie_eligibility_needs_every_month_july_to_december_2025_and_the_period():
    every = [f"2025-{m:02d}" for m in range(7, 13)]
    assert may_be_eligible(every, datetime.date(2026, 12, 3))
    assert not may_be_eligible(every, datetime.date(2026, 2, 28))  # before 1 March 2026
    assert not may_be_eligible(every, datetime.date(2028, 3, 1))  # after the two years
    assert not may_be_eligible(every[1:], datetime.date(2026, 12, 3))  # July missing


NOTICE = "Börjar du arbeta? Du kan ha rätt till jobbpremie"


def applied(person, unit, month: datetime.date, **extra) -> None:
    """A submitted application for `month` with these answers (no decision yet)."""
    from bistand.intake.models import Application

    Application.objects.create(
        applicant=person,
        municipality=unit.municipality,
        month=month,
        answers=answers(**extra),
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )


def test_mina_sidor_tells_someone_who_qualifies_and_starts_working(
    citizen, unit, schedule, client, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 3))
    client.force_login(citizen)
    assert "jobbpremie" not in client.get("/my/").content.decode()
    for m in range(7, 13):
        paid(citizen.person, unit, datetime.date(2025, m, 1))
    # Qualifies, but earns no wage: the notice does not concern them (yet).
    assert NOTICE not in client.get("/my/").content.decode()
    applied(
        citizen.person,
        unit,
        datetime.date(2026, 12, 1),
        incomes=[{"person": "applicant", "type": "salary", "amount": "9000"}],
    )
    page = client.get("/my/").content.decode()
    assert NOTICE in page and "högst 3\xa0750\xa0kr i månaden" in page  # the one money format


def test_the_jobbpremie_notice_goes_to_the_adult_who_works_not_the_household(
    citizen, unit, schedule, client, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 3))
    from tests.conftest import make_citizen

    partner = make_citizen(PARTNER, unit.municipality, first_name="Bo")
    for m in range(7, 13):
        paid(citizen.person, unit, datetime.date(2025, m, 1), co_applicant=PARTNER)
    applied(
        citizen.person,
        unit,
        datetime.date(2026, 12, 1),
        co_applicant=PARTNER,
        incomes=[{"person": "co_applicant", "type": "salary", "amount": "12000"}],
    )
    from bistand.intake.models import Application

    Application.objects.filter(month=datetime.date(2026, 12, 1)).update(co_applicant=partner.person)
    client.force_login(citizen)
    assert NOTICE not in client.get("/my/").content.decode()  # both qualify; only Bo works
    client.force_login(partner)
    assert NOTICE in client.get("/my/").content.decode()
