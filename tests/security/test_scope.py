"""Staff see a person only within their municipality, and a protected person only in the restricted group.

`cases.scope` is the one place that decides; every staff view that finds a person by personnummer goes
through it. The routes are read from the resolver: a new route that takes no id fails
`test_every_route_without_an_id_is_classified` until someone says whether it names a person.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bistand.audit.models import AccessLogEntry
from bistand.cases.scope import may_see_person
from bistand.identity.models import Person, User
from tests.conftest import make_staff
from tests.security.conftest import build_world, grant_protected
from tests.security.test_object_access import _walk

pytestmark = pytest.mark.django_db

# Staff routes that find a person by the personnummer typed into them: (method, field).
PERSON_BY_NUMBER = {
    "audit:extract": ("post", "personnummer"),
    "audit:search": ("get", "personnummer"),
    "audit:export": ("get", "personnummer"),
}
# Routes without an id that name no person from their input (lists are scoped by unit in their views;
# the paper registration writes an application and shows nothing about the person).
NO_PERSON_LOOKUP = {
    "api:applications",
    "api:calculate",
    "api:dev-token",
    "api:openapi",
    # A tilläggsansökan for the signed-in citizen's own decided months (tests/intake/test_supplement.py).
    "api:supplements",
    "audit:verify",
    "casework:paper",
    "casework:paper-form",
    # Registers a power for the numbers typed; lists only the unit's powers, a protected person's only for
    # the restricted group (tests/intake/test_powers.py).
    "casework:powers",
    "casework:queue",
    "casework:workload",
    "core:healthz",
    "core:home",
    "identity:citizen-login",
    "identity:dev-eid",
    "identity:logout",
    "identity:oidc-callback",
    "identity:oidc-login",
    "identity:staff-login",
    "intake:act-self",
    "intake:apply",
    "intake:start",
    "oversight:appeals",
    "oversight:budget",
    "oversight:dashboard",
    "oversight:dashboard-csv",
    "oversight:random-checks",
    "oversight:settings",
    "oversight:transparency-index",
    "payments:create-file",
    "payments:import-status",
    "payments:ledger-csv",
    "payments:overview",
    "portal:home",
    "portal:payout-account",
    "portal:supplement",
    "security:enrol",
    "security:two-factor",
    "set_language",
}


def routes_without_an_id() -> set[str]:
    from django.urls import get_resolver

    return {name for name, converters in _walk(get_resolver().url_patterns) if not converters}


def test_every_route_without_an_id_is_classified():
    unknown = routes_without_an_id() - PERSON_BY_NUMBER.keys() - NO_PERSON_LOOKUP
    assert not unknown, f"routes nobody has said whether they name a person: {unknown}"


def _ask(user: User, route: str, personnummer: str):
    method, field = PERSON_BY_NUMBER[route]
    client = Client()
    client.force_login(user)
    return getattr(client, method)(reverse(route), {field: personnummer})


def _saw(response, person: Person) -> bool:
    """Whether the answer gave anything about the person: a ZIP, or a log search that found them."""
    if response.get("Content-Type", "").startswith("application/zip"):
        return True
    entry = AccessLogEntry.objects.order_by("-seq").first()
    return entry is not None and entry.action in ("search", "export") and entry.person_id == person.pk


def _walk_person_routes(user: User, person: Person) -> dict[str, bool]:
    return {route: _saw(_ask(user, route, person.personnummer), person) for route in PERSON_BY_NUMBER}


def test_an_auditor_of_another_municipality_gets_nobody(unit):
    """Issue 20 #1: an auditor of another municipality downloaded a citizen's full register extract."""
    world = build_world(unit)
    foreign = make_staff("granskare-malmo", world.other_caseworker.unit, role=User.Role.AUDITOR)
    person = world.owner.person

    assert not may_see_person(foreign, person)
    assert _walk_person_routes(foreign, person) == dict.fromkeys(PERSON_BY_NUMBER, False)
    # Refused the same way as a number nobody holds: the number is not confirmed either.
    refused = _ask(foreign, "audit:extract", person.personnummer)
    unknown = _ask(foreign, "audit:extract", "190101010175")
    assert refused.status_code == unknown.status_code == 400
    assert "Vi har inga uppgifter" in refused.content.decode()
    # The municipality's own auditor is served: the refusals are not just broken routes.
    assert _walk_person_routes(world.auditor, person) == dict.fromkeys(PERSON_BY_NUMBER, True)


def test_a_protected_person_only_for_the_restricted_group(unit):
    """Issue 20 #1: the extract of a protected person went to an auditor outside the group."""
    world = build_world(unit, owner_kwargs={"protection": Person.Protection.SKYDDAD_FOLKBOKFORING})
    person = world.owner.person
    admin = make_staff("admin-owner-unit", unit, role=User.Role.ADMIN)

    for outsider in (world.auditor, admin):
        assert _walk_person_routes(outsider, person) == dict.fromkeys(PERSON_BY_NUMBER, False)
    grant_protected(world.auditor)
    auditor = User.objects.get(pk=world.auditor.pk)
    assert _walk_person_routes(auditor, person) == dict.fromkeys(PERSON_BY_NUMBER, True)
