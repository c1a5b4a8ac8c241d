"""The web server's access log without personal data: gunicorn's logger with every field redacted.

Person numbers never belong in a URL, but anyone can type one into a path (`/api/v1/cases/19800113…`), and
the access log writes the path. Loaded by gunicorn only (`--logger-class`), so Django never imports it.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from bistand.core.logging import redact


class RedactingLogger(Logger):
    """gunicorn's logger, with anything that looks like a personnummer replaced in every access-log atom."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }
