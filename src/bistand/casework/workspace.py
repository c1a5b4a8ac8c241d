"""The caseworker's actions: take a case, adjust the proposal, draft, approve and decide, write the journal.

Judgment stays with the caseworker: every adjustment needs a reason that becomes part of the decision's
motivation, and nothing reaches the citizen until it is decided.
"""

from __future__ import annotations

import copy
import datetime
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bistand.cases.models import Case
from bistand.casework import findings, kommunicering, pipeline
from bistand.casework.deciding import decide_by_person
from bistand.casework.models import ConcernReport, DecisionDraft, JournalNote, PipelineRun, SignOff
from bistand.casework.norm_wait import stop_waiting
from bistand.casework.policy import Policy, default_policy, policy_for
from bistand.decisions.needs import NeedRefused
from bistand.decisions.stored_input import for_engine
from bistand.identity.models import User
from bistand.rules import InvalidInput, calculate


class WorkspaceError(ValueError):
    """An action the caseworker cannot take as asked; the message says why, in Swedish."""


class ChildPerspectiveMissing(WorkspaceError):
    """A contact with a family recorded without saying whether the children's situation was raised."""


def take(case: Case, user: User) -> None:
    """The caseworker takes the case."""
    _same_unit(case, user)
    Case.objects.filter(pk=case.pk).update(assigned_to=user)


def assign(case: Case, to: User, by: User) -> None:
    """Give the case to a colleague in the same unit."""
    _same_unit(case, by)
    if not to.is_caseworker or to.unit_id != case.unit_id:
        raise WorkspaceError("Ärendet kan bara lämnas till en handläggare i samma enhet.")
    Case.objects.filter(pk=case.pk).update(assigned_to=to)


def _same_unit(case: Case, user: User) -> None:
    if not user.is_caseworker or user.unit_id != case.unit_id:
        raise WorkspaceError("Du kan bara arbeta med ärenden i din egen enhet.")


