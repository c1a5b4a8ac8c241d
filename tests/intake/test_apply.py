"""The application's rules: sign-in first, immutable once submitted, received once, seen only by its own."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bistand.cases.models import Case, TimelineEvent
from bistand.intake.models import Application
from tests.conftest import OTHER_CITIZEN_PNR, make_citizen
from tests.intake.helpers import fill_first_application

pytestmark = pytest.mark.django_db


def submit(client) -> Application:
    client.post(reverse("intake:start"))
    application = Application.objects.get(status="draft")
    fill_first_application(client, application)
    client.post(reverse("intake:sign", args=[application.reference]))
    application.refresh_from_db()
    return application


def test_the_application_requires_an_eid_sign_in(client):
    response = client.get(reverse("intake:apply"))
    assert response.status_code == 302
    assert reverse("identity:citizen-login") in response["Location"]


def test_a_submitted_application_cannot_be_changed(citizen, municipality):
    application = Application.objects.create(
        applicant=citizen.person, municipality=municipality, month="2026-11-01", answers={}
    )
    application.submit()
    application.answers = {"rent": {"value": "1", "source": "citizen"}}
    with pytest.raises(ValidationError):
        application.save()
    assert Application.objects.get().answers == {}


def test_submitting_enqueues_the_robot_and_receiving_twice_records_one_event(
    client, citizen, unit, no_registers, run_tasks
):
    from bistand.casework.pipeline import receive_application

    client.force_login(citizen)
    application = submit(client)
    assert application.is_submitted
    assert application.answers["costs"]["value"] == [
        {"type": "rent", "amount": "7800"},
        {"type": "electricity", "amount": "300"},
    ]
    receipt = client.get(reverse("intake:received", args=[application.reference])).content.decode()
    assert "Vi har tagit emot din ansökan" in receipt
    # The same short reference as the letter, not the 36-character id.
    assert f'<bdi dir="ltr">{application.short_reference}</bdi>' in receipt
    assert f"<strong>{application.reference}" not in receipt
    run_tasks()
    receive_application.call(application.pk)
    assert TimelineEvent.objects.filter(kind="received").count() == 1
    assert Case.objects.get().applicant == citizen.person


def test_a_citizen_cannot_see_another_citizens_receipt_or_draft(
    client, citizen, municipality, unit, no_registers
):
    client.force_login(citizen)
    application = submit(client)
    client.post(reverse("intake:start"))
    draft = Application.objects.get(status="draft")
    other = make_citizen(OTHER_CITIZEN_PNR, municipality, first_name="Anna")
    client.force_login(other)
    assert client.get(reverse("intake:received", args=[application.reference])).status_code == 404
    assert client.get(reverse("intake:step", args=[draft.reference, "housing"])).status_code == 404
    assert client.get(reverse("intake:review", args=[draft.reference])).status_code == 404


def test_one_draft_at_a_time(client, citizen, unit, no_registers):
    client.force_login(citizen)
    client.post(reverse("intake:start"))
    client.post(reverse("intake:start"))
    assert Application.objects.filter(status="draft").count() == 1


def test_a_draft_expires_after_the_stated_time_with_a_warning_before(
    client, citizen, unit, no_registers, settings
):
    from django.utils import timezone

    client.force_login(citizen)
    client.post(reverse("intake:start"))
    draft = Application.objects.get(status="draft")
    days = (draft.expires_at - timezone.now()).days
    assert days == settings.DRAFT_LIFETIME_DAYS - 1 or days == settings.DRAFT_LIFETIME_DAYS
    page = client.get(reverse("portal:home")).content.decode()
    assert "Det sparas till" in page
    # Two days left: a warning on Mina sidor and on every step.
    Application.objects.filter(pk=draft.pk).update(expires_at=timezone.now() + datetime.timedelta(days=2))
    assert "tas bort" in client.get(reverse("portal:home")).content.decode()
    step = client.get(reverse("intake:step", args=[draft.reference, "housing"])).content.decode()
    assert "Ditt utkast tas bort" in step
    # Past its time it is gone.
    Application.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(reverse("intake:step", args=[draft.reference, "housing"])).status_code == 404
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_the_daily_command_deletes_expired_drafts_only(client, citizen, unit, no_registers):
    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(citizen)
    application = submit(client)
    client.post(reverse("intake:start"))
    Application.objects.filter(status="draft").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("expire_drafts")
    assert list(Application.objects.all()) == [application]
