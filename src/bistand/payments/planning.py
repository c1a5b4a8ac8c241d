"""Planning: a decision's payments made once, as orders to the household, partners and third parties.

`plan_payments` runs in one transaction that first locks the decision's application, then stores a
`PaymentPlan` (one per decision, unique) together with the orders (unique by decision, version and line).
A retry, a crash half-way or a second worker either finds the plan and returns its orders, or rolls back
and leaves nothing behind. `sweep_unplanned_decisions` plans any decision a killed worker left behind.
A correction cancels what has not left, pays a difference, or opens a recovery assessment for a person.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bistand.bank.accounts import BankAccount, Bankgiro
from bistand.bank.holidays import next_bank_day_on_or_after
from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.decisions.models import Decision
from bistand.intake.emergency import is_emergency
from bistand.intake.models import Application
from bistand.payments import checkpoints, counter, timeline
from bistand.payments.answers import AccountAnswer, read_payout_data
from bistand.payments.counter import CounterPayout
from bistand.payments.files import void_unreleased
from bistand.payments.models import PaymentFile, PaymentOrder, PaymentPlan, PayoutSchedule, RecoveryCase
from bistand.payments.schedule import payout_date_for_decision, schedule_for
from bistand.rules.messages import month_name

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def orders_for(decision: Decision) -> list[PaymentOrder]:
    """The payment orders made from one decision version."""
    return list(PaymentOrder.objects.filter(decision_id=decision.pk).order_by("pk"))


def plan_payments(decision: Decision) -> list[PaymentOrder]:
    """Plan the payments of a stored decision; safe to call any number of times, from any number of workers.

    Called by the `decision_stored` signal (payments/handoffs.py) for every stored decision. A decision
    that supersedes an earlier version cancels that version's orders not yet sent; if money has already gone out, it pays the difference or,
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
            checkpoints.reached("plan_created")
            # One read of everything planning needs (the payee, the municipality and its schedule's key).
            fresh = Decision.objects.select_related("case__applicant", "application__municipality")
            plan.summary, orders = _plan(fresh.get(pk=decision.pk))
            plan.save(update_fields=["summary"])
            checkpoints.reached("plan_stored")
            return orders
    except IntegrityError:
        # Another worker stored this decision's plan between our check and our insert: theirs stands.
        if not PaymentPlan.objects.filter(decision_id=decision.pk).exists():
            raise
        logger.info("payments already planned by another worker", extra={"decision_id": decision.pk})
    return orders_for(decision)


def _plan(decision: Decision) -> tuple[dict, list[PaymentOrder]]:
    """The plan's summary and the orders made."""
    if Decision.objects.filter(supersedes_id=decision.pk).exists():
        # A newer version exists already (this call came late); that version plans the money.
        return {"skipped": "superseded"}, []
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
    return summary, orders


def _lock_earlier_orders(decision: Decision) -> list[PaymentOrder]:
    """The orders of the application's earlier versions, locked (files first, then orders)."""
    if decision.version == 1:
        return []  # versions start at 1: a first decision has no earlier orders to read or lock
    earlier = PaymentOrder.objects.filter(
        application_id=decision.application_id, decision_version__lt=decision.version
    )
    file_ids = sorted(set(earlier.exclude(payment_file=None).values_list("payment_file_id", flat=True)))
    list(PaymentFile.objects.select_for_update().filter(pk__in=file_ids).order_by("pk"))
    return list(earlier.select_for_update().order_by("pk"))


def _cancel(order: PaymentOrder, by: Decision) -> None:
    if order.payment_file is not None:
        void_unreleased(
            order.payment_file, _("Ett beslut har ändrats efter att filen skapades. Skapa en ny fil.")
        )
        order.payment_file = None
    order.status = PaymentOrder.Status.CANCELLED
    order.status_reason = "superseded"
    order.status_note = _("Ersatt av beslut version %(version)d.") % {"version": by.version}
    order.save(update_fields=["status", "status_reason", "status_note", "payment_file", "updated_at"])
    timeline.record(order, "cancelled", reason="superseded")


def _month_text(month: date) -> str:
    """The payment's message to the payee, in Swedish whatever the citizen's language (banks show it as is)."""
    return f"Ekonomiskt bistånd {month_name(month.month, 'sv')} {month.year}"


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


def end_to_end_id(decision: Decision, line: str) -> str:
    value = f"BST-{decision.pk}-{decision.version}-{line}"
    if len(value) > 35:
        # Max35Text: very long ids become a stable digest of the same parts.
        value = "BST-" + hashlib.sha256(value.encode()).hexdigest()[:31]
    return value


def apply_account(order: PaymentOrder, account: BankAccount | Bankgiro | CounterPayout | None) -> None:
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
            end_to_end_id=end_to_end_id(decision, item.line),
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
        apply_account(order, item.account.account)
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
        checkpoints.reached("order_created")
        if order.status == PaymentOrder.Status.HELD:
            timeline.record(order, "held", reason=order.status_reason)
        else:
            timeline.record(order, "planned")
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
