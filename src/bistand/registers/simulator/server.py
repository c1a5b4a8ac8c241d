"""The registers simulator: SSBTEK v10 and Navet over SOAP and mutual TLS, with fault injection.

Endpoints:

* ``POST /ssbtek/v10``: SSBTEK's ``hamtaBastjanstInformation`` (the published WSDL and XSDs): one answer
  with one agency part per ``inkludera="true"``, each with its own fault rule; the answer waits for the
  slowest agency, and a fault of the composite service (SSBT) fails the whole call; ``POST /navet/personpost``: Navet's personpost (``HamtaPersonpost``).
  Both need a client certificate issued by the simulator's test CA. With ``check_schemas`` (the tests run it
  so) every question is checked against the schemas (one that does not validate gets a SOAP Client fault)
  and every answer before it is sent; without, the simulator answers at full speed (``make run``);
* ``GET /ssbtek/v10?wsdl``: the published WSDL (address pointing here), its XSDs under ``/ssbtek/v10/schemas/``;
* ``GET /healthz``: ready, with the seed and the population's size;
* ``GET|POST|PUT|DELETE /admin/faults``: list, add, replace, clear fault rules (see ``faults.py``);
* ``GET|DELETE /admin/stats``: SOAP calls (and per Ingivare's handläggare), and agency answers counted per
  source, outcome and person key; reset;
* ``GET /admin/sample?households=N``: a few households' numbers and roles, for demos.

It binds to 127.0.0.1 by default: it is a development and test tool. ``/healthz`` and the admin endpoints
need no client certificate. The access log never shows a person number (they travel only in request
bodies, and ``log_message`` writes method, path and status only).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import ssl
import threading
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from bistand.registers import xsd
from bistand.registers.navet import NAV
from bistand.registers.simulator import render
from bistand.registers.simulator.answers import answer_for
from bistand.registers.simulator.faults import FaultMode, FaultRule, FaultTable, watch_faults_file
from bistand.registers.simulator.population import Population, generate, sample_households
from bistand.registers.simulator.records import record_lists
from bistand.registers.soap import SoapFault, body_child
from bistand.registers.sources import Period, Source
from bistand.registers.ssbtek import AGENCY, SSBT
from bistand.registers.tls import TlsFiles, ensure_test_pki, server_context

__all__ = ["SimulatorServer", "person_key"]

log = logging.getLogger("bistand.registers.simulator")

SSBTEK_PATH = "/ssbtek/v10"
NAVET_PATH = "/navet/personpost"
SCHEMAS_PATH = "/ssbtek/v10/schemas/"
WSDL_FILE = "v10/se/forsakringskassan/schema/integration/ssbt/_10/Sammansatt_Bastjanst_v10.wsdl"
MAX_BODY = 64 * 1024
_AGENCIES = {tag: source for source, tag in AGENCY.items()}


class _Refused(Exception):
    """A question the service refuses (SOAP Client fault): not valid against the schema, no certificate."""

    def __init__(self, status: int, code: str, text: str) -> None:
        super().__init__(text)
        self.status, self.code, self.text = status, code, text


def person_key(pnr: str) -> str:
    """A short, stable key for a person in stats and logs (not reversible at a glance, not a secret)."""
    return hashlib.sha256(pnr.encode()).hexdigest()[:12]


class _Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self.calls = 0
            self.by_handlaggare: Counter[str] = Counter()
            self.by_source: Counter[str] = Counter()
            self.by_outcome: Counter[str] = Counter()
            self.by_person: dict[str, Counter[str]] = {}

    def call(self, handlaggare: str | None) -> None:
        """One SOAP call (an SSBTEK question counts once, whatever the number of agencies in it), and
        who asked it (Ingivare's handläggare, as read off the wire; Navet has none)."""
        with self._lock:
            self.calls += 1
            if handlaggare is not None:
                self.by_handlaggare[handlaggare] += 1

    def count(self, source: Source, pnr: str | None, outcome: str) -> None:
        with self._lock:
            self.by_source[source.value] += 1
            self.by_outcome[outcome] += 1
            if pnr is not None:
                self.by_person.setdefault(person_key(pnr), Counter())[source.value] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self.by_source.values()),
                "calls": self.calls,
                "by_handlaggare": dict(self.by_handlaggare),
                "by_source": dict(self.by_source),
                "by_outcome": dict(self.by_outcome),
                "by_person": {k: dict(v) for k, v in self.by_person.items()},
            }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # the default backlog of 5 resets connections when many clients connect at once

    def __init__(self, address: tuple[str, int], population: Population, check_schemas: bool) -> None:
        super().__init__(address, _Handler)
        self.population = population
        self.check_schemas = check_schemas
        self.faults = FaultTable()
        self.stats = _Stats()
        self.stopping = threading.Event()

    tls: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:
        """The TLS handshake in the request's own thread, so a slow client holds up nobody else."""
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(30)
        try:
            secure = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log.debug("TLS handshake with %s failed: %s", client_address[0], exc)
            return
        try:
            super().finish_request(secure, client_address)
        finally:
            secure.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The stdlib prints to stderr; route it through logging like everything else.
        log.exception("error while handling a request from %s", client_address[0])


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive: the client reuses connections
    # Send headers and body in one segment, without Nagle's delay: otherwise every answer waits ~40 ms
    # for the client's delayed ACK.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    server_version = "BistandRegistersSimulator/1"

    # -- logging: method, path (no query) and status; never a body --

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = urlsplit(self.path).path
        log.debug("%s %s %s", self.command, path, code)

    # -- plumbing --

    def _send(
        self,
        status: int,
        body: bytes,
        *,
        request_id: str | None = None,
        content_type: str = "application/json",
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. a timeout fault); nothing to do

    def _json(self, status: int, payload: Any, *, request_id: str | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        self._send(status, body, request_id=request_id)

    def _read_json(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("request body too large")
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else None

    def _error(self, status: int, tag: str, code: str, text: str, request_id: str | None = None) -> None:
        self._json(status, {"Fel": {"Tagg": tag, "Kod": code, "Text": text}}, request_id=request_id)

    def _xml(self, status: int, body: bytes) -> None:
        self._send(status, body, content_type="text/xml")

    # -- routes --

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/healthz":
            population = self.server.population
            self._json(
                200,
                {
                    "status": "ok",
                    "seed": population.seed,
                    "persons": len(population),
                    "households": len(population.households),
                    "sources": [s.value for s in Source],
                },
            )
        elif url.path == "/admin/faults":
            self._json(200, {"rules": [r.to_dict() for r in self.server.faults.rules()]})
        elif url.path == "/admin/stats":
            self._json(200, self.server.stats.snapshot())
        elif url.path == "/admin/sample":
            self._sample(parse_qs(url.query))
        elif url.path == SSBTEK_PATH and url.query.lower() == "wsdl":
            self._xml(200, _wsdl(self.headers.get("Host") or "127.0.0.1"))
        elif url.path.startswith(SCHEMAS_PATH):
            self._schema_file(url.path[len(SCHEMAS_PATH) :])
        else:
            self._error(404, "SSBT", "OKAND_RESURS", "no such endpoint")

    def _schema_file(self, relative: str) -> None:
        """The published XSDs the WSDL includes, as files under SCHEMAS_PATH (nothing outside the folder)."""
        root = xsd.SCHEMAS.resolve()
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or not target.is_file() or target.suffix not in (".xsd", ".wsdl"):
            self._error(404, "SSBT", "OKAND_RESURS", "no such schema")
            return
        self._send(200, target.read_bytes(), content_type="application/xml")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == "/admin/faults":
            self._change_faults(add=True)
        elif path == SSBTEK_PATH:
            self._soap(navet=False)
        elif path == NAVET_PATH:
            self._soap(navet=True)
        else:
            self._drain()
            self._error(404, "SSBT", "OKAND_RESURS", "no such endpoint")

    def do_PUT(self) -> None:
        if urlsplit(self.path).path == "/admin/faults":
            self._change_faults(add=False)
        else:
            self._drain()
            self._error(404, "SSBT", "OKAND_RESURS", "no such endpoint")

    def do_DELETE(self) -> None:
        path = urlsplit(self.path).path
        self._drain()
        if path == "/admin/faults":
            self.server.faults.clear()
            self._json(200, {"rules": []})
        elif path == "/admin/stats":
            self.server.stats.clear()
            self._json(200, self.server.stats.snapshot())
        else:
            self._error(404, "SSBT", "OKAND_RESURS", "no such endpoint")

    def _drain(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)

    def _change_faults(self, *, add: bool) -> None:
        try:
            rules = self.server.faults.parse(self._read_json())
        except (ValueError, TypeError) as exc:
            self._json(400, {"error": str(exc)})
            return
        if add:
            self.server.faults.add(rules)
        else:
            self.server.faults.replace(rules)
        self._json(200, {"added" if add else "rules": [r.to_dict() for r in rules]})

    def _sample(self, query: dict[str, list[str]]) -> None:
        try:
            count = max(1, min(int(query.get("households", ["5"])[0]), 100))
        except ValueError:
            count = 5
        population = self.server.population
        households = sample_households(population, count, seed=population.seed)
        self._json(
            200,
            {
                "households": [
                    {
                        "id": h.id,
                        "kind": h.kind.value,
                        "members": [
                            {"personnummer": m.pnr, "role": m.role.value, "protection": m.protection.value}
                            for m in population.members(h)
                        ],
                    }
                    for h in households
                ]
            },
        )

    # -- the SOAP services --

    def _read_question(self, *, navet: bool) -> etree._Element:
        if not (isinstance(self.connection, ssl.SSLSocket) and self.connection.getpeercert()):
            self._drain()
            raise _Refused(
                403, "KLIENTCERTIFIKAT_SAKNAS", "a client certificate issued to the organisation is required"
            )
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise _Refused(413, "FOR_STOR_FRAGA", "request body too large")
        try:
            question = body_child(self.rfile.read(length) if length else b"")
            if self.server.check_schemas:
                (xsd.validate_navet if navet else xsd.validate_ssbtek)(question)
            elif question.tag != (
                f"{{{NAV}}}HamtaPersonpost" if navet else f"{{{SSBT}}}hamtaBastjanstInformation"
            ):
                raise ValueError(f"unknown operation {etree.QName(question).localname}")
        except (ValueError, SoapFault) as exc:
            raise _Refused(500, "OGILTIG_FRAGA", f"the question does not follow the schema: {exc}") from None
        return question

    def _soap(self, *, navet: bool) -> None:
        try:
            question = self._read_question(navet=navet)
        except _Refused as refused:
            self.server.stats.count(Source.NAVET if navet else Source.FK, None, "rejected")
            self._xml(refused.status, render.ssbtek_fault(refused.code, refused.text, client=True))
            return
        if navet:
            person_id = question.find(f"{{{NAV}}}PersonId/*")
            asked = _Asked(person_id.text or "", Period(2000, 1), render.Question(), [Source.NAVET])
        else:
            asked = _ssbtek_question(question)
        self.server.stats.call(None if navet else asked.question["handlaggare"])
        rules = {}
        delay_ms = 0
        for source, decision in self.server.faults.decide_call(asked.sources, asked.person).items():
            rule = rules[source] = decision.rule
            self.server.stats.count(source, asked.person, rule.mode.value if rule else "ok")
            held = rule.hold_ms if rule is not None and rule.mode is FaultMode.TIMEOUT else 0
            delay_ms = max(delay_ms, decision.latency_ms + held)
        # The composite service asks the agencies in parallel: the answer comes when the slowest agency has
        # answered, or when SSBTEK gave up on it (a timeout rule's hold).
        if delay_ms and self.server.stopping.wait(delay_ms / 1000):
            return  # the server is stopping: the held connection is dropped
        answers = [self._answer(asked, source, rules[source]) for source in asked.sources]
        # A failure of the composite service itself (SSBT: a SOAP Fault, a broken answer) is the whole call's.
        status, body = next(((a[0], a[1]) for a in answers if a[0] != 200 or a[1] is _BROKEN), (200, None))
        if body is None:
            body = answers[0][1] if len(answers) == 1 else render.merged([a[1] for a in answers])
        checked = all(len(a) == 2 for a in answers)
        if self.server.check_schemas and status == 200 and checked:
            try:
                _check_answer(body, navet=navet)
            except xsd.SchemaViolation as exc:
                log.error("an answer does not follow the schema: %s", exc)
                status, body = 500, render.ssbtek_fault("SVAR_FOLJER_INTE_SCHEMAT", str(exc)[:300])
        self._xml(status, body)

    def _answer(
        self, asked: _Asked, source: Source, rule: FaultRule | None
    ) -> tuple[int, bytes] | tuple[int, bytes, bool]:
        """One agency's part of the answer (or Navet's answer), with its fault rule applied; the third
        item False marks a part broken on purpose, never checked against the schema."""
        pnr, question = asked.person, asked.question
        if rule is not None and rule.mode is FaultMode.TIMEOUT:
            return 200, _agency_error(
                question, source, "SSBT", "TIDSGRANS", "tidsgränsen mot bastjänsten överskreds"
            )
        if rule is not None and rule.mode is FaultMode.ERROR:
            if rule.variant == "bt":
                return 200, _agency_error(
                    question, source, "BT", "TEKNISKT_FEL", "bastjänsten kunde inte svara"
                )
            return rule.status, render.ssbtek_fault("TJANST_EJ_TILLGANGLIG", "tjänsten är inte tillgänglig")
        if rule is not None and rule.mode is FaultMode.MALFORMED:
            # Broken on purpose: never checked against the schema (that is the point). "syntax" breaks the
            # whole answer; "shape" gives the agency a part with neither data nor error.
            if rule.variant == "shape":
                return 200, render.shapeless(question, source), False
            return 200, _BROKEN, False
        person = self.server.population.person(pnr)
        if person is None or (rule is not None and rule.mode is FaultMode.NOT_FOUND):
            if source is Source.NAVET:
                return 200, render.navet_answer(None)
            return 200, _agency_error(
                question, source, "BT", "PERSON_SAKNAS", "personen saknas hos bastjänsten"
            )
        if rule is not None and rule.mode is FaultMode.NOT_ENTITLED and source is not Source.FK:
            return 200, render.not_entitled(question, source)
        document = answer_for(self.server.population, source, person, asked.period)
        if source is Source.NAVET:
            return 200, render.navet_answer(document)
        partial = rule is not None and rule.mode is FaultMode.PARTIAL
        if partial:
            _make_partial(document, source)
        if rule is not None and rule.mode is FaultMode.NOT_ENTITLED:
            document["_not_entitled"] = True
        return 200, render.ssbtek_answer(question, source, document, partial=partial)


_BROKEN = (
    b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
    b"<soapenv:Body>"
)


class _Asked:
    """A question as the simulator reads it: the person, the month, what to echo, the agencies asked."""

    def __init__(self, person: str, period: Period, question: render.Question, sources: list[Source]) -> None:
        self.person, self.period, self.question, self.sources = person, period, question, sources


def _ssbtek_question(root: etree._Element) -> _Asked:
    def text(path: str) -> str:
        return root.findtext(path, namespaces={"s": SSBT}) or ""

    general = "s:generellaFrageparametrar/"
    start = text(general + "s:tidsperiod/s:fromDatum")
    question = render.Question(
        person=text(general + "s:personidentitet"),
        reference=text(general + "s:korrelationsid") or text(general + "s:arendeidentitet"),
        orgnr=text(general + "s:ingivare/s:organisationsnummer"),
        namn=text(general + "s:ingivare/s:namn"),
        handlaggare=text(general + "s:ingivare/s:handlaggare"),
        syfte=text(general + "s:syfte"),
        lagtext=text(general + "s:lagtext"),
        **{"from": start, "tom": text(general + "s:tidsperiod/s:tomDatum")},
    )
    sources = [
        _AGENCIES[tag]
        for tag in AGENCY.values()
        if root.find(f"s:specifikaFrageparametrar/s:{tag}[@inkludera='true']", {"s": SSBT}) is not None
    ]
    return _Asked(question["person"], Period.containing(date.fromisoformat(start)), question, sources)


def _agency_error(question: render.Question, source: Source, kalla: str, felkod: str, text: str) -> bytes:
    if source is Source.NAVET:  # Navet has no agency parts: its own failure is a fault
        return render.ssbtek_fault(felkod, text)
    return render.agency_error(question, source, kalla, felkod, text)


def _wsdl(host: str) -> bytes:
    """The published WSDL, its address pointing here and its XSD at the schema files this server serves."""
    text = (xsd.SCHEMAS / WSDL_FILE).read_text(encoding="utf-8")
    folder = SCHEMAS_PATH + WSDL_FILE.rsplit("/", 1)[0]
    text = text.replace("REPLACE_WITH_ACTUAL_URL", f"https://{host}{SSBTEK_PATH}")
    text = text.replace(
        'schemaLocation="sammansatt_bastjanst_v10.xsd"',
        f'schemaLocation="{folder}/sammansatt_bastjanst_v10.xsd"',
    )
    return text.encode()


def _check_answer(body: bytes, *, navet: bool) -> None:
    """Every answer validated against the schemas before it leaves (tests run the simulator so)."""
    element = body_child(body)
    if navet:
        xsd.validate_navet(element)
        return
    xsd.validate_ssbtek(element)
    csn = element.find(f"{{{SSBT}}}svarsdata/{{{SSBT}}}CSN/{{{SSBT}}}data/{{{SSBT}}}svar")
    if csn is not None:
        xsd.validate_csn(etree.fromstring(base64.b64decode(csn.text or "")))
    fk = element.find(f"{{{SSBT}}}svarsdata/{{{SSBT}}}FK/{{{SSBT}}}data/{{{SSBT}}}lefiJsonSvar")
    if fk is not None:
        xsd.validate_lefi_answer(json.loads(base64.b64decode(fk.text or "")))


def _make_partial(document: dict[str, Any], source: Source) -> None:
    """Drop the second half of the records (the answer then says so, as each agency does)."""
    for records in record_lists(document, source):
        dropped = records[len(records) // 2 :]
        if source is Source.FK:
            document.setdefault("_dropped", []).extend(b["Formanskod"] for b in dropped)
        del records[len(records) // 2 :]
    if source is Source.FK and not document.get("_dropped"):
        document["_dropped"] = ["FK:SJP"]


class SimulatorServer:
    """The simulator in a background thread: ``start()``, ``url``, ``stop()``. Used by ``serve``."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 8001,
        *,
        seed: int = 1,
        size: int = 10_000,
        faults_file: Path | None = None,
        tls_dir: Path | None = None,
        check_schemas: bool = False,
    ) -> None:
        self.population = generate(seed, size)
        if check_schemas:  # before listening: the first question is not kept waiting
            xsd.preload()
        self._server = _Server((host, port), self.population, check_schemas)
        self._thread: threading.Thread | None = None
        self._faults_file = faults_file
        self.tls: TlsFiles | None = None
        if tls_dir is not None:
            self.tls = ensure_test_pki(tls_dir)
            self._server.tls = server_context(tls_dir)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    @property
    def faults(self) -> FaultTable:
        return self._server.faults

    def start(self) -> SimulatorServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="registers-simulator", daemon=True
        )
        self._thread.start()
        if self._faults_file is not None:
            watch_faults_file(self._server.faults, self._faults_file, self._server.stopping)
        return self

    def stop(self) -> None:
        """Stop accepting requests, release held (timeout-fault) requests and close the socket."""
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
