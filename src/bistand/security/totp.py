"""Time-based one-time passwords (TOTP, RFC 6238 over HOTP, RFC 4226): the staff's second factor.

Six digits, HMAC-SHA-1, 30-second steps — what every authenticator app (Microsoft Authenticator, FreeOTP,
Google Authenticator) expects from an `otpauth://` link. A code is accepted one step early or late (clock
drift), and each step only once: the device remembers the last step used, so a code seen over someone's
shoulder cannot be replayed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP = 30
DIGITS = 6


def new_secret() -> str:
    """A random 160-bit secret in base32 (the form authenticator apps take), without padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226: the code for one counter value (dynamic truncation of an HMAC)."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(at: float | None = None) -> int:
    """The time step a moment falls in."""
    return int((time.time() if at is None else at) // STEP)


def code_at(secret: str, at: float | None = None) -> str:
    """The code an authenticator shows at a moment (default: now)."""
    return hotp(_key(secret), step_at(at))


def match(
    secret: str, code: str, *, last_step: int = -1, at: float | None = None, window: int = 1
) -> int | None:
    """The step the code belongs to, if it is valid now (±window steps) and newer than `last_step`."""
    code = "".join(ch for ch in str(code) if ch.isdigit())
    if len(code) != DIGITS:
        return None
    key = _key(secret)
    now = step_at(at)
    for step in range(now - window, now + window + 1):
        if step > last_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "Bistånd") -> str:
    """The `otpauth://` link an authenticator app reads (typed in, or from a QR code)."""
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP}
    )


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
