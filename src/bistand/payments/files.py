"""Payment files: planned orders into one pain.001 file, checked against the XSD, released by two people.

An order joins at most one live file: `create_payment_file` locks the orders it takes and marks them in the
same transaction as it stores the file. A file is immutable; anything that changes its orders before release
voids it, and a new file is made. Locks are taken application → payment files → payment orders (see
`services`).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bistand.bank import pain001
from bistand.bank.accounts import AccountError, BankAccount, Bankgiro, parse_bank_account
from bistand.bank.holidays import is_bank_day
from bistand.identity.four_eyes import is_another_person
from bistand.identity.models import Municipality, User
from bistand.payments import checkpoints, timeline
from bistand.payments.access import finance_municipality, require_finance
from bistand.payments.errors import NothingToPay, PaymentError, ReleaseRefused
from bistand.payments.models import COUNTER_KINDS, PaymentFile, PaymentOrder, PayoutSchedule
from bistand.payments.schedule import schedule_for

logger = logging.getLogger(__name__)

ZERO = Decimal("0.00")


def _payer(schedule: PayoutSchedule) -> pain001.Payer:
    account = None
    if not schedule.pk:
        raise PaymentError(_("Kommunens betalkonto är inte inlagt. Lägg in det innan en fil kan skapas."))
    if not schedule.payer_iban:
        try:
            account = parse_bank_account(schedule.payer_clearing_number, schedule.payer_account_number)
        except AccountError as error:
            raise PaymentError(
                _("Kommunens betalkonto är fel: %(error)s") % {"error": error.message_in(_)}
            ) from None
    return pain001.Payer(
        name=schedule.payer_name or schedule.municipality.name,
        organisation_number=schedule.payer_organisation_number,
        account=account,
        iban=schedule.payer_iban,
        bic=schedule.payer_bic,
    )


def _transfer(order: PaymentOrder) -> pain001.Transfer:
    if order.account_kind == PaymentOrder.AccountKind.BANKGIRO:
        account: BankAccount | Bankgiro = Bankgiro(order.bankgiro)
    else:
        account = parse_bank_account(order.clearing_number, order.account_number)
    third_party = order.recipient_kind == PaymentOrder.Recipient.THIRD_PARTY
    return pain001.Transfer(
        end_to_end_id=order.end_to_end_id,
        amount=order.amount,
        account=account,
        creditor_name=order.payee_name,
        reference=order.reference,
        reference_is_ocr=order.reference_is_ocr,
        purpose=pain001.PURPOSE_THIRD_PARTY if third_party else pain001.PURPOSE_BENEFIT,
    )


def create_payment_file(
    payout_date: date, created_by: User, municipality: Municipality | None = None
) -> PaymentFile:
    """Put every planned order due by `payout_date` into one pain.001 file, validated against the XSD.

    Orders whose day passed without a file join this one, and the citizen is told the new date. A file
    that fails validation is stored as `invalid` (so people can see why) and its orders stay unfiled.
    """
    own = finance_municipality(created_by)
    municipality = municipality or own
    require_finance(created_by, municipality)
    if payout_date < timezone.localdate():
        raise PaymentError(_("Utbetalningsdagen har redan passerat."))
    if not is_bank_day(payout_date):
        raise PaymentError(_("%(date)s är inte en bankdag.") % {"date": payout_date.isoformat()})
    schedule = schedule_for(municipality)
    payer = _payer(schedule)
    with transaction.atomic():
        orders = list(
            PaymentOrder.objects.select_for_update()
            .filter(
                municipality=municipality,
                status=PaymentOrder.Status.PLANNED,
                payment_file__isnull=True,
                payout_date__lte=payout_date,
            )
            .exclude(account_kind__in=COUNTER_KINDS)  # handed out at the counter, never sent to the bank
            .order_by("pk")
        )
        if not orders:
            raise NothingToPay(_("Det finns inga planerade utbetalningar till och med den dagen."))
        for order in orders:
            if order.payout_date < payout_date:
                order.payout_date = payout_date
                order.save(update_fields=["payout_date", "updated_at"])
                timeline.record(order, "planned", rescheduled=True)
        payment_file = PaymentFile.objects.create(
            municipality=municipality,
            payout_date=payout_date,
            message_id=f"BST{municipality.code}-{payout_date:%Y%m%d}-{uuid.uuid4().hex[:12]}",
            version=schedule.pain001_version,
            xml="",
            sha256="",
            created_by=created_by,
        )
        batch = pain001.Batch(
            message_id=payment_file.message_id,
            created_at=timezone.localtime(),
            payout_date=payout_date,
            payer=payer,
            transfers=[_transfer(order) for order in orders],
        )
        xml = pain001.build(batch, payment_file.version)
        errors = pain001.validate(xml, payment_file.version)
        payment_file.xml = xml.decode("utf-8")
        payment_file.sha256 = hashlib.sha256(xml).hexdigest()
        payment_file.number_of_transactions = len(orders)
        payment_file.control_sum = sum((o.amount for o in orders), ZERO)
        payment_file.validation_errors = errors
        if errors:
            payment_file.status = PaymentFile.Status.INVALID
            payment_file.save()
            logger.error(
                "payment file failed validation", extra={"file_id": payment_file.pk, "errors": len(errors)}
            )
            return payment_file
        payment_file.save()
        PaymentOrder.objects.filter(pk__in=[o.pk for o in orders]).update(payment_file=payment_file)
        checkpoints.reached("file_created")
    logger.info("payment file created", extra={"file_id": payment_file.pk, "orders": len(orders)})
    return payment_file


def verify_file(payment_file: PaymentFile) -> list[str]:
    """Re-check a stored file: its hash still matches and it still validates against the XSD."""
    content = payment_file.xml.encode("utf-8")
    if hashlib.sha256(content).hexdigest() != payment_file.sha256:
        return ["the stored file does not match its SHA-256: it has been changed"]
    return pain001.validate(content, payment_file.version)


def _detach(payment_file: PaymentFile) -> None:
    PaymentOrder.objects.filter(payment_file=payment_file, status=PaymentOrder.Status.PLANNED).update(
        payment_file=None
    )


def void_unreleased(payment_file: PaymentFile, reason: str) -> None:
    if payment_file.is_committed:
        raise PaymentError(_("En godkänd eller skickad fil kan inte makuleras."))
    payment_file.status = PaymentFile.Status.VOID
    payment_file.void_reason = reason
    payment_file.save(update_fields=["status", "void_reason"])
    _detach(payment_file)
    logger.info("payment file voided", extra={"file_id": payment_file.pk})


def release(payment_file: PaymentFile, user: User) -> PaymentFile:
    """One of the two approvals a file needs before it may go to the bank (four eyes).

    The first finance user approves; a second, different finance user releases. Before each approval the
    file is checked again against its hash and the XSD: a file that fails is marked invalid, never released.
    """
    require_finance(user, payment_file.municipality)
    refusal = ""
    with transaction.atomic():
        locked = PaymentFile.objects.select_for_update().get(pk=payment_file.pk)
        if locked.status not in {PaymentFile.Status.CREATED, PaymentFile.Status.APPROVED}:
            raise ReleaseRefused(
                _("Filen kan inte godkännas: den är %(status)s.") % {"status": locked.get_status_display()}
            )
        if errors := verify_file(locked):
            locked.status = PaymentFile.Status.INVALID
            locked.validation_errors = errors
            locked.save(update_fields=["status", "validation_errors"])
            _detach(locked)
            refusal = _("Filen klarar inte kontrollen mot XSD-schemat och kan inte godkännas.")
            logger.error("payment file failed validation at release", extra={"file_id": locked.pk})
        elif (
            schedule_for(locked.municipality).account_changer_may_not_release
            and locked.orders.filter(account_changed_by=user).exists()
        ):
            raise ReleaseRefused(
                _(
                    "Du har ändrat utbetalningskontot för en betalning i filen och kan inte godkänna den. "
                    "En annan person på ekonomi godkänner (åtskilda uppgifter)."
                )
            )
        elif locked.released_by_1_id is None:
            locked.released_by_1 = user
            locked.released_at_1 = timezone.now()
            locked.status = PaymentFile.Status.APPROVED
            locked.save(update_fields=["released_by_1", "released_at_1", "status"])
        elif not is_another_person(locked.released_by_1_id, user):
            raise ReleaseRefused(
                _("Du har redan godkänt filen. En annan person på ekonomi måste göra det andra godkännandet.")
            )
        else:
            locked.released_by_2 = user
            locked.released_at_2 = timezone.now()
            locked.status = PaymentFile.Status.RELEASED
            locked.save(update_fields=["released_by_2", "released_at_2", "status"])
    if refusal:
        raise ReleaseRefused(refusal)
    logger.info(
        "payment file approved", extra={"file_id": locked.pk, "user_id": user.pk, "status": locked.status}
    )
    return locked


def mark_sent(payment_file: PaymentFile, user: User | None) -> PaymentFile:
    """Record that a released file has gone to the bank; its orders become `sent`. Idempotent."""
    if user is not None:
        require_finance(user, payment_file.municipality)
    with transaction.atomic():
        locked = PaymentFile.objects.select_for_update().get(pk=payment_file.pk)
        if locked.status == PaymentFile.Status.SENT:
            return locked
        if locked.status != PaymentFile.Status.RELEASED:
            raise PaymentError(_("Bara en fil som två personer har godkänt kan skickas."))
        now = timezone.now()
        locked.status = PaymentFile.Status.SENT
        locked.sent_at = now
        locked.sent_by = user
        locked.save(update_fields=["status", "sent_at", "sent_by"])
        PaymentOrder.objects.filter(payment_file=locked, status=PaymentOrder.Status.PLANNED).update(
            status=PaymentOrder.Status.SENT, sent_at=now, updated_at=now
        )
        checkpoints.reached("file_sent")
    logger.info("payment file sent", extra={"file_id": locked.pk})
    return locked


def void_file(payment_file: PaymentFile, user: User, reason: str) -> PaymentFile:
    """Discard a file that has not been released; its orders return to the pool for a new file."""
    require_finance(user, payment_file.municipality)
    with transaction.atomic():
        locked = PaymentFile.objects.select_for_update().get(pk=payment_file.pk)
        if locked.status == PaymentFile.Status.VOID:
            return locked
        void_unreleased(locked, reason or _("Makulerad av ekonomi."))
    return locked
