"""The citizen's application: validated in Swedish, nothing lost on error, immutable once submitted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bistand.casework.models import Case, TimelineEvent
from bistand.intake.forms import month_choices
from bistand.intake.models import Application

pytestmark = pytest.mark.django_db


def valid_answers(**overrides) -> dict:
    answers = {
        "month": month_choices()[0][0],
        "living": "alone",
        "children": "1",
        "rent": "7 800",
        "salary": "0",
        "other_income": "1250,50",
        "message": "",
        "truthful": "on",
    }
    answers.update(overrides)
    return answers


def test_the_form_requires_an_eid_sign_in(client):
    response = client.get(reverse("intake:apply"))
    assert response.status_code == 302
    assert reverse("identity:citizen-login") in response["Location"]


def test_submitting_stores_the_application_and_shows_a_receipt(client, citizen, unit, run_tasks):
    client.force_login(citizen)
    response = client.post(reverse("intake:apply"), valid_answers())
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:received", args=[application.reference])
    assert application.is_submitted
    assert application.answers["rent"] == {"value": "7800", "source": "citizen"}
    assert application.answers["other_income"]["value"] == "1250.50"
    receipt = client.get(response["Location"])
    assert "Vi har tagit emot din ansökan" in receipt.content.decode()

    # The worker puts it on the case's timeline.
    assert not TimelineEvent.objects.exists()
    run_tasks()
    event = TimelineEvent.objects.get()
    assert event.kind == TimelineEvent.Kind.RECEIVED
    assert event.case.unit == unit
    assert event.case.applicant == citizen.person


def test_errors_are_in_swedish_and_keep_what_was_typed(client, citizen, unit):
    client.force_login(citizen)
    response = client.post(
        reverse("intake:apply"),
        valid_answers(rent="sjutusen", children="-1", truthful="", message="Jag har sökt jobb."),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skriv ett belopp i kronor med siffror" in page
    assert "Antalet barn kan inte vara mindre än 0." in page
    assert "Du behöver intyga att uppgifterna stämmer" in page
    assert 'value="sjutusen"' in page
    assert "Jag har sökt jobb." in page
    assert 'aria-invalid="true"' in page
    assert not Application.objects.exists()


def test_a_month_outside_the_list_is_refused(client, citizen, unit):
    client.force_login(citizen)
    response = client.post(reverse("intake:apply"), valid_answers(month="2019-01"))
    assert "Välj en av månaderna i listan." in response.content.decode()
    assert not Application.objects.exists()


def test_a_submitted_application_cannot_be_changed(citizen, municipality):
    application = Application.objects.create(
        applicant=citizen.person, municipality=municipality, month="2026-11-01", answers={}
    )
    application.submit()
    application.answers = {"rent": {"value": "1", "source": "citizen"}}
    with pytest.raises(ValidationError):
        application.save()
    assert Application.objects.get().answers == {}


def test_receiving_twice_records_one_event(client, citizen, unit, run_tasks):
    from bistand.casework.tasks import receive_application

    client.force_login(citizen)
    client.post(reverse("intake:apply"), valid_answers())
    application = Application.objects.get()
    receive_application.call(application.pk)
    receive_application.call(application.pk)
    run_tasks()
    assert TimelineEvent.objects.count() == 1
    assert Case.objects.count() == 1


def test_a_citizen_cannot_see_another_citizens_receipt(client, citizen, municipality, unit):
    from tests.conftest import OTHER_CITIZEN_PNR, make_citizen

    client.force_login(citizen)
    client.post(reverse("intake:apply"), valid_answers())
    application = Application.objects.get()
    other = make_citizen(OTHER_CITIZEN_PNR, municipality, first_name="Anna")
    client.force_login(other)
    assert client.get(reverse("intake:received", args=[application.reference])).status_code == 404
