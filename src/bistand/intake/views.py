"""The citizen applies: a start page, one page per step, a summary to sign, co-signing, and a receipt.

Every step is saved on the server before it is checked, so closing the browser loses nothing. A returning
household whose situation is unchanged confirms last month's answers on one page and signs.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from bistand.intake import signing, summary, wizard
from bistand.intake.acting import act_for, acting_person, acting_power, citizen_required
from bistand.intake.drafts import (
    last_submitted,
    municipality_for,
    next_month,
    open_application,
    resume_url,
)
from bistand.intake.emergency import is_emergency
from bistand.intake.forms import INCOME_LABELS
from bistand.intake.models import Application, MonthTaken, PowerOfAttorney
from bistand.intake.schema import ApplicationInvalid
from bistand.intake.signals import receipt_context

logger = logging.getLogger(__name__)

MONTH_TAKEN = _lazy(
    "Ert hushåll har redan ansökt om försörjningsstöd för den här månaden. Ändringar skickar du som "
    "meddelande till din handläggare. Nödbistånd söker du med frågan om akut behov."
)


def _own_draft(request: HttpRequest, reference, status=Application.Status.DRAFT) -> Application:
    """The acting person's open application, or 404 (also when it expired)."""
    person = acting_person(request)
    application = get_object_or_404(
        Application.objects.select_related("applicant", "representative"),
        reference=reference,
        applicant=person,
    )
    if application.is_expired:
        application.delete()
        raise Http404
    if status is not None and application.status != status:
        raise Http404
    return application


def _wizard_context(application: Application, **extra) -> dict:
    steps = wizard.STEPS
    return {
        "application": application,
        "steps": steps,
        "expires_soon": wizard.expires_soon(application),
        "prefill_failed": application.draft.get("prefill", {}).get("failed", []),
        **extra,
    }


@citizen_required
@require_http_methods(["GET"])
def apply(request: HttpRequest) -> HttpResponse:
    """Start: continue an open application, apply for the next month, or begin the first application."""
    person = acting_person(request)
    application = open_application(person)
    if application is not None:
        return render(
            request, "intake/start.html", {"open": application, "resume_url": resume_url(application)}
        )
    waiting = Application.objects.filter(co_applicant=request.user.person, status=Application.Status.SIGNING)
    month = next_month(person)
    return render(
        request,
        "intake/start.html",
        {
            "previous": last_submitted(person),
            "month": month,
            "month_date": datetime.date.fromisoformat(f"{month}-01") if month else None,
            "waiting": waiting,
            "power": acting_power(request),
            "no_municipality": municipality_for(person) is None,
        },
    )


