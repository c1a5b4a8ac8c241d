"""One regular application per household and month, whatever the channel (issue 20 #4), and signing that
a double click cannot break (issue 20 #7)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse

from bistand.identity.views import account_for
from bistand.intake import signing
from bistand.intake.models import Application, MonthClaim, MonthTaken
from bistand.intake.schema import with_provenance
from tests.conftest import make_citizen
from tests.intake.helpers import couple_with_two_children, fill_first_application

pytestmark = pytest.mark.django_db


def submitted(applicant, month, *, co_applicant=None, emergency=False) -> Application:
    application = Application.objects.create(
        applicant=applicant,
        municipality=applicant.municipality,
        month=month,
        co_applicant=co_applicant,
        answers=with_provenance({"month": month.isoformat()[:7], "emergency": emergency}),
    )
    application.submit()
    return application


def test_the_partner_cannot_apply_again_through_the_web_for_the_same_month(
    client, municipality, unit, with_registers, population
):
    """The couple applied together; the partner then applies alone in the e-service for the same month.
    Before: a second grant and a second payment order for the same December."""
    adult, partner, _kids = couple_with_two_children(population)
    first = make_citizen(adult.pnr, municipality)
    second = account_for(partner.pnr)
    second.person.municipality = municipality
    second.person.save()
    client.force_login(second)
    client.post(reverse("intake:start"))
    draft = Application.objects.get(applicant=second.person, status="draft")
    together = submitted(first.person, draft.month, co_applicant=second.person)

    fill_first_application(client, draft)
    response = client.post(reverse("intake:sign", args=[draft.reference]), follow=True)

    assert "redan ansökt" in response.content.decode()
    assert list(Application.objects.filter(status="submitted")) == [together]
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT  # nothing lost: the draft is still there
    assert not draft.signatures.exists()


def test_the_database_itself_refuses_a_second_claim(unit):
    person = make_citizen("198001139297", unit.municipality).person
    month = datetime.date(2026, 12, 1)
    first = submitted(person, month)
    with pytest.raises(MonthTaken) as taken:
        submitted(person, month)
    assert taken.value.earlier == first
    with pytest.raises(IntegrityError):
        MonthClaim.objects.create(person=person, month=month, application=first)


def test_emergency_stands_beside_the_regular_application(unit):
    """Nödbistånd is decided beside the month's regular application: it claims no month."""

    person = make_citizen("198001139297", unit.municipality).person
    month = datetime.date(2026, 12, 1)
    regular = submitted(person, month)
    emergency = submitted(person, month, emergency=True)
    assert emergency.emergency and not regular.emergency
    assert [c.application for c in MonthClaim.objects.all()] == [regular]


def test_a_second_click_on_sign_signs_once(unit):
    """Two requests for the same signature: the second finds it signed instead of an IntegrityError."""

    applicant = make_citizen("198001139297", unit.municipality).person
    co = make_citizen("198001249286", unit.municipality).person
    application = Application.objects.create(
        applicant=applicant,
        municipality=unit.municipality,
        month=datetime.date(2026, 12, 1),
        answers=with_provenance({"month": "2026-12", "co_applicant": co.personnummer}),
    )
    signing.sign_complete(application, applicant, method="api")
    stale = Application.objects.get(pk=application.pk)  # what the second click's request read
    signing.sign_as_co_applicant(Application.objects.get(pk=application.pk), co, method="dev-eid")
    again = signing.sign_as_co_applicant(stale, co, method="dev-eid")

    assert again.is_submitted
    assert sorted(application.signatures.values_list("role", flat=True)) == ["applicant", "co_applicant"]
    assert MonthClaim.objects.filter(application=application).count() == 2  # both adults claim the month
