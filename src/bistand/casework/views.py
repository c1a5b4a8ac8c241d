"""The caseworker's workspace: the unit's queues, the case, deciding, the journal — the unit's cases only."""

from __future__ import annotations

import datetime
import statistics

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bistand.cases import scope
from bistand.cases.models import Case
from bistand.casework import adjustments, case_page, findings, kommunicering, lookup, timeline, workspace
from bistand.casework.forms import (
    OUTCOMES,
    ActivityPlanForm,
    CertificateForm,
    DocumentRequestForm,
    DraftForm,
    EmergencyForm,
    KommuniceringForm,
    MessageForm,
    NoteForm,
    ReturnForm,
)
from bistand.casework.models import (
    ActivityPlan,
    CaseFinding,
    ConcernReport,
    DecisionDraft,
    Kommunicering,
    MedicalCertificate,
    PaperScan,
    PipelineRun,
)
from bistand.casework.norm_wait import waiting_for
from bistand.casework.pipeline import previous_application
from bistand.casework.reform import af_status_of
from bistand.casework.supplement_forms import supplement_context
from bistand.conversation.models import Appeal, DocumentRequest, Message, Upload
from bistand.conversation.services import request_documents as ask
from bistand.conversation.services import send_message as send
from bistand.decisions.grounds import ground_for
from bistand.decisions.letters import render_letter
from bistand.decisions.models import Decision
from bistand.decisions.presentation import explanation_lines
from bistand.identity.access import caseworker_required
from bistand.identity.models import Person, User
from bistand.payments import services as payments
from bistand.payments.models import PaymentOrder, RecoveryCase
from bistand.payments.views import account_from_post
from bistand.registers.snapshot import RegisterSnapshot
from bistand.rules.reform import reform_rules

REPLY_WITHIN = datetime.timedelta(hours=24)


def _waiting(unit):
    return (
        PipelineRun.objects.filter(
            case__unit=unit,
            status__in=[PipelineRun.Status.ROUTED, PipelineRun.Status.NEEDS_ATTENTION],
            application__decisions__isnull=True,
        )
        .select_related("application__applicant", "case__assigned_to")
        .prefetch_related("kommuniceringar")
        # A high finding still open blocks the decision: the queue says so before the case is opened.
        .annotate(
            open_high=Count(
                "case_findings", filter=Q(case_findings__severity="high", case_findings__status="open")
            )
        )
        .order_by("-urgent", "created_at")
    )


def _unanswered_messages(unit):
    """Cases whose latest message is the citizen's: waiting for a reply, oldest first."""
    latest = {}
    for message in (
        Message.objects.filter(case__unit=unit).select_related("case__applicant").order_by("sent_at")
    ):
        latest[message.case_id] = message
    now = timezone.now()
    waiting = [m for m in latest.values() if m.sender_kind == "citizen"]
    return sorted(
        ({"message": m, "overdue": now - m.sent_at > REPLY_WITHIN} for m in waiting),
        key=lambda x: x["message"].sent_at,
    )


def _open_requests(unit):

    return DocumentRequest.objects.filter(case__unit=unit, status__in=["open", "answered"]).select_related(
        "case__applicant"
    )


def _contacts_due(unit, within_days: int = 7):
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    recent = timezone.now() - datetime.timedelta(days=62)
    active = (
        Case.objects.filter(unit=unit, pipeline_runs__created_at__gte=recent)
        .distinct()
        .select_related("applicant")
    )
    due = [(case, workspace.next_contact_due(case)) for case in active]
    return sorted(((c, d) for c, d in due if d <= horizon), key=lambda x: x[1])


def _concerns_to_report(user):
    """Orosanmälningar not yet handed over: for a team lead the unit's, else the user's own cases and notes."""
    reports = ConcernReport.objects.filter(case__unit=user.unit, status=ConcernReport.Status.TO_REPORT)
    if user.role != User.Role.TEAM_LEAD:
        reports = reports.filter(Q(case__assigned_to=user) | Q(note__author=user))
    return reports.select_related("case")


