"""Retention (gallring): a case's personal content is culled when its last entry is old enough.

SoL (2025:400) 16 kap. 1 §: notes in a personal file are culled five years after the last entry. Bistånd
reads "the last entry" as the newest dated thing in the case — an event on its timeline, a journal note, a
message, an upload, a decision, an application — and culls the whole case's personal content together, so
nothing is left half-readable. The number of years is `BISTAND_RETENTION_YEARS` (default 5).

What culling does to a case:
- journal notes, signatures, uploaded files, scanned paper applications and letters are removed;
- free text (messages, document requests, appeals, plans, random-check notes) is emptied;
- answers, register answers, calculations and decision inputs are reduced to what the statistics count
  (household type, channel, language, routing reason codes, amounts and outcomes);
- a person with no case left that is not culled is anonymised (no name, no personnummer).
Before any of that, the month's figures are kept in `MonthlyAggregate`, so statistics survive.

Cases with an open recovery (återkrav) are left alone: that matter is not finished. Payment orders follow
the bookkeeping rules (bokföringslagen) and are not culled here.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from bistand.audit.models import CulledCase, CullRun, MonthlyAggregate
from bistand.cases.models import Case, TimelineEvent
from bistand.casework.models import ActivityPlan, JournalNote, PaperScan, PipelineRun
from bistand.conversation.models import Appeal, DocumentRequest, Message, Upload
from bistand.decisions.models import Decision, Letter
from bistand.identity.models import Municipality, Person, User
from bistand.intake.models import Application, Signature
from bistand.intake.schema import answer
from bistand.oversight.models import Investigation, RandomCheck
from bistand.oversight.periods import Period
from bistand.oversight.statistics import compute
from bistand.payments.models import RecoveryCase

logger = logging.getLogger(__name__)


@dataclass
class CullReport:
    """What a run removed (or, for a dry run, would remove)."""

    cutoff: datetime.datetime
    dry_run: bool
    cases: list[int] = field(default_factory=list)
    removed: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {"cases": len(self.cases), "case_ids": self.cases, **dict(sorted(self.removed.items()))}

    def lines(self) -> list[str]:
        verb = "would cull" if self.dry_run else "culled"
        out = [f"{verb} {len(self.cases)} case(s) with no entry since {self.cutoff:%Y-%m-%d}"]
        out += [f"  {name}: {count}" for name, count in sorted(self.removed.items())]
        return out


def cutoff(now: datetime.datetime | None = None, years: int | None = None) -> datetime.datetime:
    """The moment before which a case's last entry must lie for it to be culled."""
    now = now or timezone.now()
    years = settings.RETENTION_YEARS if years is None else years
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def last_entries() -> dict[int, datetime.datetime]:
    """Each case's newest dated entry."""
    latest: dict[int, datetime.datetime] = {
        row["pk"]: row["opened_at"] for row in Case.objects.values("pk", "opened_at")
    }

    def take(rows) -> None:
        for case_id, when in rows:
            if when is not None and case_id in latest and when > latest[case_id]:
                latest[case_id] = when

    take(TimelineEvent.objects.values("case_id").annotate(m=Max("occurred_at")).values_list("case_id", "m"))
    take(TimelineEvent.objects.values("case_id").annotate(m=Max("recorded_at")).values_list("case_id", "m"))
    take(JournalNote.objects.values("case_id").annotate(m=Max("created_at")).values_list("case_id", "m"))
    take(Message.objects.values("case_id").annotate(m=Max("sent_at")).values_list("case_id", "m"))
    take(Decision.objects.values("case_id").annotate(m=Max("decided_at")).values_list("case_id", "m"))
    take(
        Upload.objects.values("request__case_id")
        .annotate(m=Max("uploaded_at"))
        .values_list("request__case_id", "m")
    )
    take(
        Case.objects.values("pk")
        .annotate(m=Max("pipeline_runs__application__submitted_at"))
        .values_list("pk", "m")
    )
    return latest


def due_cases(limit: datetime.datetime) -> list[int]:
    """Cases whose last entry is older than `limit`, not culled yet, and with nothing left open."""
    done = set(CulledCase.objects.values_list("case_id", flat=True))
    open_recovery = set(
        RecoveryCase.objects.filter(status=RecoveryCase.Status.OPEN).values_list("case_id", flat=True)
    )
    return sorted(
        case_id
        for case_id, last in last_entries().items()
        if last < limit and case_id not in done and case_id not in open_recovery
    )


