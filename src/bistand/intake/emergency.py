"""Nödbistånd: an application for acute need stands beside the month's regular application, never instead.

`Application.emergency` is set when an application is submitted, and such an application claims no month
(`MonthClaim`); before submission the answer says it.
"""

from __future__ import annotations

from bistand.intake.models import Application


def is_emergency(application: Application) -> bool:
    """An application for nödbistånd, as the citizen or the caseworker marked it."""
    if application.emergency:
        return True
    answer = (application.answers or {}).get("emergency")
    return bool(answer.get("value")) if isinstance(answer, dict) else bool(answer)
