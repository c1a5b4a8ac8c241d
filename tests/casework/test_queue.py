"""The caseworker's queue shows the unit's cases, and only those."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.cases.models import Case, TimelineEvent
from bistand.identity.models import Person
from bistand.intake.models import Application
from tests.conftest import PROTECTED_PNR, make_citizen, make_staff
from tests.security.conftest import grant_protected

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
    # Only the restricted group opens a protected case (tests/security); others get the same 404 as a
    # case that does not exist.
    assert client.get(reverse("casework:case", args=[case.pk])).status_code == 404
    grant_protected(caseworker)
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


def test_routed_applications_wait_in_the_queue_with_their_reasons_urgent_first(
    client, caseworker, citizen, unit
):
    from bistand.casework.models import PipelineRun

    case = open_case(citizen, unit)
    application = case.events.get().application
    PipelineRun.objects.create(
        application=application,
        case=case,
        status="routed",
        step="done",
        triage={"automatic": False, "reasons": [{"code": "first_application", "message": "Första ansökan."}]},
    )
    other = make_citizen("198001249286", unit.municipality, first_name="Anna")
    urgent_app = Application.objects.create(
        applicant=other.person, municipality=unit.municipality, month="2026-11-01", answers={}
    )
    urgent_app.submit()
    urgent_case = Case.objects.create(applicant=other.person, unit=unit)
    PipelineRun.objects.create(
        application=urgent_app,
        case=urgent_case,
        status="routed",
        step="done",
        urgent=True,
        triage={"automatic": False, "reasons": [{"code": "emergency", "message": "Nödbistånd."}]},
    )
    client.force_login(caseworker)
    page = client.get(reverse("casework:queue")).content.decode()
    assert "Första ansökan." in page and "Nödbistånd." in page
    assert page.index("Anna Demosson") < page.index("Erik Demosson")  # urgent first
    assert "Brådskande" in page
