"""Fixtures shared by the whole suite: an organisation with staff and citizens, and the worker."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from bistand.identity.models import Municipality, Person, Unit, User
from bistand.payments.models import PayoutSchedule
from tests.browser import browser, new_page  # noqa: F401
from tests.simulator import _registers_admin, find, population, registers, registers_simulator  # noqa: F401

# Skatteverket test personnummer only (src/bistand/testdata/).
CITIZEN_PNR = "198001139297"
OTHER_CITIZEN_PNR = "198001249286"
PROTECTED_PNR = "198502069993"
STAFF_PASSWORD = "korrekt-häst-batteri-42"


def database_url() -> str:
    """The test database as a DATABASE_URL, for the real worker and command subprocesses tests start."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Staff accounts are made in many tests; the production hasher would cost most of a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def staff_without_second_factor(settings):
    """Staff sign in with a TOTP code in production; tests/security checks that step, the rest skip it."""
    settings.STAFF_TWO_FACTOR = False


@pytest.fixture(autouse=True)
def swedish_to_start_with():
    """Each test starts in Swedish: a test client's request leaves its page language active in the
    thread (LocaleMiddleware), which would otherwise leak into the next test on the same worker."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def own_access_log_witness(monkeypatch, tmp_path):
    """Each test keeps its access-log head in its own folder: a head kept by another test's database
    would not be in this one's chain."""
    from bistand.accesslog import chain

    monkeypatch.setattr(chain, "_witness_path", lambda: tmp_path / "access-log-head")


# The nämnd's delegation to the automated decision function, as the test municipality records it.
TEST_DELEGATION = {
    "body": "Socialnämnden",
    "date": "2019-11-20",
    "reference": "SN 2019-11-20 § 112",
    "scope": "beslut som beviljar hela det sökta försörjningsstödet för återkommande hushåll",
    "valid_from": "2020-01-01",
}


def delegate(municipality: Municipality, delegation: dict | None = None, **config) -> None:
    """Record the municipality's automation policy with a delegation (the default rules unless given)."""
    from bistand.casework.models import AutomationPolicy

    AutomationPolicy.objects.create(
        municipality=municipality,
        version=f"test-{AutomationPolicy.objects.filter(municipality=municipality).count() + 1}",
        valid_from=datetime.date(2020, 1, 1),
        delegation=TEST_DELEGATION if delegation is None else delegation,
        config=config,
    )


@pytest.fixture
def municipality(db) -> Municipality:
    """A municipality whose nämnd has delegated routine decisions to the robot from 2020."""
    municipality = Municipality.objects.create(code="1287", name="Trelleborgs kommun")
    delegate(municipality)
    return municipality


@pytest.fixture
def unit(municipality) -> Unit:
    return Unit.objects.create(municipality=municipality, name="Försörjningsstöd", handles_intake=True)


@pytest.fixture
def other_unit(db) -> Unit:
    other = Municipality.objects.create(code="1280", name="Malmö stad")
    return Unit.objects.create(municipality=other, name="Försörjningsstöd Malmö", handles_intake=True)


def make_staff(username: str, unit: Unit | None, role: str = User.Role.CASEWORKER) -> User:
    user = User(username=username, role=role, unit=unit, first_name="Kim", last_name="Handläggare")
    user.set_password(STAFF_PASSWORD)
    user.save()
    return user


def make_citizen(personnummer: str, municipality: Municipality, first_name: str = "Erik", **extra) -> User:
    person = Person.objects.create(
        personnummer=personnummer,
        first_name=first_name,
        last_name="Demosson",
        municipality=municipality,
        **extra,
    )
    user = User(username=f"citizen-{person.pk}", role=User.Role.CITIZEN, person=person)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def caseworker(unit) -> User:
    return make_staff("handlaggare1", unit)


@pytest.fixture
def citizen(municipality) -> User:
    return make_citizen(CITIZEN_PNR, municipality)


@pytest.fixture
def schedule(municipality) -> PayoutSchedule:
    return PayoutSchedule.objects.create(
        municipality=municipality,
        payer_name="Trelleborgs kommun",
        payer_organisation_number="2120001165",
        payer_clearing_number="5000",
        payer_account_number="1001000",
        payer_bic="ESSESESS",
        cost_codes={"livelihood": "4711", "rent": "4712"},
    )


@pytest.fixture
def finance(unit) -> User:
    return make_staff("ekonomi1", unit, role=User.Role.FINANCE)


@pytest.fixture
def finance2(unit) -> User:
    return make_staff("ekonomi2", unit, role=User.Role.FINANCE)


@pytest.fixture
def run_tasks(transactional_db):
    """Drain the task queue with the real worker, as `bistand run` would in the background.

    Transactional: the worker commits and closes connections as it would in production.
    """

    def run() -> None:
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run
