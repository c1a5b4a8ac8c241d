"""Mina sidor: the citizen's applications, the case timeline, decisions with their calculation, requests
for documents with upload, messages with the caseworker, and appeals.

Every page shows only the signed-in person's own cases (or, for an ombud, the principal's); nothing here
ever shows an address.
"""

from __future__ import annotations

import datetime

from django.contrib import messages as flash
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bistand.cases.models import Case, TimelineEvent
from bistand.casework.models import ActivityPlan, JournalNote, Kommunicering
from bistand.casework.norm_wait import waiting_for
from bistand.conversation import services
from bistand.conversation.models import DocumentRequest, Message
from bistand.core import files
from bistand.decisions.letters import ensure_letters, party_languages
from bistand.decisions.models import Decision
from bistand.decisions.statement import parties, statement
from bistand.identity.models import Person
from bistand.intake import powers, summary, wizard
from bistand.intake.acting import acting_person, acting_power, citizen_required
from bistand.intake.drafts import last_submitted, next_month, open_application, resume_url
from bistand.intake.forms import PayoutForm
from bistand.intake.models import Application, PowerOfAttorney
from bistand.intake.supplement import decided_months
from bistand.payments import services as payments
from bistand.payments.jobbpremie import paid_months, starts_working
from bistand.portal import presentation, requests
from bistand.portal.forms import AppealForm, MessageForm, UploadForm
from bistand.portal.timeline import describe
from bistand.rules.jobbpremie import MAX_PER_MONTH, may_be_eligible


def visible_cases(person: Person):
    """The cases a person may follow: their own, and those where they co-signed an application."""
    return Case.objects.filter(Q(applicant=person) | Q(events__application__co_applicant=person)).distinct()


def _decision_for(request: HttpRequest, decision_id: int) -> Decision:
    person = acting_person(request)
    return get_object_or_404(
        Decision.objects.select_related("application", "case"), pk=decision_id, case__in=visible_cases(person)
    )


@citizen_required
def home(request: HttpRequest) -> HttpResponse:
    person = acting_person(request)
    power = acting_power(request)
    cases = visible_cases(person)
    events = (
        TimelineEvent.objects.filter(case__in=cases, visible_to_citizen=True)
        .select_related("application")
        .order_by("-occurred_at", "-pk")[:50]
    )
    open_requests = [
        (doc_request, requests.summary(doc_request))
        for doc_request in DocumentRequest.objects.filter(case__in=cases, status=DocumentRequest.Status.OPEN)
    ]
    # What has come to light before a decision, while the citizen may still reply (FL 25 §).
    open_kommuniceringar = Kommunicering.objects.filter(
        run__case__in=cases, replied_at__isnull=True, reply_by__gte=timezone.localdate()
    ).order_by("reply_by", "pk")
    unread = Message.objects.filter(
        case__in=cases, sender_kind=Message.Sender.CASEWORKER, read_at__isnull=True
    ).count()
    decisions = [
        d for d in Decision.objects.filter(case__in=cases).select_related("application") if d.is_in_force
    ][:12]
    month = next_month(person)
    return render(
        request,
        "portal/home.html",
        {
            "person": person,
            "power": power,
            "powers": PowerOfAttorney.valid_for(request.user.person) if not power else [],
            # The powers this person has given (not shown to an ombud, who must not revoke or see others).
            "given_powers": powers.given_by(person) if not power else [],
            "open": (application := open_application(person)),
            "open_url": resume_url(application) if application else "",
            "expires_soon": wizard.expires_soon(application) if application else False,
            "waiting": []
            if power
            else Application.objects.filter(
                co_applicant=request.user.person, status=Application.Status.SIGNING
            ),
            "month": month,
            "month_date": datetime.date.fromisoformat(f"{month}-01") if month else None,
            "returning": last_submitted(person) is not None,
            "may_apply_for_supplement": bool(decided_months(person)),
            "entries": [describe(e) for e in events],
            "open_requests": open_requests,
            "open_kommuniceringar": open_kommuniceringar,
            "unread": unread,
            "cases": cases,
            "decisions": decisions,
            "payments": payments.citizen_orders(cases),
            # What the caseworker wrote for the household to read, and the person's own activity plans.
            "citizen_notes": JournalNote.objects.filter(
                case__in=cases, visibility=JournalNote.Visibility.CITIZEN
            ).select_related("author")[:20],
            "plans": ActivityPlan.objects.filter(person=person).order_by("-valid_from")[:5],
            "applications": person.applications.filter(status=Application.Status.SUBMITTED).order_by(
                "-month"
            )[:12],
            # Someone with försörjningsstöd every month July–December 2025 who starts working may get
            # Försäkringskassan's jobbpremie: tell those who now earn a wage (the ledger is exact, so no
            # one is told wrongly), not everyone who once qualified.
            "jobbpremie": starts_working(person)
            and may_be_eligible(paid_months(person.personnummer), timezone.localdate()),
            "jobbpremie_max": MAX_PER_MONTH,
        },
    )


