"""The two OpenID Connect endpoints: off to the eID broker, and back with a signed identity."""

from __future__ import annotations

import logging

from django.contrib import auth
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from bistand.identity import oidc
from bistand.identity.views import account_for

logger = logging.getLogger(__name__)


def _redirect_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("identity:oidc-callback"))


@require_GET
def oidc_login(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("portal:home")
    try:
        url, flow = oidc.authorization_url(_redirect_uri(request), next_url)
    except oidc.OidcError as error:
        logger.warning("eID sign-in could not start", extra={"reason": str(error)})
        return render(request, "identity/oidc_failed.html", status=503)
    request.session[oidc.SESSION_KEY] = flow.as_dict()
    return redirect(url)


@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    # One use only: a replayed answer finds no flow in the session.
    flow = request.session.pop(oidc.SESSION_KEY, None)
    try:
        personnummer, _claims = oidc.complete(request.GET.dict(), flow or {}, _redirect_uri(request))
    except oidc.OidcError as error:
        logger.warning("eID sign-in failed", extra={"reason": str(error)})
        return render(request, "identity/oidc_failed.html", status=400)
    with transaction.atomic():
        user = account_for(personnummer)
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["eid_method"] = f"oidc:{oidc.settings.OIDC_ISSUER}"
    logger.info("citizen signed in with eID (OIDC)", extra={"user_id": user.pk})
    return redirect(flow["next"])