@caseworker_required
def queue(request):
    """Everything waiting for a person in the unit: urgent first, then the oldest."""
    unit = request.user.unit
    show = request.GET.get("show", "all")
    waiting = _waiting(unit)
    if show == "mine":
        waiting = waiting.filter(case__assigned_to=request.user)
    elif show == "unassigned":
        waiting = waiting.filter(case__assigned_to__isnull=True)
    elif show == "urgent":
        waiting = waiting.filter(urgent=True)
    cases = (
        Case.objects.filter(unit=unit)
        .select_related("applicant", "assigned_to")
        .annotate(last_event=Max("events__occurred_at"))
        .order_by("-last_event")[:200]
    )

    recoveries = RecoveryCase.objects.filter(unit=unit, status="open").select_related("case__applicant")
    approvals = DecisionDraft.objects.filter(run__case__unit=unit, status="awaiting_approval").exclude(
        proposed_by=request.user
    )
    return render(
        request,
        "casework/queue.html",
        {
            "unit": unit,
            "show": show,
            "waiting": waiting[:200],
            "norm_waiting": PipelineRun.objects.filter(
                case__unit=unit, status=PipelineRun.Status.WAITING_NORM
            )
            .select_related("application__applicant", "case__assigned_to")
            .order_by("-urgent", "norm_wait_started")[:200],
            "approvals": approvals.select_related("run__application__applicant", "proposed_by"),
            "requests": _open_requests(unit),
            "unanswered": _unanswered_messages(unit),
            "contacts": _contacts_due(unit),
            "concerns": _concerns_to_report(request.user),
            "recoveries": recoveries,
            "cases": cases,
            "today": timezone.localdate(),
        },
    )


@caseworker_required
def workload(request):
    """The unit's workload and waiting times — for the team lead, never a ranking of caseworkers."""
    unit = request.user.unit
    now = timezone.now()
    waiting = list(_waiting(unit))
    ages = [(now - run.created_at).total_seconds() / 3600 for run in waiting]
    unanswered = _unanswered_messages(unit)
    return render(
        request,
        "casework/workload.html",
        {
            "unit": unit,
            "waiting_count": len(waiting),
            "urgent_count": sum(run.urgent for run in waiting),
            "unassigned_count": sum(run.case.assigned_to_id is None for run in waiting),
            "median_hours": round(statistics.median(ages), 1) if ages else None,
            "oldest_hours": round(max(ages), 1) if ages else None,
            "requests_count": _open_requests(unit).count(),
            "unanswered_count": len(unanswered),
            "overdue_count": sum(x["overdue"] for x in unanswered),
            "contacts_count": len(_contacts_due(unit, within_days=0)),
        },
    )


def _case(request, case_id: int) -> Case:
    """The case if this member of staff may open it (`cases.scope`, the one rule), else 404."""
    return scope.visible_case(
        request.user, case_id, Case.objects.select_related("applicant", "unit", "assigned_to")
    )


def _latest_run(case: Case) -> PipelineRun | None:
    return case.pipeline_runs.select_related("application").order_by("-created_at").first()


def _adults(case: Case, run: PipelineRun | None) -> list[tuple[str, str]]:
    name = _("Sökande") if case.applicant.is_protected else f"{_('Sökande')}: {case.applicant.full_name}"
    adults = [(case.applicant.personnummer, name)]
    co = (run.application.answers.get("co_applicant") or {}).get("value") if run else None
    if co:
        adults.append((co, _("Medsökande")))
    return adults


@caseworker_required
def case_detail(request, case_id: int):
    return _case_page(request, _case(request, case_id))


