"""The intake API's guards (issue 20): nobody is probed, nothing is paid twice, hostile bodies get a 4xx.

- a co-applicant is only a co-applicant once they have signed themselves; until then nobody looks them up;
- a citizen's view of their case says nothing about anyone else (no routing codes);
- one regular application per household and month (nödbistånd may stand beside it);
- months outside what can be applied for, NUL characters, deep nesting and an open web draft are answered
  with a field-named 4xx, never a 500.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.casework import pipeline
from bistand.casework.models import PipelineRun
from bistand.identity.models import Person
from bistand.identity.tokens import issue_token
from bistand.identity.views import account_for
from bistand.intake.forms import month_choices
from bistand.intake.models import Application, MonthClaim
from bistand.intake.schema import month_not_open, open_months
from tests.api.test_intake import body, post
from tests.casework.test_pipeline import quiet_single
from tests.conftest import OTHER_CITIZEN_PNR, make_citizen


@pytest.fixture(autouse=True)
def robot(settings, registers_simulator, registers, tmp_path):
    settings.REGISTERS_URL = registers_simulator
    settings.MEDIA_ROOT = tmp_path / "files"
    pipeline._gateway = None
    yield
    pipeline._gateway = None


def this_month() -> str:
    return timezone.localdate().isoformat()[:7]


@pytest.mark.django_db(transaction=True)
def test_a_co_applicant_who_never_signed_is_never_looked_up(client, find, unit, registers, run_tasks):
    """Issue 20 #2: the API took any number as co_applicant and fetched all eight registers for it."""
    applicant = make_citizen(find(quiet_single).pnr, unit.municipality)
    target = find(
        lambda p, h: p.protection != "none" and p.registered and p.pnr != applicant.person.personnummer
    )
    response = post(client, issue_token(applicant), body(this_month(), co_applicant=target.pnr))

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "awaiting_co_applicant_signature"
    run_tasks()
    assert registers.requests_for(target.pnr) == 0
    assert not PipelineRun.objects.exists()
    application = Application.objects.get(reference=response.json()["application"])
    assert application.status == Application.Status.SIGNING and application.confirmed_co_applicant is None

    # The co-applicant signs with their own eID (the e-service's cosign page): now they are asked about.
    client.force_login(account_for(target.pnr))
    page = client.get(reverse("intake:cosign", args=[application.reference]))
    assert page.status_code == 200 and "5900" in page.content.decode().replace("\xa0", "").replace(" ", "")
    assert (
        client.post(reverse("intake:cosign", args=[application.reference]), {"action": "sign"}).status_code
        == 302
    )
    run_tasks()
    application.refresh_from_db()
    assert application.is_submitted and application.confirmed_co_applicant == target.pnr
    assert registers.requests_for(target.pnr) > 0


PROTECTED_CHILD = "201201252382"  # Skatteverket test personnummer, 14 years old in December 2026


@pytest.mark.django_db(transaction=True)
def test_the_citizen_never_learns_that_someone_else_is_protected(client, find, unit, caseworker, run_tasks):
    """Issue 20 #2: the routing code protected_identity showed in the applicant's own case — an oracle."""
    applicant = make_citizen(find(quiet_single).pnr, unit.municipality)
    Person.objects.create(
        personnummer=PROTECTED_CHILD,
        first_name="",
        last_name="",
        protection=Person.Protection.SKYDDAD_FOLKBOKFORING,
    )
    token = issue_token(applicant)
    response = post(client, token, body(this_month(), children=[{"personnummer": PROTECTED_CHILD}]))
    assert response.status_code == 201, response.content
    run_tasks()
    url = f"/api/v1/cases/{response.json()['case_id']}"

    as_citizen = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
    assert "protected_identity" not in as_citizen and "reasons" not in as_citizen
    client.force_login(caseworker)
    assert "protected_identity" in client.get(url).content.decode()  # staff still see why


@pytest.mark.django_db(transaction=True)
def test_one_regular_application_per_household_and_month_but_emergency_beside_it(client, unit, run_tasks):
    """Issue 20 #4: the household's partner applying for the same month is a 409 too; nödbistånd is not."""
    applicant = make_citizen(OTHER_CITIZEN_PNR, unit.municipality)
    first = post(client, issue_token(applicant), body(this_month()))
    assert first.status_code == 201
    again = post(client, issue_token(applicant), body(this_month()))
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "month"
    emergency = post(client, issue_token(applicant), body(this_month(), emergency=True))
    assert emergency.status_code == 201, emergency.content
    assert Application.objects.get(reference=emergency.json()["application"]).emergency is True
    assert MonthClaim.objects.filter(person=applicant.person).count() == 1


