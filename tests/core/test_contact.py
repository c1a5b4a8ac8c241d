"""The municipality's phone number and hours come from its settings; the receipt says when to expect a decision."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.intake.models import Application

pytestmark = pytest.mark.django_db


def test_ring_kommunen_gives_the_number_and_hours(client, municipality):
    municipality.phone = "0410-73 30 00"
    municipality.opening_hours = "vardagar 8–16"
    municipality.save()
    page = client.get(reverse("core:home")).content.decode()
    assert 'href="tel:0410733000"' in page and "0410-73 30 00" in page and "vardagar 8–16" in page


def test_the_receipt_says_when_a_decision_can_be_expected(client, citizen, municipality):
    municipality.phone = "0410-73 30 00"
    municipality.decision_days = 10
    municipality.save()
    application = Application.objects.create(
        applicant=citizen.person, municipality=municipality, month=datetime.date(2026, 12, 1)
    )
    application.submit()
    client.force_login(citizen)
    page = client.get(reverse("intake:received", args=[application.reference])).content.decode()
    expected = timezone.localtime(application.submitted_at + datetime.timedelta(days=10)).date()
    assert f"Du får beslut senast {expected.day} " in page
    assert application.short_reference in page and "0410-73 30 00" in page
