"""Which staff routes read personal data, and what each one is about (object, case, person).

The access-log middleware asks `target_for` about every staff request. Routes listed here are described
precisely; any other route with an id in its path is still logged, under its route name, so a page added
later is never read unlogged. Lists that show names (the queue) are logged as one entry for the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bistand.accesslog.models import AccessLogEntry
from bistand.cases.models import Case
from bistand.oversight.models import RandomCheck

READ = AccessLogEntry.Action.READ
DOWNLOAD = AccessLogEntry.Action.DOWNLOAD
EXPORT = AccessLogEntry.Action.EXPORT


@dataclass(frozen=True)
class Target:
    """What a request is about, as the access log records it."""

    object_type: str
    object_id: str = ""
    case_id: int | None = None
    person_id: int | None = None
    action: str = READ


def _person_of_case(case_id: int | None) -> int | None:

    if case_id is None:
        return None
    return Case.objects.filter(pk=case_id).values_list("applicant_id", flat=True).first()


def _case_route(object_type: str, object_kw: str | None = None, action: str = READ):
    def describe(kwargs: dict[str, Any]) -> Target:
        case_id = int(kwargs["case_id"])
        object_id = kwargs.get(object_kw) if object_kw else case_id
        return Target(object_type, str(object_id), case_id, _person_of_case(case_id), action)

    return describe


def _random_check(kwargs: dict[str, Any]) -> Target:

    check_id = int(kwargs["check_id"])
    case_id = RandomCheck.objects.filter(pk=check_id).values_list("case_id", flat=True).first()
    return Target("oversight.randomcheck", str(check_id), case_id, _person_of_case(case_id))


def _fixed(object_type: str, action: str = READ, object_kw: str | None = None):
    def describe(kwargs: dict[str, Any]) -> Target:
        return Target(object_type, str(kwargs.get(object_kw, "")) if object_kw else "", action=action)

    return describe


# URL name -> how to describe a staff request to it.
ROUTES: dict[str, Callable[[dict[str, Any]], Target]] = {
    "casework:case": _case_route("casework.case"),
    "casework:preview": _case_route("decisions.letter_preview", "draft_id", DOWNLOAD),
    "casework:upload": _case_route("portal.upload", "upload", DOWNLOAD),
    "api:case": _case_route("casework.case"),
    "casework:queue": _fixed("casework.queue"),
    "oversight:random-check": _random_check,
    "oversight:random-checks": _fixed("oversight.randomcheck_list"),
    "oversight:appeals": _fixed("oversight.appeal_list"),
    "payments:file": _fixed("payments.paymentfile", READ, "file_id"),
    "payments:download-file": _fixed("payments.paymentfile", DOWNLOAD, "file_id"),
    "payments:ledger-csv": _fixed("payments.ledger", EXPORT),
    "payments:overview": _fixed("payments.overview"),
}

# Routes that show no one's personal data, even to staff: nothing to log.
NOT_PERSONAL = frozenset(
    {
        "core:home",
        "core:healthz",
        "casework:workload",
        "oversight:dashboard",
        "oversight:dashboard-csv",
        "oversight:budget",
        "oversight:settings",
        "identity:logout",
        "identity:staff-login",
        "set_language",
    }
)


def target_for(route: str, kwargs: dict[str, Any]) -> Target | None:
    """What a staff request to `route` reads, or None when it reads no one's personal data."""
    if route in ROUTES:
        return ROUTES[route](kwargs)
    if route in NOT_PERSONAL or route.startswith(("audit:", "security:")):
        # The audit pages log themselves, with what was searched for.
        return None
    if "case_id" in kwargs:
        return _case_route(route)(kwargs)
    ids = {k: v for k, v in kwargs.items() if k.endswith("_id") or k == "reference"}
    if ids:
        return Target(route, ",".join(f"{k}={v}" for k, v in sorted(ids.items())))
    return None