@pytest.mark.django_db
def test_months_that_cannot_be_applied_for_are_a_field_error(client, citizen, unit):
    """Issue 20 #6: 0001-01, 9999-12 and 2012-01 (before any riksnorm) reached the robot and failed there."""
    token = issue_token(citizen)
    for month in ("0001-01", "9999-12", "2012-01", "2100-01"):
        response = post(client, token, body(month))
        assert response.status_code == 422, month
        assert [e["field"] for e in response.json()["errors"]] == ["month"]
    assert not Application.objects.exists()


def test_the_open_months_are_last_month_this_month_and_next():
    """Issue 20 #6: the API took any month back to the first riksnorm (2013). One window, pinned dates."""
    day = datetime.date(2026, 12, 3)
    assert month_not_open("2026-11", day) is None
    assert month_not_open("2026-12", day) is None
    assert month_not_open("2027-01", day) is None
    for month in ("2026-10", "2027-02", "2013-01", "2025-12"):
        assert month_not_open(month, day).field == "month", month
    assert "2026-11 till 2027-01" in month_not_open("2026-10", day).message
    # Over a new year, and the e-service offers this month and next of the same window.
    assert [m.isoformat()[:7] for m in open_months(day, back=3)] == [
        "2026-09",
        "2026-10",
        "2026-11",
        "2026-12",
        "2027-01",
    ]
    assert [m.isoformat() for m in open_months(datetime.date(2027, 1, 31))] == [
        "2026-12-01",
        "2027-01-01",
        "2027-02-01",
    ]
    assert [value for value, _label in month_choices(day)] == ["2026-12", "2027-01"]


@pytest.mark.django_db
def test_a_month_long_past_is_a_field_error_through_the_api(client, citizen, unit):
    """Issue 20 #6: a month two years back (after the first riksnorm) was accepted by the API."""
    two_back = (timezone.localdate().replace(day=1) - datetime.timedelta(days=40)).replace(day=1)
    for month in (two_back.isoformat()[:7], f"{timezone.localdate().year - 2}-06"):
        response = post(client, issue_token(citizen), body(month))
        assert response.status_code == 422, month
        assert [e["field"] for e in response.json()["errors"]] == ["month"]
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_hostile_bodies_get_a_4xx_not_a_500(client, citizen, unit):
    """Issue 20 #7: deep nesting (RecursionError) and NUL characters (PostgreSQL) were 500s."""
    token = issue_token(citizen)
    deep = '{"month": "' + this_month() + '", "costs": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert post(client, token, deep).status_code == 400
    nested = {**body(this_month()), "extra": json.loads("[" * 50 + "]" * 50)}
    assert post(client, token, nested).status_code == 400

    nul = body(this_month(), extra_needs=[{"type": "other", "amount": "100", "description": "a\x00b"}])
    response = post(client, token, nul)
    assert response.status_code == 422
    assert "extra_needs[0].description" in [e["field"] for e in response.json()["errors"]]
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_an_open_web_draft_is_a_409_not_a_500(client, citizen, unit):
    """Issue 20 #7: the one-open-application constraint raised IntegrityError through the API."""
    Application.objects.create(
        applicant=citizen.person, municipality=citizen.person.municipality, month=timezone.localdate()
    )
    response = post(client, issue_token(citizen), body(this_month()))
    assert response.status_code == 409
    assert "påbörjad" in response.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_with_demo_mode_off_the_dev_token_is_gone_from_the_document_and_its_tokens_stop_working(
    client, settings, unit
):
    """Issue 20 #9: the OpenAPI document listed /api/v1/dev/token, and demo tokens stayed valid."""
    settings.DEMO_MODE = True
    token = client.post(
        "/api/v1/dev/token", {"personnummer": "198001139297"}, content_type="application/json"
    ).json()["token"]
    assert "/api/v1/dev/token" in client.get("/api/v1/openapi.json").json()["paths"]
    assert post(client, token, body("2026-13")).status_code == 422  # accepted as a sign-in

    settings.DEMO_MODE = False
    assert "/api/v1/dev/token" not in client.get("/api/v1/openapi.json").json()["paths"]
    assert post(client, token, body("2026-13")).status_code == 401
