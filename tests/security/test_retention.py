"""GDPR: the register extract (Art. 15), and retention (gallring) per SoL 16 kap. 1 § with statistics kept."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bistand.accesslog.models import AccessLogEntry
from bistand.audit import retention
from bistand.audit.models import CullRun, MonthlyAggregate
from bistand.audit.tasks import schedule_daily
from bistand.casework.models import JournalNote, PipelineRun
from bistand.conversation import services
from bistand.conversation.models import Message, Upload
from bistand.decisions.models import Decision
from bistand.identity.models import Person, User
from bistand.intake.models import Application
from bistand.oversight.periods import Period
from bistand.oversight.statistics import compute
from tests import samples

pytestmark = pytest.mark.django_db
LATER = timezone.now() + datetime.timedelta(days=366 * 6)


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def full_case(world):
    """The world's case with a journal, messages and an upload, and register answers on its run."""
    case = world.case
    JournalNote.objects.create(case=case, author=world.caseworker, text="Besök. Barnen mår bra.")
    JournalNote.objects.create(
        case=case, author=world.caseworker, text="Hot i nära relation.", visibility="restricted"
    )
    services.send_message(case, "Hej, jag undrar över beslutet.", world.owner)
    services.send_message(case, "Hej! Beslutet gäller december.", world.caseworker)
    doc_request = case.document_requests.first()
    services.add_upload(doc_request, SimpleUploadedFile("utdrag.png", samples.png()), world.owner.person)
    PipelineRun.objects.filter(pk=world.extra["run"].pk).update(
        register_snapshot={
            "applicant": {"protected": False, "sources": {"navet": {"facts": {"given_name": "Erik"}}}}
        }
    )
    return world


def _figures(municipality) -> dict:
    stats = compute(municipality, Period(datetime.date(2026, 12, 1), datetime.date(2026, 12, 1)))
    return {
        "applications": stats.applications,
        "decided": stats.decided,
        "automated": stats.automated,
        "outcomes": stats.outcomes,
        "channels": stats.applications_by_channel,
        "messages": stats.messages_answered,
        "reasons": [(r.code, r.count) for r in stats.reasons] if stats.reasons else [],
    }


def test_register_extract_holds_everything_about_the_person(full_case, tmp_path):
    world = full_case
    out = tmp_path / "utdrag.zip"
    stdout = io.StringIO()
    call_command("register_extract", "19800113-9297", out=str(out), stdout=stdout)
    assert "written to" in stdout.getvalue()
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("registerutdrag.json"))
        letters = [n for n in names if n.startswith("brev/")]
        assert letters and archive.read(letters[0]).startswith(b"%PDF")
        assert any(n.startswith("underlag/") for n in names)
    assert data["person"]["personnummer"] == "198001139297"
    assert {a["reference"] for a in data["applications"]} == {
        str(world.extra["submitted"].reference),
        str(world.ids["reference"]),
    }
    assert [n["text"] for n in data["journal_notes"]] == ["Besök. Barnen mår bra."]
    # The restricted note above and the world's orosanmälan: both held back for a secrecy review.
    assert data["journal_notes_withheld_for_secrecy_review"] == 2
    assert len(data["messages"]) == 2 and len(data["decisions"]) == 1 and len(data["uploads"]) == 1
    assert "password" not in data["accounts"][0]
    # Making the extract is a read like any other.
    assert AccessLogEntry.objects.filter(action="extract", person_id=world.owner.person_id).exists()
    json_only = tmp_path / "utdrag.json"
    call_command("register_extract", "198001139297", out=str(json_only), stdout=io.StringIO())
    assert json.loads(json_only.read_text())["format"] == "bistand-registerutdrag"


