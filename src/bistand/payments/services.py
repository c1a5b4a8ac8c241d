"""Payment services: plan a decision's payments once, put them in a file, release it with four eyes,
follow the bank's status, and handle corrections.

Exactly once, by construction:

* `plan_payments` runs in one transaction that first locks the decision's application, then stores a
  `PaymentPlan` (one per decision, unique) together with the orders (unique by decision, version and line).
  A retry, a crash half-way or a second worker either finds the plan and returns its orders, or rolls back
  and leaves nothing behind. `sweep_unplanned_decisions` plans any decision a killed worker left behind.
* An order joins at most one live file: `create_payment_file` locks the orders it takes and marks them in
  the same transaction as it stores the file. A file is immutable; anything that changes its orders before
  release voids it, and a new file is made.
* Status changes are conditional (`sent` → `paid` happens once), so importing the same bank file twice, or
  two files that say the same thing, changes nothing the second time.

Locks are taken in one order, application → payment files → payment orders, so that PostgreSQL never has
two of these transactions waiting on each other. On SQLite every write transaction is IMMEDIATE and so
already one at a time.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.decisions.models import Decision
from bistand.identity.models import Municipality, User
from bistand.intake.emergency import is_emergency
from bistand.intake.models import Application
from bistand.payments import bankstatus, counter, pain001
from bistand.payments.accounts import AccountError, BankAccount, Bankgiro, parse_bank_account
from bistand.payments.answers import AccountAnswer, read_account, read_payout_data
from bistand.payments.counter import CounterPayout
from bistand.payments.holidays import is_bank_day, next_bank_day_on_or_after
from bistand.payments.models import (
    COUNTER_KINDS,
    BankStatusImport,
    PaymentFile,
    PaymentOrder,
    PaymentPlan,
    PayoutSchedule,
    RecoveryCase,
)
from bistand.payments.schedule import earliest_payout_date, payout_date_for

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
SWEDISH_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


class PaymentError(Exception):
    """Something a person asked for that cannot be done; the message says why, in Swedish."""


class NothingToPay(PaymentError):
    """No planned orders for the payout day."""


class ReleaseRefused(PaymentError):
    """A release that four eyes, the file's status or its validation does not allow."""


def _checkpoint(step: str) -> None:
    """A named point between two steps. Does nothing; tests make it fail or pause here to rehearse crashes."""


# --- Who may do what ---------------------------------------------------------------------------------------


def finance_municipality(user: User) -> Municipality:
    """The municipality a finance user works for; PermissionDenied for anyone else."""
    if not (user and user.is_authenticated and user.is_finance and user.unit_id):
        raise PermissionDenied
    return user.unit.municipality


def _require_finance(user: User, municipality: Municipality) -> None:
    if finance_municipality(user).pk != municipality.pk:
        raise PermissionDenied


# --- Schedule ----------------------------------------------------------------------------------------------


def schedule_for(municipality: Municipality) -> PayoutSchedule:
    """The municipality's payout schedule; the defaults (the 25th, a month ahead) when none is stored."""
    stored = PayoutSchedule.objects.filter(municipality=municipality).first()
    return stored or PayoutSchedule(municipality=municipality, payer_name=municipality.name)


def payout_date_for_decision(decision: Decision, schedule: PayoutSchedule, today: date | None = None) -> date:
    """The regular payout day for the decision's month, or the earliest possible day for a late decision."""
    return payout_date_for(
        decision.month,
        today or timezone.localdate(),
        payout_day=schedule.payout_day,
        months_before=schedule.months_before,
        lead_bank_days=schedule.lead_bank_days,
    )


# --- The citizen's timeline --------------------------------------------------------------------------------


