"""Delegation as data (issue 14, finding 4): no delegation, no automated decision; a demo one says so."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from bistand.casework.models import AutomationPolicy
from bistand.casework.policy import describe, policy_for
from bistand.decisions.models import Decision
from bistand.decisions.statement import _delegation
from bistand.identity.models import Municipality
from bistand.ops import demo
from tests.conftest import TEST_DELEGATION

pytestmark = pytest.mark.django_db

PLACEHOLDER = "ersätts av nämndens eget beslut"


def test_without_a_delegation_the_transparency_page_says_a_person_decides(client):
    malmo = Municipality.objects.create(code="1280", name="Malmö stad")
    html = client.get(reverse("oversight:transparency", args=[malmo.code])).content.decode()
    assert "Nämnden har inte gett datorn rätt att besluta" in html
    assert PLACEHOLDER not in html and "Vem har beslutat" not in html


def test_the_demo_records_a_delegation_that_says_it_is_a_demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert demo.load_demo_data()
    municipality = Municipality.objects.get(code=demo.MUNICIPALITY[0])
    row = AutomationPolicy.objects.get(municipality=municipality)
    assert row.delegation["demo"] is True
    policy = policy_for(municipality, datetime.date(2026, 12, 1))
    assert policy.delegation == demo.DEMO_DELEGATION
    assert "inte ett verkligt beslut" in describe(policy)[0]


def test_an_automated_decisions_letter_cites_the_delegation_and_a_demo_says_so():
    decision = Decision(
        month=datetime.date(2026, 12, 1),
        outcome="grant",
        amount_applied=1000,
        amount_granted=1000,
        calculation={},
        automated=True,
        delegation=TEST_DELEGATION,
    )
    text = _delegation(decision.delegation)
    # Dates as people write them (issue 15); the nämnd's own reference as recorded.
    assert "Socialnämnden har den 20 november 2019 gett en automatiserad beslutsfunktion rätt" in text
    assert "SN 2019-11-20 § 112" in text and "gäller från 1 januari 2020" in text
    assert "Demonstration" not in text and PLACEHOLDER not in text
    decision.delegation = demo.DEMO_DELEGATION
    assert "Demonstration: delegationen är ett påhittat exempel" in _delegation(decision.delegation)
    with translation.override("en"):
        english = _delegation(decision.delegation)
    assert "Local Government Act, chapter 6, section 37" in english and "made-up example" in english
