"""Exactly once: a retry, a crash between steps, a double click or parallel workers never pay twice."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from bistand.cases.models import TimelineEvent
from bistand.payments import services
from bistand.payments.models import PaymentFile, PaymentOrder, PaymentPlan
from bistand.payments.services import NothingToPay, create_payment_file, mark_sent, plan_payments, release
from bistand.payments.tasks import plan_payments_for_decision
from tests.payments.conftest import LANDLORD_BANKGIRO, PAYOUT_DAY, answers, make_decision


class Crash(Exception):
    """A worker dying at a checkpoint."""


def crash_at(monkeypatch, step: str) -> None:
    def checkpoint(name: str) -> None:
        if name == step:
            raise Crash(name)

    monkeypatch.setattr(services, "_checkpoint", checkpoint)


def in_threads(count: int, work) -> list:
    """Run `work(index)` in `count` threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # the test looks at what each thread got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


RENT = [
    {"cost_type": "rent", "amount": "5200", "bankgiro": LANDLORD_BANKGIRO, "payee_name": "Bostadsbolaget AB"}
]


# --- Crashes between steps (a savepoint is enough: the services' own transactions roll back) -------------


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["plan_created", "order_created", "plan_stored"])
def test_a_crash_while_planning_leaves_nothing_and_a_rerun_plans_once(
    monkeypatch, citizen, unit, schedule, step
):
    decision = make_decision(citizen.person, unit, "7800", answers_=answers(third_party_payments=RENT))
    crash_at(monkeypatch, step)
    with pytest.raises(Crash):
        plan_payments(decision)
    assert not PaymentOrder.objects.exists() and not PaymentPlan.objects.exists()
    assert not TimelineEvent.objects.exists()
    monkeypatch.setattr(services, "_checkpoint", lambda name: None)
    assert len(plan_payments(decision)) == 2
    assert len(plan_payments(decision)) == 2
    assert PaymentOrder.objects.count() == 2 and TimelineEvent.objects.count() == 2


@pytest.mark.django_db
def test_a_crash_after_the_orders_but_before_the_file(
    monkeypatch, citizen, unit, schedule, finance, finance2
):
    decision = make_decision(citizen.person, unit, "7800", answers_=answers(third_party_payments=RENT))
    plan_payments(decision)
    crash_at(monkeypatch, "file_created")
    with pytest.raises(Crash):
        create_payment_file(PAYOUT_DAY, finance)
    assert not PaymentFile.objects.exists()
    assert PaymentOrder.objects.filter(payment_file__isnull=True, status="planned").count() == 2
    monkeypatch.setattr(services, "_checkpoint", lambda name: None)
    # The pipeline retries the plan, finance presses the button again: one plan, one file, each order once.
    plan_payments(decision)
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    assert payment_file.number_of_transactions == 2 and PaymentOrder.objects.count() == 2
    release(payment_file, finance)
    release(payment_file, finance2)
    crash_at(monkeypatch, "file_sent")
    with pytest.raises(Crash):
        mark_sent(payment_file, finance)
    payment_file.refresh_from_db()
    assert payment_file.status == "released"
    monkeypatch.setattr(services, "_checkpoint", lambda name: None)
    mark_sent(payment_file, finance)
    assert set(PaymentOrder.objects.values_list("status", flat=True)) == {"sent"}


# --- Parallel workers (real transactions, real connections) ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_parallel_calls_plan_once(citizen, unit, schedule):
    decision = make_decision(citizen.person, unit, "7800", answers_=answers(third_party_payments=RENT))
    results = in_threads(6, lambda i: [o.pk for o in plan_payments(decision)])
    assert all(isinstance(r, list) for r in results), results
    assert len({tuple(r) for r in results}) == 1
    assert PaymentPlan.objects.count() == 1
    assert PaymentOrder.objects.count() == 2
    assert TimelineEvent.objects.filter(kind="payment").count() == 2
    close_old_connections()


@pytest.mark.django_db(transaction=True)
def test_a_version_and_its_correction_planned_at_the_same_time_pay_the_correction_once(
    citizen, unit, schedule
):
    first = make_decision(citizen.person, unit, "7800")
    second = make_decision(citizen.person, unit, "6900", supersedes=first)
    results = in_threads(6, lambda i: plan_payments([first, second][i % 2]))
    assert not [r for r in results if isinstance(r, Exception)], results
    plan_payments(first), plan_payments(second)
    live = PaymentOrder.objects.exclude(status="cancelled")
    assert sum(live.values_list("amount", flat=True)) == Decimal("6900.00")


@pytest.mark.django_db(transaction=True)
def test_a_double_click_makes_one_file(citizen, unit, schedule, finance):
    plan_payments(make_decision(citizen.person, unit, "7800"))
    results = in_threads(4, lambda i: create_payment_file(PAYOUT_DAY, finance).pk)
    files = [r for r in results if isinstance(r, int)]
    assert len(files) == 1, results
    assert all(isinstance(r, NothingToPay) for r in results if not isinstance(r, int))
    assert PaymentFile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_the_task_twice_and_pays_once(citizen, unit, schedule, run_tasks):
    decision = make_decision(citizen.person, unit, "7800", answers_=answers(third_party_payments=RENT))
    plan_payments_for_decision.enqueue(decision.pk)
    plan_payments_for_decision.enqueue(decision.pk)  # a retry, or the pipeline and the sweep both
    run_tasks()
    assert PaymentOrder.objects.filter(decision=decision).count() == 2
    assert PaymentPlan.objects.count() == 1
    plan_payments_for_decision.enqueue(decision.pk)
    run_tasks()
    assert PaymentOrder.objects.count() == 2
