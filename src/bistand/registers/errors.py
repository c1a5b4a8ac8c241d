"""Typed failures of a register look-up.

A failure is an exception class so that :meth:`SourceResult.require` can raise it, but the client never
raises it out of ``lookup``: each source's result carries either facts or one of these. None of them carries
a made-up value, and none looks like an empty answer.

``retryable`` tells the client whether asking again may help (timeouts, 5xx, connection failures);
``counts_against_source`` tells the circuit breaker whether the failure says something about the source's
health (a person not found does not).
"""

from __future__ import annotations

from typing import ClassVar

from bistand.registers.sources import Source

__all__ = [
    "CircuitOpen",
    "MalformedAnswer",
    "NotAvailable",
    "PartialAnswer",
    "PersonNotFound",
    "RegisterError",
    "RegisterTimeout",
    "RegisterUnavailable",
    "RequestRejected",
]


class RegisterError(Exception):
    """Base class: the source did not give a complete, usable answer."""

    kind: ClassVar[str] = "error"
    retryable: ClassVar[bool] = False
    counts_against_source: ClassVar[bool] = True

    def __init__(
        self,
        source: Source,
        message: str,
        *,
        request_id: str | None = None,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(f"{source.value}: {message}")
        self.source = source
        self.message = message
        self.request_id = request_id
        self.status = status  # HTTP status, when there was one
        self.code = code  # the register's own error code (e.g. SSBT/BT tag and code), when given

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description (no personal data: messages never include the person's number)."""
        return {
            "kind": self.kind,
            "message": self.message,
            "request_id": self.request_id,
            "status": self.status,
            "code": self.code,
        }


class RegisterTimeout(RegisterError):
    """The source did not answer within the client's time limit (after the allowed retries)."""

    kind = "timeout"
    retryable = True


class RegisterUnavailable(RegisterError):
    """The source answered with a server error (5xx) or could not be reached."""

    kind = "unavailable"
    retryable = True


class CircuitOpen(RegisterUnavailable):
    """The client did not ask: the source failed repeatedly and its circuit breaker is open."""

    kind = "circuit_open"
    retryable = False
    counts_against_source = False


class PersonNotFound(RegisterError):
    """The source does not know the person (not the same as knowing them and having no records)."""

    kind = "not_found"
    counts_against_source = False


class MalformedAnswer(RegisterError):
    """The answer could not be read: not a SOAP answer, or a shape the client does not recognise."""

    kind = "malformed"


class NotAvailable(RegisterError):
    """The source's data is not available to this municipality: SSBTEK leaves out what the agreement does
    not cover. Shown as "not available", never read as "no records"; asking again does not help."""

    kind = "not_available"
    counts_against_source = False


class RequestRejected(RegisterError):
    """The source refused the request (4xx other than not found): a fault on our side, not worth retrying."""

    kind = "rejected"
    counts_against_source = False


class PartialAnswer(RegisterError):
    """The source answered but said (or showed) that part of the answer is missing.

    The result then carries the facts that did arrive *and* this error; they must not be read as complete.
    ``missing`` names what is missing, as far as the source said.
    """

    kind = "partial"
    counts_against_source = False

    def __init__(self, source: Source, message: str, *, missing: tuple[str, ...] = (), **kwargs: object):
        super().__init__(source, message, **kwargs)  # type: ignore[arg-type]
        self.missing = missing

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "missing": list(self.missing)}