def test_the_extract_page_is_for_auditors_and_administrators(full_case):
    world = full_case
    admin = User.objects.create(username="admin", role=User.Role.ADMIN)
    for user in (world.auditor, admin):
        client = Client()
        client.force_login(user)
        response = client.post(reverse("audit:extract"), {"personnummer": "198001139297"})
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        unknown = client.post(reverse("audit:extract"), {"personnummer": "189001019802"})
        assert unknown.status_code == 400
    client = Client()
    client.force_login(world.caseworker)
    assert client.post(reverse("audit:extract"), {"personnummer": "198001139297"}).status_code == 403


def test_a_dry_run_reports_and_changes_nothing(full_case):
    report = retention.cull(dry_run=True, now=LATER)
    assert report.cases == [full_case.case.pk]
    # Two notes written here and the world's orosanmälan note.
    assert report.removed["journal_notes"] == 3 and report.removed["uploads"] == 1
    assert report.removed["letters"] == 1 and report.removed["register_snapshots"] == 1
    assert JournalNote.objects.count() == 3 and Upload.objects.count() == 1
    assert not CullRun.objects.exists()


def test_nothing_is_culled_before_its_time(full_case, settings):
    assert retention.cull(dry_run=True).cases == []
    settings.RETENTION_YEARS = 10  # configurable
    assert retention.cull(dry_run=True, now=LATER).cases == []


def test_culling_removes_personal_content_and_keeps_the_figures(
    full_case, settings, django_capture_on_commit_callbacks
):
    world = full_case
    municipality = world.case.unit.municipality
    before = _figures(municipality)
    upload = Upload.objects.get()
    upload_path = upload.file.path
    letter_path = Decision.objects.get().letter_for().file.path
    stdout = io.StringIO()
    settings.RETENTION_YEARS = 5
    with django_capture_on_commit_callbacks(execute=True):  # files go once the cull has committed
        report = retention.cull(now=LATER)
    stdout.write("\n".join(report.lines()))
    assert "culled 1 case(s)" in stdout.getvalue()

    assert not JournalNote.objects.exists() and not Upload.objects.exists()
    import os

    assert not os.path.exists(upload_path) and not os.path.exists(letter_path)
    assert set(Message.objects.values_list("body", flat=True)) == {""}
    run = PipelineRun.objects.get(pk=world.extra["run"].pk)
    assert run.register_snapshot is None and run.calculation == {"entitlement": 12170}
    assert run.triage == {"reasons": [{"code": "first_application"}]}
    decision = Decision.objects.get()
    assert decision.motivation == "" and not decision.letters.exists() and decision.amount_granted == 12170
    application = Application.objects.get(pk=world.extra["submitted"].pk)
    assert "month" not in application.answers and set(application.answers) == {
        "co_applicant",
        "children",
        "language",
    }
    # The person has no case left: anonymised, and the account cannot sign in.
    person = Person.objects.get(pk=world.owner.person_id)
    assert person.first_name == "" and not person.personnummer.isdigit()
    assert not User.objects.get(pk=world.owner.pk).is_active
    assert not Application.objects.filter(pk=world.extra["submitted"].pk - 0, status="draft").exists()

    after = _figures(municipality)
    assert after == before  # aggregate statistics survive
    kept = dict(
        MonthlyAggregate.objects.filter(month=datetime.date(2026, 12, 1)).values_list("figure", "value")
    )
    assert kept["applications"] == 1 and kept["decided"] == 1 and kept["outcome_grant"] == 1

    run_record = CullRun.objects.get()
    assert run_record.removed["cases"] == 1 and report.removed["journal_notes"] == 3  # with the orosanmälan
    assert retention.cull(now=LATER).cases == []  # a second run finds nothing new
    from bistand.accesslog import chain

    assert chain.verify().ok  # the access log is not touched


def test_the_cull_command_and_its_daily_schedule(full_case):
    out = io.StringIO()
    call_command("cull", "--dry-run", "--years", "0", stdout=out)
    assert "would cull 1 case(s)" in out.getvalue()
    assert JournalNote.objects.exists()
    assert schedule_daily() is True
    assert schedule_daily() is False  # already waiting
