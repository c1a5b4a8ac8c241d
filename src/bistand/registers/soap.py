"""SOAP 1.1 envelopes, written and read with lxml (document/literal, as the SSBTEK v10 WSDL binds it).

zeep is not in the project's package cache, so the envelope is written by hand: the WSDL has one
operation with one body element each way, which a hand-written envelope states plainly, and every request
and answer is checked against the published XSDs in the tests (``registers.xsd``).
"""

from __future__ import annotations

from lxml import etree

from bistand.registers.errors import MalformedAnswer, RegisterUnavailable
from bistand.registers.sources import Source

__all__ = ["ENV", "SoapFault", "answer_body", "body_child", "envelope", "fault_envelope"]

ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True)


class SoapFault(Exception):
    """A SOAP Fault: ``code`` (faultcode), ``message`` (faultstring) and the detail element, if any."""

    def __init__(self, code: str, message: str, detail: etree._Element | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.detail = detail


def envelope(body: etree._Element) -> bytes:
    """``body`` wrapped in a SOAP envelope, as UTF-8 bytes with an XML declaration."""
    env = etree.Element(f"{{{ENV}}}Envelope", nsmap={"soapenv": ENV})
    etree.SubElement(env, f"{{{ENV}}}Body").append(body)
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def fault_envelope(code: str, message: str, detail: etree._Element | None = None) -> bytes:
    """A SOAP 1.1 Fault (``soapenv:Client`` or ``soapenv:Server``) with an optional detail element."""
    fault = etree.Element(f"{{{ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"soapenv:{code}"
    etree.SubElement(fault, "faultstring").text = message
    if detail is not None:
        etree.SubElement(fault, "detail").append(detail)
    return envelope(fault)


def body_child(data: bytes | str) -> etree._Element:
    """The one element inside the SOAP Body. Raises :class:`SoapFault` for a Fault and ``ValueError``
    for anything that is not a SOAP envelope (no external entities or network access while parsing)."""
    raw = data.encode() if isinstance(data, str) else data
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML ({exc.msg})") from None
    if root.tag != f"{{{ENV}}}Envelope":
        raise ValueError("not a SOAP 1.1 envelope")
    body = root.find(f"{{{ENV}}}Body")
    children = [c for c in (body if body is not None else []) if isinstance(c.tag, str)]
    if len(children) != 1:
        raise ValueError("the SOAP Body must hold exactly one element")
    child = children[0]
    if child.tag == f"{{{ENV}}}Fault":
        code = (child.findtext("faultcode") or "").split(":")[-1]
        detail = child.find("detail")
        inner = next((c for c in detail if isinstance(c.tag, str)), None) if detail is not None else None
        raise SoapFault(code or "Server", child.findtext("faultstring") or "", inner)
    return child


def answer_body(source: Source, raw: bytes | str, tag: str) -> etree._Element:
    """The answer element ``tag`` of a register's SOAP answer. A Fault is the source being unavailable;
    anything else than that answer is :class:`MalformedAnswer` (the typed errors the pipeline handles)."""
    try:
        body = body_child(raw)
    except SoapFault as fault:
        raise RegisterUnavailable(source, f"SOAP fault ({fault.code})") from None
    except ValueError as exc:
        raise MalformedAnswer(source, f"the answer is not a SOAP answer: {exc}") from None
    if body.tag != tag:
        raise MalformedAnswer(source, f"the answer is not a {etree.QName(tag).localname}")
    return body
