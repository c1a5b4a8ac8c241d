"""Staff's second factor, and failed sign-ins for the login throttle."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TotpDevice(models.Model):
    """A member of staff's authenticator: the shared secret and the last time step used (no replays)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # Empty until the first code is typed correctly: only then does the device count.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=-1)

    def __str__(self) -> str:
        return f"TOTP device of user {self.user_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class LoginFailure(models.Model):
    """A failed sign-in: by which account name (hashed) and from which address, and when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # SHA-256 of the lower-cased username: what was typed may be a password typed in the wrong box.
    username_key = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    # "password" or "totp".
    kind = models.CharField(max_length=16, default="password")

    def __str__(self) -> str:
        return f"Login failure {self.pk}"
