"""The access log: every staff read is written, the chain shows any tampering, auditors search it,
citizens see who opened their case."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from bistand.accesslog import chain
from bistand.accesslog.models import AccessLogEntry, AppendOnlyError, ChainHead
from bistand.identity.models import User
from tests.conftest import database_url, make_staff

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _tamper(sql: str, params: list) -> None:
    """What someone with direct database access could do: switch the guard off and edit a row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_accesslog_no_change")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_accesslog_no_update")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry ENABLE TRIGGER audit_accesslog_no_change")


def test_a_caseworker_reading_a_case_is_logged(world):
    response = _client(world.caseworker).get(reverse("casework:case", args=[world.case.pk]))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.user_id == world.caseworker.pk and entry.username == "hl-owner-unit"
    assert entry.role == "caseworker" and entry.unit_id == world.caseworker.unit_id
    assert entry.object_type == "casework.case" and entry.case_id == world.case.pk
    assert entry.person_id == world.owner.person_id
    assert entry.action == "read" and entry.purpose == "GET casework:case"
    assert chain.verify().ok


def test_every_kind_of_staff_read_is_logged(world):
    caseworker = _client(world.caseworker)
    draft_id = world.ids["draft_id"]
    caseworker.get(reverse("casework:preview", args=[world.case.pk, draft_id]))
    caseworker.get(reverse("api:case", args=[world.case.pk]))
    caseworker.get(reverse("oversight:random-check", args=[world.ids["check_id"]]))
    caseworker.post(
        reverse("casework:note", args=[world.case.pk]), {"text": "Ringt.", "visibility": "internal"}
    )
    finance = _client(world.finance)
    finance.get(reverse("payments:file", args=[world.ids["file_id"]]))
    finance.get(reverse("payments:ledger-csv"))
    kinds = list(AccessLogEntry.objects.values_list("object_type", "action", "case_id"))
    assert ("decisions.letter_preview", "download", world.case.pk) in kinds
    assert ("casework.case", "read", world.case.pk) in kinds  # the API
    assert ("oversight.randomcheck", "read", world.case.pk) in kinds
    assert ("casework:note", "write", world.case.pk) in kinds
    assert ("payments.paymentfile", "read", None) in kinds
    assert ("payments.ledger", "export", None) in kinds
    assert chain.verify().ok


def test_citizen_requests_are_not_staff_reads_and_refused_snooping_leaves_a_trace(world):
    """Issue 20 #9: a caseworker of another unit trying a case id left no entry at all."""
    _client(world.owner).get(reverse("portal:home"))
    assert not AccessLogEntry.objects.exists()
    response = _client(world.other_caseworker).get(reverse("casework:case", args=[world.case.pk]))
    assert response.status_code == 404
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.user_id, entry.case_id) == (
        "refused",
        world.other_caseworker.pk,
        world.case.pk,
    )


