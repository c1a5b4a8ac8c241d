"""The HTTP/JSON adapter for one source of the registers simulator (httpx).

One attempt per ``fetch``: the gateway (``client.RegisterClient``) does retries, the breaker and caching.
HTTP outcomes map to typed errors: timeouts → :class:`RegisterTimeout` (also a 504 from the service),
5xx and connection failures → :class:`RegisterUnavailable`, 404 → :class:`PersonNotFound`, other 4xx →
:class:`RequestRejected`. A 200 is returned raw and parsed by :meth:`parse`.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from bistand.identity.personnummer import Personnummer
from bistand.registers.errors import (
    PersonNotFound,
    RegisterTimeout,
    RegisterUnavailable,
    RequestRejected,
)
from bistand.registers.interface import Parsed, RawAnswer
from bistand.registers.parsers import parse_answer
from bistand.registers.sources import Period, Source
from bistand.registers.wire import REQUEST_ID_HEADER, path_for

__all__ = ["DEFAULT_INGIVARE", "HttpSourceAdapter"]

# Who is asking (SSBTEK's Ingivare): organisation, municipality and case worker or robot id. Placeholders:
# production takes them from the municipality's configuration.
DEFAULT_INGIVARE = {
    "Organisationsnummer": "0000000000",
    "Kommunnamn": "Exempelkommun",
    "HandlaggarId": "robot",
}


def _error_code(response: httpx.Response) -> str | None:
    """``TAG:CODE`` from an error body such as ``{"Fel": {"Tagg": "BT", "Kod": "PERSON_SAKNAS"}}``."""
    try:
        fel = response.json().get("Fel", {})
        return f"{fel.get('Tagg')}:{fel.get('Kod')}" if fel else None
    except (ValueError, AttributeError):
        return None


class HttpSourceAdapter:
    """Asks one source of the simulator over HTTP; shares an :class:`httpx.Client` with the others."""

    def __init__(
        self, source: Source, http: httpx.Client, base_url: str, ingivare: dict[str, str] | None = None
    ) -> None:
        self.source = source
        self._http = http
        self._url = base_url.rstrip("/") + path_for(source)
        self._ingivare = dict(ingivare or DEFAULT_INGIVARE)

    def _body(self, person: Personnummer, period: Period) -> dict[str, Any]:
        return {
            "Ingivare": self._ingivare,
            "Personidentitet": person.digits,
            "Period": {"FromDatum": period.first_day.isoformat(), "TomDatum": period.last_day.isoformat()},
        }

    def fetch(self, person: Personnummer, period: Period, request_id: str, timeout: float) -> RawAnswer:
        source = self.source
        try:
            response = self._http.post(
                self._url,
                content=json.dumps(self._body(person, period)).encode(),
                headers={REQUEST_ID_HEADER: request_id, "Content-Type": "application/json"},
                timeout=timeout,
            )
        except httpx.TimeoutException:
            raise RegisterTimeout(source, f"no answer within {timeout:g} s", request_id=request_id) from None
        except httpx.TransportError as exc:
            raise RegisterUnavailable(
                source, f"could not reach the service ({type(exc).__name__})", request_id=request_id
            ) from None
        status = response.status_code
        if status == 200:
            return RawAnswer(response.text)
        code = _error_code(response)
        if status == 404:
            raise PersonNotFound(
                source, "the source does not know the person", request_id=request_id, status=status, code=code
            )
        if status == 504:
            raise RegisterTimeout(
                source, "the service timed out (504)", request_id=request_id, status=status, code=code
            )
        if status >= 500:
            raise RegisterUnavailable(
                source, f"the service answered {status}", request_id=request_id, status=status, code=code
            )
        raise RequestRejected(
            source,
            f"the service refused the request ({status})",
            request_id=request_id,
            status=status,
            code=code,
        )

    def parse(self, raw: str) -> Parsed:
        return parse_answer(self.source, raw)
