"""The auditor's pages: search and export the access log, check its chain, and make register extracts.

Auditors (granskare) only — and administrators for the register extract, which answers a person's
Art. 15 request. Everything here reads; nothing changes. Reading the log is itself logged, with what was
searched for, so even the auditors leave a trace.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bistand.audit import chain, extract
from bistand.audit.forms import ExtractForm, SearchForm
from bistand.audit.models import AccessLogEntry
from bistand.cases.models import Case
from bistand.cases.scope import visible_person
from bistand.identity.models import Person, Unit, User

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000
CSV_COLUMNS = (
    "seq",
    "at",
    "user_id",
    "username",
    "role",
    "unit_id",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "person_id",
    "purpose",
    "prev_hash",
    "hash",
)


def _roles_required(*roles: str):
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("identity:staff-login"))
            if user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


auditor_required = _roles_required(User.Role.AUDITOR)
extract_required = _roles_required(User.Role.AUDITOR, User.Role.ADMIN)


def _scoped(user: User) -> QuerySet:
    """An auditor of a municipality sees the entries of that municipality's staff and cases."""
    entries = AccessLogEntry.objects.all()
    if user.unit_id is None:
        return entries
    municipality = user.unit.municipality_id
    units = list(Unit.objects.filter(municipality_id=municipality).values_list("pk", flat=True))
    cases = Case.objects.filter(unit__municipality_id=municipality).values_list("pk", flat=True)
    return entries.filter(Q(unit_id__in=units) | Q(case_id__in=cases) | Q(user_id=user.pk))


def _filtered(request: HttpRequest) -> tuple[SearchForm, QuerySet, Person | None, str]:
    form = SearchForm(request.GET or None)
    entries = _scoped(request.user)
    person = None
    described: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        if data["personnummer"]:
            person = visible_person(request.user, data["personnummer"])
            entries = entries.filter(person_id=person.pk) if person else entries.none()
            described.append(f"person={person.pk if person else '?'}")
        if data["username"]:
            entries = entries.filter(username=data["username"])
            described.append(f"user={data['username']}")
        if data["case_id"]:
            entries = entries.filter(case_id=data["case_id"])
            described.append(f"case={data['case_id']}")
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
            described.append(f"from={data['date_from']}")
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
            described.append(f"to={data['date_to']}")
    elif form.is_bound:
        entries = entries.none()
    return form, entries.order_by("-seq"), person, " ".join(described)


@auditor_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form, entries, person, described = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    # Read the page now: the entry for this search, written next, is not part of its own result.
    page.object_list = list(page.object_list)
    chain.append(
        user=request.user,
        action=AccessLogEntry.Action.SEARCH,
        object_type="audit.accesslog",
        person_id=person.pk if person else None,
        purpose=f"GET audit:search {described}".strip(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "query": query.urlencode(), "roles": dict(User.Role.choices)},
    )


@auditor_required
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    _form, entries, person, described = _filtered(request)
    chain.append(
        user=request.user,
        action=AccessLogEntry.Action.EXPORT,
        object_type="audit.accesslog",
        person_id=person.pk if person else None,
        purpose=f"GET audit:export {described}".strip(),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="atkomstlogg-{timezone.localdate():%Y%m%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for e in entries[:EXPORT_LIMIT].iterator():
        row = {
            "at": e.at.isoformat(),
            "username": _cell(e.username),
            "object_type": _cell(e.object_type),
            "object_id": _cell(e.object_id),
            "purpose": _cell(e.purpose),
        }
        writer.writerow([row[name] if name in row else getattr(e, name) for name in CSV_COLUMNS])
    return response


def _cell(value: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (CSV injection)."""
    value = value or ""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


@auditor_required
@require_safe
def verify(request: HttpRequest) -> HttpResponse:
    verdict = chain.witnessed()
    return render(request, "audit/verify.html", {"verdict": verdict})


@extract_required
@require_http_methods(["GET", "POST"])
def register_extract(request: HttpRequest) -> HttpResponse:
    """Art. 15: a person's register extract as a ZIP file (JSON and the files)."""
    form = ExtractForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # Scoped like every staff view of a person: own municipality, protected only in the group.
            person = visible_person(request.user, form.cleaned_data["personnummer"])
            if person is not None:
                content = extract.build_zip(person)
                chain.append(
                    user=request.user,
                    action=AccessLogEntry.Action.EXTRACT,
                    object_type="identity.person",
                    object_id=person.pk,
                    person_id=person.pk,
                    purpose="POST audit:extract",
                )
                response = HttpResponse(content, content_type="application/zip")
                response["Content-Disposition"] = f'attachment; filename="registerutdrag-{person.pk}.zip"'
                return response
            form.add_error("personnummer", _("Vi har inga uppgifter om den personen."))
        status = 400
    return render(request, "audit/extract.html", {"form": form}, status=status)
