"""The caseworker's queue shows the unit's cases, and only those."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.casework.models import Case, TimelineEvent
from bistand.identity.models import Person
from bistand.intake.models import Application
from tests.conftest import PROTECTED_PNR, make_citizen, make_staff

pytestmark = pytest.mark.django_db


def open_case(citizen, unit) -> Case:
    application = Application.objects.create(
        applicant=citizen.person, municipality=unit.municipality, month="2026-11-01", answers={}
    )
    application.submit()
    case = Case.objects.create(applicant=citizen.person, unit=unit)
    TimelineEvent.objects.create(
        case=case, application=application, kind="received", actor="citizen", occurred_at=timezone.now()
    )
    return case


def test_the_queue_needs_a_staff_sign_in(client):
    response = client.get(reverse("casework:queue"))
    assert response.status_code == 302
    assert reverse("identity:staff-login") in response["Location"]


def test_caseworker_sees_own_units_cases(client, caseworker, citizen, unit):
    case = open_case(citizen, unit)
    client.force_login(caseworker)
    page = client.get(reverse("casework:queue")).content.decode()
    assert "Erik Demosson" in page
    assert reverse("casework:case", args=[case.pk]) in page


def test_caseworker_cannot_see_another_units_case(client, citizen, unit, other_unit):
    case = open_case(citizen, unit)
    outsider = make_staff("malmo1", other_unit)
    client.force_login(outsider)
    assert "Erik Demosson" not in client.get(reverse("casework:queue")).content.decode()
    assert client.get(reverse("casework:case", args=[case.pk])).status_code == 404


def test_a_citizen_cannot_open_the_queue(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("casework:queue")).status_code == 403


def test_protected_person_is_shown_without_name(client, caseworker, municipality, unit):
    protected = make_citizen(
        PROTECTED_PNR, municipality, first_name="Johan", protection=Person.Protection.SKYDDAD_FOLKBOKFORING
    )
    case = open_case(protected, unit)
    client.force_login(caseworker)
    queue = client.get(reverse("casework:queue")).content.decode()
    detail = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "Johan" not in queue and "Johan" not in detail
    assert "Skyddad person" in queue
    assert "lämna aldrig ut adress" in detail


def test_staff_sign_in_with_password(client, caseworker):
    from tests.conftest import STAFF_PASSWORD

    wrong = client.post(reverse("identity:staff-login"), {"username": "handlaggare1", "password": "fel"})
    assert "Fel användarnamn eller lösenord" in wrong.content.decode()
    right = client.post(
        reverse("identity:staff-login"), {"username": "handlaggare1", "password": STAFF_PASSWORD}
    )
    assert right.status_code == 302
    assert right["Location"] == reverse("casework:queue")