def _case_page(
    request,
    case: Case,
    *,
    note_form: NoteForm | None = None,
    draft_form: DraftForm | None = None,
    status: int = 200,
):
    """The case page; a note or draft form that failed comes back as typed, with its errors beside the fields."""
    run = _latest_run(case)
    household = ((run.calculation_input or {}).get("household") if run else None) or {}
    draft = run.drafts.exclude(status="decided").order_by("-created_at").first() if run else None
    decided = run.application.decisions.order_by("-version").first() if run else None
    today = timezone.localdate()
    answers, registers, prior = [], [], None
    if run is not None:
        prior = previous_application(run.application)
        names = _names(run.application, prior)
        answers = case_page.with_previous(
            case_page.answer_rows(run.application, names),
            case_page.answer_rows(prior, names) if prior else None,
        )
        registers = case_page.register_answers(
            RegisterSnapshot.from_json(run.register_snapshot),
            run.application.month.isoformat()[:7],
            protected=case.applicant.is_protected,
        )
    case_findings = (
        list(run.case_findings.prefetch_related("history__by").select_related("acknowledged_by"))
        if run
        else []
    )
    for finding in case_findings:
        finding.anchor = case_page.finding_anchor(finding)
    context = {
        "case": case,
        "run": run,
        "household_members": case_page.household(case, run, today),
        "state": _state(case, run, decided),
        "answer_rows": answers,
        "has_previous": prior is not None,
        "registers": registers,
        "case_findings": case_findings,
        "reasons": case_page.reason_links(run.routing_reasons, case_findings) if run else [],
        "open_high": [f for f in case_findings if f.severity == "high" and f.status == "open"],
        "draft_outcome": dict(OUTCOMES).get(draft.outcome, "") if draft else "",
        "adjustments": [adjustments.describe(a) for a in draft.adjustments] if draft else [],
        "sign_offs": case_page.sign_off_rows(case),
        "explanation": explanation_lines(run.calculation_input, "sv")
        if run and run.calculation_input
        else [],
        "draft": draft,
        "decided": decided,
        "norm_wait": waiting_for(run.application) if run and run.status == "waiting_norm" else None,
        "reform_rules": [r for r in reform_rules().values() if r.applies(run.application.month)]
        if run
        else [],
        # Nödbistånd by hand: for an urgent case, one whose month has no riksnorm yet, and one where
        # only nödbistånd can come into question (laglig vistelse).
        "emergency_form": EmergencyForm(auto_id="emergency-%s")
        if run
        and not decided
        and (run.urgent or run.status == PipelineRun.Status.WAITING_NORM or _emergency_only(run))
        else None,
        **supplement_context(case, run, decided),
        "draft_form": draft_form
        or DraftForm(
            household=household, initial={"outcome": draft.outcome} if draft else None, auto_id="draft-%s"
        )
        if household
        else None,
        "note_form": note_form or NoteForm(),
        "kommunicering_form": KommuniceringForm(
            initial={"reply_by": timezone.localdate() + datetime.timedelta(days=14)},
            auto_id="kommunicering-%s",
        ),
        "kommuniceringar": run.kommuniceringar.all() if run else [],
        "request_form": DocumentRequestForm(
            initial={"deadline": timezone.localdate() + datetime.timedelta(days=7)}, auto_id="request-%s"
        ),
        "message_form": MessageForm(auto_id="message-%s"),
        "plan_form": ActivityPlanForm(adults=_adults(case, run), auto_id="plan-%s"),
        "certificate_form": CertificateForm(adults=_adults(case, run), prefix="certificate"),
        "certificates": case.medical_certificates.select_related("person"),
        "return_form": ReturnForm(auto_id="return-%s"),
        "notes": workspace.visible_notes(case, request.user),
        "events": timeline.lines(case.events.select_related("application")),
        "colleagues": User.objects.filter(unit=case.unit, role__in=["caseworker", "team_lead"]).exclude(
            pk=request.user.pk
        ),
        "plans": case.activity_plans.select_related("person"),
        "next_contact": workspace.next_contact_due(case),
        "payments": _payments(case),
        "scans": PaperScan.objects.filter(application__pipeline__case=case).select_related("application"),
        "today": timezone.localdate(),
        # Orosanmälningar: only for those who may read restricted notes; never on anything the household sees.
        "concerns": case.concern_reports.select_related("note", "reported_by")
        if workspace.may_read_restricted(case, request.user)
        else [],
        "concern_routine": workspace.concern_routine(case),
    }
    return render(request, "casework/case.html", context, status=status)


