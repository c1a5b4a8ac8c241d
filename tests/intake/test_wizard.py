"""The e-application: prefill with provenance, drafts on the server, co-applicant signing, re-application."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bistand.cases.models import TimelineEvent
from bistand.identity.views import account_for
from bistand.intake.models import Application, Signature
from bistand.intake.schema import answer
from tests.conftest import make_citizen
from tests.intake.helpers import couple_with_two_children, fill_first_application, post_step, single_adult

pytestmark = pytest.mark.django_db


def start(client) -> Application:
    response = client.post(reverse("intake:start"))
    assert response.status_code == 302
    return Application.objects.get(status__in=["draft", "signing"])


def test_first_application_two_adults_two_children_prefilled_and_co_signed(
    client, municipality, unit, with_registers, population, run_tasks
):
    adult, partner, kids = couple_with_two_children(population)
    first = make_citizen(adult.pnr, municipality)
    client.force_login(first)
    application = start(client)

    pre = application.draft["prefill"]
    assert pre["failed"] == []
    assert pre["co_applicant"]["personnummer"] == partner.pnr
    assert sorted(c["personnummer"] for c in pre["children"]) == sorted(k.pnr for k in kids)
    # The household page shows where the values came from.
    page = client.get(reverse("intake:step", args=[application.reference, "household"])).content.decode()
    assert "Från Skatteverket (folkbokföringen)" in page
    assert partner.pnr in page

    fill_first_application(client, application, co_applicant=partner.pnr, children=[k.pnr for k in kids])
    review = client.get(reverse("intake:review", args=[application.reference])).content.decode()
    assert "Skriv under och skicka" in review
    assert "Försäkringskassan" in review  # barnbidrag, prefilled

    assert client.post(reverse("intake:sign", args=[application.reference])).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SIGNING
    assert application.co_applicant.personnummer == partner.pnr
    answers = application.answers
    assert answer(answers, "co_applicant") == partner.pnr
    assert answers["co_applicant"]["source"] == "register:navet"
    assert answers["children"]["source"] == "register:navet"
    assert "register:fk" in answers["incomes"]["sources"]
    waiting = client.get(reverse("intake:waiting", args=[application.reference])).content.decode()
    assert "väntar på att" in waiting

    # Nothing reaches the robot until the second adult has signed with their own eID.
    run_tasks()
    assert not TimelineEvent.objects.exists()
    second = account_for(partner.pnr)  # as the eID sign-in does: the person exists since the first signature
    client.force_login(second)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Väntar på din underskrift" in home
    assert "Hej !" not in home
    page = client.get(reverse("intake:cosign", args=[application.reference])).content.decode()
    assert "Från Erik" in page and "Från dig" not in page  # the co-applicant reads what Erik wrote
    response = client.post(reverse("intake:cosign", args=[application.reference]), {"action": "sign"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.is_submitted
    mine = client.get(reverse("portal:application", args=[application.reference])).content.decode()
    assert "Medsökande: du" in mine and ": –" not in mine
    assert [s.role for s in Signature.objects.order_by("signed_at")] == ["applicant", "co_applicant"]
    run_tasks()
    assert TimelineEvent.objects.filter(kind="received", application=application).exists()


def test_the_spouse_is_not_looked_up_before_they_sign(
    client, municipality, unit, with_registers, registers, population, run_tasks, settings
):
    """Issue 20 #2: the prefill fetched the Navet-registered spouse's registers before they had signed.

    The draft names the spouse from the applicant's own Navet record only; the spouse's registers are
    asked after their own signature, by the robot."""
    from bistand.casework import pipeline

    settings.REGISTERS_URL = with_registers
    pipeline._gateway = None
    adult, partner, kids = couple_with_two_children(population)
    client.force_login(make_citizen(adult.pnr, municipality))
    application = start(client)

    pre = application.draft["prefill"]
    assert pre["co_applicant"] == {"personnummer": partner.pnr, "name": "", "source": "register:navet"}
    assert not [row for row in application.draft["income_rows"] if row["person"] == "co_applicant"]
    assert registers.requests_for(adult.pnr) > 0
    assert registers.requests_for(partner.pnr) == 0

    fill_first_application(client, application, co_applicant=partner.pnr, children=[k.pnr for k in kids])
    assert client.post(reverse("intake:sign", args=[application.reference])).status_code == 302
    run_tasks()
    assert registers.requests_for(partner.pnr) == 0  # signed by one adult: still nobody asks about the other

    client.force_login(account_for(partner.pnr))
    client.post(reverse("intake:cosign", args=[application.reference]), {"action": "sign"})
    run_tasks()
    assert registers.requests_for(partner.pnr) > 0
    pipeline._gateway = None


def test_short_re_application_confirms_last_month(client, municipality, unit, with_registers, population):
    person = single_adult(population)
    citizen = make_citizen(person.pnr, municipality)
    client.force_login(citizen)
    first = start(client)
    fill_first_application(client, first)
    client.post(reverse("intake:sign", args=[first.reference]))
    first.refresh_from_db()
    assert first.is_submitted

    renewal = start(client)
    assert renewal.kind == Application.Kind.RENEWAL
    assert renewal.month > first.month
    page = client.get(reverse("intake:renewal", args=[renewal.reference])).content.decode()
    assert "Inget har ändrats" in page
    client.post(reverse("intake:sign", args=[renewal.reference]), {"nothing_changed": "yes"})
    renewal.refresh_from_db()
    assert renewal.is_submitted
    assert answer(renewal.answers, "nothing_changed") is True
    assert answer(renewal.answers, "costs") == answer(first.answers, "costs")
    assert answer(renewal.answers, "payout_account") == answer(first.answers, "payout_account")


def test_registers_down_the_form_still_works_and_says_so(client, municipality, unit, no_registers):
    citizen = make_citizen("198001139297", municipality)
    client.force_login(citizen)
    application = start(client)
    assert "navet" in application.draft["prefill"]["failed"]
    page = client.get(reverse("intake:step", args=[application.reference, "household"])).content.decode()
    assert "Vi kunde inte hämta alla uppgifter" in page
    fill_first_application(client, application)
    client.post(reverse("intake:sign", args=[application.reference]))
    application.refresh_from_db()
    assert application.is_submitted
    assert answer(application.answers, "registers_unavailable") == ["csn", "fk", "navet", "so"]
    assert application.answers["children"]["source"] == "citizen"


def test_every_step_is_saved_even_with_errors(client, municipality, unit, no_registers):
    client.force_login(make_citizen("198001139297", municipality))
    application = start(client)
    response = post_step(client, application, "housing", {"rent": "sjutusen"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skriv ett belopp i kronor med siffror" in page
    application.refresh_from_db()
    assert application.draft["steps"]["housing"]["rent"] == ["sjutusen"]
    # Coming back later (a new session): what was typed is still there.
    client.logout()
    client.force_login(application.applicant.account)
    page = client.get(reverse("intake:step", args=[application.reference, "housing"])).content.decode()
    assert 'value="sjutusen"' in page