def _timeline(
    order: PaymentOrder, status: str, *, visible: bool = True, actor: str = "robot", **extra
) -> None:
    """Tell the case's timeline (and so the citizen's Mina sidor) what happened to a payment.

    The data carries what the page needs to say "Utbetalning planerad 25 november, 7 800 kr" or
    "Utbetald": never a whole account number, and the payee's name only for a third party.
    """
    if order.recipient_kind == PaymentOrder.Recipient.THIRD_PARTY:
        recipient = "third_party"
    else:
        recipient = "partner" if "partner" in order.line else "self"
    data = {
        "status": status,
        "order": order.pk,
        "reference": order.end_to_end_id,
        "payout_date": order.payout_date.isoformat(),
        "amount": str(order.amount.quantize(CENT)),
        "recipient": recipient,
        "cost_type": order.cost_type,
    }
    if recipient == "third_party":
        data["payee"] = order.payee_name
    if recipient == "self" and order.account_masked:
        data["account"] = order.account_masked
    if order.at_counter:
        # Cash or card: the citizen is told where and when to collect it.
        data.update(counter=order.account_kind, place=order.counter_place)
    data.update({k: (v.isoformat() if isinstance(v, date) else v) for k, v in extra.items()})
    events.record(
        order.case_id,
        events.Payment(**data),
        actor=actor,
        application=order.application_id,
        visible_to_citizen=visible,
    )


# --- Planning ----------------------------------------------------------------------------------------------


def orders_for(decision: Decision) -> list[PaymentOrder]:
    """The payment orders made from one decision version."""
    return list(PaymentOrder.objects.filter(decision_id=decision.pk).order_by("pk"))


def plan_payments(decision: Decision) -> list[PaymentOrder]:
    """Plan the payments of a stored decision; safe to call any number of times, from any number of workers.

    Called by the `decision_stored` signal (payments/handoffs.py) for every stored decision. A decision that
    supersedes an earlier version cancels that version's orders not yet sent; if money has already gone out, it pays the difference or,
    when the new amount is lower, opens a `RecoveryCase` for a person to assess (never a debt).
    Returns the decision's orders (empty for a rejection), including any held for missing payout data.
    """
    if PaymentPlan.objects.filter(decision_id=decision.pk).exists():
        return orders_for(decision)
    try:
        with transaction.atomic():
            # Plans for one application's versions are made one at a time, so that a correction sees every
            # order of the versions before it.
            Application.objects.select_for_update().only("pk").get(pk=decision.application_id)
            if PaymentPlan.objects.filter(decision_id=decision.pk).exists():
                return orders_for(decision)
            plan = PaymentPlan.objects.create(decision_id=decision.pk, decision_version=decision.version)
            _checkpoint("plan_created")
            plan.summary = _plan(Decision.objects.select_related("case", "application").get(pk=decision.pk))
            plan.save(update_fields=["summary"])
            _checkpoint("plan_stored")
    except IntegrityError:
        # Another worker stored this decision's plan between our check and our insert: theirs stands.
        if not PaymentPlan.objects.filter(decision_id=decision.pk).exists():
            raise
        logger.info("payments already planned by another worker", extra={"decision_id": decision.pk})
    return orders_for(decision)


def _plan(decision: Decision) -> dict:
    if Decision.objects.filter(supersedes_id=decision.pk).exists():
        # A newer version exists already (this call came late); that version plans the money.
        return {"skipped": "superseded"}
    schedule = schedule_for(decision.application.municipality)
    granted = ZERO if decision.outcome == Decision.Outcome.REJECT else decision.amount_granted.quantize(CENT)
    payout_date = payout_date_for_decision(decision, schedule)
    if is_emergency(decision.application) and schedule.emergency_payout == schedule.EmergencyPayout.SAME_DAY:
        # Nödbistånd where the municipality pays it today: the first bank day from today, in a file of its own.
        payout_date = next_bank_day_on_or_after(timezone.localdate())
    earlier = _lock_earlier_orders(decision)
    committed = [o for o in earlier if o.is_committed]
    cancelled = [o for o in earlier if o.status in {o.Status.PLANNED, o.Status.HELD} and not o.is_committed]
    for order in cancelled:
        _cancel(order, decision)
    summary: dict = {"granted": str(granted), "cancelled": [o.pk for o in cancelled]}
    if not committed:
        orders = _plan_grant(decision, granted, schedule, payout_date)
    else:
        paid_out = sum((o.amount for o in committed), ZERO)
        difference = granted - paid_out
        summary.update(paid_out=str(paid_out), difference=str(difference))
        orders = []
        if difference > 0:
            orders = _plan_top_up(decision, difference, schedule, payout_date)
        elif difference < 0:
            summary["recovery_case"] = _open_recovery(decision, committed, paid_out, granted).pk
    summary["orders"] = [o.pk for o in orders]
    logger.info(
        "payments planned",
        extra={"decision_id": decision.pk, "orders": len(orders), "cancelled": len(cancelled)},
    )
    return summary


