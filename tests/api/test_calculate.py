"""`POST /api/v1/calculate` and `/api/v1/openapi.json` through Django's test client."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from bistand.api.openapi import EXAMPLE_INPUT

# The contract's example household, as the OpenAPI document shows it.
EXAMPLE = EXAMPLE_INPUT
URL = "/api/v1/calculate"


@pytest.fixture
def api() -> Client:
    # A public, stateless API: it must work without a CSRF token or session.
    return Client(enforce_csrf_checks=True)


def post(client: Client, body, **headers):
    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, payload, content_type="application/json", headers=headers)


def test_the_url_is_mounted_under_api():
    assert reverse("api:calculate") == URL
    assert reverse("api:openapi") == "/api/v1/openapi.json"


def test_calculates_the_contract_example(api):
    response = post(api, EXAMPLE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content, parse_float=Decimal)
    assert (body["norm_total"], body["costs_total"], body["income_total"]) == (12540, 8150, 4250)
    assert body["deficit"] == body["entitlement"] == 16440
    assert body["norm_table"]["source"] == "SFS 2020:1013"
    assert body["lines"][0] == {
        **body["lines"][0],
        "section": "norm",
        "member": "a+b",
        "label": "Personliga kostnader, sammanboende",
        "amount": 5700,
        "rule": "riksnorm.adults.couple",
        "reference": "SoF (2001:937) 2 kap. 1 §",
    }
    assert "explanation" not in body


def test_öre_amounts_are_exact_numbers(api):
    body = {
        "month": "2021-06",
        "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-01"}],
        "household_size": 7,
    }
    response = post(api, body)
    assert b'"norm_total":3484.29' in response.content.replace(b" ", b"")
    assert json.loads(response.content)["entitlement"] == 3484


def test_invalid_input_is_422_with_field_errors(api):
    body = {
        **EXAMPLE,
        "members": [*EXAMPLE["members"][:2], {"id": "c", "role": "child", "birth_date": "2016-13-01"}],
    }
    response = post(api, body)
    assert response.status_code == 422
    errors = json.loads(response.content)["errors"]
    assert errors[0]["field"] == "members[2].birth_date"
    assert "ÅÅÅÅ-MM-DD" in errors[0]["message"]


def test_an_unknown_field_is_422_with_the_field_named(api):
    response = post(api, {**EXAMPLE, "income": [{"member": "a", "type": "salary", "amount": 15000}]})
    assert response.status_code == 422
    errors = json.loads(response.content)["errors"]
    assert [e["field"] for e in errors] == ["income"]
    assert "gissas inte" in errors[0]["message"]


def test_an_applicant_born_in_1800_is_422(api):
    members = [{"id": "a", "role": "applicant", "birth_date": "1800-01-01"}]
    response = post(api, {"month": "2026-03", "members": members})
    assert response.status_code == 422
    assert json.loads(response.content)["errors"][0]["field"] == "members[0].birth_date"


def test_accept_language_english(api):
    response = post(
        api, {"month": "2012-01", "members": []}, **{"Accept-Language": "en-GB,en;q=0.9,sv;q=0.5"}
    )
    assert response.status_code == 422
    assert response["Content-Language"] == "en"
    messages = [e["message"] for e in json.loads(response.content)["errors"]]
    assert any("first month that can be calculated is 2013-01" in m for m in messages)


def test_swedish_is_the_default(api):
    response = post(api, {"month": "2012-01", "members": []}, **{"Accept-Language": "de"})
    assert response["Content-Language"] == "sv"
    assert "Det finns ingen riksnorm" in json.loads(response.content)["errors"][0]["message"]


def test_a_body_that_is_not_json_is_400_with_an_error_list(api):
    response = post(api, "month=2021-03")
    assert response.status_code == 400
    (error,) = json.loads(response.content)["errors"]
    assert error["field"] == "" and "JSON" in error["message"]


def test_json_that_is_not_an_object_is_422(api):
    response = post(api, [1, 2])
    assert response.status_code == 422
    assert json.loads(response.content)["errors"][0]["field"] == ""


def test_other_methods_are_405(api):
    response = api.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert json.loads(response.content)["errors"]


def test_explanation_on_request(api):
    response = api.post(URL + "?explain=1", json.dumps(EXAMPLE), content_type="application/json")
    explanation = json.loads(response.content)["explanation"]
    assert "Ni har rätt till 16\u00a0440\u00a0kr" in explanation


def test_openapi_document_describes_request_response_and_errors(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.1")
    operation = doc["paths"]["/api/v1/calculate"]["post"]
    assert set(operation["responses"]) >= {"200", "400", "405", "422"}
    schemas = doc["components"]["schemas"]
    assert "rent" in schemas["Cost"]["properties"]["type"]["enum"]
    assert schemas["Errors"]["properties"]["errors"]["items"]["required"] == ["field", "message"]
    assert operation["requestBody"]["content"]["application/json"]["example"]["month"] == "2021-03"
    assert api.post("/api/v1/openapi.json").status_code == 405