@citizen_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Create the draft (prefilled from the registers) and go to its first page."""
    person = acting_person(request)
    existing = open_application(person)
    if existing is not None:
        return redirect(resume_url(existing))
    municipality = municipality_for(person)
    month = next_month(person)
    if municipality is None or month is None:
        return redirect("intake:apply")
    power = acting_power(request)
    if power is not None and power.scope != PowerOfAttorney.Scope.APPLY:
        messages.error(request, _("Din fullmakt gäller bara att följa ärendet, inte att ansöka."))
        return redirect("portal:home")
    previous = last_submitted(person)
    try:
        with transaction.atomic():
            application = wizard.new_draft(
                person,
                municipality,
                month,
                previous=previous,
                representative=request.user.person if power else None,
                power_of_attorney=power,
            )
    except IntegrityError:
        # Two clicks at once: the other request created the draft.
        return redirect("intake:apply")
    logger.info("application draft started", extra={"application_id": application.pk})
    return redirect(resume_url(application))


@citizen_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, reference, name: str) -> HttpResponse:
    if name not in wizard.STEP_NAMES:
        raise Http404
    application = _own_draft(request, reference)
    index = wizard.STEP_NAMES.index(name)
    if request.method == "POST":
        action = request.POST.get("action", "next")
        old_month = wizard.month_of(application)
        wizard.save_raw(application, name, request.POST)
        if application.kind == Application.Kind.RENEWAL:
            application.draft["changed"] = True
        if action == "add_child":
            data = wizard.raw_of(application, name)
            total = int(data.get("child-TOTAL_FORMS", "0") or 0)
            application.draft["steps"][name]["child-TOTAL_FORMS"] = [str(min(total + 1, 15))]
            application.save()
            return redirect(
                reverse("intake:step", args=[reference, name]) + f"#id_child-{total}-personnummer"
            )
        form, formset = wizard.build(application, name, wizard.raw_of(application, name))
        valid = form.is_valid() and (formset is None or formset.is_valid())
        if name == "month" and valid:
            chosen = form.cleaned_data["month_applied"]
            if chosen != old_month:
                application.month = datetime.date.fromisoformat(f"{chosen}-01")
                wizard.refresh_prefill(application)
        target = None
        if action == "back":
            target = wizard.STEP_NAMES[max(index - 1, 0)]
        elif valid:
            last = action == "review" or index + 1 == len(wizard.STEP_NAMES)
            target = "review" if last else wizard.STEP_NAMES[index + 1]
        # Coming back later (another browser, another day) starts where the citizen was going.
        application.draft["resume_step"] = target or name
        application.save()
        if target == "review":
            return redirect("intake:review", reference=reference)
        if target is not None:
            return redirect("intake:step", reference=reference, name=target)
    else:
        form, formset = wizard.build(application, name)
    return render(
        request,
        f"intake/step_{name}.html",
        _wizard_context(
            application,
            step=wizard.STEP_BY_NAME[name],
            index=index + 1,
            form=form,
            formset=formset,
            has_errors=request.method == "POST"
            and (bool(form.errors) or bool(formset and formset.total_error_count())),
            names=wizard.names(application),
        ),
    )


def _preview(application: Application, *, nothing_changed: bool):
    try:
        answers = wizard.assemble(application, nothing_changed=nothing_changed, language=get_language())
    except wizard.Incomplete as incomplete:
        return None, incomplete.steps
    except ApplicationInvalid:
        return None, list(wizard.STEPS)
    return answers, []


@citizen_required
@require_http_methods(["GET"])
def review(request: HttpRequest, reference) -> HttpResponse:
    application = _own_draft(request, reference)
    answers, missing = _preview(application, nothing_changed=False)
    return render(
        request,
        "intake/review.html",
        _wizard_context(
            application,
            sections=summary.sections(answers, wizard.names(application)) if answers else [],
            missing=missing,
        ),
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def renewal(request: HttpRequest, reference) -> HttpResponse:
    """The short re-application: last month's answers and fresh register amounts on one page."""
    application = _own_draft(request, reference)
    if application.kind != Application.Kind.RENEWAL:
        return redirect("intake:review", reference=reference)
    if request.method == "POST" and request.POST.get("action") == "change":
        application.draft["changed"] = True
        wizard.touch(application)
        application.save()
        return redirect("intake:step", reference=reference, name="household")
    answers, missing = _preview(application, nothing_changed=True)
    if answers is None:
        application.draft["changed"] = True
        application.save()
        return redirect("intake:step", reference=reference, name=missing[0].name if missing else "household")
    previous = application.draft.get("previous") or {}
    changed_rows = _register_changes(application, previous)
    return render(
        request,
        "intake/renewal.html",
        _wizard_context(
            application,
            sections=summary.sections(answers, wizard.names(application)),
            register_changes=changed_rows,
        ),
    )


def _register_changes(application: Application, previous: dict) -> list[dict]:
    """Register amounts that differ from last month, so the citizen sees what is new."""
    before = {(i["person"], i["type"]): i["amount"] for i in previous.get("incomes", [])}
    changes = []
    for row in application.draft.get("income_rows", []):
        if not row.get("source", "").startswith("register:"):
            continue
        old = before.get((row["person"], row["type"]))
        if old is None or not wizard._same_amount(old, row["amount"]):
            changes.append(
                {
                    "label": INCOME_LABELS.get(row["type"], INCOME_LABELS["other"]),
                    "amount": summary.kr(row["amount"]),
                    "before": summary.kr(old) if old is not None else None,
                    "source": summary.f.source_label(row["source"]),
                }
            )
    return changes


def _eid_method(request: HttpRequest) -> str:
    return request.session.get("eid_method", "dev-eid")


@citizen_required
@require_POST
def sign(request: HttpRequest, reference) -> HttpResponse:
    """The applicant (or ombud) signs. Submitted at once, or waiting for the co-applicant."""
    application = _own_draft(request, reference)
    nothing_changed = (
        application.kind == Application.Kind.RENEWAL
        and not application.draft.get("changed")
        and request.POST.get("nothing_changed") == "yes"
    )
    try:
        signing.sign_first(
            application,
            request.user.person,
            method=_eid_method(request),
            nothing_changed=nothing_changed,
            language=get_language(),
        )
    except wizard.Incomplete as incomplete:
        messages.error(request, _("Några delar av ansökan behöver fyllas i innan du kan skriva under."))
        return redirect("intake:step", reference=reference, name=incomplete.steps[0].name)
    except signing.SigningRefused:
        application.refresh_from_db()
        if application.status == Application.Status.DRAFT:
            raise Http404 from None
        # A double click: the first click signed; this one shows where the application is now.
    except MonthTaken:
        messages.error(request, MONTH_TAKEN)
        return redirect("intake:review", reference=reference)
    application.refresh_from_db()
    if application.is_submitted:
        return redirect("intake:received", reference=reference)
    return redirect("intake:waiting", reference=reference)


