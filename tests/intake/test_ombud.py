"""A representative (ombud) with a registered power of attorney applies for the principal."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.intake.models import Application, PowerOfAttorney
from bistand.intake.schema import answer
from tests.conftest import make_citizen
from tests.intake.helpers import fill_first_application

pytestmark = pytest.mark.django_db

PARENT_PNR = "193801029202"  # Skatteverket test personnummer
CHILD_PNR = "198001139297"


@pytest.fixture
def power(municipality):
    parent = make_citizen(PARENT_PNR, municipality, first_name="Margit")
    child = make_citizen(CHILD_PNR, municipality, first_name="Erik")
    return PowerOfAttorney.objects.create(
        principal=parent.person,
        agent=child.person,
        valid_from=timezone.localdate() - datetime.timedelta(days=1),
    )


def test_an_adult_child_applies_for_an_elderly_parent(client, power, unit, no_registers):
    client.force_login(power.agent.account)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Ansök och följ ärendet för Margit Demosson" in home
    client.post(reverse("intake:act-for", args=[power.pk]))
    assert (
        "Du är inloggad som ombud för Margit Demosson" in client.get(reverse("portal:home")).content.decode()
    )

    client.post(reverse("intake:start"))
    application = Application.objects.get()
    assert application.applicant == power.principal
    assert application.representative == power.agent
    fill_first_application(client, application)
    client.post(reverse("intake:sign", args=[application.reference]))
    application.refresh_from_db()
    assert application.is_submitted
    assert application.signatures.get().role == "representative"
    assert answer(application.answers, "representative") == CHILD_PNR

    # The principal sees who applied for her.
    client.force_login(power.principal.account)
    page = client.get(reverse("portal:application", args=[application.reference])).content.decode()
    assert "ombudet Erik Demosson" in page


def test_without_a_valid_power_one_cannot_act_for_anyone(client, power, unit):
    power.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    power.save()
    client.force_login(power.agent.account)
    assert client.post(reverse("intake:act-for", args=[power.pk])).status_code == 404
    assert "ombud för" not in client.get(reverse("portal:home")).content.decode()


def test_a_revoked_power_stops_working_at_once(client, power, unit, no_registers):
    client.force_login(power.agent.account)
    client.post(reverse("intake:act-for", args=[power.pk]))
    power.revoked_at = timezone.now()
    power.save()
    response = client.post(reverse("intake:start"))
    # Nothing is made for the principal, and the agent is told why rather than shown a bare 404.
    assert response.status_code == 302 and response.url == reverse("intake:power-ended", args=[power.pk])
    assert not Application.objects.filter(applicant=power.principal).exists()
    page = client.get(response.url).content.decode()
    assert "Margit Demosson har återkallat fullmakten" in page
