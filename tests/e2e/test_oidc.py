"""OpenID Connect sign-in against a real provider (npm `oidc-provider`) running locally.

The browser goes to the provider, signs in there, and comes back with a code; Bistånd exchanges it (with
PKCE) for an ID token whose signature it checks against the provider's published keys.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from playwright.sync_api import expect

from bistand.identity import oidc
from bistand.identity.models import User

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "identity" / "oidc_provider.mjs"
CLIENT_ID = "bistand-test"
CLIENT_SECRET = "a-test-secret-that-is-long-enough-for-hs256-0123456789"
PNR = "198001139297"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def provider(live_server, settings):
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": live_server.url + "/login/eid/callback/",
        "NODE_PATH": str(ROOT / "node_modules"),
    }
    process = subprocess.Popen(
        ["node", str(SCRIPT)], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("the OIDC provider did not start")
        time.sleep(0.1)
    settings.OIDC_ISSUER = issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PERSONNUMMER_CLAIM = "personal_number"
    oidc._cache.clear()
    yield issuer
    process.terminate()
    process.wait(timeout=10)
    oidc._cache.clear()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_sign_in_with_oidc_in_the_browser(live_server, provider, new_page, unit):
    from tests.e2e.conftest import assert_accessible

    page = new_page()
    page.goto(live_server.url + "/login/?next=/apply/")
    assert_accessible(page)
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    # The provider's own sign-in page (its development login form).
    page.locator("input[name=login]").fill(PNR)
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    consent = page.locator("button[type=submit]")
    if consent.count():
        consent.first.click()
    expect(page.get_by_role("heading", name="Ansökan om försörjningsstöd")).to_be_visible()
    user = User.objects.get(person__personnummer=PNR)
    assert user.is_citizen


@pytest.mark.django_db
def test_an_id_token_signed_by_another_key_is_refused(provider):
    meta = oidc.discovery()
    jwks = httpx.get(meta["jwks_uri"]).json()
    now = int(time.time())
    claims = {"iss": provider, "aud": CLIENT_ID, "exp": now + 60, "iat": now, "nonce": "n", "sub": PNR}
    forged = jwt.encode({"alg": "RS256", "kid": jwks["keys"][0]["kid"]}, claims, RSAKey.generate_key(2048))
    with pytest.raises(oidc.OidcError, match="signature"):
        oidc.validate_id_token(forged, nonce="n", jwks=jwks)


@pytest.mark.django_db
def test_a_wrong_state_or_a_replayed_callback_is_refused(client, provider):
    response = client.get("/login/eid/")
    assert response.status_code == 302 and response["Location"].startswith(provider)
    assert "code_challenge_method=S256" in response["Location"]
    bad = client.get("/login/eid/callback/", {"state": "forged", "code": "x"})
    assert bad.status_code == 400
    assert "Vi kunde inte slutföra inloggningen" in bad.content.decode()
    # The flow was used up: even the right state now fails.
    again = client.get("/login/eid/callback/", {"state": "forged", "code": "x"})
    assert again.status_code == 400


def test_oidc_is_off_without_configuration(client, settings, db):
    settings.OIDC_ISSUER = ""
    assert client.get("/login/eid/").status_code == 404
    assert "Logga in med e-legitimation" not in client.get("/login/").content.decode().replace(
        "utvecklings-e-legitimation", ""
    )
