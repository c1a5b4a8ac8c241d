"""The finance view's figures and the ledger: sums per day, unit and cost code, never a person."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone

from bistand.identity.models import Municipality
from bistand.payments.models import PaymentOrder


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
