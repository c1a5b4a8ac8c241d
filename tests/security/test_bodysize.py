"""Request bodies are bounded on every channel (issue 20): a clear 413, never a 500, nothing read first."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from bistand.identity.tokens import issue_token
from bistand.intake.models import Application
from bistand.security.bodysize import BodySizeMiddleware

pytestmark = pytest.mark.django_db


def test_an_api_body_over_its_limit_is_a_413_with_a_message(client, citizen, unit):
    """The API read any body Django's 2.5 MB form limit let through, whole, into the JSON parser."""
    big = json.dumps({"month": "2026-12", "message": "x" * 300_000})
    response = client.post(
        "/api/v1/applications",
        big,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}",
    )
    assert response.status_code == 413
    assert "Högst 0,2 MB" in response.json()["errors"][0]["message"]
    assert not Application.objects.exists()


def test_a_form_over_its_limit_is_a_413_page(client):
    body = urlencode({"username": "a", "password": "x" * 2_000_000})
    response = client.post(
        reverse("identity:staff-login"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "För stort att skicka" in page and "Högst 1 MB" in page


def test_form_fields_over_the_limit_beside_files_are_a_400_not_a_500():
    """Within the upload limit, the fields themselves are still bounded (Django's own check: a 400)."""
    client = Client(raise_request_exception=False)
    response = client.post(reverse("identity:staff-login"), {"username": "a", "password": "x" * 2_000_000})
    assert response.status_code == 400


def test_files_over_the_upload_limit_are_a_413_and_smaller_ones_pass(client, citizen, settings):
    settings.UPLOAD_BODY_MAX_BYTES = 50_000
    client.force_login(citizen)
    too_big = SimpleUploadedFile("kvitto.pdf", b"%PDF-1.4\n" + b"0" * 60_000, content_type="application/pdf")
    response = client.post(reverse("portal:home"), {"file": too_big})
    assert response.status_code == 413
    assert "För stort att skicka" in response.content.decode()
    small = SimpleUploadedFile("kvitto.pdf", b"%PDF-1.4\n" + b"0" * 1_000, content_type="application/pdf")
    assert client.post(reverse("portal:home"), {"file": small}).status_code != 413


def test_the_api_limit_is_its_own_and_a_nonsensical_length_is_a_400(settings):
    settings.API_BODY_MAX_BYTES = 100
    middleware = BodySizeMiddleware(lambda request: pytest.fail("the body must not reach the view"))
    request = RequestFactory().post("/api/v1/applications", "x" * 101, content_type="application/json")
    assert middleware(request).status_code == 413
    request = RequestFactory().post("/api/v1/applications", "{}", content_type="application/json")
    request.META["CONTENT_LENGTH"] = "-5"
    assert middleware(request).status_code == 400