def test_no_page_without_its_log_entry(world, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(chain, "append", broken)
    response = _client(world.caseworker).get(reverse("casework:case", args=[world.case.pk]))
    assert response.status_code == 503
    assert "Erik" not in response.content.decode()


def test_entries_cannot_be_changed_or_removed(world):
    entry = chain.append(user=world.caseworker, object_type="casework.case", object_id=1, case_id=1)
    entry.purpose = "nothing to see"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    # The database refuses too, whatever the ORM says.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET purpose = %s", ["x"])


def _fill(world, count: int = 5) -> list[AccessLogEntry]:
    return [
        chain.append(user=world.caseworker, object_type="casework.case", object_id=i, case_id=world.case.pk)
        for i in range(count)
    ]


def test_the_verifier_finds_an_edited_entry(world):
    entries = _fill(world)
    assert chain.verify().ok and chain.verify().checked == 5
    _tamper("UPDATE audit_accesslogentry SET username = %s WHERE seq = %s", ["someone-else", entries[2].seq])
    verdict = chain.verify()
    assert not verdict.ok and verdict.broken_seq == 3 and verdict.checked == 2
    with pytest.raises(CommandError, match="BROKEN at entry 3") as raised:
        call_command("verify_access_log")
    assert raised.value.returncode == 1


def test_the_verifier_finds_a_removed_or_rewritten_tail(world):
    entries = _fill(world)
    _tamper("DELETE FROM audit_accesslogentry WHERE seq = %s", [entries[1].seq])
    assert chain.verify().broken_seq == 3  # entry 2 is missing
    # Removing the newest entries is seen by the head row.
    _tamper("DELETE FROM audit_accesslogentry WHERE seq >= %s", [entries[1].seq])
    verdict = chain.verify()
    assert not verdict.ok and verdict.reason == "entries after the last one were removed"


def test_a_truncated_tail_with_the_head_moved_back_is_found_by_the_plain_check(world):
    """Issue 20 #9: remove the newest entries and move the head row back, and the chain checks out —
    unless the last check kept the head outside the database, as `verify_access_log` now does."""
    entries = _fill(world)
    call_command("verify_access_log", stdout=io.StringIO())  # an operator's routine check
    _tamper("DELETE FROM audit_accesslogentry WHERE seq >= %s", [entries[3].seq])
    ChainHead.objects.filter(pk=1).update(seq=entries[2].seq, hash=entries[2].hash)
    assert chain.verify().ok  # the chain alone cannot tell
    with pytest.raises(CommandError, match="kept head is no longer in the chain"):
        call_command("verify_access_log")
    auditor = Client()
    auditor.force_login(world.auditor)
    assert "Kedjan är bruten" in auditor.get(reverse("audit:verify")).content.decode()


def test_a_kept_head_shows_a_rebuilt_chain(world):
    entries = _fill(world, 3)
    kept = (entries[-1].seq, entries[-1].hash)
    assert chain.verify(expect=kept).ok
    out = io.StringIO()
    call_command("verify_access_log", expect=f"{kept[0]}:{kept[1]}", stdout=out)
    assert f"head 3:{kept[1]}" in out.getvalue()
    # Someone rewrites entry 3 and recomputes its hash and the head: the chain is consistent again,
    # but no longer contains the head kept elsewhere.
    values = {f: getattr(entries[-1], f) for f in chain.FIELDS}
    values["username"] = "someone-else"
    forged = chain.entry_hash(values)
    _tamper(
        "UPDATE audit_accesslogentry SET username = %s, hash = %s WHERE seq = 3", ["someone-else", forged]
    )
    ChainHead.objects.filter(pk=1).update(hash=forged)
    assert chain.verify().ok
    assert not chain.verify(expect=kept).ok


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_1_on_a_tampered_log(unit, tmp_path):
    """`bistand manage verify_access_log` as an operator runs it, against this test database."""
    caseworker = make_staff("hl1", unit)
    for i in range(3):
        chain.append(user=caseworker, object_type="casework.case", object_id=i)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(SRC),
        "BISTAND_DATA_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "bistand.ops.cli", "manage", "verify_access_log"]
    ok = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "access log OK: 3 entries" in ok.stdout, ok.stderr
    _tamper("UPDATE audit_accesslogentry SET object_id = %s WHERE seq = 2", ["99"])
    broken = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert broken.returncode == 1 and "BROKEN at entry 2" in broken.stderr


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_straight_chain(unit):
    caseworker = make_staff("hl1", unit)
    errors: list[Exception] = []

    def write() -> None:
        try:
            for i in range(8):
                chain.append(user=caseworker, object_type="casework.case", object_id=i)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert list(AccessLogEntry.objects.values_list("seq", flat=True)) == list(range(1, 33))
    assert chain.verify().ok


def test_auditors_search_and_export_and_leave_a_trace(world):
    _client(world.caseworker).get(reverse("casework:case", args=[world.case.pk]))
    auditor = _client(world.auditor)
    page = auditor.get(reverse("audit:search"), {"personnummer": "19800113-9297"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "hl-owner-unit" in html and "casework.case" in html
    searched = AccessLogEntry.objects.get(action="search")
    assert searched.user_id == world.auditor.pk and searched.person_id == world.owner.person_id
    assert "19800113" not in searched.purpose  # the number itself is not written into the log
    export = auditor.get(reverse("audit:export"), {"username": "hl-owner-unit"})
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:4] == ["seq", "at", "user_id", "username"]
    assert [r[3] for r in rows[1:]] == ["hl-owner-unit"]
    assert AccessLogEntry.objects.filter(action="export", user_id=world.auditor.pk).exists()
    assert auditor.get(reverse("audit:verify")).status_code == 200
    assert chain.verify().ok


def test_csv_export_cannot_smuggle_a_formula(world):
    evil = make_staff("=HYPERLINK(1)", world.caseworker.unit)
    chain.append(user=evil, object_type="casework.case", object_id=1)
    export = _client(world.auditor).get(reverse("audit:export")).content.decode()
    assert "'=HYPERLINK(1)" in export


def test_the_citizen_sees_who_opened_the_case_by_role_and_unit(world):
    world.caseworker.first_name, world.caseworker.last_name = "Kim", "Handläggarsson"
    world.caseworker.save()
    _client(world.caseworker).get(reverse("casework:case", args=[world.case.pk]))
    html = _client(world.owner).get(reverse("portal:home")).content.decode()
    assert "Vem har öppnat mitt ärende" in html
    assert "Handläggare" in html and "Försörjningsstöd" in html
    assert "Handläggarsson" not in html and "hl-owner-unit" not in html
    other = _client(world.other_citizen).get(reverse("portal:home")).content.decode()
    assert "Ingen personal har öppnat ditt ärende ännu." in other


def test_auditor_role_is_read_only_in_the_database_too(world):
    assert world.auditor.role == User.Role.AUDITOR
    response = _client(world.auditor).post(reverse("audit:search"))
    assert response.status_code == 405
