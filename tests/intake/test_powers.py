"""Fullmakt as data: staff register it with the scan, the principal sees and revokes it, every use is logged.

Found by hand (issue 21): a power could be used but not given (it existed only in the demo data), the payout
step told the ombud "konto i ditt namn", and a revoked ombud got a bare 404.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bistand.accesslog.models import AccessLogEntry
from bistand.identity.models import Person
from bistand.intake.models import PowerOfAttorney
from tests import samples
from tests.conftest import make_citizen, make_staff
from tests.intake.test_ombud import CHILD_PNR, PARENT_PNR

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 12, 1)


@pytest.fixture
def family(municipality):
    parent = make_citizen(PARENT_PNR, municipality, first_name="Margit")
    daughter = make_citizen(CHILD_PNR, municipality, first_name="Eva")
    return parent, daughter


def _register(client, **extra):
    data = {
        "principal": PARENT_PNR,
        "agent": CHILD_PNR,
        "scope": "apply",
        "valid_from": START.isoformat(),
        "document": SimpleUploadedFile("fullmakt.png", samples.png(), content_type="image/png"),
        **extra,
    }
    return client.post(reverse("casework:powers"), data)


def _entries(power):
    return AccessLogEntry.objects.filter(object_type="power_of_attorney", object_id=str(power.pk))


def test_staff_register_a_power_with_its_scan_and_it_is_logged(
    client, caseworker, family, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(caseworker)
    assert _register(client).status_code == 302
    power = PowerOfAttorney.objects.get()
    assert (power.principal, power.agent, power.scope) == (family[0].person, family[1].person, "apply")
    assert power.document and power.registered_by == caseworker
    assert list(_entries(power).values_list("purpose", flat=True)) == ["fullmakt registrerad"]
    page = client.get(reverse("casework:powers")).content.decode()
    assert "Eva Demosson för Margit Demosson" in page


def test_a_power_needs_the_signed_paper_and_sensible_dates(client, caseworker, family):
    client.force_login(caseworker)
    page = _register(client, document="").content.decode()
    assert "Skanna in den underskrivna fullmakten" in page
    page = _register(client, valid_to="2026-11-01").content.decode()
    assert "sluta efter att den börjar gälla" in page
    page = _register(client, agent=PARENT_PNR).content.decode()
    assert "kan inte vara samma person" in page
    assert not PowerOfAttorney.objects.exists()


def test_an_unknown_agent_is_registered_with_the_name_staff_typed(
    client, caseworker, municipality, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_citizen(PARENT_PNR, municipality, first_name="Margit")
    client.force_login(caseworker)
    page = _register(client).content.decode()
    assert "Skriv för- och efternamn" in page
    assert _register(client, agent_name="Eva Dotter").status_code == 302
    assert Person.objects.get(personnummer=CHILD_PNR).full_name == "Eva Dotter"


@pytest.fixture
def power(client, caseworker, family, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(caseworker)
    _register(client)
    client.logout()
    return PowerOfAttorney.objects.get()


def test_every_use_is_logged_and_the_principal_revokes(client, power, family):
    parent, daughter = family
    client.force_login(daughter)
    client.post(reverse("intake:act-for", args=[power.pk]))
    assert "ombud för Margit Demosson" in client.get(reverse("portal:home")).content.decode()
    uses = _entries(power).filter(purpose__startswith="ombud:")
    assert uses.count() == 1 and uses.get().person_id == parent.person.pk

    client.force_login(parent)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Fullmakter du har gett" in home and "Återkalla fullmakten för Eva Demosson" in home
    assert client.post(reverse("portal:revoke-power", args=[power.pk])).status_code == 302
    power.refresh_from_db()
    assert power.revoked_at is not None and power.revoked_by == parent
    assert _entries(power).filter(purpose="fullmakt återkallad av huvudmannen").exists()

    client.force_login(daughter)
    session = client.session
    session["acting_for_poa"] = power.pk
    session.save()
    ended = client.get(reverse("portal:home"), follow=True).content.decode()
    assert "Margit Demosson har återkallat fullmakten" in ended


def test_an_expired_power_says_when_it_ended(client, power, family):
    client.force_login(family[1])
    client.post(reverse("intake:act-for", args=[power.pk]))
    power.valid_to = power.valid_from
    power.save()
    PowerOfAttorney.objects.filter(pk=power.pk).update(
        valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2020, 1, 31)
    )
    page = client.get(reverse("portal:home"), follow=True).content.decode()
    assert "gällde till och med 31 januari 2020" in page


def test_an_agent_cannot_revoke_nor_see_the_principals_other_powers(client, power, family):
    client.force_login(family[1])
    client.post(reverse("intake:act-for", args=[power.pk]))
    home = client.get(reverse("portal:home")).content.decode()
    assert "Fullmakter du har gett" not in home
    assert client.post(reverse("portal:revoke-power", args=[power.pk])).status_code == 404
    power.refresh_from_db()
    assert power.revoked_at is None


def test_a_follow_only_power_cannot_start_an_application(client, power, family):
    PowerOfAttorney.objects.filter(pk=power.pk).update(scope="follow")
    client.force_login(family[1])
    client.post(reverse("intake:act-for", args=[power.pk]))
    page = client.post(reverse("intake:start"), follow=True).content.decode()
    assert "bara att följa ärendet" in page


def test_staff_of_another_municipality_cannot_revoke(client, power, other_unit):
    client.force_login(make_staff("annan", other_unit))
    assert client.post(reverse("casework:revoke-power", args=[power.pk])).status_code == 404


def test_the_payout_step_speaks_of_the_principals_account():
    from bistand.intake.forms import PayoutForm

    form = PayoutForm(month=START, context={"principal_name": "Margit Demosson"})
    assert "Till Margit Demossons bankkonto" in dict(form.fields["method"].choices).values()


def test_a_protected_principal_only_for_the_restricted_group(
    client, caseworker, municipality, settings, tmp_path
):
    from bistand.cases.protection import grant_protected

    settings.MEDIA_ROOT = tmp_path
    make_citizen(PARENT_PNR, municipality, first_name="Margit", protection="skyddad_folkbokforing")
    make_citizen(CHILD_PNR, municipality, first_name="Eva")
    client.force_login(caseworker)
    page = _register(client).content.decode()
    assert "behörighet för skyddade personuppgifter" in page and not PowerOfAttorney.objects.exists()
    grant_protected(caseworker)
    assert _register(client).status_code == 302
    listed = client.get(reverse("casework:powers")).content.decode()
    assert "Margit Demosson" in listed
    colleague = make_staff("kollega", caseworker.unit)
    client.force_login(colleague)
    assert "Margit Demosson" not in client.get(reverse("casework:powers")).content.decode()
