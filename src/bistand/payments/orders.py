"""Orders that need a person: stopped, held for an account, given an account on Mina sidor, paid again."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bistand.bank.accounts import BankAccount, Bankgiro, parse_bank_account
from bistand.cases.models import TimelineEvent
from bistand.decisions.models import Decision
from bistand.identity.models import User
from bistand.intake.emergency import is_emergency
from bistand.intake.models import Application
from bistand.payments import counter, timeline
from bistand.payments.access import may_resolve, require_finance
from bistand.payments.answers import read_account
from bistand.payments.counter import CounterPayout
from bistand.payments.errors import PaymentError
from bistand.payments.files import void_unreleased
from bistand.payments.models import PaymentFile, PaymentOrder
from bistand.payments.planning import apply_account, end_to_end_id
from bistand.payments.schedule import earliest_payout_date, schedule_for

logger = logging.getLogger(__name__)


def stop_order(order: PaymentOrder, user: User, reason: str) -> PaymentOrder:
    """Stop a payment that has not left: it will not be paid. A file not yet released is voided."""
    require_finance(user, order.municipality)
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
            void_unreleased(locked_file, _("En utbetalning i filen har stoppats. Skapa en ny fil."))
        locked.payment_file = None
        locked.status = PaymentOrder.Status.STOPPED
        locked.status_reason = "stopped"
        locked.status_note = reason
        locked.save(update_fields=["status", "status_reason", "status_note", "payment_file", "updated_at"])
        timeline.record(locked, "stopped", actor="caseworker")
    return locked


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
    apply_account(locked, account)
    locked.payout_date = earliest
    locked.status = PaymentOrder.Status.PLANNED
    locked.status_reason = ""
    locked.status_note = ""
    locked.save()
    timeline.record(locked, "planned", actor=actor)


def resolve_held(order: PaymentOrder, user: User, account: dict) -> PaymentOrder:
    """Finance or the case's caseworker supplies the missing or corrected account; the order becomes planned."""
    may_resolve(user, order)
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
    require_finance(user, order.municipality)
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
        copy.end_to_end_id = end_to_end_id(locked.decision, copy.line)
        apply_account(copy, new_account)
        if account is not None:
            copy.account_changed_by, copy.account_changed_at = user, timezone.now()
        copy.save()
        timeline.record(copy, "planned", actor="caseworker")
    return copy