def _lock_earlier_orders(decision: Decision) -> list[PaymentOrder]:
    """The orders of the application's earlier versions, locked (files first, then orders)."""
    earlier = PaymentOrder.objects.filter(
        application_id=decision.application_id, decision_version__lt=decision.version
    )
    file_ids = sorted(set(earlier.exclude(payment_file=None).values_list("payment_file_id", flat=True)))
    list(PaymentFile.objects.select_for_update().filter(pk__in=file_ids).order_by("pk"))
    return list(earlier.select_for_update().order_by("pk"))


def _cancel(order: PaymentOrder, by: Decision) -> None:
    if order.payment_file is not None:
        _void_file(order.payment_file, _("Ett beslut har ändrats efter att filen skapades. Skapa en ny fil."))
        order.payment_file = None
    order.status = PaymentOrder.Status.CANCELLED
    order.status_reason = "superseded"
    order.status_note = _("Ersatt av beslut version %(version)d.") % {"version": by.version}
    order.save(update_fields=["status", "status_reason", "status_note", "payment_file", "updated_at"])
    _timeline(order, "cancelled", reason="superseded")


def _month_text(month: date) -> str:
    return f"Ekonomiskt bistånd {SWEDISH_MONTHS[month.month - 1]} {month.year}"


@dataclass
class _Line:
    line: str
    amount: Decimal
    account: AccountAnswer
    recipient_kind: str = PaymentOrder.Recipient.CITIZEN
    payee_name: str = ""
    cost_type: str = "livelihood"
    reference: str = ""
    reference_is_ocr: bool = False
    person_id: int | None = None


def _halves(amount: Decimal) -> tuple[Decimal, Decimal]:
    """Half each; an odd öre goes to the first."""
    first = (amount / 2).quantize(CENT, rounding=ROUND_HALF_UP)
    return first, amount - first


def _own_lines(decision: Decision, amount: Decimal, data, prefix: str) -> list[_Line]:
    """The household's own money: to the applicant, or half to each partner when they asked for that."""
    if amount <= 0:
        return []
    applicant = decision.case.applicant
    text = _month_text(decision.month)
    own = _Line(
        "citizen",
        amount,
        data.citizen,
        payee_name=data.citizen.holder_name or applicant.full_name,
        reference=text,
        person_id=applicant.pk,
    )
    if not data.split:
        own.line = prefix or "citizen"
        return [own]
    own.amount, partner_amount = _halves(amount)
    own.line = f"{prefix}-citizen" if prefix else "citizen"
    partner_account = data.partner or AccountAnswer(problem="missing_account")
    partner = _Line(
        f"{prefix}-partner" if prefix else "partner",
        partner_amount,
        partner_account,
        payee_name=partner_account.holder_name,
        reference=text,
    )
    return [line for line in (own, partner) if line.amount > 0]


def _plan_grant(decision: Decision, amount: Decimal, schedule: PayoutSchedule, payout_date: date) -> list:
    if amount <= 0:
        return []
    data = read_payout_data(decision.application.answers)
    applicant = decision.case.applicant
    if data.problem:
        held = AccountAnswer(problem=data.problem, message=data.message)
        return _create(
            decision, [_Line("citizen", amount, held, person_id=applicant.pk)], schedule, payout_date
        )
    third_total = sum((t.amount for t in data.third_parties), ZERO)
    if third_total > amount:
        # More to landlords than the decision grants: which bill to cut is a person's call, not ours.
        held = AccountAnswer(
            problem="third_party_exceeds_grant",
            message=_("Betalningarna till tredje part är större än det beviljade beloppet."),
        )
        return _create(
            decision, [_Line("citizen", amount, held, person_id=applicant.pk)], schedule, payout_date
        )
    lines = [
        _Line(
            f"third-party-{number}",
            entry.amount,
            entry.account,
            recipient_kind=PaymentOrder.Recipient.THIRD_PARTY,
            payee_name=entry.payee_name,
            cost_type=entry.cost_type,
            reference=entry.reference,
            reference_is_ocr=entry.reference_is_ocr,
        )
        for number, entry in enumerate(data.third_parties, start=1)
    ]
    lines += _own_lines(decision, amount - third_total, data, prefix="")
    return _create(decision, lines, schedule, payout_date)


