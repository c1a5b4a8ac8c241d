"""Logs are JSON and never carry a personnummer in clear text."""

import io
import json
import logging

from bistand.core.logging import JsonFormatter, RedactPersonalData, redact


def capture(logger_name: str):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactPersonalData())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, stream


def test_log_lines_are_json_with_extra_fields():
    logger, stream = capture("test.json")
    logger.info("application submitted", extra={"application_id": 42})
    entry = json.loads(stream.getvalue())
    assert entry["message"] == "application submitted"
    assert entry["application_id"] == 42
    assert entry["level"] == "INFO"


def test_personnummer_in_message_arguments_and_extra_is_redacted():
    logger, stream = capture("test.redact")
    logger.info("lookup for %s", "198001139297", extra={"who": "800113-9297"})
    line = stream.getvalue()
    assert "198001139297" not in line
    assert "9297" not in line
    assert json.loads(line)["who"] == "[personnummer]"


def test_personnummer_in_an_exception_is_redacted():
    logger, stream = capture("test.exception")
    try:
        raise ValueError("no person 19800113-9297")
    except ValueError:
        logger.exception("lookup failed")
    line = stream.getvalue()
    assert "9297" not in line
    assert "[personnummer]" in json.loads(line)["exception"]


def test_redact_leaves_ordinary_numbers_alone():
    assert redact("case 1234 paid 16440 kr") == "case 1234 paid 16440 kr"


def test_uuids_and_hashes_are_not_mistaken_for_personnummer():
    text = "task 123e4567-e89b-12d3-a456-426614174000 and digest 5b198001139297aa"
    assert redact(text) == text
    assert redact("person=198001139297, other 800113-9297") == "person=[personnummer], other [personnummer]"


def test_django_request_records_and_numbers_in_extra_are_redacted():
    """Issue 20 #8: Django's error records carry the request object, whose text is the path."""
    from django.test import RequestFactory

    logger, stream = capture("test.request")
    request = RequestFactory().get("/api/v1/cases/198001139297/?pnr=19800113-9297")
    logger.error(
        "Not Found: %s", request.path, extra={"request": request, "status_code": 404, "id": 198001139297}
    )
    line = stream.getvalue().strip()
    entry = json.loads(line)
    assert "9297" not in line
    assert entry["status_code"] == 404 and entry["id"] == "[personnummer]"
    assert "[personnummer]" in entry["request"]


def test_the_web_servers_access_log_is_redacted():
    """Issue 20 #8: gunicorn's access log wrote the path, and a path can hold a number."""
    from types import SimpleNamespace

    from gunicorn.config import Config

    from bistand.core.gunicornlog import RedactingLogger

    logger = RedactingLogger(Config())
    request = SimpleNamespace(
        headers=[], method="GET", path="/api/v1/cases/198001139297", query="pnr=198001139297", version=(1, 1)
    )
    response = SimpleNamespace(status="404 Not Found", headers=[], sent=0, response_length=0)
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": "/api/v1/cases/198001139297?pnr=198001139297",
        "PATH_INFO": "/api/v1/cases/198001139297",
        "QUERY_STRING": "pnr=198001139297",
    }
    import datetime

    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=0.01))
    assert not any("9297" in str(v) for v in atoms.values())
    assert atoms["U"] == "/api/v1/cases/[personnummer]"
