"""The person in acute need is asked first, and the receipt promises the same day and gives the number.

Found by hand (issue 21): the "akut behov" box sat on step 6 of 7 and the receipt made no same-day promise
and gave no number to call.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from bistand.intake.models import Application
from bistand.intake.schema import answer
from bistand.intake.wizard import STEPS
from tests.conftest import make_citizen
from tests.intake.helpers import fill_first_application, post_step

pytestmark = pytest.mark.django_db

PNR = "198001139297"


@pytest.fixture
def applicant(municipality, unit):
    municipality.phone = "070-174 06 50"
    municipality.save()
    return make_citizen(PNR, municipality)


def _start(client, applicant) -> Application:
    client.force_login(applicant)
    client.post(reverse("intake:start"))
    return Application.objects.get()


def test_the_emergency_question_is_on_the_first_step(client, applicant, no_registers):
    application = _start(client, applicant)
    first = STEPS[0].name
    page = client.get(reverse("intake:step", args=[application.reference, first])).content.decode()
    assert "akut behov" in page and "samma dag" in page
    needs = client.get(reverse("intake:step", args=[application.reference, "needs"])).content.decode()
    assert "akut behov" not in needs


def test_an_emergency_receipt_promises_today_and_gives_the_number(client, applicant, no_registers):
    application = _start(client, applicant)
    fill_first_application(client, application)
    month = application.month.isoformat()[:7]
    assert (
        post_step(client, application, "month", {"month_applied": month, "emergency": "on"}).status_code
        == 302
    )
    client.post(reverse("intake:sign", args=[application.reference]))
    application.refresh_from_db()
    assert application.is_submitted and answer(application.answers, "emergency") is True
    receipt = client.get(reverse("intake:received", args=[application.reference])).content.decode()
    assert "tittar på din ansökan i dag" in receipt
    assert 'href="tel:070-174 06 50"' in receipt


def test_an_ordinary_receipt_makes_no_emergency_promise(client, applicant, no_registers):
    application = _start(client, applicant)
    fill_first_application(client, application)
    client.post(reverse("intake:sign", args=[application.reference]))
    receipt = client.get(reverse("intake:received", args=[application.reference])).content.decode()
    assert "Du har akut behov" not in receipt


def test_an_emergency_application_does_not_use_up_the_month(client, applicant, no_registers):
    """After nödbistånd for December, December's regular application can still be made."""
    from bistand.intake.drafts import next_month

    application = _start(client, applicant)
    fill_first_application(client, application)
    month = application.month.isoformat()[:7]
    post_step(client, application, "month", {"month_applied": month, "emergency": "on"})
    client.post(reverse("intake:sign", args=[application.reference]))
    assert next_month(applicant.person) == month
    client.post(reverse("intake:start"))
    regular = Application.objects.exclude(pk=application.pk).get()
    assert regular.month == application.month and regular.is_open
