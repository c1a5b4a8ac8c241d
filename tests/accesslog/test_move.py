"""The access log moved from audit to accesslog without touching the database: same tables, same rows, the
same chain, and the database's append-only triggers (audit's migration 0002, which name the table) still
refuse a change."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from bistand.accesslog import chain
from bistand.accesslog.models import GENESIS, AccessLogEntry, ChainHead

BEFORE = [("accesslog", None), ("audit", "0003_refused_action")]
AT = datetime.datetime(2026, 11, 30, 9, 15, tzinfo=datetime.UTC)


def test_the_tables_keep_their_names():
    assert AccessLogEntry._meta.db_table == "audit_accesslogentry"
    assert ChainHead._meta.db_table == "audit_chainhead"


def test_the_log_still_speaks_the_auditors_languages():
    """The kinds of access are shown on the auditors' screens; their translations came along."""
    with translation.override("en"):
        assert str(AccessLogEntry.Action.REFUSED.label) == "Was refused access"
        assert str(AccessLogEntry._meta.verbose_name) == "access log entry"
    with translation.override("ar"):
        assert str(AccessLogEntry.Action.READ.label) == "قرأ"


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_an_entry_written_before_the_move_is_read_after_it_and_the_chain_holds():
    # Back to before the move: audit owns the log again (the state); the tables are the same.
    _migrate(BEFORE)
    old_apps = MigrationExecutor(connection).loader.project_state([BEFORE[1]]).apps
    OldEntry = old_apps.get_model("audit", "AccessLogEntry")
    OldHead = old_apps.get_model("audit", "ChainHead")
    values = {
        "seq": 1,
        "at": AT,
        "user_id": 7,
        "username": "hl-before-the-move",
        "role": "caseworker",
        "unit_id": 3,
        "action": "read",
        "object_type": "casework.case",
        "object_id": "42",
        "case_id": 42,
        "person_id": 11,
        "purpose": "GET casework:case",
        "prev_hash": GENESIS,
    }
    digest = chain.entry_hash(values)
    OldEntry.objects.create(**values, hash=digest)
    OldHead.objects.create(pk=1, seq=1, hash=digest)

    _migrate(None)
    old = AccessLogEntry.objects.get(seq=1)
    assert (old.username, old.case_id, old.hash) == ("hl-before-the-move", 42, digest)
    # The next entry links to the one written before the move, and the whole chain checks out.
    new = chain.append(object_type="casework.case", object_id=43, case_id=43, purpose="GET casework:case")
    assert (new.seq, new.prev_hash) == (2, digest)
    verdict = chain.verify()
    assert verdict.ok and verdict.checked == 2 and verdict.head_hash == new.hash


@pytest.mark.django_db
def test_the_database_still_refuses_to_change_an_entry():
    entry = chain.append(object_type="casework.case", object_id=1, case_id=1, purpose="GET casework:case")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET purpose = %s", ["nothing to see"])
    assert AccessLogEntry.objects.get(pk=entry.pk).purpose == "GET casework:case"
    assert chain.verify().ok
