"""The findings lifecycle: open → acknowledged (a named caseworker, a note) → closed when the cause is gone.

`sync(run)` is called after every comparison with the registers (the robot's, and each new look-up a
caseworker asks for). A finding whose cause is still there stays as it is — an acknowledged one stays
acknowledged; one whose cause is gone is closed, with the time; a cause that comes back after being
closed is a new finding, never the old one silently reopened. A high finding that is open blocks the
decision (`require_no_open_high`). A caseworker's new look-up is `casework.lookup`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from bistand.casework.findings_models import CaseFinding, FindingEvent
from bistand.casework.models import PipelineRun
from bistand.identity.models import User


class FindingError(ValueError):
    """A finding cannot be handled as asked; the message says why, in Swedish."""


def cause_key(finding: dict[str, Any]) -> str:
    """What identifies a finding's cause across look-ups (the amounts may change, the cause is the same)."""
    details = finding.get("details") or {}
    parts = [finding["code"], finding.get("role", ""), finding.get("source", ""), details.get("type", "")]
    if finding["code"] == "preliminary_payment":
        parts.append(details.get("month", ""))
    return ":".join(parts)


def sync(run: PipelineRun, *, at=None) -> None:
    """Bring the run's findings in line with its latest comparison (`run.findings`)."""
    at = at or timezone.now()
    current = {cause_key(f): f for f in run.findings or []}
    with transaction.atomic():
        live = {
            f.key: f for f in CaseFinding.objects.select_for_update().filter(run=run).exclude(status="closed")
        }
        for key, finding in live.items():
            if key in current:
                if finding.message != current[key]["message"]:
                    finding.message = current[key]["message"]
                    finding.save(update_fields=["message"])
                continue
            finding.status = CaseFinding.Status.CLOSED
            finding.closed_at = at
            finding.save(update_fields=["status", "closed_at"])
            FindingEvent.objects.create(finding=finding, kind=FindingEvent.Kind.CLOSED, at=at)
        for key, found in current.items():
            if key in live:
                continue
            finding = CaseFinding.objects.create(
                run=run,
                key=key,
                code=found["code"],
                severity=found["severity"],
                message=found["message"],
                role=found.get("role", ""),
                source=found.get("source", ""),
                opened_at=at,
            )
            FindingEvent.objects.create(finding=finding, kind=FindingEvent.Kind.OPENED, at=at)


def acknowledge(finding: CaseFinding, user: User, note: str) -> CaseFinding:
    """A named caseworker has looked at the finding and says what they did about it."""
    if not user.is_caseworker or user.unit_id != finding.run.case.unit_id:
        raise FindingError("Du kan bara kvittera fynd i din egen enhet.")
    if not note.strip():
        raise FindingError("Skriv vad du har gjort med fyndet. Anteckningen sparas med ditt namn.")
    now = timezone.now()
    with transaction.atomic():
        locked = CaseFinding.objects.select_for_update().get(pk=finding.pk)
        if locked.status != CaseFinding.Status.OPEN:
            raise FindingError("Fyndet är redan kvitterat eller stängt.")
        locked.status = CaseFinding.Status.ACKNOWLEDGED
        locked.acknowledged_by = user
        locked.acknowledged_at = now
        locked.note = note.strip()
        locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "note"])
        FindingEvent.objects.create(
            finding=locked, kind=FindingEvent.Kind.ACKNOWLEDGED, by=user, at=now, note=note.strip()
        )
    return locked


def open_high(run: PipelineRun):
    return CaseFinding.objects.filter(run=run, severity="high", status=CaseFinding.Status.OPEN)


def require_no_open_high(run: PipelineRun) -> None:
    """The decision waits while a high finding is open: someone must have looked at it first."""
    if open_high(run).exists():
        raise FindingError(
            "Ett allvarligt fynd är inte kvitterat. Kontrollera uppgifterna och kvittera fyndet med en "
            "anteckning, eller hämta registeruppgifterna igen, innan beslutet fattas."
        )
