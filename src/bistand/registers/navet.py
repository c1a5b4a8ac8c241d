"""Navet (Skatteverket's population register) over SOAP and mutual TLS, behind the same interface.

The question names the ordering organisation and the person; the answer is a personpost
(``schemas/navet/personpost.xsd``, Bistånd's model of it: docs/registers.md says what is documented and
what is assumed). A protected person's address is never put into the facts, nor kept in the raw answer
(``registers.shield``).
"""

from __future__ import annotations

import os

import httpx
from lxml import etree

from bistand.identity.personnummer import Personnummer
from bistand.registers.errors import MalformedAnswer, PersonNotFound, RegisterTimeout, RegisterUnavailable
from bistand.registers.facts import Address, HouseholdMember, NavetFacts, Protection, Relation
from bistand.registers.interface import Parsed, RawAnswer
from bistand.registers.soap import answer_body, envelope
from bistand.registers.sources import Period, Source
from bistand.registers.ssbtek import classify_http

__all__ = ["NAV", "NavetAdapter", "parse_answer", "protection_of", "request_body"]

NAV = "urn:bistand:navet:personpost:1"
_N = {"nav": NAV}


def request_body(orgnr: str, person: Personnummer, reference: str) -> etree._Element:
    """``HamtaPersonpost`` for one person."""
    root = etree.Element(f"{{{NAV}}}HamtaPersonpost", nsmap={"nav": NAV})
    order = etree.SubElement(root, f"{{{NAV}}}Bestallning")
    etree.SubElement(order, f"{{{NAV}}}OrgNr").text = orgnr
    etree.SubElement(order, f"{{{NAV}}}BestallningsId").text = reference
    person_id = etree.SubElement(root, f"{{{NAV}}}PersonId")
    kind = "Samordningsnummer" if person.is_samordningsnummer else "PersonNr"
    etree.SubElement(person_id, f"{{{NAV}}}{kind}").text = person.digits
    return root


def protection_of(element: etree._Element) -> Protection:
    """The protection markings of a personpost or a co-resident (``Skydd``)."""
    if element.findtext("nav:SkyddadFolkbokforing", namespaces=_N) == "J":
        return Protection.SKYDDAD_FOLKBOKFORING
    if element.findtext("nav:Sekretessmarkering", namespaces=_N) == "J":
        return Protection.SEKRETESSMARKERING
    return Protection.NONE


def address_shielded(post: etree._Element) -> bool:
    """Whether a personpost's address must not be kept: the person, or anyone at the address, is
    protected (a co-resident's answer would give the protected person's home away)."""
    if protection_of(post).is_protected:
        return True
    return any(
        protection_of(skydd).is_protected
        for skydd in post.iterfind("nav:PersonerPaAdressen/nav:Person/nav:Skydd", _N)
    )


class _Shape(Exception):
    pass


def _text(parent: etree._Element, path: str) -> str:
    value = parent.findtext(path, namespaces=_N)
    if value is None:
        raise _Shape(f"missing {path}")
    return value.strip()


def _person_id(parent: etree._Element) -> str:
    found = parent.find("nav:PersonId/*", _N)
    if found is None or not found.text:
        raise _Shape("missing PersonId")
    return found.text.strip()


def parse_answer(raw: str) -> Parsed:
    """Read a Navet answer into :class:`NavetFacts`."""
    source = Source.NAVET
    body = answer_body(source, raw, f"{{{NAV}}}HamtaPersonpostSvar")
    post = body.find("nav:Personpost", _N)
    if post is None:
        raise PersonNotFound(source, "Navet does not know the person", code="NAVET:PERSON_SAKNAS")
    try:
        address = None
        found = post.find("nav:Adresser/nav:Folkbokforingsadress", _N)
        if found is not None and not address_shielded(post):
            address = Address(
                street=_text(found, "nav:Utdelningsadress2"),
                postal_code=_text(found, "nav:PostNr"),
                city=_text(found, "nav:Postort"),
                apartment=found.findtext("nav:Lagenhetsnummer", namespaces=_N),
                municipality=_text(found, "nav:Kommun"),
            )
        facts = NavetFacts(
            personnummer=_person_id(post),
            is_samordningsnummer=post.find("nav:PersonId/nav:Samordningsnummer", _N) is not None,
            given_name=_text(post, "nav:Namn/nav:Fornamn"),
            surname=_text(post, "nav:Namn/nav:Efternamn"),
            registered=_text(post, "nav:Folkbokforing/nav:Folkbokford") == "J",
            protection=protection_of(post),
            address=address,
            civil_status=post.findtext("nav:Civilstand/nav:CivilstandKod", namespaces=_N),
            relations=tuple(
                Relation(_person_id(r), _text(r, "nav:Relationstyp"))
                for r in post.iterfind("nav:Relationer/nav:Relation", _N)
            ),
            household=tuple(
                HouseholdMember(_person_id(m), protection_of(m.find("nav:Skydd", _N)))
                for m in post.iterfind("nav:PersonerPaAdressen/nav:Person", _N)
            ),
        )
    except (_Shape, TypeError) as exc:
        raise MalformedAnswer(source, f"unexpected answer shape: {exc}") from None
    return Parsed(facts, None, None)


class NavetAdapter:
    """Navet's personpost over SOAP (mutual TLS comes with the shared httpx client)."""

    source = Source.NAVET

    def __init__(self, http: httpx.Client, endpoint: str, orgnr: str) -> None:
        self._http = http
        self._endpoint = endpoint
        self._orgnr = orgnr

    @classmethod
    def endpoint_from_env(cls, base_url: str) -> str:
        return os.environ.get("BISTAND_NAVET_URL") or base_url.rstrip("/") + "/navet/personpost"

    def request(self, person: Personnummer, request_id: str) -> bytes:
        return envelope(request_body(self._orgnr, person, request_id))

    def fetch(self, person: Personnummer, period: Period, request_id: str, timeout: float) -> RawAnswer:
        try:
            response = self._http.post(
                self._endpoint,
                content=self.request(person, request_id),
                headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
                timeout=timeout,
            )
        except httpx.TimeoutException:
            raise RegisterTimeout(
                self.source, f"no answer within {timeout:g} s", request_id=request_id
            ) from None
        except httpx.TransportError as exc:
            raise RegisterUnavailable(
                self.source, f"could not reach the service ({type(exc).__name__})", request_id=request_id
            ) from None
        if response.status_code != 200:
            raise classify_http(self.source, response.status_code, response.content, request_id)
        return RawAnswer(response.text)

    def parse(self, raw: str) -> Parsed:
        return parse_answer(raw)
