"""The case moved from casework to cases without touching the database: same tables, same rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bistand.cases.models import Case, TimelineEvent


def test_the_tables_keep_their_names():
    assert Case._meta.db_table == "casework_case"
    assert TimelineEvent._meta.db_table == "casework_timelineevent"


@pytest.mark.django_db(transaction=True)
def test_rows_stored_before_the_move_are_read_after_it(municipality, unit):
    from tests.conftest import make_citizen

    person = make_citizen("198001019806", municipality).person
    executor = MigrationExecutor(connection)
    before = [("casework", "0011_concern_report"), ("cases", "0001_case_and_timeline_from_casework")]
    # Back to before the move: casework owns the case again (the state); the table is the same.
    executor.migrate([("cases", None), ("casework", "0011_concern_report")])
    old_apps = executor.loader.project_state([("casework", "0011_concern_report")]).apps
    OldCase = old_apps.get_model("casework", "Case")
    old = OldCase.objects.create(applicant_id=person.pk, unit_id=unit.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Case.objects.get(pk=old.pk).applicant_id == person.pk
    assert before  # the two sides of the move, named for the reader


def test_tasks_queued_under_their_old_path_still_import():
    """The task table stores each task's dotted path; the worker imports it when the task runs."""
    from django.tasks import Task
    from django.utils.module_loading import import_string

    from bistand.casework import pipeline

    for name in ("advance_pipeline", "receive_application"):
        task = import_string(f"bistand.casework.tasks.{name}")
        assert isinstance(task, Task)
        assert task is getattr(pipeline, name)
    assert pipeline.LEGACY_ADVANCE_PATH == "bistand.casework.tasks.advance_pipeline"
