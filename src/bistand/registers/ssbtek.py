"""The production adapter for SSBTEK v10 (Sammansatt Bastjänst för ekonomiskt bistånd) over SOAP and
mutual TLS.

One look-up is one SOAP call: :class:`SsbtekCall` sends ``hamtaBastjanstInformation`` with an ``inkludera``
flag per agency (true for every agency still wanted) and splits the answer into each agency's part. Behind
the gateway's ``SourceAdapter`` interface each agency is an :class:`SsbtekAdapter` that shares that call
(``adapter.call``): the gateway asks the agencies of one look-up together, reads each part with its own
``parse``, and keeps retries, circuit breakers and the cache per agency (a retry asks again only for the
agencies that failed).

Errors, as the WSDL and XSD define them, onto the typed errors the pipeline handles:

* a SOAP Fault (``hamtaBastjanstInformationFault``) is the composite service failing, ``SSBT`` for the
  whole call (every agency asked gets the error): ``TIDSGRANS`` → :class:`RegisterTimeout`, a client fault
  → :class:`RequestRejected`, anything else → :class:`RegisterUnavailable`;
* an agency's ``error`` with ``kalla`` ``SSBT`` (the composite service gave up on it: ``TIDSGRANS``) →
  :class:`RegisterTimeout`; with ``kalla`` ``BT`` (the agency itself): ``PERSON_SAKNAS`` →
  :class:`PersonNotFound`, anything else → :class:`RegisterUnavailable`. The other agencies' parts of the
  same answer are read as usual;
* the agency left out although asked for (the agreement does not cover it) → :class:`NotAvailable`.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
from lxml import etree

from bistand.identity.personnummer import Personnummer
from bistand.registers import lefi
from bistand.registers.codes import AF_CATEGORIES, CSN_KINDS, NO_END
from bistand.registers.errors import (
    MalformedAnswer,
    NotAvailable,
    PartialAnswer,
    PersonNotFound,
    RegisterError,
    RegisterTimeout,
    RegisterUnavailable,
    RequestRejected,
)
from bistand.registers.facts import (
    ActivityReport,
    AfFacts,
    CapitalIncome,
    CsnFacts,
    EconomicDecision,
    MivFacts,
    ResidencePermit,
    SkvFacts,
    SoFacts,
    SourceFacts,
    StudyPayment,
    TnsFacts,
    UnemploymentPayment,
    Vehicle,
)
from bistand.registers.interface import Parsed, RawAnswer
from bistand.registers.soap import SoapFault, answer_body, body_child, envelope
from bistand.registers.sources import Period, Source

__all__ = [
    "AGENCY",
    "NS",
    "SsbtekAdapter",
    "SsbtekCall",
    "SsbtekConfig",
    "agency_error",
    "classify_http",
    "parse_answer",
    "request_body",
    "split_answer",
]

SSBT = "http://schema.forsakringskassan.se/integration/ssbt/10"
NS = {
    "ssbt": SSBT,
    "af": "http://api.arbetsformedlingen.se/arbetssokande/ersattningsstod/v2",
    "so": "http://INT014.UBPService.Schemas",
    "tns": "http://schema.transportstyrelsen.se/ssbtek/hamtauppgifterresponder/1",
    "frdn": "http://schema.transportstyrelsen.se/ssbtek/fordon/1",
    "csn": "http://schema.csn.se/v4.0/kommunfraga",
    "csnpers": "http://schema.csn.se/v4.0/person",
}
# The agency elements of SpecifikaFrageparametrar and SammansattBastjanstSvarData, in schema order.
AGENCY: dict[Source, str] = {
    Source.AF: "AF",
    Source.CSN: "CSN",
    Source.FK: "FK",
    Source.SKV: "SKV",
    Source.SO: "SO",
    Source.TNS: "TNS",
    Source.MIV: "MIV",
}


@dataclass(frozen=True, slots=True)
class SsbtekConfig:
    """Who asks and where: the municipality's identity in every question (``Ingivare``), LEFI's aktörs-id,
    the purpose and legal ground SSBTEK requires, and the endpoint. ``handlaggare`` is the robot's id: a
    look-up a caseworker asks for carries the caseworker's id instead (``asked_by``)."""

    endpoint: str
    organisationsnummer: str = "162120000000"
    namn: str = "Exempelkommun"
    handlaggare: str = "bistand-robot"
    aktorsid: str = "bistand-exempelkommun"
    syfte: str = "Handläggning av ekonomiskt bistånd"
    lagtext: str = "11 kap. 11 § socialtjänstlagen (2001:453)"

    @classmethod
    def from_env(cls, base_url: str) -> SsbtekConfig:
        """``BISTAND_SSBTEK_URL`` (default: the simulator's path under ``base_url``) and
        ``BISTAND_SSBTEK_ORGNR``/``_NAMN``/``_HANDLAGGARE``/``_AKTORSID``."""
        env = os.environ.get
        default = cls(endpoint="")
        return cls(
            endpoint=env("BISTAND_SSBTEK_URL") or base_url.rstrip("/") + "/ssbtek/v10",
            organisationsnummer=env("BISTAND_SSBTEK_ORGNR") or default.organisationsnummer,
            namn=env("BISTAND_SSBTEK_NAMN") or default.namn,
            handlaggare=env("BISTAND_SSBTEK_HANDLAGGARE") or default.handlaggare,
            aktorsid=env("BISTAND_SSBTEK_AKTORSID") or default.aktorsid,
        )


