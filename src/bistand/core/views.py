"""The start page and the health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from bistand.core.health import check_database, check_worker


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and a worker's heartbeat is recent, else 503 naming what failed."""
    checks = {"database": check_database(), "worker": check_worker()}
    healthy = all(ok for ok, _detail in checks.values())
    body = {"status": "ok" if healthy else "unhealthy", "checks": {k: d for k, (_ok, d) in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
