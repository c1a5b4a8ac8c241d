"""`bistand manage …`: Django's management commands with Bistånd's settings."""

from __future__ import annotations

import os


def run_django(argv: list[str]) -> int:
    """Run a Django management command, e.g. `["migrate"]`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bistand.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bistand manage", *argv])
    return 0


def add_arguments(parser) -> None:  # pragma: no cover - `manage` is dispatched before argparse
    """`manage` passes everything to Django; see `run_django`."""


def run(args) -> int:  # pragma: no cover
    return run_django([])