def _sub(parent: etree._Element, tag: str, text: str | None = None, ns: str = SSBT) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}" if ns else tag)
    if text is not None:
        element.text = text
    return element


def request_body(
    config: SsbtekConfig,
    person: Personnummer,
    period: Period,
    sources: set[Source],
    reference: str,
    asked_by: str | None = None,
) -> etree._Element:
    """``hamtaBastjanstInformation`` for one person and month, with ``inkludera`` true for ``sources``.

    ``asked_by`` is the caseworker who asked for the look-up (``Ingivare/handlaggare``); None is the robot.
    """
    root = etree.Element(f"{{{SSBT}}}hamtaBastjanstInformation", nsmap={"ssbt": SSBT})
    general = _sub(root, "generellaFrageparametrar")
    _sub(general, "korrelationsid", reference)
    _sub(general, "fraganSkallInkluderasISvaret", "false")
    ingivare = _sub(general, "ingivare")
    _sub(ingivare, "organisationsnummer", config.organisationsnummer)
    _sub(ingivare, "namn", config.namn)
    _sub(ingivare, "handlaggare", (asked_by or "").strip() or config.handlaggare)
    _sub(general, "personidentitet", person.digits)
    _sub(general, "arendeidentitet", reference)
    span = _sub(general, "tidsperiod")
    _sub(span, "fromDatum", period.first_day.isoformat())
    _sub(span, "tomDatum", period.last_day.isoformat())
    _sub(general, "syfte", config.syfte)
    _sub(general, "lagtext", config.lagtext)
    specific = _sub(root, "specifikaFrageparametrar")
    for source, tag in AGENCY.items():
        element = _sub(specific, tag)
        element.set("inkludera", "true" if source in sources else "false")
        if source is Source.FK and source in sources:
            fraga = _sub(element, "fraga")
            _sub(fraga, "version", "v9")
            _sub(fraga, "aktorsid", config.aktorsid)
            question = lefi.question(person.digits, period.first_day, period.last_day)
            _sub(fraga, "lefiJsonFraga", base64.b64encode(json.dumps(question).encode()).decode())
    return root


def classify_http(source: Source, status: int, content: bytes, request_id: str) -> RegisterError:
    """The typed error for a non-200 answer: a SOAP Fault's code if it has one, else the status."""
    code, message = None, f"the service answered {status}"
    try:
        body_child(content)
    except SoapFault as fault:
        felkod = fault.detail.findtext(f"{{{SSBT}}}felkod") if fault.detail is not None else None
        code = f"SSBT:{felkod}" if felkod else f"SOAP:{fault.code}"
        message = f"the composite service failed ({felkod or fault.code})"
        if felkod == "TIDSGRANS":
            return RegisterTimeout(source, message, request_id=request_id, status=status, code=code)
        if fault.code == "Client":
            return RequestRejected(source, message, request_id=request_id, status=status, code=code)
    except ValueError:
        pass
    if status == 504:
        return RegisterTimeout(source, "the service timed out (504)", request_id=request_id, status=status)
    if status >= 500:
        return RegisterUnavailable(source, message, request_id=request_id, status=status, code=code)
    return RequestRejected(
        source, f"the service refused the request ({status})", request_id=request_id, status=status, code=code
    )