def _plan_top_up(
    decision: Decision, difference: Decimal, schedule: PayoutSchedule, payout_date: date
) -> list:
    """A corrected decision grants more than has gone out: the difference goes to the household."""
    data = read_payout_data(decision.application.answers)
    return _create(decision, _own_lines(decision, difference, data, prefix="top-up"), schedule, payout_date)


def _end_to_end_id(decision: Decision, line: str) -> str:
    value = f"BST-{decision.pk}-{decision.version}-{line}"
    if len(value) > 35:
        # Max35Text: very long ids become a stable digest of the same parts.
        value = "BST-" + hashlib.sha256(value.encode()).hexdigest()[:31]
    return value


def _apply_account(order: PaymentOrder, account: BankAccount | Bankgiro | CounterPayout | None) -> None:
    order.clearing_number = order.account_number = order.bankgiro = ""
    if isinstance(account, CounterPayout):
        order.account_kind = account.route
    elif isinstance(account, Bankgiro):
        order.account_kind = PaymentOrder.AccountKind.BANKGIRO
        order.bankgiro = account.number
    elif isinstance(account, BankAccount):
        order.account_kind = PaymentOrder.AccountKind.BANK
        order.clearing_number = account.clearing
        order.account_number = account.number
    else:
        order.account_kind = PaymentOrder.AccountKind.NONE
    order.account_masked = account.masked if account is not None else ""


def _create(decision: Decision, lines: list[_Line], schedule: PayoutSchedule, payout_date: date) -> list:
    orders = []
    for item in lines:
        order = PaymentOrder(
            decision=decision,
            decision_version=decision.version,
            line=item.line,
            end_to_end_id=_end_to_end_id(decision, item.line),
            municipality_id=decision.application.municipality_id,
            unit_id=decision.case.unit_id,
            case_id=decision.case_id,
            application_id=decision.application_id,
            person_id=item.person_id,
            recipient_kind=item.recipient_kind,
            payee_name=item.payee_name[:70],
            cost_type=item.cost_type,
            cost_code=schedule.cost_code(item.cost_type),
            amount=item.amount,
            payout_date=payout_date,
            reference=item.reference,
            reference_is_ocr=item.reference_is_ocr,
        )
        _apply_account(order, item.account.account)
        if order.at_counter and not counter.offered(schedule, order.account_kind):
            order.status = PaymentOrder.Status.HELD
            order.status_reason = "missing_account"
            order.status_note = counter.not_offered_message(order.account_kind)
        elif order.at_counter and is_emergency(decision.application):
            # Nödbistånd at the counter: it can be handed out today.
            order.payout_date = min(order.payout_date, timezone.localdate())
        if item.account.account is None:
            order.status = PaymentOrder.Status.HELD
            order.status_reason = item.account.problem or "missing_account"
            order.status_note = item.account.message or _("Kontonummer för utbetalning saknas.")
        order.save()
        _checkpoint("order_created")
        if order.status == PaymentOrder.Status.HELD:
            _timeline(order, "held", reason=order.status_reason)
        else:
            _timeline(order, "planned")
        orders.append(order)
    return orders


def _open_recovery(decision: Decision, committed: list, paid_out: Decimal, granted: Decimal) -> RecoveryCase:
    """Money already out exceeds the corrected decision: a task for a person, never an automatic debt."""
    earlier = decision.supersedes or committed[-1].decision
    recovery, created = RecoveryCase.objects.get_or_create(
        decision=decision,
        defaults={
            "earlier_decision": earlier,
            "case_id": decision.case_id,
            "unit_id": decision.case.unit_id,
            "paid_amount": paid_out,
            "granted_amount": granted,
            "overpaid_amount": paid_out - granted,
        },
    )
    if created:
        events.record(
            decision.case_id,
            events.Payment(
                status="recovery_assessment",
                recovery_case=recovery.pk,
                overpaid=str(recovery.overpaid_amount),
            ),
            actor=TimelineEvent.Actor.ROBOT,
            application=decision.application_id,
            # An assessment is internal until a person has decided something the citizen must be told.
            visible_to_citizen=False,
        )
        logger.info(
            "recovery assessment opened", extra={"decision_id": decision.pk, "recovery_id": recovery.pk}
        )
    return recovery


