"""Nödbistånd: an application for acute need stands beside the month's regular application, never instead.

`Application.emergency` (issue 20) is set when an application is submitted; before that, and for
applications stored before the field, the answer says it.
"""

from __future__ import annotations

from bistand.intake.models import Application


def is_emergency(application: Application) -> bool:
    """An application for nödbistånd, as the citizen or the caseworker marked it."""
    if getattr(application, "emergency", False):
        return True
    answer = (application.answers or {}).get("emergency")
    return bool(answer.get("value")) if isinstance(answer, dict) else bool(answer)