class SsbtekCall:
    """One SSBTEK question for several agencies at once, shared by the agencies' adapters (``fetch_many``).

    The answer comes back split: each agency gets its own part in the answer's envelope (what its adapter
    parses, caches and keeps in the snapshot), so one agency's ``BT`` error leaves the others' facts intact.
    A failure of the call itself (timeout, connection, SOAP Fault) is every asked agency's error.
    """

    def __init__(self, http: httpx.Client, config: SsbtekConfig) -> None:
        self._http = http
        self.config = config

    def request(
        self,
        person: Personnummer,
        period: Period,
        sources: Sequence[Source],
        request_id: str,
        asked_by: str | None = None,
    ) -> bytes:
        """The SOAP envelope sent for ``sources`` (also what the tests validate)."""
        return envelope(request_body(self.config, person, period, set(sources), request_id, asked_by))

    def fetch_many(
        self,
        person: Personnummer,
        period: Period,
        sources: Sequence[Source],
        request_id: str,
        timeout: float,
        asked_by: str | None = None,
    ) -> dict[Source, RawAnswer | RegisterError]:
        """One attempt: one call for ``sources``; per agency its part of the answer or the call's error."""
        try:
            response = self._http.post(
                self.config.endpoint,
                content=self.request(person, period, sources, request_id, asked_by),
                headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
                timeout=timeout,
            )
        except httpx.TimeoutException:
            return {
                s: RegisterTimeout(s, f"no answer within {timeout:g} s", request_id=request_id)
                for s in sources
            }
        except httpx.TransportError as exc:
            reason = f"could not reach the service ({type(exc).__name__})"
            return {s: RegisterUnavailable(s, reason, request_id=request_id) for s in sources}
        if response.status_code != 200:
            return {s: classify_http(s, response.status_code, response.content, request_id) for s in sources}
        return {s: RawAnswer(text) for s, text in split_answer(response.content, sources).items()}


def split_answer(content: bytes, sources: Sequence[Source]) -> dict[Source, str]:
    """Each agency's part of an SSBTEK answer, in the answer's own envelope (korrelationsid kept), as text.

    An agency the answer left out gets an answer without its part (read as not available). An answer that
    is not an SSBTEK answer at all is given whole to every agency, whose ``parse`` then says what is wrong.
    """
    try:
        body = body_child(content)
    except (ValueError, SoapFault):
        body = None
    data = body.find(f"{{{SSBT}}}svarsdata") if body is not None else None
    if body is None or data is None or body.tag != f"{{{SSBT}}}hamtaBastjanstInformationResponse":
        text = content.decode("utf-8", errors="replace")
        return {source: text for source in sources}
    parts = {etree.QName(part).localname: part for part in data if isinstance(part.tag, str)}
    split = {}
    for source in sources:
        root = etree.Element(body.tag, nsmap=body.nsmap)
        for child in body:
            if child is not data:
                root.append(copy.deepcopy(child))
        own = etree.SubElement(root, data.tag)
        if AGENCY[source] in parts:
            own.append(copy.deepcopy(parts[AGENCY[source]]))
        split[source] = envelope(root).decode()
    return split


class SsbtekAdapter:
    """One agency of SSBTEK behind the ``SourceAdapter`` interface: ``parse`` reads its part of an answer;
    ``fetch`` asks for it alone. The gateway asks the agencies sharing ``call`` together instead."""

    def __init__(self, source: Source, call: SsbtekCall) -> None:
        if source not in AGENCY:
            raise ValueError(f"{source.value} is not an SSBTEK agency")
        self.source = source
        self.call = call

    def fetch(self, person: Personnummer, period: Period, request_id: str, timeout: float) -> RawAnswer:
        outcome = self.call.fetch_many(person, period, [self.source], request_id, timeout)[self.source]
        if isinstance(outcome, RegisterError):
            raise outcome
        return outcome

    def parse(self, raw: str) -> Parsed:
        return parse_answer(self.source, raw)


