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
