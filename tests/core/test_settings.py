"""Settings come from the environment with safe defaults."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

SHOW_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'key': settings.SECRET_KEY, 'debug': settings.DEBUG, 'tz': settings.TIME_ZONE,"
    "'lang': settings.LANGUAGE_CODE, 'engine': settings.DATABASES['default']['ENGINE'],"
    "'db': str(settings.DATABASES['default']['NAME'])}))"
)


def read_settings(tmp_path, **env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG"}}
    environment.update(BISTAND_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="bistand.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_secret_key_is_generated_once_and_kept_in_the_data_folder(tmp_path):
    first = read_settings(tmp_path)
    second = read_settings(tmp_path)
    assert len(first["key"]) >= 50
    assert first["key"] == second["key"]
    assert (tmp_path / "secret_key").read_text().strip() == first["key"]
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_a_given_secret_key_wins_and_nothing_is_written(tmp_path):
    assert read_settings(tmp_path, SECRET_KEY="x" * 60)["key"] == "x" * 60
    assert not (tmp_path / "secret_key").exists()


def test_safe_defaults(tmp_path):
    shown = read_settings(tmp_path)
    assert shown["debug"] is False
    assert shown["tz"] == "Europe/Stockholm"
    assert shown["lang"] == "sv"
    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["db"] == str(tmp_path / "bistand.sqlite3")


def test_debug_only_when_asked(tmp_path):
    assert read_settings(tmp_path, DEBUG="1")["debug"] is True
    assert read_settings(tmp_path, DEBUG="no")["debug"] is False


def test_database_url_selects_postgresql(tmp_path):
    shown = read_settings(tmp_path, DATABASE_URL="postgres://app@127.0.0.1:5432/bistand")
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["db"] == "bistand"


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_languages_are_swedish_english_and_arabic():
    assert [code for code, _ in settings.LANGUAGES] == ["sv", "en", "ar"]


def test_the_data_folder_and_what_is_made_in_it_are_for_bistand_alone(tmp_path):
    """Issue 20 #9: the SQLite file and var/files/ were world-readable."""
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    (data / "old-upload.pdf").write_bytes(b"%PDF")  # made before, under the usual umask
    script = (
        "import os, django; django.setup();"
        "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage;"
        "from django.db import connection; connection.ensure_connection();"
        "name = default_storage.save('uploads/a.pdf', ContentFile(b'%PDF'));"
        "print(oct(os.stat(default_storage.path(name)).st_mode & 0o777),"
        " oct(os.stat(os.path.dirname(default_storage.path(name))).st_mode & 0o777))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bistand.settings",
        "BISTAND_DATA_DIR": str(data),
        "DATABASE_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0o600", "0o700"]
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "bistand.sqlite3").stat().st_mode & 0o077 == 0
