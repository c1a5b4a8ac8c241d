"""The payments app's interface: plan a decision's payments once, put them in a file, release it with four
eyes, follow the bank's status, and handle what needs a person. Other packages call these names.

The work is done in modules named for what they hold:

* `planning`: a decision's orders, made exactly once (corrections, top-ups, recovery assessments);
* `files`: pain.001 files, validated, approved by two people, sent;
* `orders`: stopped, held, given an account, paid again;
* `status_import`: the bank's pain.002 and camt.054 applied, idempotently;
* `ledger`: the finance view's figures and the ledger export;
* `schedule`, `access`, `errors`, `timeline`: payout days, who may do what, refusals, the case's timeline.

Exactly once, by construction: a plan is unique per decision and stored with its orders in one transaction;
an order joins at most one live file; status changes are conditional. Locks are taken in one order,
application → payment files → payment orders, so that PostgreSQL never has two of these transactions
waiting on each other. On SQLite every write transaction is IMMEDIATE and so already one at a time.
"""

from __future__ import annotations

from bistand.payments.access import finance_municipality
from bistand.payments.errors import NothingToPay, PaymentError, ReleaseRefused
from bistand.payments.files import create_payment_file, mark_sent, release, verify_file, void_file
from bistand.payments.ledger import (
    ledger_rows,
    next_payout_day,
    orders_needing_a_person,
    totals_by_unit_and_cost_code,
)
from bistand.payments.orders import (
    citizen_orders,
    give_payout_account,
    held_for_citizen,
    reissue,
    resolve_held,
    stop_order,
)
from bistand.payments.planning import orders_for, plan_payments, sweep_unplanned_decisions
from bistand.payments.schedule import payout_date_for_decision, schedule_for
from bistand.payments.status_import import import_bank_status

__all__ = [
    "NothingToPay",
    "PaymentError",
    "ReleaseRefused",
    "citizen_orders",
    "create_payment_file",
    "finance_municipality",
    "give_payout_account",
    "held_for_citizen",
    "import_bank_status",
    "ledger_rows",
    "mark_sent",
    "next_payout_day",
    "orders_for",
    "orders_needing_a_person",
    "payout_date_for_decision",
    "plan_payments",
    "reissue",
    "release",
    "resolve_held",
    "schedule_for",
    "stop_order",
    "sweep_unplanned_decisions",
    "totals_by_unit_and_cost_code",
    "verify_file",
    "void_file",
]
