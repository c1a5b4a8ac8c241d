"""Payout without a bank account: cash or a prepaid card, handed out at the municipality's counter.

Someone without a bank account (the homeless applicant without BankID) is paid where the municipality offers
it (`PayoutSchedule.offers_cash` / `offers_card`, and `counter_place`: where and when). A held order, or an
application that asks for it (``payout_account: {"route": "cash"}``), becomes a planned order of account kind
`cash` or `card`. It never goes into a pain.001 file; finance hands it out and marks it handed out — once: the
change from planned to paid is a conditional update, so a double click or two cashiers cannot pay it twice.
From then on it is money that has left, in the ledger on the day it was handed out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bistand.identity.models import Municipality, User
from bistand.payments import timeline
from bistand.payments.access import require_finance
from bistand.payments.errors import PaymentError
from bistand.payments.models import COUNTER_KINDS, PaymentOrder, PayoutSchedule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CounterPayout:
    """Where the money goes instead of an account: "cash" or "card", handed out at the counter."""

    route: str

    @property
    def masked(self) -> str:
        return str(PaymentOrder.AccountKind(self.route).label)[:12]


def parse_route(value: object) -> CounterPayout | None:
    """`{"route": "cash"}` or `{"route": "card"}` from the answers or a form; None for anything else."""
    if isinstance(value, dict) and value.get("route") in COUNTER_KINDS:
        return CounterPayout(value["route"])
    return None


def offered(schedule: PayoutSchedule, route: str) -> bool:
    """Whether the municipality pays out this way."""
    return schedule.offers(route)


def not_offered_message(route: str) -> str:
    return _("Kommunen betalar inte ut på det sättet (%(route)s). Välj ett konto eller ett annat sätt.") % {
        "route": PaymentOrder.AccountKind(route).label
    }


def to_hand_out(municipality: Municipality):
    """Cash and card payouts planned and not yet handed out, the earliest first."""
    return (
        PaymentOrder.objects.filter(
            municipality=municipality, status=PaymentOrder.Status.PLANNED, account_kind__in=COUNTER_KINDS
        )
        .select_related("unit")
        .order_by("payout_date", "pk")
    )


def hand_out(order: PaymentOrder, user: User) -> PaymentOrder:
    """Finance has handed the money (or the loaded card) to the person: paid, exactly once."""
    require_finance(user, order.municipality)
    today = timezone.localdate()
    if order.payout_date > today:
        raise PaymentError(
            _("Utbetalningen kan lämnas ut från %(date)s.") % {"date": order.payout_date.isoformat()}
        )
    with transaction.atomic():
        changed = PaymentOrder.objects.filter(
            pk=order.pk, status=PaymentOrder.Status.PLANNED, account_kind__in=COUNTER_KINDS
        ).update(
            status=PaymentOrder.Status.PAID,
            paid_on=today,
            # The ledger books the day the money left the counter.
            payout_date=today,
            handed_out_by=user,
            handed_out_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if not changed:
            raise PaymentError(_("Utbetalningen är redan utlämnad eller inte planerad i kassan."))
        order.refresh_from_db()
        timeline.record(order, "paid", actor="caseworker", handed_out=True)
    logger.info("counter payout handed out", extra={"order_id": order.pk, "user_id": user.pk})
    return order