# --- reading an answer ----------------------------------------------------------------------------------


class _Shape(Exception):
    """An element is missing or unreadable (turned into MalformedAnswer with the source)."""


def _find(parent: etree._Element, path: str) -> etree._Element:
    found = parent.find(path, NS)
    if found is None:
        raise _Shape(f"missing {path}")
    return found


def _text(parent: etree._Element, path: str) -> str:
    value = parent.findtext(path, namespaces=NS)
    if value is None:
        raise _Shape(f"missing {path}")
    return value.strip()


def _opt(parent: etree._Element, path: str) -> str | None:
    value = parent.findtext(path, namespaces=NS)
    return value.strip() if value is not None and value.strip() else None


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        raise _Shape(f"not a date: {text!r}") from None


def _opt_day(text: str | None) -> date | None:
    return None if text is None else _day(text)


def _money(text: str | None) -> Decimal:
    try:
        return Decimal(text or "")
    except InvalidOperation:
        raise _Shape(f"not an amount: {text!r}") from None


def _csn_day(text: str | None) -> date:
    """CSN writes dates as digits: YYYYMMDD (``datum``)."""
    if text is None or len(text) != 8 or not text.isdigit():
        raise _Shape(f"not a CSN date: {text!r}")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _end(text: str | None) -> date | None:
    day = _opt_day(text)
    return None if day == NO_END else day


def _af(data: etree._Element) -> tuple[AfFacts, tuple[str, ...]]:
    svar = _find(data, "af:Svar")
    info = svar.find("af:ArbetssokandeInfo", NS)
    facts: dict[str, Any] = {
        "registered": False,
        "category": None,
        "category_text": None,
        "registered_on": None,
        "extent_percent": None,
        "deregistered": False,
        "activity_reports": (),
    }
    if info is not None:
        category = _opt(info, "af:ArbetssokandeSKAT")
        reports = info.find("af:AktivetetsRapportDatum", NS)
        latest = _opt(reports, "af:SenasteAktivitetsRapportDatum") if reports is not None else None
        extent = _opt(info, "af:ArbetssokandeOmfattning")
        facts = {
            "registered": _opt(info, "af:Arbetssokande") == "true",
            "category": category,
            "category_text": AF_CATEGORIES.get(category) if category else None,
            "registered_on": _opt_day(_opt(info, "af:ArbetssokandeRegistrerad")),
            "extent_percent": int(extent) if extent else None,
            "deregistered": _opt(info, "af:ArbetssokandeAvaktualiserad") is not None,
            # Arbetsförmedlingen gives the latest report only; a report is for the month before it is
            # handed in (by the 14th).
            "activity_reports": (
                (
                    ActivityReport(
                        _day(latest),
                        str(Period.containing(_day(latest)).shifted(-1)),
                        _text(reports, "af:AktivitetsRapportMeddelande"),
                    ),
                )
                if latest and reports is not None
                else ()
            ),
        }
    decisions = tuple(
        EconomicDecision(
            _text(b, "af:ErsattningTyp"),
            int(_text(b, "af:Omfattning")),
            _day(_text(b, "af:BeslutFrom")),
            _end(_text(b, "af:BeslutTom")),
        )
        for b in svar.iterfind("af:BeslutInfo/af:EkonomiskaBeslut/af:Beslut", NS)
    )
    status = _text(svar, "af:StatusSokandeinformationKod")
    missing = (
        () if status == "0" else (f"status {status}: {_opt(svar, 'af:StatusSokandeinformationKodText')}",)
    )
    return (
        AfFacts(
            sekretessmarkering=_opt(svar, "af:Sekretessmarkering") == "true",
            unemployment_fund=_opt(svar, "af:Akassetillhorighet"),
            economic_decisions=decisions,
            **facts,
        ),
        missing,
    )


