"""The development eID: only in demo mode, only Skatteverket's test personnummer."""

import pytest
from django.urls import reverse

from bistand.identity.models import Person, User

pytestmark = pytest.mark.django_db


def test_off_unless_demo_mode(client, settings):
    settings.DEMO_MODE = False
    assert client.get(reverse("identity:dev-eid")).status_code == 404
    assert client.post(reverse("identity:dev-eid"), {"personnummer": "198001139297"}).status_code == 404
    assert "inte kopplad" in client.get(reverse("identity:citizen-login")).content.decode()


def test_says_plainly_that_it_is_a_development_login(client, settings):
    settings.DEMO_MODE = True
    page = client.get(reverse("identity:dev-eid")).content.decode()
    assert "inte riktig e-legitimation" in page


def test_signs_in_a_test_person_and_goes_to_mina_sidor(client, settings):
    settings.DEMO_MODE = True
    response = client.post(reverse("identity:dev-eid"), {"personnummer": "19800113-9297"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    user = User.objects.get(person__personnummer="198001139297")
    assert user.is_citizen
    assert "198001139297" not in user.username
    assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "inte ett giltigt personnummer"),
        ("198001139298", "inte ett giltigt personnummer"),  # wrong check digit
    ],
)
def test_refuses_anything_but_a_test_personnummer(client, settings, typed, message):
    settings.DEMO_MODE = True
    response = client.post(reverse("identity:dev-eid"), {"personnummer": typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_next_cannot_send_the_user_to_another_site(client, settings):
    settings.DEMO_MODE = True
    response = client.post(
        reverse("identity:dev-eid"), {"personnummer": "198001139297", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("portal:home")


def test_refuses_a_valid_number_that_is_not_a_test_identity(client, settings, monkeypatch):
    # We may not write down a real-looking number that is not Skatteverket's, so the list is narrowed instead.
    settings.DEMO_MODE = True
    monkeypatch.setattr("bistand.identity.forms.is_test_identity", lambda number: number != "198001139297")
    response = client.post(reverse("identity:dev-eid"), {"personnummer": "198001139297"})
    assert "bara emot Skatteverkets testpersonnummer" in response.content.decode()
    assert not Person.objects.exists()


def test_a_known_person_signs_in_to_their_existing_account(client, settings, citizen):
    settings.DEMO_MODE = True
    client.post(reverse("identity:dev-eid"), {"personnummer": "198001139297"})
    assert User.objects.filter(person=citizen.person).count() == 1
    assert int(client.session["_auth_user_id"]) == citizen.pk
