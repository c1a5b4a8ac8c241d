"""Talking to the simulator on the wire, as the production adapters do: SOAP over mutual TLS.

``ask`` sends the adapter's own question for one agency (or Navet) with the test CA's client certificate
and returns the HTTP response; ``capture`` is an httpx transport that records every request and answer
on its way, so a test can validate both against the published schemas.
"""

from __future__ import annotations

import base64
import json

import httpx
from lxml import etree

from bistand.identity.personnummer import Personnummer, parse
from bistand.registers import xsd
from bistand.registers.navet import NavetAdapter
from bistand.registers.soap import body_child
from bistand.registers.sources import SSBTEK_SOURCES, Period, Source
from bistand.registers.ssbtek import SSBT, SsbtekCall, SsbtekConfig
from bistand.registers.tls import TlsFiles
from tests.simulator import TLS_DIR

MONTH = Period(2026, 3)
_CLIENT: httpx.Client | None = None


def mtls_client() -> httpx.Client:
    """One kept-alive client with the organisation's (test) certificate."""
    global _CLIENT
    if _CLIENT is None:
        _CLIENT = httpx.Client(timeout=10, verify=TlsFiles.in_dir(TLS_DIR).client_context())
    return _CLIENT


def question(url: str, source: Source, pnr: str, request_id: str = "req-1", month: Period = MONTH) -> bytes:
    """The SOAP question the production adapter sends for ``source``."""
    person = _person(pnr)
    if source is Source.NAVET:
        return NavetAdapter(mtls_client(), "", SsbtekConfig(url).organisationsnummer).request(
            person, request_id
        )
    return SsbtekCall(mtls_client(), SsbtekConfig(url)).request(person, month, [source], request_id)


def ssbtek_question(url: str, pnr: str, request_id: str = "req-1", month: Period = MONTH) -> bytes:
    """The one SSBTEK question the production adapter sends for a whole look-up (every agency)."""
    return SsbtekCall(mtls_client(), SsbtekConfig(url)).request(
        _person(pnr), month, SSBTEK_SOURCES, request_id
    )


def _person(pnr: str) -> Personnummer:
    try:
        return parse(pnr)
    except ValueError:  # e.g. an unknown person's number: the constructor trusts its input
        return Personnummer(pnr)


def endpoint(url: str, source: Source) -> str:
    return url + ("/navet/personpost" if source is Source.NAVET else "/ssbtek/v10")


def ask(
    url: str, source: Source, pnr: str, *, client: httpx.Client | None = None, **kwargs
) -> httpx.Response:
    """Send the adapter's question for ``source`` and return the raw HTTP response."""
    return (client or mtls_client()).post(
        endpoint(url, source),
        content=question(url, source, pnr, **kwargs),
        headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
    )


def validate_exchange(source: Source, request: bytes, answer: bytes) -> None:
    """Both directions against the published schemas (and LEFI's JSON and CSN's XML inside)."""
    if source is Source.NAVET:
        xsd.validate_navet(body_child(request))
        xsd.validate_navet(body_child(answer))
        return
    asked = body_child(request)
    xsd.validate_ssbtek(asked)
    fraga = asked.find(f".//{{{SSBT}}}lefiJsonFraga")
    if fraga is not None:
        xsd.validate_lefi_question(json.loads(base64.b64decode(fraga.text or "")))
    answered = body_child(answer)
    xsd.validate_ssbtek(answered)
    lefi = answered.find(f".//{{{SSBT}}}lefiJsonSvar")
    if lefi is not None:
        xsd.validate_lefi_answer(json.loads(base64.b64decode(lefi.text or "")))
    csn = answered.find(f".//{{{SSBT}}}CSN/{{{SSBT}}}data/{{{SSBT}}}svar")
    if csn is not None:
        xsd.validate_csn(etree.fromstring(base64.b64decode(csn.text or "")))


class Capture(httpx.HTTPTransport):
    """An httpx transport that keeps every (request, answer) pair that passed through it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.exchanges: list[tuple[httpx.Request, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        content = response.read()
        self.exchanges.append((request, content))
        return httpx.Response(response.status_code, headers=response.headers, content=content)
