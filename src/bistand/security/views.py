"""The second step of a staff sign-in: enrol an authenticator app once, then type its code each time."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bistand.security import throttle, totp
from bistand.security.middleware import SECOND_FACTOR, is_staff_user
from bistand.security.models import TotpDevice

logger = logging.getLogger(__name__)
MAX_CODE_FAILURES = 5
FAILURES = "second_factor_failures"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod från appen (sex siffror)"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "ds-input"}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        user = request.user
        target = (
            reverse("payments:overview") if getattr(user, "is_finance", False) else reverse("casework:queue")
        )
        if user.role in {"auditor"}:
            target = reverse("audit:search")
    return target


def _done(request: HttpRequest) -> HttpResponse:
    target = _next(request)
    # A new session id once fully signed in: a session id seen before the second step is worth nothing.
    request.session.cycle_key()
    request.session[SECOND_FACTOR] = request.user.pk
    request.session.pop(FAILURES, None)
    return redirect(target)


def _failed(request: HttpRequest, form: CodeForm) -> HttpResponse | None:
    """Count a wrong code; after too many the session ends (and the account's failures feed the lockout)."""
    throttle.record_failure(request.user.get_username(), request, kind="totp")
    failures = request.session.get(FAILURES, 0) + 1
    request.session[FAILURES] = failures
    if failures >= MAX_CODE_FAILURES or throttle.locked_out(request.user.get_username(), request):
        logger.warning("second factor failed too often; signed out", extra={"user_id": request.user.pk})
        auth.logout(request)
        flash.error(request, _("För många felaktiga koder. Du har loggats ut. Försök igen om en stund."))
        return redirect("identity:staff-login")
    form.add_error(
        "code", _("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen.")
    )
    return None


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    if not is_staff_user(request.user):
        return redirect("identity:staff-login")
    return None


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: show a new secret (as text and as an otpauth link), confirm it with a code."""
    if refused := _staff_only(request):
        return refused
    device = TotpDevice.objects.filter(user=request.user).first()
    if device is not None and device.confirmed:
        return redirect(f"{reverse('security:two-factor')}?{urlencode({'next': _next(request)})}")
    if device is None:
        device = TotpDevice.objects.create(user=request.user, secret=totp.new_secret())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "skip-demo" and settings.DEMO_MODE:
        # Demo mode only: the demo accounts may look around without an authenticator app.
        logger.warning("second factor skipped in demo mode", extra={"user_id": request.user.pk})
        return _done(request)
    if request.method == "POST" and form.is_valid():
        step = totp.match(device.secret, form.cleaned_data["code"], last_step=device.last_step)
        if step is not None:
            TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now(), last_step=step)
            flash.success(
                request, _("Tvåstegsverifieringen är på. Nästa gång frågar vi efter en kod från appen.")
            )
            return _done(request)
        if refused := _failed(request, form):
            return refused
    return render(
        request,
        "security/enrol.html",
        {
            "form": form,
            "secret": totp.grouped(device.secret),
            "uri": totp.provisioning_uri(device.secret, request.user.get_username()),
            "next": _next(request),
            "demo_mode": settings.DEMO_MODE,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Every sign-in: the code from the app, once per time step."""
    if refused := _staff_only(request):
        return refused
    device = TotpDevice.objects.filter(user=request.user, confirmed_at__isnull=False).first()
    if device is None:
        return redirect(f"{reverse('security:enrol')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = totp.match(device.secret, form.cleaned_data["code"], last_step=device.last_step)
        # Claim the step atomically: two requests with the same code cannot both pass.
        if step is not None and TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
            last_step=step
        ):
            return _done(request)
        if refused := _failed(request, form):
            return refused
    return render(
        request,
        "security/two_factor.html",
        {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )
