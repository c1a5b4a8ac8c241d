"""Signing in and out: the citizen's eID and the staff's username and password."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from bistand.identity import oidc
from bistand.identity.forms import DevEidForm
from bistand.identity.models import Person, User

logger = logging.getLogger(__name__)


def citizen_login(request: HttpRequest) -> HttpResponse:
    """The citizen's way in: e-legitimation (BankID, Freja) through the municipality's eID broker."""
    return render(
        request,
        "identity/citizen_login.html",
        {"dev_eid_enabled": settings.DEMO_MODE, "oidc_enabled": oidc.enabled()},
    )


def account_for(personnummer: str) -> User:
    """The citizen account of the person with this number, created on first sign-in."""
    person, _created = Person.objects.get_or_create(
        personnummer=personnummer, defaults={"first_name": "Testperson", "last_name": ""}
    )
    user = User.objects.filter(person=person).first()
    if user is None:
        # The username is derived, not the personnummer itself: usernames show up in logs and lists.
        username = "eid-" + hashlib.sha256(personnummer.encode()).hexdigest()[:20]
        user = User(username=username, role=User.Role.CITIZEN, person=person)
        user.set_unusable_password()
        user.save()
    return user


@require_http_methods(["GET", "POST"])
def dev_eid(request: HttpRequest) -> HttpResponse:
    """Development eID: sign in as one of Skatteverket's test persons. Exists only in demo mode."""
    if not settings.DEMO_MODE:
        raise Http404
    form = DevEidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = account_for(form.cleaned_data["personnummer"])
        auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        # Signatures record which eID was used (after login: the session is new).
        request.session["eid_method"] = "dev-eid"
        logger.info("citizen signed in with development eID", extra={"user_id": user.pk})
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            next_url = reverse_lazy("portal:home")
        return redirect(next_url)
    demo_citizens = Person.objects.filter(account__role=User.Role.CITIZEN).order_by("pk")[:6]
    return render(
        request,
        "identity/dev_eid.html",
        {"form": form, "demo_citizens": demo_citizens, "next": request.GET.get("next", "")},
    )


class StaffLoginView(auth_views.LoginView):
    """Username and password for caseworkers, team leads and administrators."""

    template_name = "identity/staff_login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if user.is_finance:
            return str(reverse_lazy("payments:overview"))
        if user.role in (User.Role.ADMIN, User.Role.AUDITOR):
            return "/oversight/"
        return str(reverse_lazy("casework:queue"))


@require_http_methods(["POST"])
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("core:home")
