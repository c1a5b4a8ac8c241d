"""Citizen sign-in with OpenID Connect: the municipality's eID broker (BankID, Freja eID) as the provider.

Authorization code flow with PKCE (S256), ``state`` against cross-site request forgery and ``nonce`` against
replayed ID tokens. The ID token's signature is checked against the provider's published keys (JWKS), and
its issuer, audience, expiry and nonce are checked before anyone is signed in. The identity is the
personnummer, read from a configurable claim (``OIDC_PERSONNUMMER_CLAIM``, default ``personal_number``;
``sub`` for brokers that use it as the subject).

Configured with ``OIDC_ISSUER``, ``OIDC_CLIENT_ID``, ``OIDC_CLIENT_SECRET``; off when the issuer is empty.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from bistand.identity.personnummer import PersonnummerError, parse

SESSION_KEY = "oidc_flow"
ALGORITHMS = ["RS256", "PS256", "ES256"]
HTTP_TIMEOUT = 10.0
CACHE_SECONDS = 300
CLOCK_SKEW = 60


class OidcError(Exception):
    """Sign-in could not be completed; the message is for the log, never for the citizen."""


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


_cache: dict[str, tuple[float, Any]] = {}


def _get_json(url: str) -> dict[str, Any]:
    cached = _cache.get(url)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = httpx.get(url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise OidcError(f"could not read {url}: {type(error).__name__}") from error
    _cache[url] = (time.monotonic() + CACHE_SECONDS, data)
    return data


def discovery() -> dict[str, Any]:
    """The provider's metadata; its issuer must be exactly the configured one."""
    meta = _get_json(f"{settings.OIDC_ISSUER}/.well-known/openid-configuration")
    if meta.get("issuer", "").rstrip("/") != settings.OIDC_ISSUER:
        raise OidcError("the provider's metadata names another issuer")
    return meta


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class Flow:
    """What is kept in the session between the redirect to the provider and its answer."""

    state: str
    nonce: str
    verifier: str
    next_url: str

    def as_dict(self) -> dict[str, str]:
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier, "next": self.next_url}


def authorization_url(redirect_uri: str, next_url: str) -> tuple[str, Flow]:
    """Where to send the citizen, and the flow to keep in their session."""
    meta = discovery()
    flow = Flow(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(64),
        next_url=next_url,
    )
    challenge = _b64url(hashlib.sha256(flow.verifier.encode()).digest())
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.OIDC_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": settings.OIDC_SCOPES,
            "state": flow.state,
            "nonce": flow.nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{meta['authorization_endpoint']}?{query}", flow


def _id_token_for(code: str, redirect_uri: str, verifier: str, meta: dict[str, Any]) -> str:
    try:
        response = httpx.post(
            meta["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
            auth=(settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET),
            timeout=HTTP_TIMEOUT,
        )
    except httpx.HTTPError as error:
        raise OidcError(f"token endpoint unreachable: {type(error).__name__}") from error
    if response.status_code != 200:
        raise OidcError(f"token endpoint answered {response.status_code}")
    token = response.json().get("id_token")
    if not token:
        raise OidcError("no ID token in the token response")
    return token


def validate_id_token(
    token: str, *, nonce: str, jwks: dict[str, Any], now: float | None = None
) -> dict[str, Any]:
    """Check the ID token's signature against the provider's keys, then its claims. Returns the claims."""
    try:
        keys = KeySet.import_key_set(jwks)
        decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise OidcError(f"ID token signature not valid: {type(error).__name__}") from error
    claims = decoded.claims
    now = now if now is not None else time.time()
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if str(claims.get("iss", "")).rstrip("/") != settings.OIDC_ISSUER:
        raise OidcError("ID token from another issuer")
    if settings.OIDC_CLIENT_ID not in audiences:
        raise OidcError("ID token for another client")
    if len(audiences) > 1 and claims.get("azp") != settings.OIDC_CLIENT_ID:
        raise OidcError("ID token's authorised party is another client")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now - CLOCK_SKEW:
        raise OidcError("ID token expired")
    if isinstance(claims.get("iat"), int | float) and claims["iat"] > now + CLOCK_SKEW:
        raise OidcError("ID token issued in the future")
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcError("ID token nonce does not match")
    return claims


def complete(params: dict[str, str], flow: dict[str, str], redirect_uri: str) -> tuple[str, dict[str, Any]]:
    """Finish the flow from the provider's redirect: returns (personnummer, claims)."""
    if not flow:
        raise OidcError("no sign-in in progress")
    if not secrets.compare_digest(params.get("state", ""), flow["state"]):
        raise OidcError("state does not match")
    if params.get("error"):
        raise OidcError(f"the provider refused: {params['error'][:40]}")
    code = params.get("code")
    if not code:
        raise OidcError("no code")
    meta = discovery()
    token = _id_token_for(code, redirect_uri, flow["verifier"], meta)
    claims = validate_id_token(token, nonce=flow["nonce"], jwks=_get_json(meta["jwks_uri"]))
    raw = claims.get(settings.OIDC_PERSONNUMMER_CLAIM)
    try:
        personnummer = parse(str(raw or "")).digits
    except PersonnummerError as error:
        raise OidcError(f"claim {settings.OIDC_PERSONNUMMER_CLAIM} is not a personnummer") from error
    return personnummer, claims
