"""The robot's eyes: register look-ups behind one interface, and a simulator to run them against.

Public interface (no Django here; the pipeline wraps it and stores snapshots):

* :class:`RegisterGateway` — ``lookup(person_id, period, sources=None, case_id=None) -> RegisterAnswer``;
* :func:`http_gateway` — SSBTEK and Navet over SOAP and mutual TLS (``BISTAND_REGISTERS_URL``, docs/registers.md);
* :class:`RegisterClient` — the same resilience (parallel, retries, breaker, cache) over any adapters;
* :class:`Source`, :class:`Period`, the facts in ``facts.py`` and the typed errors in ``errors.py``.

See docs/registers.md.
"""

from bistand.registers.cache import AnswerCache, CacheKey, JsonFileAnswerCache, MemoryAnswerCache
from bistand.registers.client import DEFAULT_URL, ClientSettings, RegisterClient, http_gateway
from bistand.registers.errors import (
    CircuitOpen,
    MalformedAnswer,
    NotAvailable,
    PartialAnswer,
    PersonNotFound,
    RegisterError,
    RegisterTimeout,
    RegisterUnavailable,
    RequestRejected,
)
from bistand.registers.interface import (
    Provenance,
    RegisterAnswer,
    RegisterGateway,
    SourceAdapter,
    SourceResult,
)
from bistand.registers.sources import ALL_SOURCES, SSBTEK_SOURCES, Period, Source

__all__ = [
    "ALL_SOURCES",
    "DEFAULT_URL",
    "SSBTEK_SOURCES",
    "AnswerCache",
    "CacheKey",
    "CircuitOpen",
    "ClientSettings",
    "JsonFileAnswerCache",
    "MalformedAnswer",
    "MemoryAnswerCache",
    "NotAvailable",
    "PartialAnswer",
    "Period",
    "PersonNotFound",
    "Provenance",
    "RegisterAnswer",
    "RegisterClient",
    "RegisterError",
    "RegisterGateway",
    "RegisterTimeout",
    "RegisterUnavailable",
    "RequestRejected",
    "Source",
    "SourceAdapter",
    "SourceResult",
    "http_gateway",
]
