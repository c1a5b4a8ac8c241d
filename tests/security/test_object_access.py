"""Every URL with an object id in it, tried as each kind of wrong user: refused, never shown, never a 500.

The URL patterns are read from the resolver, so a page added later is tried too — and fails this test if
nobody said what its id means (`IDS` in conftest) or who it belongs to (`OWNER`).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bistand.identity.models import User

pytestmark = pytest.mark.django_db

# Routes that are public by design: the transparency pages take a municipality code, not a person's id.
PUBLIC = {
    "oversight:transparency",
    "oversight:calculator",
    "oversight:open-data-csv",
    "oversight:open-data-json",
    "oversight:norm-json",
}
# Who may use each object route: the owner citizen, the owner unit's caseworker, or finance.
OWNER = {
    "intake": "owner",
    "portal": "owner",
    "casework": "caseworker",
    "oversight": "caseworker",
    "payments": "finance",
    "api": "caseworker",
}
# Routes whose id is not the open draft's reference.
SUBMITTED_REFERENCE = {"portal:application", "portal:scan", "intake:received", "intake:decision-status"}
LOGIN_PATHS = ("/login/", "/staff/login/")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for item in patterns:
        if isinstance(item, URLResolver):
            ns = (
                f"{namespace}:{item.namespace}"
                if namespace and item.namespace
                else item.namespace or namespace
            )
            yield from _walk(item.url_patterns, prefix + str(item.pattern), ns)
        elif isinstance(item, URLPattern) and item.name:
            yield (f"{namespace}:{item.name}" if namespace else item.name), item.pattern.converters


def object_routes() -> list[tuple[str, tuple[str, ...]]]:
    """(route name, keyword names) of every route whose path takes an argument."""
    seen = {}
    for name, converters in _walk(get_resolver().url_patterns):
        if converters and name not in seen:
            seen[name] = tuple(converters)
    return sorted(seen.items())


def _upload(world):
    """A document the owner sent for the world's documentation request (made when a route needs one)."""
    from django.core.files.base import ContentFile

    from bistand.conversation.models import DocumentRequest, Upload

    if "upload" not in world.ids:
        upload = Upload(
            request=DocumentRequest.objects.get(pk=world.ids["request_id"]),
            uploaded_by=world.owner.person,
            kind="pdf",
            size=9,
            sha256="0" * 64,
            display_name="kontoutdrag.pdf",
        )
        upload.file.save("test.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        upload.save()
        world.ids["upload"] = upload.reference
    return world.ids["upload"]


def url_for(world, route: str, keywords: tuple[str, ...]) -> str:
    if "upload" in keywords:
        _upload(world)
    kwargs = {k: world.ids[k] for k in keywords}
    if route in SUBMITTED_REFERENCE:
        kwargs["reference"] = world.extra["submitted"].reference
    return reverse(route, kwargs=kwargs)


def _client(user: User | None) -> Client:
    client = Client(enforce_csrf_checks=False)  # authorisation is what is tested here, not CSRF
    if user is not None:
        client.force_login(user)
    return client


def assert_refused(response, route: str, who: str, method: str) -> None:
    status = response.status_code
    where = f"{method} {route} as {who}"
    assert status < 500, f"{where}: server error {status}"
    if status in (301, 302, 303):
        location = response["Location"]
        assert location.startswith(LOGIN_PATHS), f"{where}: redirected to {location}, not to a sign-in page"
        return
    assert status in (401, 403, 404, 405), f"{where}: answered {status}"


def test_every_object_route_is_known():
    routes = dict(object_routes())
    unknown = {r for r in routes if r not in PUBLIC and r.split(":")[0] not in OWNER}
    assert not unknown, f"object routes nobody has classified: {unknown}"
    assert "casework:case" in routes and "portal:decision" in routes and "api:case" in routes


def test_wrong_users_are_refused_everywhere(world):
    attackers = {
        "anonymous": None,
        "another citizen": world.other_citizen,
        "a caseworker of another municipality": world.other_caseworker,
        "a caseworker of another unit in the same municipality": world.sibling_caseworker,
        "finance of another municipality": world.other_finance,
        "the auditor": world.auditor,
    }
    tried = 0
    for route, keywords in object_routes():
        if route in PUBLIC:
            continue
        owner_kind = OWNER[route.split(":")[0]]
        url = url_for(world, route, keywords)
        who_else = dict(attackers)
        # Same municipality, wrong role: finance must not read cases, caseworkers not payment files,
        # and staff never a citizen's own pages.
        if owner_kind != "finance":
            who_else["finance of the same unit"] = world.finance
        if owner_kind == "finance":
            who_else["a caseworker of the same unit"] = world.caseworker
        if owner_kind == "owner":
            who_else["a caseworker of the same unit"] = world.caseworker
        for who, user in who_else.items():
            client = _client(user)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert_refused(response, route, who, method.upper())
                tried += 1
    assert tried > 150


def test_the_rightful_user_gets_in(world):
    """The same URLs work for the person they belong to: the refusals above are not just bad ids."""
    rightful = {"owner": world.owner, "caseworker": world.caseworker, "finance": world.finance}
    # POST-only routes, and those that need a state the world does not have (e.g. a pending signature).
    not_a_page = {
        "intake:act-for",
        "intake:sign",
        "intake:discard",
        "intake:waiting",
        "intake:cosign",
        "intake:renewal",
        "casework:take",
        "casework:draft",
        "casework:submit",
        "casework:approve",
        "casework:note",
        "casework:documents",
        "casework:message",
        "casework:kommunicering",
        "casework:kommunicering-reply",
        "casework:plan",
        "casework:emergency",
        "casework:certificate",
        "payments:release-file",
        "payments:mark-sent",
        "payments:void-file",
        "payments:download-file",  # only once the file is released
        "portal:letter-translated",  # only for a letter in another language
        "portal:revoke-power",
        "intake:power-ended",  # for the agent, once the power has ended
        "casework:revoke-power",
        "casework:power-document",  # only when the signed paper was scanned
        "casework:resolve-payment",
        "casework:concern-reported",
        "casework:acknowledge-finding",
        "casework:look-up-again",
        "payments:resolve-held",
        "payments:hand-out",
        "casework:supplement",
        "casework:supplement-decide",
    }
    for route, keywords in object_routes():
        if route in PUBLIC or route in not_a_page:
            continue
        user = rightful[OWNER[route.split(":")[0]]]
        response = _client(user).get(url_for(world, route, keywords))
        assert response.status_code == 200, f"GET {route} as its owner: {response.status_code}"


def test_an_auditor_reads_only(world):
    """Auditors read the access log; they change nothing in a case, and cannot open the casework pages."""
    client = _client(world.auditor)
    case_id = world.case.pk
    notes_before = world.case.journal.count()
    for route in ("casework:note", "casework:take", "casework:message", "casework:documents"):
        response = client.post(reverse(route, args=[case_id]), {"text": "x", "body": "x"})
        assert response.status_code == 403, route
    assert client.get(reverse("casework:case", args=[case_id])).status_code == 403
    assert client.get(reverse("audit:search")).status_code == 200
    assert world.case.journal.count() == notes_before


def test_api_case_by_id_for_others_is_404(world):
    from bistand.identity.tokens import issue_token

    token = issue_token(world.other_citizen)
    client = Client()
    response = client.get(
        reverse("api:case", args=[world.case.pk]), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 404
    missing = client.get(reverse("api:case", args=[999999]), headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404  # the same answer: an id is never confirmed
    assert client.get(reverse("api:case", args=[world.case.pk])).status_code == 401


def test_non_object_staff_pages_refuse_citizens_and_anonymous(world):
    """Lists and dashboards without an id in the path: not for citizens, not without signing in."""
    for route in (
        "casework:queue",
        "casework:workload",
        "casework:paper",
        "payments:overview",
        "payments:ledger-csv",
        "oversight:dashboard",
        "oversight:dashboard-csv",
        "oversight:random-checks",
        "oversight:appeals",
        "audit:search",
        "audit:export",
        "audit:verify",
        "audit:extract",
    ):
        url = reverse(route)
        for who, user in (("anonymous", None), ("a citizen", world.other_citizen)):
            assert_refused(_client(user).get(url), route, who, "GET")
    # And the audit pages are for auditors only.
    for user in (world.caseworker, world.finance, world.team_lead):
        assert _client(user).get(reverse("audit:search")).status_code == 403


def test_absurd_ids_are_refused_not_crashed(world):
    """Ids no database holds (too large for an integer column, zero): a 404, never a 500."""
    huge = "9" * 30
    for user, paths in (
        (world.caseworker, [f"/casework/cases/{huge}/", f"/api/v1/cases/{huge}", "/casework/cases/0/"]),
        (world.owner, [f"/my/decisions/{huge}/", f"/my/requests/{huge}/", f"/my/cases/{huge}/messages/"]),
        (world.finance, [f"/finance/files/{huge}/"]),
    ):
        client = _client(user)
        for path in paths:
            assert client.get(path).status_code == 404, path


def test_a_protected_case_opens_only_for_the_restricted_group(unit):
    """Same unit, right role — but not in "Skyddade personuppgifter": every case route is a 404."""
    from bistand.identity.models import Person
    from tests.security.conftest import build_world, grant_protected

    world = build_world(unit, owner_kwargs={"protection": Person.Protection.SKYDDAD_FOLKBOKFORING})
    # Every staff route about a case or a person (read from the resolver, so a new one is tried too), as
    # a caseworker and a team lead of the case's own unit. Payment files (finance) hold amounts and masked
    # accounts, not persons, and are tried as the wrong municipality above.
    tried = 0
    for outsider in (_client(world.caseworker), _client(world.team_lead)):
        for route, keywords in object_routes():
            if route in PUBLIC or OWNER[route.split(":")[0]] != "caseworker":
                continue
            url = url_for(world, route, keywords)
            for method in ("get", "post"):
                response = getattr(outsider, method)(url)
                assert response.status_code in (404, 405), f"{method.upper()} {route}: {response.status_code}"
                tried += 1
    assert tried >= 2 * 2 * 13
    grant_protected(world.caseworker)
    insider = _client(world.caseworker)
    assert insider.get(reverse("casework:case", args=[world.case.pk])).status_code == 200
    assert insider.get(reverse("oversight:random-check", args=[world.ids["check_id"]])).status_code == 200
