"""Hostile input: the API fuzzed from its own OpenAPI document (schemathesis), the forms with hypothesis.

Whatever is sent: never a server error, and nothing already saved is lost.
"""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bistand.api.openapi import openapi_document
from bistand.identity.tokens import issue_token
from bistand.intake.models import Application
from bistand.wsgi import application as wsgi_app

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same inputs every run: a failure is reproducible, CI is not flaky
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
schema = schemathesis.openapi.from_dict(openapi_document())

# Text as an attacker writes it: any Unicode (NUL and right-to-left marks included), SQL and markup.
nasty = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "\x00",
            "9" * 400,
            "-1",
            "1e309",
            "NaN",
            "19800113-9297",
            "../../etc/passwd",
            "\u202egnp.exe",
            "{{ settings.SECRET_KEY }}",
        ]
    ),
)


@pytest.fixture
def api_user(db, citizen, unit, settings_override):
    """The citizen whose token the secured operations carry. The WSGI app is called directly, so the
    connection-closing signals are switched off as Django's own test client does (the test's transaction
    must survive each request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield citizen
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def settings_override(settings):
    settings.DEMO_MODE = True  # so that /dev/token is exercised too
    settings.REGISTERS_URL = "http://127.0.0.1:9"
    return settings


@schema.parametrize()
@FUZZ
@pytest.mark.django_db
def test_the_api_never_answers_5xx(case, api_user):
    if case.operation.definition.raw.get("security"):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {issue_token(api_user)}"}
    response = case.call(app=wsgi_app)
    assert response.status_code < 500, (
        f"{case.method} {case.path}: {response.status_code} {response.text[:500]}"
    )
    if case.path == "/api/v1/applications" and response.status_code == 201:
        # Once the API says "received", the application is stored for good.
        reference = response.json()["application"]
        assert Application.objects.filter(reference=reference, status="submitted").exists()


def _draft(citizen) -> Application:
    application = Application.objects.create(
        applicant=citizen.person,
        municipality=citizen.person.municipality,
        month=datetime.date(2027, 1, 1),
        draft={"steps": {}},
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    )
    return application


@pytest.mark.django_db
def test_the_wizard_survives_anything_and_keeps_the_draft(citizen, unit, settings_override):
    client = Client()
    client.force_login(citizen)
    application = _draft(citizen)
    url = reverse("intake:step", args=[application.reference, "housing"])
    assert client.post(url, {"rent": "7 800", "electricity": "300", "action": "next"}).status_code == 302
    saved = dict(Application.objects.get(pk=application.pk).draft["steps"]["housing"])

    @FUZZ
    @given(
        step=st.sampled_from(["month", "household", "income", "assets", "needs", "payout"]),
        data=st.dictionaries(
            st.sampled_from(
                [
                    "month_applied",
                    "has_co_applicant",
                    "co_applicant",
                    "others_in_home",
                    "child-TOTAL_FORMS",
                    "child-INITIAL_FORMS",
                    "child-0-personnummer",
                    "salary_applicant",
                    "row_0",
                    "bank",
                    "dental",
                    "method",
                    "clearing_number",
                    "account_number",
                    "action",
                ]
            ),
            nasty,
            max_size=8,
        ),
    )
    def post(step, data):
        response = client.post(reverse("intake:step", args=[application.reference, step]), data)
        assert response.status_code in (200, 302), (step, data, response.status_code)
        stored = Application.objects.get(pk=application.pk)
        assert stored.status == "draft" and stored.draft["steps"]["housing"] == saved

    post()


@pytest.mark.django_db
def test_staff_forms_survive_anything(world):
    client = Client()
    client.force_login(world.caseworker)
    case_id = world.case.pk
    targets = [
        (reverse("casework:note", args=[case_id]), ["text", "visibility", "kind", "children_considered"]),
        (reverse("casework:documents", args=[case_id]), ["text", "deadline"]),
        (reverse("casework:message", args=[case_id]), ["body"]),
        (reverse("casework:plan", args=[case_id]), ["person", "kind", "valid_from", "valid_until", "note"]),
        (
            reverse("casework:draft", args=[case_id]),
            ["outcome", "amount", "motivation", "cost_rent", "norm_reason"],
        ),
        (reverse("casework:take", args=[case_id]), ["to"]),
        (reverse("casework:paper"), ["personnummer", "month", "rent", "action"]),
        (
            reverse("casework:paper"),
            ["payout_method", "clearing_number", "account_number", "bankgiro", "ocr_readings"],
        ),
        (
            reverse("casework:resolve-payment", args=[case_id, world.ids["order_id"]]),
            ["clearing_number", "account_number", "bankgiro"],
        ),
        (reverse("casework:powers"), ["principal", "agent", "scope", "valid_from", "valid_to"]),
        (reverse("casework:note", args=[case_id]), ["kind", "next_contact_due", "text", "visibility"]),
    ]
    notes_before = world.case.journal.count()

    @FUZZ
    @given(target=st.sampled_from(targets), values=st.lists(nasty, min_size=5, max_size=5))
    def post(target, values):
        url, names = target
        response = client.post(url, dict(zip(names, values, strict=False)))
        assert response.status_code < 500, (url, values, response.status_code)

    post()
    assert world.case.journal.count() >= notes_before


@pytest.mark.django_db
def test_search_and_sign_in_survive_anything(world):
    auditor = Client()
    auditor.force_login(world.auditor)
    anonymous = Client()

    @FUZZ
    @given(
        params=st.dictionaries(
            st.sampled_from(
                ["personnummer", "username", "case_id", "action", "date_from", "date_to", "page"]
            ),
            nasty,
            max_size=5,
        ),
        login=st.tuples(nasty, nasty),
    )
    def probe(params, login):
        for key, value in list(params.items()):
            params[key] = value.replace("\x00", "")  # a NUL cannot be sent in a real query string
        assert auditor.get(reverse("audit:search"), params).status_code < 500
        assert auditor.get(reverse("audit:export"), params).status_code < 500
        response = anonymous.post(
            reverse("identity:staff-login"), {"username": login[0], "password": login[1]}
        )
        assert response.status_code in (200, 429)

    probe()