@citizen_required
@require_http_methods(["GET", "POST"])
def waiting(request: HttpRequest, reference) -> HttpResponse:
    """The first signer sees the application waiting for the co-applicant; they may take it back."""
    application = _own_draft(request, reference, status=None)
    if application.is_submitted:
        return redirect("intake:received", reference=reference)
    if application.status != Application.Status.SIGNING:
        return redirect(resume_url(application))
    if request.method == "POST":
        signing.return_to_draft(application, request.user.person, declined=False)
        return redirect("intake:review", reference=reference)
    return render(
        request,
        "intake/waiting.html",
        {
            "application": application,
            "co_name": application.co_applicant.first_name if application.co_applicant else "",
            "sections": summary.sections(application.answers, wizard.names(application)),
            "signatures": application.signatures.select_related("signer"),
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def cosign(request: HttpRequest, reference) -> HttpResponse:
    """The co-applicant, signed in with their own eID, reads and signs (or asks for a change)."""
    application = get_object_or_404(
        Application.objects.select_related("applicant"), reference=reference, co_applicant=request.user.person
    )
    if application.is_submitted:
        return redirect("intake:received", reference=reference)
    if application.status != Application.Status.SIGNING or application.is_expired:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "decline":
            signing.return_to_draft(application, request.user.person, declined=True)
            messages.success(
                request, _("Ansökan är tillbaka hos den som fyllde i den. Ingenting har skickats.")
            )
            return redirect("portal:home")
        try:
            signing.sign_as_co_applicant(
                application, request.user.person, method=_eid_method(request), language=get_language()
            )
        except MonthTaken:
            messages.error(request, MONTH_TAKEN)
            return redirect("intake:cosign", reference=reference)
        except signing.SigningRefused:
            raise Http404 from None
        return redirect("intake:received", reference=reference)
    names = wizard.names(application)
    names[application.applicant.personnummer] = application.applicant.first_name
    return render(
        request,
        "intake/cosign.html",
        {
            "application": application,
            "sections": summary.sections(
                application.answers, names, applicant=application.applicant.first_name
            ),
            "applicant_name": application.applicant.first_name,
        },
    )


@citizen_required
@require_POST
def discard(request: HttpRequest, reference) -> HttpResponse:
    application = _own_draft(request, reference, status=None)
    if application.is_submitted:
        raise Http404
    application.delete()
    messages.success(request, _("Utkastet är borttaget."))
    return redirect("portal:home")


def _submitted(request: HttpRequest, reference) -> Application:
    """A submitted application the signed-in person (or their principal) is a party to."""
    person = acting_person(request)
    return get_object_or_404(
        Application.objects.filter(status=Application.Status.SUBMITTED).filter(applicant=person)
        | Application.objects.filter(status=Application.Status.SUBMITTED, co_applicant=request.user.person),
        reference=reference,
    )


def _decision_url(application: Application) -> str:
    decision = application.decisions.order_by("-version").first()
    return reverse("portal:decision", args=[decision.pk]) if decision else ""


@citizen_required
def decision_status(request: HttpRequest, reference) -> JsonResponse:
    """Whether the application is decided yet, for the receipt to show a decision without a reload."""
    url = _decision_url(_submitted(request, reference))
    return JsonResponse({"decided": bool(url), "url": url})


@citizen_required
def received(request: HttpRequest, reference) -> HttpResponse:
    """The receipt: shown only after the application is safely stored."""

    application = _submitted(request, reference)
    days = application.municipality.decision_days
    decide_by = (
        (application.submitted_at + datetime.timedelta(days=days))
        if days and application.submitted_at
        else None
    )
    return render(
        request,
        "intake/received.html",
        {
            "application": application,
            "decide_by": decide_by,
            "decision_url": _decision_url(application),
            "emergency": is_emergency(application),
            # The robot, above intake, adds whether the month waits for its riksnorm (`norm_wait`).
            **receipt_context(application),
        },
    )


@citizen_required
@require_POST
def act(request: HttpRequest, power_id: int | None = None) -> HttpResponse:
    """Start (or stop) acting as ombud for a principal."""
    if power_id is None:
        act_for(request, None)
    else:
        power = get_object_or_404(PowerOfAttorney.valid_for(request.user.person), pk=power_id)
        act_for(request, power)
    return redirect("portal:home")


@citizen_required
def power_ended(request: HttpRequest, power_id: int) -> HttpResponse:
    """Why the agent can no longer act for the principal: revoked (and when) or run out (and when)."""
    power = get_object_or_404(
        PowerOfAttorney.objects.select_related("principal"), pk=power_id, agent=request.user.person
    )
    return render(request, "intake/power_ended.html", {"power": power, "reason": power.ended_reason()})