def sweep_unplanned_decisions(limit: int = 500, max_age_days: int = 14) -> int:
    """Plan recent decisions that have no plan yet (a worker was killed before it could). Returns the count.

    Only decisions from the last `max_age_days`: older ones without a plan predate this module, or were
    paid some other way, and must never be paid by surprise.
    """
    since = timezone.now() - timedelta(days=max_age_days)
    pending = list(
        Decision.objects.filter(payment_plan__isnull=True, decided_at__gte=since)
        .order_by("application_id", "version")
        .values_list("pk", flat=True)[:limit]
    )
    for decision in Decision.objects.filter(pk__in=pending).order_by("application_id", "version"):
        plan_payments(decision)
    if pending:
        logger.warning("unplanned decisions swept", extra={"count": len(pending)})
    return len(pending)


# --- Files -------------------------------------------------------------------------------------------------


def _payer(schedule: PayoutSchedule) -> pain001.Payer:
    account = None
    if not schedule.pk:
        raise PaymentError(_("Kommunens betalkonto är inte inlagt. Lägg in det innan en fil kan skapas."))
    if not schedule.payer_iban:
        try:
            account = parse_bank_account(schedule.payer_clearing_number, schedule.payer_account_number)
        except AccountError as error:
            raise PaymentError(
                _("Kommunens betalkonto är fel: %(error)s") % {"error": error.message}
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
    _require_finance(created_by, municipality)
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
                _timeline(order, "planned", rescheduled=True)
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
        _checkpoint("file_created")
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


def _void_file(payment_file: PaymentFile, reason: str) -> None:
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
    _require_finance(user, payment_file.municipality)
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
        elif locked.released_by_1_id == user.pk:
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
        _require_finance(user, payment_file.municipality)
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
        _checkpoint("file_sent")
    logger.info("payment file sent", extra={"file_id": locked.pk})
    return locked


def void_file(payment_file: PaymentFile, user: User, reason: str) -> PaymentFile:
    """Discard a file that has not been released; its orders return to the pool for a new file."""
    _require_finance(user, payment_file.municipality)
    with transaction.atomic():
        locked = PaymentFile.objects.select_for_update().get(pk=payment_file.pk)
        if locked.status == PaymentFile.Status.VOID:
            return locked
        _void_file(locked, reason or _("Makulerad av ekonomi."))
    return locked


# --- Orders that need a person -----------------------------------------------------------------------------


def stop_order(order: PaymentOrder, user: User, reason: str) -> PaymentOrder:
    """Stop a payment that has not left: it will not be paid. A file not yet released is voided."""
    _require_finance(user, order.municipality)
    with transaction.atomic():
        # Lock the order's file before the order (the module's lock order), then check nothing moved.
        file_id = PaymentOrder.objects.filter(pk=order.pk).values_list("payment_file_id", flat=True).get()
        locked_file = PaymentFile.objects.select_for_update().get(pk=file_id) if file_id else None
        locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        if locked.payment_file_id != file_id:
            raise PaymentError(_("Utbetalningen ändrades samtidigt. Försök igen."))
        if (
            locked.status not in {PaymentOrder.Status.PLANNED, PaymentOrder.Status.HELD}
            or locked.is_committed
        ):
            raise PaymentError(_("Utbetalningen har redan lämnat kommunen och kan inte stoppas här."))
        if locked_file is not None:
            _void_file(locked_file, _("En utbetalning i filen har stoppats. Skapa en ny fil."))
        locked.payment_file = None
        locked.status = PaymentOrder.Status.STOPPED
        locked.status_reason = "stopped"
        locked.status_note = reason
        locked.save(update_fields=["status", "status_reason", "status_note", "payment_file", "updated_at"])
        _timeline(locked, "stopped", actor="caseworker")
    return locked


def _may_resolve(user: User, order: PaymentOrder) -> None:
    """Finance of the order's municipality, or a caseworker of the order's unit."""
    if user and user.is_authenticated and user.is_caseworker and user.unit_id == order.unit_id:
        return
    _require_finance(user, order.municipality)


def _plan_held(locked: PaymentOrder, account: BankAccount | Bankgiro | CounterPayout, actor: str) -> None:
    """A held order (locked) gets its account and becomes planned, on its day or the first day still possible."""
    if locked.status != PaymentOrder.Status.HELD:
        raise PaymentError(_("Utbetalningen väntar inte på uppgifter."))
    if locked.status_reason in {"third_party_exceeds_grant", "invalid_third_party"}:
        raise PaymentError(_("Här behöver en handläggare ändra betalningarna, inte bara kontot."))
    schedule = schedule_for(locked.municipality)
    if isinstance(account, CounterPayout):
        if not counter.offered(schedule, account.route):
            raise PaymentError(counter.not_offered_message(account.route))
        # At the counter there is no file to wait for: from today, or nödbistånd at once.
        today = timezone.localdate()
        earliest = today if is_emergency(locked.application) else max(locked.payout_date, today)
    else:
        earliest = max(
            locked.payout_date, earliest_payout_date(timezone.localdate(), schedule.lead_bank_days)
        )
    _apply_account(locked, account)
    locked.payout_date = earliest
    locked.status = PaymentOrder.Status.PLANNED
    locked.status_reason = ""
    locked.status_note = ""
    locked.save()
    _timeline(locked, "planned", actor=actor)


def resolve_held(order: PaymentOrder, user: User, account: dict) -> PaymentOrder:
    """Finance or the case's caseworker supplies the missing or corrected account; the order becomes planned."""
    _may_resolve(user, order)
    answer = read_account(account)
    if answer.account is None:
        raise PaymentError(answer.message)
    with transaction.atomic():
        locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        locked.account_changed_by, locked.account_changed_at = user, timezone.now()
        _plan_held(locked, answer.account, TimelineEvent.Actor.CASEWORKER)
    logger.info("held payment resolved", extra={"order_id": locked.pk, "user_id": user.pk})
    return locked


def held_for_citizen(person) -> list[PaymentOrder]:
    """The person's own payments that wait only for an account they can give on Mina sidor."""
    held = PaymentOrder.objects.filter(
        person=person,
        status=PaymentOrder.Status.HELD,
        recipient_kind=PaymentOrder.Recipient.CITIZEN,
    ).order_by("payout_date", "pk")
    return [order for order in held if order.citizen_can_fix]


def give_payout_account(person, account: dict) -> list[PaymentOrder]:
    """The citizen (or their ombud) gives an account on Mina sidor: every payment waiting for it is planned.

    The account is checked with the same bank rules as in the e-application; a bad one raises PaymentError
    with a sentence the citizen can act on, and nothing changes.
    """
    answer = read_account(account)
    if answer.account is None:
        raise PaymentError(answer.message)
    resolved = []
    with transaction.atomic():
        for order in held_for_citizen(person):
            locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
            if locked.citizen_can_fix:
                _plan_held(locked, answer.account, TimelineEvent.Actor.CITIZEN)
                resolved.append(locked)
    logger.info("payout account given on Mina sidor", extra={"orders": len(resolved)})
    return resolved


def citizen_orders(cases) -> list[PaymentOrder]:
    """The payments of the citizen's cases as they stand now (not those replaced by a changed decision)."""
    return list(
        PaymentOrder.objects.filter(case__in=cases)
        .exclude(status=PaymentOrder.Status.CANCELLED)
        .exclude(recipient_kind=PaymentOrder.Recipient.CITIZEN, line__contains="partner")
        .order_by("-payout_date", "-pk")[:12]
    )


def reissue(order: PaymentOrder, user: User, account: dict | None = None) -> PaymentOrder:
    """Pay a returned order again, once, to a corrected account if given. Only for a decision in force."""
    _require_finance(user, order.municipality)
    with transaction.atomic():
        Application.objects.select_for_update().only("pk").get(pk=order.application_id)
        locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != PaymentOrder.Status.RETURNED:
            raise PaymentError(_("Bara en returnerad utbetalning kan betalas ut igen."))
        if PaymentOrder.objects.filter(reissue_of=locked).exists():
            raise PaymentError(_("Utbetalningen har redan betalats ut igen."))
        if Decision.objects.filter(supersedes_id=locked.decision_id).exists():
            raise PaymentError(_("Beslutet har ändrats; det nya beslutet bestämmer vad som betalas."))
        if account is not None:
            answer = read_account(account)
            if answer.account is None:
                raise PaymentError(answer.message)
            new_account = answer.account
        elif locked.account_kind == PaymentOrder.AccountKind.BANKGIRO:
            new_account = Bankgiro(locked.bankgiro)
        else:
            new_account = parse_bank_account(locked.clearing_number, locked.account_number)
        base_line = locked.line
        count = PaymentOrder.objects.filter(
            decision_id=locked.decision_id, line__startswith=f"{base_line}-r"
        ).count()
        schedule = schedule_for(locked.municipality)
        copy = PaymentOrder(
            decision_id=locked.decision_id,
            decision_version=locked.decision_version,
            line=f"{base_line}-r{count + 1}",
            municipality_id=locked.municipality_id,
            unit_id=locked.unit_id,
            case_id=locked.case_id,
            application_id=locked.application_id,
            person_id=locked.person_id,
            recipient_kind=locked.recipient_kind,
            payee_name=locked.payee_name,
            cost_type=locked.cost_type,
            cost_code=locked.cost_code,
            amount=locked.amount,
            payout_date=earliest_payout_date(timezone.localdate(), schedule.lead_bank_days),
            reference=locked.reference,
            reference_is_ocr=locked.reference_is_ocr,
            reissue_of=locked,
        )
        copy.end_to_end_id = _end_to_end_id(locked.decision, copy.line)
        _apply_account(copy, new_account)
        if account is not None:
            copy.account_changed_by, copy.account_changed_at = user, timezone.now()
        copy.save()
        _timeline(copy, "planned", actor="caseworker")
    return copy


# --- Bank status -------------------------------------------------------------------------------------------


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
        _timeline(order, "paid", paid_on=order.paid_on)
        return "paid"
    if report.outcome in {Outcome.RETURNED, Outcome.REJECTED}:
        order.status = PaymentOrder.Status.RETURNED
        order.status_reason = "bank_rejected" if report.outcome == Outcome.REJECTED else "bank_returned"
        order.save(update_fields=[*fields, "status", "status_reason"])
        _timeline(order, "returned", reason=report.reason)
        return "returned"
    if order.status == PaymentOrder.Status.SENT:
        order.save(update_fields=fields)
        return "accepted"
    return "unchanged"


# --- The finance view's figures ----------------------------------------------------------------------------


def next_payout_day(municipality: Municipality, today: date | None = None) -> date | None:
    """The first day from today with planned (or held) payments."""
    today = today or timezone.localdate()
    return (
        PaymentOrder.objects.filter(
            municipality=municipality,
            status__in=[PaymentOrder.Status.PLANNED, PaymentOrder.Status.HELD],
            payout_date__gte=today,
        )
        .order_by("payout_date")
        .values_list("payout_date", flat=True)
        .first()
    )


def totals_by_unit_and_cost_code(
    municipality: Municipality, payout_date: date, statuses: list[str]
) -> list[dict]:
    """Count and sum per unit and cost code of the orders going out on a day."""
    rows = (
        PaymentOrder.objects.filter(municipality=municipality, payout_date=payout_date, status__in=statuses)
        .values("unit_id", "unit__name", "cost_code", "cost_type")
        .annotate(count=Count("pk"), total=Sum("amount"))
    )
    # Sorted here: SQLite orders Swedish letters by code point.
    return sorted(rows, key=lambda r: (r["unit__name"].casefold(), r["cost_code"], r["cost_type"]))


def ledger_rows(municipality: Municipality, first: date, last: date) -> list[dict]:
    """Money that has left (sent or paid), per payout day, unit and cost code: what the ledger books.

    No personal data: a ledger line is a sum, never a person.
    """
    rows = (
        PaymentOrder.objects.filter(
            municipality=municipality,
            payout_date__range=(first, last),
            status__in=[PaymentOrder.Status.SENT, PaymentOrder.Status.PAID],
        )
        .values("payout_date", "unit_id", "unit__name", "cost_code", "cost_type", "payment_file__message_id")
        .annotate(count=Count("pk"), total=Sum("amount"))
    )
    return sorted(
        rows, key=lambda r: (r["payout_date"], r["unit__name"].casefold(), r["cost_code"], r["cost_type"])
    )


def orders_needing_a_person(municipality: Municipality):
    """Held and returned orders: what finance or a caseworker has to look at."""
    return (
        PaymentOrder.objects.filter(municipality=municipality)
        .filter(
            Q(status=PaymentOrder.Status.HELD)
            | Q(status=PaymentOrder.Status.RETURNED, reissued_as__isnull=True)
        )
        .select_related("unit")
        .order_by("payout_date", "pk")
    )
