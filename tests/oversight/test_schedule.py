"""The monthly draw is scheduled by the workers themselves: once per municipality and month."""

import datetime

import pytest
from django_tasks_db.models import DBTaskResult

from bistand.oversight.models import RandomCheckDraw
from bistand.oversight.tasks import draw_random_checks, schedule_monthly_draw

pytestmark = pytest.mark.django_db


def test_last_months_draw_is_enqueued_once(municipality, run_tasks):
    today = datetime.date(2026, 12, 3)
    assert schedule_monthly_draw(today) is True
    assert schedule_monthly_draw(today) is False  # already waiting
    task = DBTaskResult.objects.get(task_path=draw_random_checks.module_path)
    assert task.args_kwargs["args"] == ["2026-11"]
    run_tasks()
    assert RandomCheckDraw.objects.filter(
        municipality=municipality, month=datetime.date(2026, 11, 1)
    ).exists()
    assert schedule_monthly_draw(today) is False  # drawn
