"""The intake API: stored before 201, decided in the background, visible only to those it concerns."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bistand.casework import pipeline
from bistand.casework.deciding import decide_as_proposed
from bistand.casework.models import PipelineRun
from bistand.decisions.models import Decision
from bistand.identity.tokens import issue_token
from bistand.intake.models import Application
from tests.casework.test_pipeline import quiet_single
from tests.conftest import make_citizen, make_staff

APPLICATIONS = "/api/v1/applications"


@pytest.fixture(autouse=True)
def robot(settings, registers_simulator, registers, tmp_path):
    settings.REGISTERS_URL = registers_simulator
    settings.MEDIA_ROOT = tmp_path / "files"
    pipeline._gateway = None
    yield
    pipeline._gateway = None


def body(month: str, **extra) -> dict:
    return {
        "month": month,
        "costs": [{"type": "rent", "amount": "5900"}, {"type": "electricity", "amount": "300"}],
        "incomes": [],
        "nothing_changed": True,
        **extra,
    }


def post(client, token: str | None, data, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(APPLICATIONS, data, content_type="application/json", **headers)


@pytest.mark.django_db(transaction=True)
def test_returning_household_decided_automatically_through_the_api(client, find, unit, caseworker, run_tasks):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    token = issue_token(citizen)
    month = timezone.localdate().replace(day=1)
    last = (month - timezone.timedelta(days=1)).replace(day=1)

    first = post(client, token, body(last.isoformat()[:7]))
    assert first.status_code == 201
    run_tasks()
    run = PipelineRun.objects.get(application__reference=first.json()["application"])
    assert run.status == "routed"
    decide_as_proposed(run, caseworker)

    response = post(client, token, body(month.isoformat()[:7]))
    assert response.status_code == 201
    assert Application.objects.filter(reference=response.json()["application"], status="submitted").exists()
    run_tasks()

    case = client.get(
        f"/api/v1/cases/{response.json()['case_id']}", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    current = next(a for a in case["applications"] if a["month"] == month.isoformat()[:7])
    assert current["status"] == "decided"
    assert "routing_reasons" not in current  # internal reasons are for staff
    decision = next(d for d in case["decisions"] if d["month"] == month.isoformat()[:7])
    assert decision["automated"] is True and decision["outcome"] == "grant" and decision["letter"] is True
    assert [e["kind"] for e in case["timeline"]].count("decision") == 2


@pytest.mark.django_db(transaction=True)
def test_undeclared_income_is_routed_with_the_reason(client, find, unit, caseworker, run_tasks):
    sick = find(
        lambda p, h: h.kind == "single" and p.situation == "sick" and p.protection == "none" and p.registered
    )
    citizen = make_citizen(sick.pnr, unit.municipality)
    token = issue_token(citizen)
    response = post(client, token, body(timezone.localdate().isoformat()[:7]))
    run_tasks()
    client.force_login(caseworker)
    case = client.get(f"/api/v1/cases/{response.json()['case_id']}").json()
    reasons = [r["code"] for r in case["applications"][0]["routing_reasons"]]
    assert "undeclared_income" in reasons
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_no_token_no_application(client):
    response = post(client, None, body("2026-11"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert post(client, "forged-token", body("2026-11")).status_code == 401
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_browser_session_cannot_post_without_a_token(client, citizen):
    # The endpoint is CSRF-exempt, so a cookie alone must never be enough.
    client.force_login(citizen)
    assert post(client, None, body("2026-11")).status_code == 401


@pytest.mark.django_db
def test_field_errors_name_the_field_in_the_asked_language(client, citizen):
    token = issue_token(citizen)
    bad = body("2026-13", costs=[{"type": "yacht", "amount": "-5"}], children=[{"personnummer": "123"}])
    response = post(client, token, bad)
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(fields) == {"month", "costs[0].type", "costs[0].amount", "children[0].personnummer"}
    assert "ÅÅÅÅ-MM" in fields["month"]
    english = post(client, token, bad, HTTP_ACCEPT_LANGUAGE="en").json()["errors"]
    assert any("YYYY-MM" in e["message"] for e in english)
    assert post(client, token, "not json").status_code == 400
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_an_unknown_field_in_the_application_is_refused_with_its_name(client, citizen):
    token = issue_token(citizen)
    bad = body("2026-12", income=[{"person": "applicant", "type": "salary", "amount": "4000"}])
    bad["costs"][0]["amout"] = "1"
    response = post(client, token, bad)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"income", "costs[0].amout"}
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_a_co_applicant_under_18_or_a_child_of_21_is_refused_with_the_field_named(client, citizen):
    token = issue_token(citizen)
    # 201501012395 is 11 in December 2026; 199010292390 is 36.
    bad = body("2026-12", co_applicant="201501012395", children=[{"personnummer": "199010292390"}])
    response = post(client, token, bad)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"co_applicant", "children[0].personnummer"}


@pytest.mark.django_db
def test_a_case_is_seen_only_by_its_citizen_and_its_unit(client, citizen, unit, other_unit, municipality):
    from bistand.cases.models import Case

    case = Case.objects.create(applicant=citizen.person, unit=unit)
    other = make_citizen("198001249286", municipality, first_name="Anna")
    outsider = make_staff("malmo1", other_unit)
    url = f"/api/v1/cases/{case.pk}"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {issue_token(other)}").status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {issue_token(outsider)}").status_code == 404
    assert (
        client.get("/api/v1/cases/999999", HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}").status_code
        == 404
    )
    assert client.get(url).status_code == 401


@pytest.mark.django_db
def test_dev_token_only_in_demo_mode_and_only_for_test_identities(client, settings):
    settings.DEMO_MODE = False
    url = "/api/v1/dev/token"
    assert (
        client.post(url, {"personnummer": "198001139297"}, content_type="application/json").status_code == 404
    )
    settings.DEMO_MODE = True
    response = client.post(url, {"personnummer": "198001139297"}, content_type="application/json")
    assert response.status_code == 201
    token = response.json()["token"]
    assert post(client, token, body("2026-13")).status_code == 422  # the token works
    wrong = client.post(url, {"personnummer": "198001139298"}, content_type="application/json")
    assert wrong.status_code == 422


@pytest.mark.django_db
def test_the_openapi_document_describes_the_intake_api(client, settings):
    settings.DEMO_MODE = True  # the development token is listed only where it exists
    document = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/applications", "/api/v1/cases/{id}", "/api/v1/dev/token"} <= set(document["paths"])
    assert document["paths"]["/api/v1/applications"]["post"]["responses"]["201"]


@pytest.mark.django_db
def test_a_municipality_without_an_intake_unit_gets_a_clear_answer(client, municipality):
    citizen = make_citizen("198001139297", municipality)
    response = post(client, issue_token(citizen), body("2026-11"))
    assert response.status_code == 422
    assert "tar inte emot ansökningar" in response.json()["errors"][0]["message"]
    assert not Application.objects.exists()