def _blank_text(queryset: models.QuerySet) -> int:
    """Empty every free-text field of the rows (whatever fields the model has now)."""
    names = [
        f.name
        for f in queryset.model._meta.concrete_fields
        if isinstance(f, models.TextField) and not f.null and not f.primary_key
    ]
    if not names:
        return 0
    return queryset.update(**dict.fromkeys(names, ""))


def _delete_files(queryset: models.QuerySet, *names: str) -> int:
    """Remove the stored files behind the rows' file fields once the transaction commits (a rolled-back
    cull must not leave rows pointing at files that are gone); returns how many files will go."""
    doomed = []
    for row in queryset:
        for name in names:
            stored = getattr(row, name)
            if stored and stored.name:
                doomed.append((stored.storage, stored.name))

    def remove() -> None:
        for storage, name in doomed:
            storage.delete(name)

    transaction.on_commit(remove)
    return len(doomed)


def _residue_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """What the statistics group by (a co-applicant or not, how many children, the letter language), and
    nothing else: no names, numbers, amounts or free text."""
    answers = answers or {}
    co_applicant, children = answer(answers, "co_applicant"), answer(answers, "children")
    language = answer(answers, "language")
    if isinstance(children, list):
        children = [{} for _ in children]
    elif children is not None:
        children = bool(children)
    return {
        "co_applicant": {"value": True if co_applicant else None, "source": "gallrad"},
        "children": {"value": children, "source": "gallrad"},
        "language": {"value": language if isinstance(language, str) else None, "source": "gallrad"},
    }


def _residue_triage(triage: dict[str, Any] | None) -> dict[str, Any] | None:
    if not triage:
        return triage
    return {
        "reasons": [{"code": r.get("code", "")} for r in triage.get("reasons", []) if isinstance(r, dict)]
    }


def _residue_calculation(calculation: dict[str, Any] | None) -> dict[str, Any] | None:
    if not calculation:
        return calculation
    return {"entitlement": calculation.get("entitlement")}


def keep_aggregates(case_ids: list[int]) -> int:
    """Store the monthly figures of every municipality-month the cases touch, once, before culling."""
    months = set(
        Application.objects.filter(pipeline__case_id__in=case_ids, status=Application.Status.SUBMITTED)
        .values_list("municipality_id", "municipality__code", "month")
        .distinct()
    )
    stored = 0

    for municipality_id, code, month in sorted(months):
        first = month.replace(day=1)
        if MonthlyAggregate.objects.filter(municipality_code=code, month=first).exists():
            continue
        stats = compute(Municipality.objects.get(pk=municipality_id), Period(first, first))
        figures = {
            "applications": stats.applications,
            "decided": stats.decided,
            "automated": stats.automated,
            "routed": stats.routed,
            "outcome_grant": stats.outcomes.get("grant", 0),
            "outcome_partial": stats.outcomes.get("partial", 0),
            "outcome_reject": stats.outcomes.get("reject", 0),
            "paid_total": stats.paid_total,
        }
        for figure, value in figures.items():
            MonthlyAggregate.objects.create(municipality_code=code, month=first, figure=figure, value=value)
            stored += 1
    return stored


