"""Who may open which page: citizens their own pages, staff their unit's cases."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def caseworker_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only caseworkers and team leads who belong to a unit."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("identity:staff-login"))
        if not user.is_caseworker or user.unit_id is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def finance_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only finance staff (ekonomi) who belong to a unit, and so to a municipality."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("identity:staff-login"))
        if not user.is_finance or user.unit_id is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


MANAGER_ROLES = frozenset({"team_lead", "admin", "auditor"})


def manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only team leads, administrators and auditors who belong to a unit (oversight dashboards)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("identity:staff-login"))
        if user.role not in MANAGER_ROLES or user.unit_id is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