def _money(text: Any, what: str) -> Decimal:
    try:
        value = Decimal(str(text).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        raise WorkspaceError(f"{what}: skriv ett belopp i kronor, till exempel 7 800.") from None
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:
        raise WorkspaceError(f"{what}: skriv ett belopp på 0 kronor eller mer, med högst två decimaler.")
    return value


def apply_adjustments(household: dict[str, Any], adjustments: list[dict[str, Any]]) -> dict[str, Any]:
    """The engine input with the caseworker's adjustments applied. Each adjustment must carry a reason.

    - `{"kind": "cost", "type": "rent", "to": "7000", "reason": ...}`: the reasonable amount of a cost;
    - `{"kind": "income", "member": "a", "type": "salary", "to": "3000", "reason": ...}`;
    - `{"kind": "norm", "amount": "500", "reason": ...}`: a higher norm for special reasons (SoL 12 kap. 7 §);
    - `{"kind": "school", "member": "c1", "to": "yes" | "no", "reason": ...}`: what the caseworker found out
      about an 18–20-year-old's upper-secondary school. "no": the young adult is not a child of the case
      (their own case), but still lives in the household, so the case keeps its share of common costs.
    """
    adjusted = copy.deepcopy(household)
    for adjustment in adjustments:
        if not str(adjustment.get("reason", "")).strip():
            raise WorkspaceError(
                "Varje ändring behöver ett skäl. Skälet blir en del av beslutets motivering."
            )
        kind = adjustment.get("kind")
        if kind == "cost":
            amount = _money(adjustment["to"], "Kostnad")
            kept = [c for c in adjusted["costs"] if c["type"] != adjustment["type"]]
            adjusted["costs"] = [*kept, {"type": adjustment["type"], "amount": str(amount)}]
        elif kind == "income":
            amount = _money(adjustment["to"], "Inkomst")
            member, kind_of = adjustment.get("member", "a"), adjustment["type"]
            kept = [i for i in adjusted["incomes"] if not (i["member"] == member and i["type"] == kind_of)]
            adjusted["incomes"] = [*kept, {"member": member, "type": kind_of, "amount": str(amount)}]
        elif kind == "norm":
            amount = _money(adjustment["amount"], "Högre norm")
            adjusted["costs"] = [*adjusted["costs"], {"type": "other", "amount": str(amount)}]
        elif kind == "school":
            member = adjustment["member"]
            if adjustment.get("to") == "yes":
                adjusted["members"] = [
                    {**m, "in_school": True} if m["id"] == member else m for m in adjusted["members"]
                ]
            elif adjustment.get("to") == "no":
                size = adjusted.get("household_size") or len(adjusted["members"])
                adjusted["members"] = [m for m in adjusted["members"] if m["id"] != member]
                adjusted["incomes"] = [i for i in adjusted["incomes"] if i["member"] != member]
                adjusted["household_size"] = size
            else:
                raise WorkspaceError("Svara ja eller nej om gymnasiet.")
        else:
            raise WorkspaceError("Okänd sorts ändring.")
    adjusted["costs"] = [c for c in adjusted["costs"] if Decimal(str(c["amount"])) > 0]
    adjusted["incomes"] = [i for i in adjusted["incomes"] if Decimal(str(i["amount"])) > 0]
    return adjusted


def recalculate(household: dict[str, Any]) -> dict[str, Any]:
    try:
        return json.loads(calculate(for_engine(household)).to_json(indent=None))
    except InvalidInput as invalid:
        raise WorkspaceError("; ".join(e["message"] for e in invalid.as_list("sv"))) from None


def save_draft(
    run: PipelineRun,
    user: User,
    *,
    outcome: str,
    adjustments: list[dict[str, Any]] | None = None,
    amount: Any = None,
    motivation: str = "",
    kommunicering_exception: str = "",
    ground: str = "",
) -> DecisionDraft:
    """Save (or replace) the caseworker's draft decision. Checked, but nothing is sent to the citizen.

    A draft against the citizen needs a kommunicering sent, or the FL 25 § exception that makes it
    unnecessary; it can be decided once the reply is in or the time to reply has passed.
    """
    _same_unit(run.case, user)
    adjustments = list(adjustments or [])
    base = (run.calculation_input or {}).get("household")
    if base is None:
        raise WorkspaceError("Det finns ingen beräkning att utgå från. Komplettera ansökan först.")
    household = apply_adjustments(base, adjustments)
    calculation = recalculate(household)
    entitlement = Decimal(str(calculation["entitlement"]))
    if outcome == "grant":
        granted = entitlement
        if granted <= 0:
            raise WorkspaceError("Beräkningen visar inget behov. Välj avslag och skriv en motivering.")
    elif outcome == "partial":
        granted = _money(amount, "Belopp")
        if not 0 < granted < entitlement:
            raise WorkspaceError("Ett delvis bifall ska vara mer än 0 och mindre än det beräknade beloppet.")
    elif outcome == "reject":
        granted = Decimal(0)
    else:
        raise WorkspaceError("Välj bifall, delvis bifall eller avslag.")
    if outcome in ("partial", "reject") and not motivation.strip():
        raise WorkspaceError("Skriv en motivering: den sökande ska förstå varför (förvaltningslagen 32 §).")
    outcome = kommunicering.outcome_for(run, outcome, granted)
    if kommunicering_exception and kommunicering_exception not in kommunicering.EXCEPTIONS:
        raise WorkspaceError("Okänt undantag från kommunicering.")
    if (
        kommunicering.is_adverse(run, outcome, granted)
        and not kommunicering_exception
        and not run.kommuniceringar.exists()
    ):
        raise WorkspaceError(
            "Beslutet går den sökande emot. Kommunicera först vad som har kommit fram och ge en tid att "
            "svara (förvaltningslagen 25 §), eller ange varför det inte behövs."
        )
    with transaction.atomic():
        DecisionDraft.objects.filter(run=run, status__in=["draft", "returned"]).delete()
        draft = DecisionDraft.objects.create(
            run=run,
            proposed_by=user,
            outcome=outcome,
            amount=granted,
            adjustments=adjustments,
            calculation_input={**run.calculation_input, "household": household},
            calculation=calculation,
            motivation=motivation.strip(),
            kommunicering_exception=kommunicering_exception,
            ground=ground,
        )
        # The calculation the draft stands on is the caseworker's, approved by them now.
        SignOff.objects.create(
            case=run.case,
            what=SignOff.What.CALCULATION,
            role=SignOff.Role.APPROVED,
            reference=str(draft.pk),
            by=user,
        )
        return draft


def needs_approval(draft: DecisionDraft, policy: Policy) -> bool:
    rule = policy.config.get("second_approval", {})
    return (
        (draft.outcome == "reject" and rule.get("rejections", False))
        or (draft.outcome == "partial" and rule.get("partial", False))
        or draft.amount > Decimal(str(rule.get("above_amount", "Infinity")))
    )


def submit(draft: DecisionDraft, user: User):
    """Decide the draft, or send it for a second person's approval when the municipality requires it."""
    if draft.proposed_by_id != user.pk:
        raise WorkspaceError("Bara den som skrev utkastet kan skicka det.")
    if draft.status not in (DecisionDraft.Status.DRAFT, DecisionDraft.Status.RETURNED):
        raise WorkspaceError("Utkastet är redan skickat.")
    policy = policy_for(draft.run.application.municipality, draft.run.application.month)
    if needs_approval(draft, policy):
        DecisionDraft.objects.filter(pk=draft.pk).update(status=DecisionDraft.Status.AWAITING_APPROVAL)
        return None
    return _decide(draft, approved_by=None)


def approve(draft: DecisionDraft, approver: User):
    """A second person approves; the decision is then made in the proposer's name, with the approval noted."""
    _same_unit(draft.run.case, approver)
    if approver.pk == draft.proposed_by_id:
        raise WorkspaceError("En annan person än den som skrev utkastet ska godkänna det.")
    if draft.status != DecisionDraft.Status.AWAITING_APPROVAL:
        raise WorkspaceError("Utkastet väntar inte på godkännande.")
    return _decide(draft, approved_by=approver)


def return_draft(draft: DecisionDraft, approver: User, reason: str) -> None:
    _same_unit(draft.run.case, approver)
    if not reason.strip():
        raise WorkspaceError("Skriv varför utkastet skickas tillbaka.")
    DecisionDraft.objects.filter(pk=draft.pk).update(
        status=DecisionDraft.Status.RETURNED, approver=approver, returned_reason=reason.strip()
    )


def _decide(draft: DecisionDraft, approved_by: User | None):

    try:
        findings.require_no_open_high(draft.run)
    except findings.FindingError as error:
        raise WorkspaceError(str(error)) from None
    try:
        decision = decide_by_person(
            draft.run,
            draft.proposed_by,
            outcome=draft.outcome,
            amount=draft.amount,
            calculation=draft.calculation,
            calculation_input=draft.calculation_input,
            adjustments=draft.adjustments,
            note=draft.motivation,
            ground=draft.ground,
            approved_by=approved_by,
            kommunicering_exception=draft.kommunicering_exception,
        )
    except (kommunicering.KommuniceringMissing, NeedRefused) as missing:
        raise WorkspaceError(str(missing)) from None
    DecisionDraft.objects.filter(pk=draft.pk).update(
        status=DecisionDraft.Status.DECIDED, approver=approved_by
    )
    case, reference = draft.run.case, str(decision.pk)
    SignOff.objects.create(
        case=case,
        what=SignOff.What.DECISION,
        role=SignOff.Role.DECIDED,
        reference=reference,
        by=draft.proposed_by,
    )
    if approved_by is not None:
        SignOff.objects.create(
            case=case,
            what=SignOff.What.DECISION,
            role=SignOff.Role.APPROVED,
            reference=reference,
            by=approved_by,
        )
    return decision


def write_note(
    case: Case,
    author: User,
    text: str,
    *,
    visibility: str = JournalNote.Visibility.INTERNAL,
    kind: str = JournalNote.Kind.NOTE,
    children_considered: bool | None = None,
    next_contact_due: datetime.date | None = None,
) -> JournalNote:
    """A signed, dated journal note. A contact sets the next contact's due date by the follow-up cadence,
    unless the caseworker sets it by hand (any note may move it; the note records who moved it and when)."""
    _same_unit(case, author)
    if not text.strip():
        raise WorkspaceError("Skriv något i anteckningen.")
    has_children = _has_children(case)
    if kind == JournalNote.Kind.CONTACT and has_children and children_considered is None:
        raise ChildPerspectiveMissing("Ange om barnens situation har tagits upp (barnperspektivet).")
    next_due = next_contact_due
    if kind == JournalNote.Kind.CONTACT and next_due is None:
        next_due = timezone.localdate() + datetime.timedelta(days=follow_up_days(case))
    if kind == JournalNote.Kind.CONCERN:
        visibility = JournalNote.Visibility.RESTRICTED
    with transaction.atomic():
        note = JournalNote.objects.create(
            case=case,
            author=author,
            kind=kind,
            visibility=visibility,
            text=text.strip(),
            children_considered=children_considered,
            next_contact_due=next_due,
        )
        if kind == JournalNote.Kind.CONCERN:
            # The note is the report's content; the route (to whom, sent when) follows the municipality's routine.
            ConcernReport.objects.create(case=case, note=note, recipient=concern_routine(case)["recipient"])
    return note


DEFAULT_CONCERN_ROUTINE = {
    "recipient": "Socialtjänstens barn- och familjeenhet",
    "routine": "Anmäl samma dag. Lämna anmälan till mottagaren och notera när den lämnades.",
}


def concern_routine(case: Case) -> dict[str, str]:
    """Where an orosanmälan goes and how, from the municipality's policy (`concern_report`), else the default."""
    latest = case.pipeline_runs.select_related("application__municipality").order_by("-created_at").first()
    if latest is None:
        return DEFAULT_CONCERN_ROUTINE
    policy = policy_for(latest.application.municipality, latest.application.month)
    return {**DEFAULT_CONCERN_ROUTINE, **(policy.config.get("concern_report") or {})}


def may_read_restricted(case: Case, user: User) -> bool:
    """The case's own caseworker and team leads (as for restricted notes)."""
    return user.role == User.Role.TEAM_LEAD or case.assigned_to_id == user.pk


def mark_concern_reported(report: ConcernReport, user: User) -> ConcernReport:
    """The report has been handed to the recipient the routine names."""
    _same_unit(report.case, user)
    if not (may_read_restricted(report.case, user) or report.note.author_id == user.pk):
        raise WorkspaceError("Bara ärendets handläggare eller en gruppledare kan hantera orosanmälan.")
    if report.status != ConcernReport.Status.TO_REPORT:
        raise WorkspaceError("Orosanmälan är redan lämnad.")
    report.status = ConcernReport.Status.REPORTED
    report.reported_at = timezone.now()
    report.reported_by = user
    report.save(update_fields=["status", "reported_at", "reported_by"])
    return report


def _has_children(case: Case) -> bool:
    latest = case.pipeline_runs.order_by("-created_at").first()
    if latest is None:
        return False
    household = (latest.calculation_input or {}).get("household") or {}
    return any(m.get("role") == "child" for m in household.get("members", []))


def follow_up_days(case: Case) -> int:
    """Days until the next personal contact: shorter for households with children and long-term ones."""
    latest = case.pipeline_runs.select_related("application__municipality").order_by("-created_at").first()
    if latest is None:
        return default_policy().config["follow_up"]["default_days"]
    policy = policy_for(latest.application.municipality, latest.application.month)
    rule = policy.config["follow_up"]
    days = rule["default_days"]
    if _has_children(case):
        days = min(days, rule["with_children_days"])
    if len(pipeline.assistance_months(case, latest.application.month)) >= 10:
        days = min(days, rule["long_term_days"])
    return days


def next_contact_due(case: Case) -> datetime.date:
    """When the household should next be met or called."""
    last = case.journal.filter(next_contact_due__isnull=False).order_by("-created_at", "-pk").first()
    if last is not None:
        return last.next_contact_due
    return timezone.localtime(case.opened_at).date() + datetime.timedelta(days=14)


def visible_notes(case: Case, user: User):
    """Restricted notes only for the case's own caseworker, their author and team leads."""
    notes = case.journal.select_related("author")
    if user.role == User.Role.TEAM_LEAD or case.assigned_to_id == user.pk:
        return notes
    return notes.exclude(Q(visibility=JournalNote.Visibility.RESTRICTED) & ~Q(author=user))


EMERGENCY_REFERENCE = "SoL (2025:400) 12 kap. 1 § (nödbistånd i en akut situation)"


def emergency_calculation(month: datetime.date, amount: Decimal, need: str) -> dict[str, Any]:
    """A hand-made calculation for nödbistånd: one line, the amount the caseworker judged the acute need."""
    return {
        "month": month.isoformat()[:7],
        "norm_table": None,
        "norm_total": 0,
        "costs_total": int(amount) if amount == amount.to_integral() else str(amount),
        "income_total": 0,
        "deficit": int(amount) if amount == amount.to_integral() else str(amount),
        "entitlement": int(amount) if amount == amount.to_integral() else str(amount),
        "lines": [
            {
                "section": "costs",
                "member": "a",
                "label": f"Nödbistånd: {need}",
                "label_en": f"Emergency assistance: {need}",
                "amount": int(amount) if amount == amount.to_integral() else str(amount),
                "rule": "emergency_assistance",
                "reference": EMERGENCY_REFERENCE,
                "parameter": None,
                "verified": True,
            }
        ],
        "warnings": [],
        "jobbstimulans": {"applies": False},
    }


def decide_emergency(run: PipelineRun, user: User, *, amount: Any, need: str, motivation: str):
    """A caseworker decides nödbistånd by hand, with no riksnorm calculation (for example while the month's
    norm is not published yet). The amount and the acute need are the caseworker's own assessment."""
    _same_unit(run.case, user)
    granted = _money(amount, "Belopp")
    if granted <= 0:
        raise WorkspaceError("Belopp: skriv beloppet för det akuta behovet, mer än 0 kronor.")
    if not need.strip():
        raise WorkspaceError("Skriv vilket akut behov nödbiståndet gäller, till exempel mat för en vecka.")
    if not motivation.strip():
        raise WorkspaceError("Skriv en motivering: den sökande ska förstå beslutet (förvaltningslagen 32 §).")
    if run.application.decisions.exists():
        raise WorkspaceError("Ansökan är redan beslutad.")
    calculation = emergency_calculation(run.application.month, granted, need.strip())
    decision = decide_by_person(
        run,
        user,
        outcome="grant",
        amount=granted,
        calculation=calculation,
        calculation_input=None,
        adjustments=[{"kind": "emergency", "need": need.strip(), "reason": need.strip()}],
        note=motivation,
    )
    stop_waiting(run)
    SignOff.objects.create(
        case=run.case,
        what=SignOff.What.DECISION,
        role=SignOff.Role.DECIDED,
        reference=str(decision.pk),
        by=user,
    )
    return decision