def _names(application, prior) -> dict[str, str]:
    """The names of the household's people who are not protected, by personnummer, for the answers table."""
    numbers = set()
    for app in (application, prior):
        if app is None:
            continue
        answers = app.answers or {}
        numbers.add((answers.get("co_applicant") or {}).get("value"))
        numbers |= {c["personnummer"] for c in (answers.get("children") or {}).get("value") or []}
    people = Person.objects.filter(personnummer__in=[n for n in numbers if n], protection="none")
    return {p.personnummer: p.full_name.strip() for p in people if p.full_name.strip()}


def _state(case: Case, run: PipelineRun | None, decided) -> dict:
    """Where the case stands, for the header: the status in words and what may be done next."""
    if decided is not None:
        appealed = Appeal.objects.filter(decision__application=decided.application).exists()
        return {
            "label": _("Överklagat") if appealed else _("Beslutat"),
            "decided": True,
            "appealed": appealed,
            "may_take": False,
        }
    if run is None:
        return {"label": _("Ingen ansökan"), "decided": False, "appealed": False, "may_take": True}
    if run.status == PipelineRun.Status.ROUTED and case.assigned_to_id is None:
        label = _("Väntar på en handläggare")
    else:
        label = run.get_status_display()
    return {"label": label, "decided": False, "appealed": False, "may_take": True}


def _concern(request, case: Case, report_id: int):

    report = get_object_or_404(ConcernReport.objects.select_related("note"), pk=report_id, case=case)
    if not (workspace.may_read_restricted(case, request.user) or report.note.author_id == request.user.pk):
        raise Http404
    return report


@caseworker_required
@require_POST
def concern_reported(request, case_id: int, report_id: int):
    """The orosanmälan has been handed to the recipient the municipality's routine names."""
    case = _case(request, case_id)
    try:
        workspace.mark_concern_reported(_concern(request, case, report_id), request.user)
    except workspace.WorkspaceError as error:
        return _fail(request, case, error, "#concerns")
    messages.success(request, _("Orosanmälan är markerad som lämnad."))
    return _back(case, "#concerns")