def _so(data: etree._Element) -> tuple[SoFacts, tuple[str, ...]]:
    payments, missing = [], []
    for fund in data.iterfind("so:ArbetsloshetsersattningLista/so:Arbetsloshetsersattning", NS):
        name = _text(fund, "so:SvarandeOrganisation")
        if _text(fund, "so:StatusSvarandeOrganisation") != "OK":
            missing.append(name)
        for p in fund.iterfind("so:Utbetalningar", NS):
            payments.append(
                UnemploymentPayment(
                    fund=name,
                    paid_on=_day(_text(p, "so:Utbetalningsdatum")),
                    net_after_tax=_money(_text(p, "so:NettoEfterSkatt")),
                    net_after_deductions=_money(_text(p, "so:NettoEfterAvdrag")),
                    days=int(_money(_text(p, "so:Ersattningsdagar"))),
                    covers_from=_day(_text(p, "so:AvserFrom")),
                    covers_to=_day(_text(p, "so:AvserTom")),
                )
            )
    return SoFacts(tuple(payments)), tuple(missing)


def _decode(data: etree._Element, path: str) -> bytes:
    try:
        return base64.b64decode(_text(data, path), validate=True)
    except (binascii.Error, ValueError):
        raise _Shape(f"{path} is not base64") from None