@citizen_required
def application_detail(request: HttpRequest, reference) -> HttpResponse:
    person = acting_person(request)
    application = get_object_or_404(
        Application.objects.filter(Q(applicant=person) | Q(co_applicant=person)),
        reference=reference,
        status=Application.Status.SUBMITTED,
    )
    names = {}
    if application.co_applicant:
        names[application.co_applicant.personnummer] = application.co_applicant.first_name
    return render(
        request,
        "portal/application.html",
        {
            "application": application,
            # The co-applicant reads it as theirs: "du" is the reader.
            "sections": summary.sections(
                application.answers,
                names,
                applicant=application.applicant.first_name if person != application.applicant else "",
            ),
            "signatures": application.signatures.select_related("signer"),
            "norm_wait": waiting_for(application) if not application.decisions.exists() else None,
            "reader": person,
            "registered_by": (application.answers.get("registered_by") or {}).get("value", ""),
            "scans": application.scans.all(),
        },
    )


@citizen_required
def scan(request: HttpRequest, reference, scan_id: int) -> FileResponse:
    """A page of the citizen's own paper application, as staff scanned it."""
    person = acting_person(request)
    application = get_object_or_404(
        Application.objects.filter(Q(applicant=person) | Q(co_applicant=person)), reference=reference
    )
    page = get_object_or_404(application.scans, pk=scan_id)
    return FileResponse(page.file.open("rb"), as_attachment=True, filename=page.file.name.rsplit("/", 1)[-1])


def _letters_for(decision: Decision, person: Person) -> tuple:
    """The reader's own letters (Swedish, and their language if another); a reader who is not a party
    (never so for a citizen's own decision) is shown the applicant's."""
    party = person if person in parties(decision) else decision.application.applicant
    own = dict(party_languages(decision)).get(party, "sv")
    swedish = decision.letter_for(party, "sv")
    translated = decision.letter_for(party, own) if own != "sv" else None
    return swedish, translated


@citizen_required
def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = _decision_for(request, decision_id)
    letter, letter_translation = _letters_for(decision, acting_person(request))
    return render(
        request,
        "portal/decision.html",
        {
            "decision": decision,
            "letter": letter,
            "letter_translation": letter_translation,
            "s": statement(decision, get_language(), acting_person(request)),
            "versions": presentation.versions(decision),
            "can_appeal": services.can_appeal(decision),
            "appeal_deadline": services.appeal_deadline(decision),
            "appeals": decision.appeals.all(),
            "entitlement": summary.kr(decision.amount_granted),
        },
    )