@caseworker_required
def concern_document(request, case_id: int, report_id: int):
    """The orosanmälan as a PDF to hand over, following the municipality's routine."""
    from weasyprint import HTML

    case = _case(request, case_id)
    report = _concern(request, case, report_id)
    html = render_to_string(
        "pdf/concern_report.html",
        {"report": report, "case": case, "routine": workspace.concern_routine(case), "user": request.user},
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="orosanmalan-{report.pk}.pdf"'
    return response


def _payments(case: Case) -> list:
    """The case's payments as they stand (not those a changed decision replaced), held ones first."""
    orders = PaymentOrder.objects.filter(case=case).exclude(status=PaymentOrder.Status.CANCELLED)
    return sorted(orders.order_by("-payout_date", "-pk")[:24], key=lambda o: o.status != "held")


@caseworker_required
@require_POST
def resolve_payment(request, case_id: int, order_id: int):
    """The caseworker gives a held payment the account it waits for (e.g. told on the phone or at a meeting)."""
    case = _case(request, case_id)
    order = get_object_or_404(PaymentOrder, pk=order_id, case=case)
    try:
        payments.resolve_held(order, request.user, account_from_post(request))
    except payments.PaymentError as error:
        return _fail(request, case, error, "#payments")
    messages.success(request, _("Utbetalningen har fått ett konto och är planerad."))
    return _back(case, "#payments")


def _emergency_only(run: PipelineRun) -> bool:
    """From 2027 someone not lawfully in Sweden can get only nödbistånd (prop. 2025/26:201)."""
    return any(reason["code"] == "lawful_residence" for reason in run.routing_reasons)


def _back(case: Case, anchor: str = ""):
    return redirect(f"/casework/cases/{case.pk}/{anchor}")


def _form_error(form) -> workspace.WorkspaceError:
    """A form's errors as one message for the case page."""
    return workspace.WorkspaceError(" ".join(" ".join(e) for e in form.errors.values()))


def _household_person(personnummer: str) -> Person:
    """The household member a plan or certificate is for (a person record is made if none exists yet)."""
    person, _created = Person.objects.get_or_create(
        personnummer=personnummer, defaults={"first_name": "", "last_name": ""}
    )
    return person


def _fail(request, case: Case, error: Exception, anchor: str = ""):
    messages.error(request, str(error))
    return _back(case, anchor)


@caseworker_required
@require_POST
def take(request, case_id: int):
    case = _case(request, case_id)
    target = request.POST.get("to")
    if target and not (target.isascii() and target.isdigit() and len(target) < 19):  # a forged form
        return _fail(request, case, workspace.WorkspaceError(_("Välj en kollega i listan.")))
    try:
        if target:
            workspace.assign(case, get_object_or_404(User, pk=target, unit=case.unit), request.user)
        else:
            workspace.take(case, request.user)
    except workspace.WorkspaceError as error:
        return _fail(request, case, error)
    messages.success(request, _("Ärendet är tilldelat."))
    return _back(case, "#decide")


@caseworker_required
@require_POST
def save_draft(request, case_id: int):
    case = _case(request, case_id)
    run = _latest_run(case)
    if run is None or not run.calculation_input:
        messages.error(request, _("Det finns ingen beräkning att utgå från."))
        return _back(case)
    form = DraftForm(request.POST, household=run.calculation_input["household"], auto_id="draft-%s")
    if not form.is_valid():
        # Nothing typed is lost: the page comes back with the draft as written and each error by its field.
        return _case_page(request, case, draft_form=form)
    try:
        workspace.save_draft(
            run,
            request.user,
            outcome=form.cleaned_data["outcome"],
            adjustments=form.adjustments(),
            amount=form.cleaned_data.get("amount"),
            motivation=form.cleaned_data.get("motivation", ""),
            kommunicering_exception=form.cleaned_data.get("kommunicering_exception", ""),
            ground=form.cleaned_data.get("motivation_template", ""),
        )
    except workspace.WorkspaceError as error:
        form.add_error(None, str(error))
        return _case_page(request, case, draft_form=form)
    messages.success(request, _("Utkastet är sparat. Inget har skickats till den sökande."))
    return _back(case, "#decide")


@caseworker_required
@require_POST
def add_certificate(request, case_id: int):
    """Record a received läkarintyg with its period (prop. 2025/26:201, from 1 July 2026)."""
    case = _case(request, case_id)
    form = CertificateForm(request.POST, adults=_adults(case, _latest_run(case)), prefix="certificate")
    if not form.is_valid():
        return _fail(request, case, _form_error(form), "#plan")
    person = _household_person(form.cleaned_data["person"])
    MedicalCertificate.objects.create(
        case=case,
        person=person,
        valid_from=form.cleaned_data["valid_from"],
        valid_until=form.cleaned_data["valid_until"],
        recorded_by=request.user,
    )
    messages.success(request, _("Läkarintyget är registrerat."))
    return _back(case, "#plan")


@caseworker_required
@require_POST
def emergency(request, case_id: int):
    """Nödbistånd decided by hand, for example while the month's riksnorm is not published yet."""
    case = _case(request, case_id)
    run = _latest_run(case)
    if run is None:
        return _back(case)
    form = EmergencyForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Beslutet fattades inte: %(errors)s")
            % {"errors": "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())},
        )
        return _back(case, "#decide")
    try:
        workspace.decide_emergency(
            run,
            request.user,
            amount=form.cleaned_data["amount"],
            need=form.cleaned_data["need"],
            motivation=form.cleaned_data["motivation"],
        )
    except workspace.WorkspaceError as error:
        return _fail(request, case, error, "#decide")
    messages.success(request, _("Nödbiståndet är beslutat och skickat till den sökande."))
    return _back(case, "#decide")


def _draft(request, case: Case, draft_id: int) -> DecisionDraft:
    return get_object_or_404(
        DecisionDraft.objects.select_related("run__application", "run__case"), pk=draft_id, run__case=case
    )


@caseworker_required
def preview_letter(request, case_id: int, draft_id: int):
    """The letter as it would be sent, before anything is decided."""
    case = _case(request, case_id)
    draft = _draft(request, case, draft_id)
    run = draft.run
    inputs = {"calculation_input": draft.calculation_input, "adjustments": list(draft.adjustments)}
    if draft.motivation:
        inputs["adjustments"].append({"kind": "motivation", "reason": draft.motivation})
    preview = Decision(
        case=case,
        application=run.application,
        version=1,
        month=run.application.month,
        outcome=draft.outcome,
        ground=ground_for(draft.outcome, draft.calculation or {}, draft.ground),
        amount_applied=kommunicering.applied_amount(run) or draft.amount,
        amount_granted=draft.amount,
        calculation=draft.calculation,
        automated=False,
        decided_by=draft.proposed_by,
        decided_at=timezone.now(),
        inputs=inputs,
    )
    response = HttpResponse(render_letter(preview, "sv", draft=True), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="forhandsvisning.pdf"'
    return response


@caseworker_required
@require_POST
def submit_draft(request, case_id: int, draft_id: int):
    case = _case(request, case_id)
    try:
        decision = workspace.submit(_draft(request, case, draft_id), request.user)
    except workspace.WorkspaceError as error:
        return _fail(request, case, error, "#decide")
    if decision is None:
        messages.success(request, _("Utkastet väntar nu på att en kollega godkänner det."))
    else:
        messages.success(request, _("Beslutet är fattat och skickat till den sökande."))
    return _back(case, "#decide")


@caseworker_required
@require_POST
def approve_draft(request, case_id: int, draft_id: int):
    case = _case(request, case_id)
    draft = _draft(request, case, draft_id)
    try:
        if request.POST.get("action") == "return":
            workspace.return_draft(draft, request.user, request.POST.get("reason", ""))
            messages.success(request, _("Utkastet är tillbakaskickat."))
        else:
            workspace.approve(draft, request.user)
            messages.success(request, _("Godkänt. Beslutet är fattat och skickat till den sökande."))
    except workspace.WorkspaceError as error:
        return _fail(request, case, error, "#decide")
    return _back(case, "#decide")


@caseworker_required
@require_POST
def add_note(request, case_id: int):
    case = _case(request, case_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            workspace.write_note(
                case,
                request.user,
                form.cleaned_data["text"],
                visibility=form.cleaned_data["visibility"],
                kind=form.cleaned_data["kind"],
                children_considered=form.cleaned_data["children_considered"],
                next_contact_due=form.cleaned_data["next_contact_due"],
            )
        except workspace.ChildPerspectiveMissing as error:
            form.add_error("children_considered", str(error))
        except workspace.WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Anteckningen är sparad."))
            return _back(case, "#journal")
    # Nothing typed is lost: the page comes back with the note as written and the error beside its field.
    # Status 200: the page shows personal data, so the access log records it like any other read.
    return _case_page(request, case, note_form=form)


@caseworker_required
@require_POST
def request_documents(request, case_id: int):

    case = _case(request, case_id)
    form = DocumentRequestForm(request.POST)
    if not form.is_valid():
        return _fail(
            request,
            case,
            workspace.WorkspaceError(" ".join(" ".join(e) for e in form.errors.values())),
            "#documents",
        )
    ask(case, form.cleaned_data["text"], form.cleaned_data["deadline"], request.user)
    messages.success(request, _("Begäran är skickad till den sökande."))
    return _back(case, "#documents")


@caseworker_required
@require_POST
def communicate(request, case_id: int):
    """Kommunicering before an adverse decision: what was found, and the date to reply by."""
    case = _case(request, case_id)
    run = _latest_run(case)
    form = KommuniceringForm(request.POST)
    if run is None or not form.is_valid():
        errors = " ".join(" ".join(e) for e in form.errors.values()) or _("Det finns ingen ansökan.")
        return _fail(request, case, workspace.WorkspaceError(errors), "#decide")
    try:
        kommunicering.communicate(
            run, request.user, found=form.cleaned_data["found"], reply_by=form.cleaned_data["reply_by"]
        )
    except kommunicering.KommuniceringMissing as error:
        return _fail(request, case, error, "#decide")
    messages.success(request, _("Kommuniceringen är skickad till den sökande."))
    return _back(case, "#decide")


@caseworker_required
@require_POST
def kommunicering_reply(request, case_id: int, kommunicering_id: int):
    """The citizen's reply to a kommunicering (in a message, by phone or by letter), noted on it."""
    case = _case(request, case_id)
    entry = get_object_or_404(Kommunicering, pk=kommunicering_id, run__case=case)
    try:
        kommunicering.record_reply(entry, request.POST.get("reply", ""))
    except kommunicering.KommuniceringMissing as error:
        return _fail(request, case, error, "#kommunicering")
    messages.success(request, _("Svaret är antecknat."))
    return _back(case, "#kommunicering")


@caseworker_required
@require_POST
def send_message(request, case_id: int):

    case = _case(request, case_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _fail(
            request,
            case,
            workspace.WorkspaceError(" ".join(" ".join(e) for e in form.errors.values())),
            "#messages",
        )
    send(case, form.cleaned_data["body"], request.user)
    messages.success(request, _("Meddelandet är skickat."))
    return _back(case, "#messages")


@caseworker_required
@require_POST
def add_plan(request, case_id: int):
    case = _case(request, case_id)
    run = _latest_run(case)
    form = ActivityPlanForm(request.POST, adults=_adults(case, run))
    if not form.is_valid():
        return _fail(request, case, _form_error(form), "#plan")
    person = _household_person(form.cleaned_data["person"])
    ActivityPlan.objects.create(
        # What the caseworker saw at Arbetsförmedlingen when accepting the plan (the case's latest answers).
        af_status_accepted=af_status_of(run, person.personnummer),
        case=case,
        person=person,
        kind=form.cleaned_data["kind"],
        valid_from=form.cleaned_data["valid_from"],
        valid_until=form.cleaned_data["valid_until"],
        note=form.cleaned_data["note"],
        hours_per_week=form.cleaned_data.get("hours_per_week"),
        job_search_hours=form.cleaned_data.get("job_search_hours"),
        exemption_code=form.cleaned_data.get("exemption_code") or "",
    )
    messages.success(request, _("Planen är sparad."))
    return _back(case, "#plan")


@caseworker_required
def open_upload(request, case_id: int, upload):
    """A document the citizen sent, for the case's own unit (the access log records the download)."""
    from django.http import FileResponse

    case = _case(request, case_id)
    upload = get_object_or_404(Upload, reference=upload, request__case=case)
    content_types = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png", "heic": "image/jpeg"}
    response = FileResponse(
        upload.file.open("rb"), content_type=content_types.get(upload.kind, "application/octet-stream")
    )
    # Shown, never run: the browser must not guess another type, and the file opens in its own context.
    response["Content-Disposition"] = (
        f'inline; filename="{upload.kind}-{str(upload.reference)[:8]}.{upload.kind}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@caseworker_required
@require_POST
def acknowledge_finding(request, case_id: int, finding_id: int):
    """A caseworker acknowledges a finding with a note; it stays in the history with their name."""
    case = _case(request, case_id)
    finding = get_object_or_404(
        CaseFinding.objects.select_related("run__case"), pk=finding_id, run__case=case
    )
    try:
        findings.acknowledge(finding, request.user, request.POST.get("note", ""))
    except findings.FindingError as error:
        return _fail(request, case, error, f"#finding-{finding.pk}")
    messages.success(request, _("Fyndet är kvitterat."))
    return _back(case, f"#finding-{finding.pk}")


@caseworker_required
@require_POST
def look_up_again(request, case_id: int):
    """Ask the registers again: findings whose cause is gone are closed, new ones opened."""
    case = _case(request, case_id)
    run = _latest_run(case)
    if run is None:
        return _back(case)
    try:
        lookup.look_up_again(run, request.user)
    except findings.FindingError as error:
        return _fail(request, case, error, "#findings")
    messages.success(request, _("Registeruppgifterna är hämtade igen och fynden är uppdaterade."))
    return _back(case, "#findings")
