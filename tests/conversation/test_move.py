"""The conversation moved from portal to its own package without touching the database: same tables, same
rows, same files; and Mina sidor now stands above the caseworker's office, as the floor plan says."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bistand.cases.models import Case
from bistand.conversation.models import Appeal, DocumentRequest, Message, Upload
from bistand.intake.models import Application
from bistand.oversight.models import AppealOutcome, RandomCheck
from tests.portal.conftest import make_decision
from tests.test_layers import FLOOR, _package, _unit, all_imports

BEFORE = [("conversation", None), ("portal", "0005_document_request_months")]
PDF = b"%PDF-1.7 a payslip for November"


def test_the_tables_keep_their_names():
    assert DocumentRequest._meta.db_table == "portal_documentrequest"
    assert Upload._meta.db_table == "portal_upload"
    assert Message._meta.db_table == "portal_message"
    assert Appeal._meta.db_table == "portal_appeal"
    assert Upload._meta.get_field("file").upload_to == "uploads/%Y/%m/"


def test_the_portal_keeps_no_models_and_oversight_points_at_the_conversation():
    assert list(apps.get_app_config("portal").get_models()) == []
    assert RandomCheck._meta.get_field("document_request").related_model is DocumentRequest
    assert AppealOutcome._meta.get_field("appeal").related_model is Appeal


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_nothing_below_mina_sidor_imports_from_it():
    """Before the move, the caseworker's office imported the portal's models and services: a cycle between
    the packages, hidden by placing those two modules apart from their package."""
    below = [
        f"{imp.module}:{imp.line} imports {imp.target}"
        for imp in all_imports()
        if _package(imp.target) == "portal"
        and _package(imp.module) != "portal"
        and FLOOR[_unit(imp.module)] < FLOOR["portal"]
    ]
    assert below == []
    assert not [unit for unit in FLOOR if unit.startswith("portal.")]


@pytest.mark.django_db(transaction=True)
def test_rows_stored_before_the_move_are_read_after_it(citizen, unit, caseworker):
    application = Application.objects.create(
        applicant=citizen.person,
        municipality=unit.municipality,
        month=datetime.date(2026, 12, 1),
        answers={"month": {"value": "2026-12", "source": "citizen"}},
    )
    application.submit()
    case = Case.objects.create(applicant=citizen.person, unit=unit)
    decision = make_decision(case, application)

    # Back to before the move: portal owns the conversation again (the state); the tables are the same.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[1:]).apps
    request = old.get_model("portal", "DocumentRequest").objects.create(
        case_id=case.pk, text="Lönebesked för november", deadline=datetime.date(2026, 12, 14)
    )
    upload = old.get_model("portal", "Upload")(
        request_id=request.pk,
        uploaded_by_id=citizen.person.pk,
        kind="pdf",
        size=len(PDF),
        sha256="0" * 64,
        display_name="lonebesked.pdf",
    )
    upload.file.save("before-the-move.pdf", ContentFile(PDF), save=False)
    upload.save()
    message = old.get_model("portal", "Message").objects.create(
        case_id=case.pk, sender_id=caseworker.pk, sender_kind="caseworker", body="Hej! Vi behöver underlag."
    )
    appeal = old.get_model("portal", "Appeal").objects.create(
        decision_id=decision.pk, lodged_by_id=citizen.person.pk, text="Jag överklagar."
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert DocumentRequest.objects.get(pk=request.pk).case == case
    moved = Upload.objects.get(pk=upload.pk)
    assert moved.request_id == request.pk
    assert moved.file.name.startswith("uploads/")
    with moved.file.open("rb") as stored:
        assert stored.read() == PDF
    assert Message.objects.get(pk=message.pk).body == "Hej! Vi behöver underlag."
    assert Appeal.objects.get(pk=appeal.pk).decision == decision
    assert list(case.document_requests.all()) == [DocumentRequest.objects.get(pk=request.pk)]