def _cull_case(case_id: int, report: CullReport) -> None:

    removed = report.removed
    runs = PipelineRun.objects.filter(case_id=case_id)
    applications = Application.objects.filter(pipeline__case_id=case_id)
    decisions = Decision.objects.filter(case_id=case_id)
    letters = Letter.objects.filter(decision__case_id=case_id)
    uploads = Upload.objects.filter(request__case_id=case_id)
    scans = PaperScan.objects.filter(application__in=applications)

    removed["journal_notes"] += JournalNote.objects.filter(case_id=case_id).count()
    removed["uploads"] += uploads.count()
    removed["paper_scans"] += scans.count()
    removed["letters"] += letters.count()
    removed["register_snapshots"] += runs.filter(register_snapshot__isnull=False).count()
    removed["application_answers"] += applications.count()
    removed["messages_emptied"] += Message.objects.filter(case_id=case_id).count()
    removed["signatures"] += Signature.objects.filter(application__in=applications).count()
    if report.dry_run:
        return

    _delete_files(uploads, "file")
    uploads.delete()
    _delete_files(scans, "file")
    scans.delete()
    _delete_files(letters, "file")
    letters.delete()
    JournalNote.objects.filter(case_id=case_id).delete()
    Signature.objects.filter(application__in=applications).delete()
    for application in applications:
        Application.objects.filter(pk=application.pk).update(
            answers=_residue_answers(application.answers), draft={}
        )
    for run in runs:
        PipelineRun.objects.filter(pk=run.pk).update(
            register_snapshot=None,
            findings=None,
            calculation_input=None,
            calculation=_residue_calculation(run.calculation),
            triage=_residue_triage(run.triage),
            last_error="",
        )
    for decision in decisions:
        adjustments = (decision.inputs or {}).get("adjustments") or []
        Decision.objects.filter(pk=decision.pk).update(
            motivation="",
            correction_reason="",
            findings=[],
            calculation=_residue_calculation(decision.calculation) or {},
            inputs={
                "adjustments": [
                    {"kind": a.get("kind", ""), "line": a.get("line", "")}
                    for a in adjustments
                    if isinstance(a, dict)
                ],
                "culled": True,
            },
        )
    TimelineEvent.objects.filter(case_id=case_id).update(data={})
    for queryset in (
        Message.objects.filter(case_id=case_id),
        DocumentRequest.objects.filter(case_id=case_id),
        Appeal.objects.filter(decision__in=decisions),
        ActivityPlan.objects.filter(case_id=case_id),
        RandomCheck.objects.filter(case_id=case_id),
        Investigation.objects.filter(case_id=case_id),
    ):
        _blank_text(queryset)


def _anonymise_people(case_ids: list[int], report: CullReport) -> None:
    """Anonymise the applicants and co-applicants of culled cases who have nothing left that is not culled."""
    people = set(Case.objects.filter(pk__in=case_ids).values_list("applicant_id", flat=True))
    people |= set(
        Application.objects.filter(pipeline__case_id__in=case_ids, co_applicant__isnull=False).values_list(
            "co_applicant_id", flat=True
        )
    )
    culled = set(CulledCase.objects.values_list("case_id", flat=True)) | set(case_ids)
    for person_id in sorted(people):
        live_cases = Case.objects.filter(applicant_id=person_id).exclude(pk__in=culled).exists()
        live_co = (
            Application.objects.filter(co_applicant_id=person_id)
            .exclude(pipeline__case_id__in=culled)
            .exists()
        )
        if live_cases or live_co:
            continue
        report.removed["people_anonymised"] += 1
        if report.dry_run:
            continue
        Application.objects.filter(applicant_id=person_id, status__in=["draft", "signing"]).delete()
        Person.objects.filter(pk=person_id).update(
            personnummer=f"G{person_id:011d}"[-12:], first_name="", last_name="", protection="none"
        )
        # The account goes too: signing in again with eID makes a new, empty one.
        User.objects.filter(person_id=person_id).update(
            username=f"gallrad-{person_id}", is_active=False, first_name="", last_name="", email=""
        )


def cull(
    *, dry_run: bool = False, now: datetime.datetime | None = None, years: int | None = None
) -> CullReport:
    """Cull every case whose last entry is older than the retention period; report what went."""
    limit = cutoff(now, years)
    report = CullReport(cutoff=limit, dry_run=dry_run)
    run = None if dry_run else CullRun.objects.create(cutoff=limit, dry_run=False)
    report.cases = due_cases(limit)
    if report.cases and not dry_run:
        report.removed["aggregates_kept"] += keep_aggregates(report.cases)
    for case_id in report.cases:
        with transaction.atomic():
            _cull_case(case_id, report)
            if not dry_run:
                CulledCase.objects.create(case_id=case_id, run=run)
    with transaction.atomic():
        _anonymise_people(report.cases, report)
    if run is not None:
        CullRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), removed=report.as_dict())
    logger.info("retention run", extra={"dry_run": dry_run, "cases": len(report.cases)})
    return report
