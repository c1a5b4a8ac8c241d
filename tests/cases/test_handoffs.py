"""Hand-offs upward go by signal, inside the transaction that stores the fact."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from bistand.casework.models import PipelineRun
from bistand.decisions.models import Decision
from bistand.decisions.services import correct
from bistand.intake.models import Application
from bistand.intake.signals import application_submitted
from bistand.payments.models import PaymentPlan
from tests.payments.conftest import make_decision

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def _queued(name: str) -> int:
    return DBTaskResult.objects.filter(task_path__endswith=name).count()


def test_a_submitted_application_queues_the_robot_in_the_same_transaction(citizen, unit):
    application = Application.objects.create(
        applicant=citizen.person, municipality=unit.municipality, month="2026-12-01"
    )
    with pytest.raises(Rollback), transaction.atomic():
        application_submitted.send(sender=Application, application=application)
        assert _queued("receive_application") == 1
        raise Rollback
    assert _queued("receive_application") == 0  # rolled back together: never a task without its application
    application_submitted.send(sender=Application, application=application)
    assert _queued("receive_application") == 1


def test_a_stored_decision_has_its_money_planned_once_by_the_signal(citizen, unit, caseworker, schedule):
    first = make_decision(citizen.person, unit)
    corrected = correct(first, kind=Decision.Correction.ANDRING, reason="Hyran var lägre.", by=caseworker)
    assert PaymentPlan.objects.filter(decision_id=corrected.pk).count() == 1
    with pytest.raises(Rollback), transaction.atomic():
        again = correct(corrected, kind=Decision.Correction.RATTELSE, reason="Skrivfel.", by=caseworker)
        assert PaymentPlan.objects.filter(decision_id=again.pk).count() == 1
        raise Rollback
    assert not Decision.objects.filter(version=3).exists()
    assert PaymentPlan.objects.count() == 1  # neither the decision nor its plan is left half


def test_the_pipeline_no_longer_plans_payments_itself():
    from bistand.casework import pipeline

    assert pipeline.STEPS[PipelineRun.Step.PAY][0](None) == {}
