"""Starting Django outside a web request: for a command-line subcommand that needs the database."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Point Django at Bistånd's settings and initialise it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bistand.settings")
    import django

    django.setup()