def _csn(data: etree._Element) -> tuple[CsnFacts, tuple[str, ...]]:
    try:
        root = etree.fromstring(_decode(data, "ssbt:svar"), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        raise _Shape("CSN's answer is not XML") from None
    if root.tag != f"{{{NS['csn']}}}CSNSvar":
        raise _Shape("CSN's answer is not a CSNSvar")
    result = _text(root, "csn:GemensamtSvarEkbistand/csn:Resultat/csn:ResultatKod")
    if result != "0" and root.find("csn:Personer/csn:Person", NS) is None:
        text = _opt(root, "csn:GemensamtSvarEkbistand/csn:Resultat/csn:ResultatText")
        raise NotAvailable(
            Source.CSN, f"CSN could not search the person ({result}: {text})", code=f"CSN:{result}"
        )
    missing = () if result == "0" else (f"CSN {result}",)
    payments = []
    for person in root.iterfind("csn:Personer/csn:Person", NS):
        for container, kind in CSN_KINDS.items():
            for case in person.iterfind(f"csnpers:{container}/csnpers:Arenden/csnpers:Arende", NS):
                label = case.findtext("{*}klartext") or kind
                for paid in case.iterfind("{*}UtbetalningsPlan/{*}Utbetalning"):
                    if (paid.findtext("{*}utbetstatus") or "").upper() != "UTBETALD":
                        continue  # planned: not money the person has had
                    for span in paid.iterfind("{*}Utbetaldatider/{*}Utbetaldtid"):
                        amounts = {
                            (b.findtext("{*}beloppstyp") or ""): _money(b.findtext("{*}belopp"))
                            for b in span.iterfind("{*}Beloppen/{*}Belopp")
                        }
                        payments.append(
                            StudyPayment(
                                kind=kind,
                                label=label,
                                paid_on=_csn_day(paid.findtext("{*}utbetdatum")),
                                covers_from=_csn_day(span.findtext("{*}startvecka")),
                                covers_to=_csn_day(span.findtext("{*}slutvecka")),
                                grant=amounts.get("BIDRAG", Decimal(0)),
                                loan=amounts.get("LAN", Decimal(0)),
                            )
                        )
    return CsnFacts(tuple(payments)), missing


def _skv(data: etree._Element) -> tuple[SkvFacts, tuple[str, ...]]:
    # ``svar`` is a string; Skatteverket's capital figures travel in it as a small XML text (our reading).
    try:
        inner = etree.fromstring(_text(data, "svar").encode(), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        raise _Shape("Skatteverket's svar is not readable") from None
    return (
        SkvFacts(
            tuple(
                CapitalIncome(
                    int(k.get("Taxeringsar", "")),
                    _money(k.get("SummaIntakterPaKapital")),
                    _money(k.get("OverskottPaKapital")),
                )
                for k in inner.iterfind("Kapitaluppgift")
            )
        ),
        (),
    )


def _tns(data: etree._Element) -> tuple[TnsFacts, tuple[str, ...]]:
    vehicles = tuple(
        Vehicle(
            _text(v, "frdn:regnr"),
            _text(v, "frdn:fabrikat"),
            int(_text(v, "frdn:fordonsar")),
            _text(v, "frdn:fordonsslag"),
            _text(v, "frdn:handelsbeteckning"),
        )
        for v in data.iterfind("tns:fordonsinnehav/frdn:fordon", NS)
    )
    missing = tuple(
        f.findtext("tns:feltext", namespaces=NS) or "FEL" for f in data.iterfind("tns:felresultat", NS)
    )
    if _text(data, "tns:resultat") != "OK" and not missing:
        missing = ("FEL",)
    return TnsFacts(vehicles), missing


def _miv(data: etree._Element) -> tuple[MivFacts, tuple[str, ...]]:
    response = data.find("response")
    if response is None:
        return MivFacts((), None, None), ()
    permits = tuple(
        ResidencePermit(
            applied_on=_day(_text(s, "ansokningsdatum")),
            case_type=_text(s, "arendeTyp"),
            decision_code=_opt(s, "beslutsKod"),
            decision_type=_opt(s, "beslutsTyp"),
            decided_on=_opt_day(_opt(s, "beslutsdatum")),
            valid_from=_opt_day(_opt(s, "fromDatum")),
            valid_to=_opt_day(_opt(s, "tomDatum")),
        )
        for s in response.iterfind("svarCollection/svar")
    )
    return MivFacts(permits, _opt(response, "hemland"), _opt_day(_opt(response, "inresedatum"))), ()


def _fk(data: etree._Element) -> tuple[SourceFacts, tuple[str, ...]]:
    try:
        document = json.loads(_decode(data, "ssbt:lefiJsonSvar"), parse_float=Decimal)
        return lefi.read_answer(document)
    except ValueError as exc:  # JSONDecodeError and LefiShape
        raise _Shape(f"LEFI answer: {exc}") from None


_READERS: dict[Source, Callable[[etree._Element], tuple[SourceFacts, tuple[str, ...]]]] = {
    Source.FK: _fk,
    Source.AF: _af,
    Source.SO: _so,
    Source.CSN: _csn,
    Source.SKV: _skv,
    Source.TNS: _tns,
    Source.MIV: _miv,
}


def agency_error(source: Source, error: etree._Element) -> RegisterError:
    """An agency's ``error`` element as a typed error (see the module docstring)."""
    kalla = error.findtext(f"{{{SSBT}}}kalla") or ""
    felkod = error.findtext(f"{{{SSBT}}}felkod") or ""
    code = f"{kalla}:{felkod}"
    if kalla == "BT" and felkod == "PERSON_SAKNAS":
        return PersonNotFound(source, "the agency does not know the person", code=code)
    if felkod == "TIDSGRANS":
        return RegisterTimeout(source, "the composite service timed out waiting for the agency", code=code)
    return RegisterUnavailable(source, f"the agency could not answer ({code})", code=code)


def parse_answer(source: Source, raw: str) -> Parsed:
    """Read one agency's part of an SSBTEK answer. Raises the typed error the answer carries, and
    :class:`MalformedAnswer` for anything that is not an answer of the published shape."""
    body = answer_body(source, raw, f"{{{SSBT}}}hamtaBastjanstInformationResponse")
    upstream_id = body.findtext(f"{{{SSBT}}}korrelationsid")
    if body.find(f"{{{SSBT}}}svarsdata") is None:
        raise MalformedAnswer(source, "the answer has no svarsdata")
    part = body.find(f"{{{SSBT}}}svarsdata/{{{SSBT}}}{AGENCY[source]}")
    if part is None:
        raise NotAvailable(source, "SSBTEK left this agency out: the municipality is not entitled to it")
    error = part.find(f"{{{SSBT}}}error")
    if error is not None:
        raise agency_error(source, error)
    data = part.find(f"{{{SSBT}}}data")
    if data is None:
        raise MalformedAnswer(source, "the agency's answer has neither data nor error")
    try:
        facts, missing = _READERS[source](data)
    except (_Shape, ValueError) as exc:
        raise MalformedAnswer(source, f"unexpected answer shape: {exc}") from None
    partial = (
        PartialAnswer(source, "the agency says part of the answer is missing", missing=missing)
        if missing
        else None
    )
    return Parsed(facts, partial, upstream_id)
