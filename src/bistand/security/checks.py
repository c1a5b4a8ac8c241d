"""Deployment checks of our own, run by `bistand manage check --deploy` beside Django's."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def production_settings(app_configs=None, **kwargs) -> list[Warning]:
    """Secrets from the environment, no demo mode, staff with a second factor."""
    problems = []
    if not getattr(settings, "SECRET_KEY_FROM_ENVIRONMENT", True):
        problems.append(
            Warning(
                "SECRET_KEY is read from a file in the data folder, not from the environment.",
                hint="Set SECRET_KEY in the environment (from the secret store), as for every other secret.",
                id="bistand.W001",
            )
        )
    if settings.DEMO_MODE:
        problems.append(
            Warning(
                "Demo mode is on: anyone can sign in as any test person with the development eID.",
                hint="Unset BISTAND_DEMO in production.",
                id="bistand.W002",
            )
        )
    if not settings.STAFF_TWO_FACTOR:
        problems.append(
            Warning(
                "Staff sign in without a second factor.",
                hint="Unset BISTAND_STAFF_2FA (it is on by default).",
                id="bistand.W003",
            )
        )
    if not settings.SECURE_CSP:
        problems.append(Warning("No content security policy is sent.", id="bistand.W004"))
    return problems
