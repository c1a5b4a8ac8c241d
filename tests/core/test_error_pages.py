"""403, 404 and 500 are our own pages: translated, in the site's layout, with a way back."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_the_citizens_language_and_leads_back(client):
    page = client.get("/finns-inte/", HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 404
    html = page.content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "الصفحة غير موجودة" in html and 'href="/"' in html


def test_a_page_for_someone_else_is_forbidden_kindly(client, citizen, caseworker):
    client.force_login(citizen)
    page = client.get(reverse("casework:queue"))
    assert page.status_code == 403
    html = page.content.decode()
    assert "Du har inte behörighet till sidan" in html and "Till Mina sidor" in html


def test_a_server_error_page_stands_on_its_own(settings):
    with translation.override("en"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html and "What you have already sent is saved" in html