@citizen_required
def decision_letter(request: HttpRequest, decision_id: int, translated: bool = False) -> FileResponse:
    """The decision letter as PDF, only for the person it concerns: their own, addressed to them."""
    decision = ensure_letters(_decision_for(request, decision_id))  # drawn now if the queue has not yet
    letter = _letters_for(decision, acting_person(request))[1 if translated else 0]
    if letter is None:
        raise Http404
    return FileResponse(
        letter.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"beslut-{decision.month:%Y-%m}-v{decision.version}{'-' + letter.language if translated else ''}.pdf",
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = _decision_for(request, decision_id)
    if not services.can_appeal(decision):
        return render(
            request,
            "portal/appeal.html",
            {"decision": decision, "too_late": True, "deadline": services.appeal_deadline(decision)},
        )
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.lodge_appeal(decision, form.cleaned_data["text"], request.user.person)
        flash.success(
            request, _("Vi har tagit emot ditt överklagande. Vi prövar beslutet igen och hör av oss.")
        )
        return redirect("portal:decision", decision_id=decision.pk)
    return render(
        request,
        "portal/appeal.html",
        {"decision": decision, "form": form, "deadline": services.appeal_deadline(decision)},
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """A request for documents: what is asked, the deadline, the files sent so far, and an upload."""
    person = acting_person(request)
    doc_request = get_object_or_404(DocumentRequest, pk=request_id, case__in=visible_cases(person))
    form = UploadForm()
    error = None
    if request.method == "POST" and doc_request.status == DocumentRequest.Status.OPEN:
        if request.POST.get("action") == "submit":
            if not doc_request.uploads.exists():
                error = _("Lägg till minst en fil innan du skickar in.")
            else:
                services.submit_documents(doc_request, request.user.person)
                flash.success(request, _("Tack! Vi har fått dina filer. Handläggaren tittar på dem."))
                return redirect("portal:home")
        else:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    services.add_upload(doc_request, form.cleaned_data["file"], request.user.person)
                except files.UploadRejected as rejected:
                    form.add_error("file", rejected.message)
                else:
                    flash.success(request, _("Filen är tillagd. Lägg till fler eller skicka in."))
                    return redirect("portal:request", request_id=doc_request.pk)
    return render(
        request,
        "portal/request.html",
        {
            "doc_request": doc_request,
            "frame": requests.for_document_request(doc_request),
            "closed": doc_request.status != DocumentRequest.Status.OPEN,  # nothing more is asked
            "form": form,
            "error": error,
            "uploads": doc_request.uploads.all(),
        },
    )


@citizen_required
def kommunicering_detail(request: HttpRequest, kommunicering_id: int) -> HttpResponse:
    """A kommunicering (FL 25 §): what has come to light, by when to reply, and how."""
    person = acting_person(request)
    entry = get_object_or_404(
        Kommunicering.objects.select_related("run"), pk=kommunicering_id, run__case__in=visible_cases(person)
    )
    return render(
        request, "portal/kommunicering.html", {"entry": entry, "frame": requests.for_kommunicering(entry)}
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def messages(request: HttpRequest, case_id: int) -> HttpResponse:
    person = acting_person(request)
    case = get_object_or_404(visible_cases(person), pk=case_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.send_message(case, form.cleaned_data["body"], request.user)
        flash.success(request, _("Ditt meddelande är skickat."))
        return redirect("portal:messages", case_id=case.pk)
    thread = list(case.messages.select_related("sender"))
    services.mark_read([m for m in thread if m.sender_kind == Message.Sender.CASEWORKER])
    return render(request, "portal/messages.html", {"case": case, "thread": thread, "form": form})


@citizen_required
@require_http_methods(["GET", "POST"])
def payout_account(request: HttpRequest) -> HttpResponse:
    """Give the account a held payment waits for, checked with the same bank rules as the e-application."""
    person = acting_person(request)
    power = acting_power(request)
    context = {"principal_name": person.full_name if power else ""}
    held = payments.held_for_citizen(person)
    form = PayoutForm(request.POST if request.method == "POST" else None, month=None, context=context)
    if request.method == "POST" and held and form.is_valid():
        try:
            resolved = payments.give_payout_account(person, form.cleaned_data["account"])
        except payments.PaymentError as error:
            form.add_error(None, str(error))
        else:
            flash.success(
                request,
                _("Tack! Kontot är sparat och %(n)d utbetalning(ar) är nu planerade.") % {"n": len(resolved)},
            )
            return redirect("portal:home")
    return render(request, "portal/payout_account.html", {"form": form, "held": held, "power": power})


@citizen_required
@require_http_methods(["POST"])
def revoke_power(request: HttpRequest, power_id: int) -> HttpResponse:
    """The principal ends a power they gave; it stops working on the agent's next request."""
    if acting_power(request) is not None:
        raise Http404  # an ombud never revokes on the principal's behalf
    power = get_object_or_404(PowerOfAttorney, pk=power_id, principal=request.user.person)
    powers.revoke(power, request.user)
    flash.success(
        request,
        _("Fullmakten är återkallad. %(name)s kan inte längre agera för dig.")
        % {"name": power.agent.full_name},
    )
    return redirect("portal:home")
