"""What happened to a payment, told to the case's timeline (and so to the citizen's Mina sidor)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bistand.cases import events
from bistand.payments.models import PaymentOrder

CENT = Decimal("0.01")


def record(order: PaymentOrder, status: str, *, visible: bool = True, actor: str = "robot", **extra) -> None:
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
