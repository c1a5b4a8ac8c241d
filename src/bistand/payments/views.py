"""The finance view (ekonomi): what goes out next, the files and their approvals, bank status, the ledger.

Finance users only, and only their own municipality's payments. Citizens' names are not shown here:
finance needs amounts, cost codes and masked accounts, not who the money is for.
"""

from __future__ import annotations

import csv
import datetime
import logging

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bistand.identity.access import finance_required
from bistand.payments import counter, services
from bistand.payments.bankstatus import BankStatusError
from bistand.payments.forms import BankStatusForm, LedgerExportForm, VoidFileForm
from bistand.payments.models import (
    CITIZEN_FIXABLE,
    COUNTER_KINDS,
    BankStatusImport,
    PaymentFile,
    PaymentOrder,
    RecoveryCase,
)
from bistand.payments.schedule import upcoming_regular_dates

logger = logging.getLogger(__name__)


def _own_file(request: HttpRequest, file_id: int) -> PaymentFile:
    municipality = services.finance_municipality(request.user)
    return get_object_or_404(PaymentFile, pk=file_id, municipality=municipality)


@finance_required
def overview(request: HttpRequest) -> HttpResponse:
    """The next payout day, its totals per unit and cost code, the files, and what needs a person."""
    municipality = services.finance_municipality(request.user)
    schedule = services.schedule_for(municipality)
    today = timezone.localdate()
    next_day = services.next_payout_day(municipality, today)
    planned = PaymentOrder.objects.filter(municipality=municipality, status=PaymentOrder.Status.PLANNED)
    due = None
    if next_day is not None:
        on_day = PaymentOrder.objects.filter(municipality=municipality, payout_date=next_day)
        due = {
            "planned": on_day.filter(status=PaymentOrder.Status.PLANNED).aggregate(
                n=Count("pk"), total=Sum("amount")
            ),
            "held": on_day.filter(status=PaymentOrder.Status.HELD).aggregate(
                n=Count("pk"), total=Sum("amount")
            ),
            "totals": services.totals_by_unit_and_cost_code(
                municipality, next_day, [PaymentOrder.Status.PLANNED]
            ),
        }
    # Cash and card orders are handed out at the counter, never put in a file.
    unfiled = planned.filter(payment_file__isnull=True).exclude(account_kind__in=COUNTER_KINDS)
    first_of_month = today.replace(day=1)
    context = {
        "municipality": municipality,
        "schedule_configured": schedule.pk is not None,
        "today": today,
        "next_day": next_day,
        "due": due,
        "unfiled_count": unfiled.filter(payout_date__lte=next_day or today).count(),
        "overdue_count": unfiled.filter(payout_date__lt=today).count(),
        "files": PaymentFile.objects.filter(municipality=municipality).select_related(
            "released_by_1", "released_by_2"
        )[:20],
        "attention": services.orders_needing_a_person(municipality)[:50],
        "counter_orders": counter.to_hand_out(municipality)[:50],
        "account_reasons": CITIZEN_FIXABLE,
        "recovery_cases": RecoveryCase.objects.filter(
            unit__municipality=municipality, status=RecoveryCase.Status.OPEN
        ).select_related("unit")[:50],
        "regular_dates": upcoming_regular_dates(today, 3, schedule.payout_day),
        "status_form": BankStatusForm(),
        "ledger_form": LedgerExportForm(initial={"first": first_of_month, "last": today}),
        "imports": BankStatusImport.objects.filter(imported_by__unit__municipality=municipality).order_by(
            "-imported_at"
        )[:5],
    }
    return render(request, "payments/overview.html", context)


def account_from_post(request: HttpRequest) -> dict:
    """The account typed into the resolve form: a Bankgiro number, or clearing and account number — or the
    counter route (cash or card) chosen for someone without an account."""
    if request.POST.get("route"):
        return {"route": request.POST["route"]}
    return {
        key: request.POST.get(key, "").strip()
        for key in ("clearing_number", "account_number", "bankgiro")
        if request.POST.get(key, "").strip()
    }


@finance_required
@require_POST
def resolve_held(request: HttpRequest, order_id: int) -> HttpResponse:
    """Finance gives a held order the account it waits for; it is then planned like any other."""
    municipality = services.finance_municipality(request.user)
    order = get_object_or_404(PaymentOrder, pk=order_id, municipality=municipality)
    try:
        services.resolve_held(order, request.user, account_from_post(request))
    except services.PaymentError as error:
        messages.error(request, f"{order.end_to_end_id}: {error}")
    else:
        messages.success(request, _("Utbetalningen har fått ett konto och är planerad."))
    return redirect("payments:overview")


@finance_required
@require_POST
def hand_out(request: HttpRequest, order_id: int) -> HttpResponse:
    """The cash or the card has been handed to the person at the counter: paid, once."""
    municipality = services.finance_municipality(request.user)
    order = get_object_or_404(PaymentOrder, pk=order_id, municipality=municipality)
    try:
        counter.hand_out(order, request.user)
    except services.PaymentError as error:
        messages.error(request, f"{order.end_to_end_id}: {error}")
    else:
        messages.success(request, _("Utbetalningen är markerad som utlämnad."))
    return redirect("payments:overview")


@finance_required
@require_POST
def create_file(request: HttpRequest) -> HttpResponse:
    try:
        payout_date = datetime.date.fromisoformat(request.POST.get("payout_date", ""))
    except ValueError:
        messages.error(request, _("Ange en utbetalningsdag."))
        return redirect("payments:overview")
    try:
        payment_file = services.create_payment_file(payout_date, request.user)
    except services.PaymentError as error:
        messages.error(request, str(error))
        return redirect("payments:overview")
    if payment_file.status == PaymentFile.Status.INVALID:
        messages.error(request, _("Filen klarade inte kontrollen mot XSD-schemat. Se felen nedan."))
    else:
        messages.success(
            request, _("Betalfilen är skapad. Två personer måste godkänna den innan den skickas.")
        )
    return redirect("payments:file", file_id=payment_file.pk)


