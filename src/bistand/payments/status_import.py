"""The bank's answers applied: pain.002 and camt.054 (parsed by `bistand.bank.bankstatus`) change orders.

Status changes are conditional (`sent` → `paid` happens once), so importing the same bank file twice, or two
files that say the same thing, changes nothing the second time.
"""

from __future__ import annotations

import hashlib
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from bistand.bank import bankstatus
from bistand.identity.models import User
from bistand.payments import timeline
from bistand.payments.access import finance_municipality
from bistand.payments.files import mark_sent
from bistand.payments.models import BankStatusImport, PaymentFile, PaymentOrder

logger = logging.getLogger(__name__)


def _ids_in_file(payment_file: PaymentFile, payment_information_id: str = "") -> list[str]:
    """End-to-end ids in a stored file, all of them or those of one payment-information block."""
    root = etree.fromstring(payment_file.xml.encode("utf-8"))
    blocks = root.iter("{*}PmtInf")
    ids = []
    for block in blocks:
        if payment_information_id and block.findtext("{*}PmtInfId") != payment_information_id:
            continue
        ids.extend(e.text for e in block.iter("{*}EndToEndId"))
    return ids


def import_bank_status(content: bytes, user: User | None = None, filename: str = "") -> BankStatusImport:
    """Apply a pain.002 or camt.054 file from the bank. The same file twice changes nothing the second time."""
    if user is not None:
        finance_municipality(user)
    digest = hashlib.sha256(content).hexdigest()
    if existing := BankStatusImport.objects.filter(sha256=digest).first():
        return existing
    parsed = bankstatus.parse(content)
    try:
        with transaction.atomic():
            record = BankStatusImport.objects.create(
                kind=parsed.kind,
                sha256=digest,
                filename=filename[:200],
                content=content.decode("utf-8", errors="replace"),
                imported_by=user,
            )
            record.summary = _apply_status_file(parsed, user)
            record.save(update_fields=["summary"])
    except IntegrityError:
        # The same file imported at the same moment by someone else: theirs stands.
        return BankStatusImport.objects.get(sha256=digest)
    logger.info("bank status imported", extra={"import_id": record.pk, "kind": record.kind, **record.summary})
    return record


def _reports_by_id(parsed: bankstatus.StatusFile) -> list[bankstatus.StatusReport]:
    """Expand file-level and block-level statuses to one report per end-to-end id."""
    reports: list[bankstatus.StatusReport] = []
    payment_file = (
        PaymentFile.objects.filter(message_id=parsed.original_message_id).first()
        if parsed.original_message_id
        else None
    )
    if parsed.group_status == "RJCT" and not parsed.reports and payment_file is not None:
        for end_to_end in _ids_in_file(payment_file):
            reports.append(
                bankstatus.StatusReport(
                    outcome=bankstatus.Outcome.REJECTED,
                    code="RJCT",
                    end_to_end_id=end_to_end,
                    reason=parsed.group_reason,
                )
            )
    for report in parsed.reports:
        if report.end_to_end_id:
            reports.append(report)
        elif payment_file is not None:
            for end_to_end in _ids_in_file(payment_file, report.payment_information_id):
                reports.append(
                    bankstatus.StatusReport(
                        outcome=report.outcome,
                        code=report.code,
                        end_to_end_id=end_to_end,
                        reason=report.reason,
                    )
                )
    return reports


def _apply_status_file(parsed: bankstatus.StatusFile, user: User | None) -> dict:
    counts = {"paid": 0, "returned": 0, "accepted": 0, "unchanged": 0}
    unmatched: list[str] = []
    mismatched: list[str] = []
    municipality = finance_municipality(user) if user is not None else None
    for report in _reports_by_id(parsed):
        orders = PaymentOrder.objects.filter(end_to_end_id=report.end_to_end_id)
        if municipality is not None:
            orders = orders.filter(municipality=municipality)
        order = orders.first()
        if order is None:
            unmatched.append(report.end_to_end_id)
            continue
        result = _apply_report(order, report)
        if result == "amount_mismatch":
            mismatched.append(report.end_to_end_id)
        else:
            counts[result] += 1
    return {**counts, "unmatched": unmatched, "amount_mismatch": mismatched}


def _apply_report(order: PaymentOrder, report: bankstatus.StatusReport) -> str:
    if order.payment_file_id:
        payment_file = PaymentFile.objects.select_for_update().get(pk=order.payment_file_id)
        if payment_file.status == PaymentFile.Status.RELEASED:
            # The bank has the file even if nobody pressed "sent": record it as sent first.
            mark_sent(payment_file, None)
    order = PaymentOrder.objects.select_for_update().get(pk=order.pk)
    now = timezone.now()
    Outcome = bankstatus.Outcome
    if order.status not in {PaymentOrder.Status.SENT, PaymentOrder.Status.PAID}:
        return "unchanged"
    order.bank_status = report.code[:8]
    order.bank_reason = report.reason[:35]
    order.bank_status_at = now
    fields = ["bank_status", "bank_reason", "bank_status_at", "updated_at"]
    if report.outcome == Outcome.PAID:
        if order.status == PaymentOrder.Status.PAID:
            return "unchanged"
        if report.amount is not None and report.amount != order.amount:
            order.status_note = _("Banken rapporterade %(bank)s kr, ordern är på %(order)s kr.") % {
                "bank": report.amount,
                "order": order.amount,
            }
            order.save(update_fields=[*fields, "status_note"])
            return "amount_mismatch"
        order.status = PaymentOrder.Status.PAID
        order.paid_on = report.booked_on or timezone.localdate()
        order.save(update_fields=[*fields, "status", "paid_on"])
        timeline.record(order, "paid", paid_on=order.paid_on)
        return "paid"
    if report.outcome in {Outcome.RETURNED, Outcome.REJECTED}:
        order.status = PaymentOrder.Status.RETURNED
        order.status_reason = "bank_rejected" if report.outcome == Outcome.REJECTED else "bank_returned"
        order.save(update_fields=[*fields, "status", "status_reason"])
        timeline.record(order, "returned", reason=report.reason)
        return "returned"
    if order.status == PaymentOrder.Status.SENT:
        order.save(update_fields=fields)
        return "accepted"
    return "unchanged"
