"""The jobbpremie ledger: for each person, each month försörjningsstöd was paid, exactly, and its export for
Försäkringskassan (SoL 15 kap. 4 §).

A month counts when money for that month actually went out: payment orders with status *paid* for a decision
on that month (a returned, stopped or cancelled order does not count). Both adults of the household are in
the ledger, since both received the support. Amounts are Decimal kronor, summed per person and month.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from bistand.intake.models import Application
from bistand.intake.schema import answer
from bistand.payments.models import PaymentOrder


@dataclass(frozen=True)
class LedgerRow:
    personnummer: str
    month: str  # YYYY-MM, the month the support was for
    amount: Decimal  # paid for that month, all orders together
    municipality: str  # kommunkod


def ledger(
    first: datetime.date | None = None, last: datetime.date | None = None, personnummer: str | None = None
) -> list[LedgerRow]:
    """Every (person, month) with försörjningsstöd paid, oldest first; limited to months first..last."""
    orders = PaymentOrder.objects.filter(status=PaymentOrder.Status.PAID).select_related(
        "decision", "application__applicant", "municipality"
    )
    if first:
        orders = orders.filter(decision__month__gte=first)
    if last:
        orders = orders.filter(decision__month__lte=last)
    totals: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for order in orders:
        application = order.application
        adults = [application.applicant.personnummer, answer(application.answers, "co_applicant")]
        month = order.decision.month.isoformat()[:7]
        for adult in filter(None, adults):
            totals[(adult, month, order.municipality.code)] += order.amount
    rows = [LedgerRow(p, m, amount, k) for (p, m, k), amount in totals.items()]
    if personnummer:
        rows = [r for r in rows if r.personnummer == personnummer]
    return sorted(rows, key=lambda r: (r.personnummer, r.month))


def paid_months(personnummer: str) -> list[str]:
    """The months försörjningsstöd was paid to the person (as applicant or co-applicant)."""
    return sorted({row.month for row in ledger(personnummer=personnummer)})


def starts_working(person) -> bool:
    """Whether the person's newest submitted application (as applicant or co-applicant) names a wage of
    their own: someone leaving försörjningsstöd for work, whom the jobbpremie concerns."""
    from django.db.models import Q

    newest = (
        Application.objects.filter(Q(applicant=person) | Q(co_applicant=person), submitted_at__isnull=False)
        .order_by("-month", "-submitted_at")
        .first()
    )
    if newest is None:
        return False
    role = "applicant" if newest.applicant_id == person.pk else "co_applicant"
    return any(
        income.get("person", "applicant") == role
        and income.get("type") == "salary"
        and Decimal(str(income.get("amount") or 0)) > 0
        for income in answer(newest.answers, "incomes") or []
    )


def export_csv(rows: list[LedgerRow]) -> str:
    """The ledger as Försäkringskassan's file: one line per person and month, amounts in kronor."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["personnummer", "manad", "utbetalt_forsorjningsstod_kr", "kommunkod"])
    for row in rows:
        writer.writerow([row.personnummer, row.month, f"{row.amount:.2f}", row.municipality])
    return out.getvalue()