@finance_required
def file_detail(request: HttpRequest, file_id: int) -> HttpResponse:
    payment_file = _own_file(request, file_id)
    orders = payment_file.orders.select_related("unit").order_by("pk")
    user = request.user
    can_approve = payment_file.status in {PaymentFile.Status.CREATED, PaymentFile.Status.APPROVED} and (
        payment_file.released_by_1_id != user.pk
    )
    context = {
        "file": payment_file,
        "orders": orders,
        "can_approve": can_approve,
        "approved_by_me": payment_file.released_by_1_id == user.pk,
        "can_void": payment_file.status
        in {PaymentFile.Status.CREATED, PaymentFile.Status.APPROVED, PaymentFile.Status.INVALID},
        "void_form": VoidFileForm(),
    }
    return render(request, "payments/file.html", context)


@finance_required
@require_POST
def release_file(request: HttpRequest, file_id: int) -> HttpResponse:
    payment_file = _own_file(request, file_id)
    try:
        released = services.release(payment_file, request.user)
    except services.PaymentError as error:
        messages.error(request, str(error))
    else:
        if released.status == PaymentFile.Status.RELEASED:
            messages.success(request, _("Filen är godkänd av två personer och kan skickas till banken."))
        else:
            messages.success(request, _("Ditt godkännande är sparat. En annan person måste också godkänna."))
    return redirect("payments:file", file_id=payment_file.pk)


@finance_required
@require_POST
def mark_file_sent(request: HttpRequest, file_id: int) -> HttpResponse:
    payment_file = _own_file(request, file_id)
    try:
        services.mark_sent(payment_file, request.user)
    except services.PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Filen är markerad som skickad."))
    return redirect("payments:file", file_id=payment_file.pk)


@finance_required
@require_POST
def void_file(request: HttpRequest, file_id: int) -> HttpResponse:
    payment_file = _own_file(request, file_id)
    form = VoidFileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv varför filen makuleras."))
        return redirect("payments:file", file_id=payment_file.pk)
    try:
        services.void_file(payment_file, request.user, form.cleaned_data["reason"])
    except services.PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Filen är makulerad. Utbetalningarna kommer med i nästa fil."))
    return redirect("payments:file", file_id=payment_file.pk)


@finance_required
def download_file(request: HttpRequest, file_id: int) -> HttpResponse:
    """The file as stored, byte for byte; only once two people have released it."""
    payment_file = _own_file(request, file_id)
    if payment_file.status not in {PaymentFile.Status.RELEASED, PaymentFile.Status.SENT}:
        messages.error(request, _("Filen kan hämtas först när två personer har godkänt den."))
        return redirect("payments:file", file_id=payment_file.pk)
    if services.verify_file(payment_file):
        messages.error(request, _("Filen stämmer inte längre med sin kontrollsumma och kan inte hämtas."))
        return redirect("payments:file", file_id=payment_file.pk)
    logger.info("payment file downloaded", extra={"file_id": payment_file.pk, "user_id": request.user.pk})
    response = HttpResponse(payment_file.xml.encode("utf-8"), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{payment_file.message_id}.xml"'
    return response


@finance_required
@require_POST
def import_status(request: HttpRequest) -> HttpResponse:
    form = BankStatusForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Välj en statusfil från banken."))
        return redirect("payments:overview")
    upload = form.cleaned_data["status_file"]
    try:
        record = services.import_bank_status(upload.read(), request.user, upload.name)
    except BankStatusError:
        messages.error(request, _("Filen är varken en pain.002- eller en camt.054-fil som går att läsa."))
        return redirect("payments:overview")
    summary = record.summary
    messages.success(
        request,
        _("Statusfilen är inläst: %(paid)s utbetalda, %(returned)s returnerade, %(unmatched)s okända.")
        % {
            "paid": summary.get("paid", 0),
            "returned": summary.get("returned", 0),
            "unmatched": len(summary.get("unmatched", [])),
        },
    )
    return redirect("payments:overview")


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _swedish_amount(amount) -> str:
    return f"{amount:.2f}".replace(".", ",")


@finance_required
def ledger_csv(request: HttpRequest) -> HttpResponse:
    """The ledger export: sums per payout day, unit and cost code of the money that has left.

    Semicolon-separated with decimal commas, as Swedish ledger imports and spreadsheets expect. No names,
    no personnummer, no accounts: a ledger line is a sum.
    """
    municipality = services.finance_municipality(request.user)
    form = LedgerExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Välj ett giltigt datumintervall för exporten."))
        return redirect("payments:overview")
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="reskontra-{municipality.code}-{first.isoformat()}-{last.isoformat()}.csv"'
    )
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["utbetalningsdag", "enhet_id", "enhet", "kostnadskod", "kostnadsslag", "antal", "belopp", "betalfil"]
    )
    for row in services.ledger_rows(municipality, first, last):
        writer.writerow(
            [
                row["payout_date"].isoformat(),
                row["unit_id"],
                _cell(row["unit__name"]),
                _cell(row["cost_code"]),
                row["cost_type"],
                row["count"],
                _swedish_amount(row["total"]),
                row["payment_file__message_id"] or "",
            ]
        )
    logger.info("ledger exported", extra={"user_id": request.user.pk, "first": str(first), "last": str(last)})
    return response
