"""Structured logs that never carry personal data.

Code should log ids, never personal data; the redaction filter is the safety net for what slips through
(an exception message that quotes a personnummer, say).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

# 10 or 12 digits, optionally with - or + before the last four: anything that could be a personnummer or
# samordningsnummer. Over-matching (an order number) is an acceptable price; digits inside a longer token
# (a UUID's groups, a hash) are not a personnummer and are left alone.
PERSONNUMMER_PATTERN = re.compile(r"(?<![0-9A-Za-z-])(?:\d{2})?\d{6}[-+]?\d{4}(?![0-9A-Za-z])")
REDACTED = "[personnummer]"


def redact(text: str) -> str:
    """Replace anything that looks like a personnummer with a placeholder."""
    return PERSONNUMMER_PATTERN.sub(REDACTED, text)


class RedactPersonalData(logging.Filter):
    """Logging filter: render the message once and redact it, including exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def _redacted(value):
    """Every field redacted, whatever its type: an object in `extra` (Django puts the request in its
    error records) is turned into text here — and its text carries the path, which may hold a number."""
    if isinstance(value, dict):
        return {str(k): _redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value if redact(str(value)) == str(value) else REDACTED
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra` fields."""

    _standard = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in self._standard and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(_redacted(entry), ensure_ascii=False)
