"""The database itself refuses to change access-log entries, and the restricted staff group exists.

PostgreSQL: a trigger refuses UPDATE and DELETE of entries (TRUNCATE, which only the table's owner can
run, stays possible — the test suite's flush uses it; the application's role should not own the table).
SQLite: a trigger refuses UPDATE (DELETE stays possible, as Django's test flush needs it; removed entries
still show as a broken chain).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_no_change BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_accesslog_no_change ON audit_accesslogentry;
DROP FUNCTION IF EXISTS audit_accesslog_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslogentry
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_accesslog_no_update;"
PROTECTED_GROUP = "Skyddade personuppgifter"


def _run(schema_editor, postgres: str, sqlite: str) -> None:
    vendor = schema_editor.connection.vendor
    sql = postgres if vendor == "postgresql" else sqlite if vendor == "sqlite" else ""
    if sql:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forwards(apps, schema_editor) -> None:
    _run(schema_editor, PG_UP, SQLITE_UP)
    apps.get_model("auth", "Group").objects.get_or_create(name=PROTECTED_GROUP)


def backwards(apps, schema_editor) -> None:
    _run(schema_editor, PG_DOWN, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
