"""Every staff view that names a person finds it through `cases.scope` — the one place (issue 20).

Generated from the URL configuration: each staff route with an object id (a case, a scan, a random check, a
power of attorney) is opened by the rightful caseworker, and must have asked `cases.scope`; a new view
that finds its case some other way fails here. Then, with the access-log middleware's own check for
protected cases switched off, a caseworker of another unit and one outside "Skyddade personuppgifter" are
still refused on every such route — by the views themselves, through the scope.
"""

from __future__ import annotations

import pytest

from bistand.cases import scope
from bistand.identity.models import Person
from tests.security.conftest import build_world, grant_protected
from tests.security.test_object_access import OWNER, PUBLIC, _client, object_routes, url_for

pytestmark = pytest.mark.django_db


def staff_person_routes() -> list[tuple[str, tuple[str, ...]]]:
    """Staff routes with an object id that belongs to a case or a person (finance's files name neither)."""
    return [
        (route, keywords)
        for route, keywords in object_routes()
        if route not in PUBLIC and OWNER[route.split(":")[0]] == "caseworker"
    ]


def test_every_staff_view_of_a_person_asks_the_scope(unit, monkeypatch):
    world = build_world(unit)
    asked = []
    original = scope.may_handle_protected

    def counting(user):
        asked.append(user.pk)
        return original(user)

    monkeypatch.setattr(scope, "may_handle_protected", counting)
    client = _client(world.caseworker)
    routes = staff_person_routes()
    assert len(routes) >= 20
    for route, keywords in routes:
        url = url_for(world, route, keywords)
        asked.clear()
        response = client.get(url)
        if response.status_code == 405:
            asked.clear()
            response = client.post(url)
        assert response.status_code < 500, f"{route}: {response.status_code}"
        assert asked, f"{route} finds its object without asking cases.scope"


def test_the_views_themselves_refuse_another_unit_and_staff_outside_the_protected_group(unit, monkeypatch):
    """Without the access-log middleware's check, case pages were scoped by unit only: a protected case
    opened for any caseworker of its unit."""
    monkeypatch.setattr("bistand.audit.middleware.may_open_case", lambda user, case_id: True)
    world = build_world(unit, owner_kwargs={"protection": Person.Protection.SKYDDAD_FOLKBOKFORING})
    outsiders = {
        "a caseworker of another unit": world.sibling_caseworker,
        "a caseworker of another municipality": world.other_caseworker,
        "a caseworker outside the protected group": world.caseworker,
        "a team lead outside the protected group": world.team_lead,
    }
    tried = 0
    for who, user in outsiders.items():
        client = _client(user)
        for route, keywords in staff_person_routes():
            url = url_for(world, route, keywords)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                assert status in (403, 404, 405), f"{method.upper()} {route} as {who}: {status}"
                tried += 1
    assert tried >= 4 * 2 * 20
    grant_protected(world.caseworker)
    insider = _client(world.caseworker)
    for route in ("casework:case", "api:case"):
        url = url_for(world, route, ("case_id",))
        assert insider.get(url).status_code == 200, route
