"""Workers killed at random: every decision is still paid exactly once.

Real worker processes run the payment tasks (each enqueued twice, as retries and double clicks do) and are
killed with SIGKILL at random moments, mid-transaction included. A task killed while running is left
"running" by the queue; the sweep (`sweep_unplanned_decisions`, run on a schedule in production) plans what
it left. Then a file is made, released by two people, sent and booked: each decision's money appears once.
"""

import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from bistand.cases.models import TimelineEvent
from bistand.decisions.models import Decision
from bistand.identity.models import Person
from bistand.payments import pain001
from bistand.payments.models import PaymentOrder, PaymentPlan
from bistand.payments.services import (
    create_payment_file,
    import_bank_status,
    mark_sent,
    release,
    sweep_unplanned_decisions,
)
from bistand.payments.tasks import plan_payments_for_decision
from bistand.testdata import skatteverket_personnummer
from tests.conftest import database_url
from tests.payments.conftest import LANDLORD_BANKGIRO, PARTNER_ACCOUNT, PAYOUT_DAY, answers, make_decision
from tests.payments.test_bankstatus import camt054

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def start_worker() -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.payments.chaos_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_workers_killed_at_random_pay_every_decision_exactly_once(
    municipality, unit, schedule, finance, finance2
):
    seed = int(os.environ.get("CHAOS_SEED", time.time_ns()))
    chaos = random.Random(seed)
    people = [
        Person.objects.create(
            personnummer=pnr, first_name="Test", last_name=f"Person {i}", municipality=municipality
        )
        for i, pnr in enumerate(skatteverket_personnummer()[:14])
    ]
    decisions = []
    for i, person in enumerate(people[:12]):
        extra = {}
        if i % 3 == 1:
            extra["third_party_payments"] = [
                {
                    "cost_type": "rent",
                    "amount": "4100",
                    "bankgiro": LANDLORD_BANKGIRO,
                    "payee_name": "Hyresvärd AB",
                }
            ]
        if i % 4 == 2:
            extra.update(split_between_partners=True, co_applicant_payout_account=PARTNER_ACCOUNT)
        decisions.append(make_decision(person, unit, str(6000 + 37 * i), answers_=answers(**extra)))
    # Two corrections made before anything was paid: only the newest version's money may go out.
    for person in people[12:]:
        first = make_decision(person, unit, "7000")
        decisions += [first, make_decision(person, unit, "6400", supersedes=first)]
    for number, decision in enumerate(decisions):
        plan_payments_for_decision.enqueue(decision.pk)
        if number % 2:
            plan_payments_for_decision.enqueue(decision.pk)  # a retry or a double click

    kills = 0
    for _round in range(12):
        if not DBTaskResult.objects.ready().exists():
            break
        workers = [start_worker() for _ in range(3)]
        time.sleep(chaos.uniform(1.2, 2.2))
        for worker in workers:
            if worker.poll() is None and chaos.random() < 0.7:
                worker.send_signal(signal.SIGKILL)
                kills += 1
        for worker in workers:
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    # A last worker left alone, then the sweep for tasks that died with their worker.
    last = start_worker()
    assert last.wait(60) == 0
    orphans = DBTaskResult.objects.running().count()
    swept = sweep_unplanned_decisions()
    story = f"seed {seed}, {kills} workers killed, {orphans} tasks died with them, {swept} decisions swept"

    assert PaymentPlan.objects.count() == len(decisions), story
    in_force = [d for d in decisions if not Decision.objects.filter(supersedes=d).exists()]
    for decision in in_force:
        live = PaymentOrder.objects.filter(application=decision.application).exclude(status="cancelled")
        assert sum(live.values_list("amount", flat=True)) == decision.amount_granted, story
    orders = PaymentOrder.objects.exclude(status="cancelled")
    assert TimelineEvent.objects.filter(data__status="planned").count() >= orders.count()

    payment_file = create_payment_file(PAYOUT_DAY, finance)
    release(payment_file, finance)
    release(payment_file, finance2)
    mark_sent(payment_file, finance)
    ids = pain001.end_to_end_ids(payment_file.xml)
    assert len(ids) == len(set(ids)) == orders.count(), story
    import_bank_status(camt054([(o.end_to_end_id, str(o.amount), "DBIT", False) for o in orders]), finance)

    paid = defaultdict(Decimal)
    for order in PaymentOrder.objects.filter(status="paid"):
        paid[order.application_id] += order.amount
    assert dict(paid) == {d.application_id: d.amount_granted for d in in_force}, story
