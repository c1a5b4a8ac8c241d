"""The registers simulator: one HTTP/JSON service answering for every source, with fault injection.

Endpoints (all JSON):

* ``POST /ssbtek/v10/{fk,af,so,csn,skv,tns,miv}`` and ``POST /navet/v1/personpost``: a source's answer for
  ``{"Personidentitet": "…", "Period": {"FromDatum": "YYYY-MM-DD", "TomDatum": "YYYY-MM-DD"}}``;
* ``GET /healthz``: ready, with the seed and the population's size;
* ``GET|POST|PUT|DELETE /admin/faults``: list, add, replace, clear fault rules (see ``faults.py``);
* ``GET|DELETE /admin/stats``: requests counted per source, outcome and person key; reset;
* ``GET /admin/sample?households=N``: a few households' numbers and roles, for demos.

It binds to 127.0.0.1 by default and has no authentication: it is a development and test tool.
The access log never shows a person number (they travel only in request bodies, and
``log_message`` writes method, path and status only).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bistand.registers.faults import FaultMode, FaultRule, FaultTable, watch_faults_file
from bistand.registers.population import Population, generate, sample_households
from bistand.registers.simulator.answers import answer_for, not_found_body
from bistand.registers.sources import Period, Source
from bistand.registers.wire import PATHS, RECORD_PATHS, REQUEST_ID_HEADER, SOURCE_CODES, record_lists

__all__ = ["SimulatorServer", "person_key"]

log = logging.getLogger("bistand.registers.simulator")

_SOURCES_BY_PATH = {path: source for source, path in PATHS.items()}
MAX_BODY = 64 * 1024


def person_key(pnr: str) -> str:
    """A short, stable key for a person in stats and logs (not reversible at a glance, not a secret)."""
    return hashlib.sha256(pnr.encode()).hexdigest()[:12]


class _Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self.by_source: Counter[str] = Counter()
            self.by_outcome: Counter[str] = Counter()
            self.by_person: dict[str, Counter[str]] = {}

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
                "by_source": dict(self.by_source),
                "by_outcome": dict(self.by_outcome),
                "by_person": {k: dict(v) for k, v in self.by_person.items()},
            }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # the default backlog of 5 resets connections when many clients connect at once

    def __init__(self, address: tuple[str, int], population: Population) -> None:
        super().__init__(address, _Handler)
        self.population = population
        self.faults = FaultTable()
        self.stats = _Stats()
        self.stopping = threading.Event()

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

    def _send(self, status: int, body: bytes, *, request_id: str | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if request_id:
                self.send_header(REQUEST_ID_HEADER, request_id)
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
        else:
            self._error(404, "SSBT", "OKAND_RESURS", "no such endpoint")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == "/admin/faults":
            self._change_faults(add=True)
        elif path in _SOURCES_BY_PATH:
            self._source(_SOURCES_BY_PATH[path])
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

    def _source(self, source: Source) -> None:
        request_id = self.headers.get(REQUEST_ID_HEADER)
        try:
            request = self._read_json()
            pnr, period = _read_request(request)
        except (ValueError, TypeError, KeyError) as exc:
            self.server.stats.count(source, None, "rejected")
            self._error(400, "SSBT", "OGILTIG_BEGARAN", str(exc), request_id)
            return
        decision = self.server.faults.decide(source, pnr)
        rule = decision.rule
        self.server.stats.count(source, pnr, rule.mode.value if rule else "ok")
        if decision.latency_ms and self.server.stopping.wait(decision.latency_ms / 1000):
            return
        if rule is not None and self._apply_fault(rule, source, request_id):
            return
        person = self.server.population.person(pnr)
        if person is None:
            self._json(404, not_found_body(source), request_id=request_id)
            return
        document = answer_for(self.server.population, source, person, period)
        if rule is not None and rule.mode is FaultMode.PARTIAL:
            _make_partial(document, source, silent=rule.variant == "silent")
        self._json(200, document, request_id=request_id)

    def _apply_fault(self, rule: FaultRule, source: Source, request_id: str | None) -> bool:
        """Answer as the fault says; False when the normal answer should follow (partial)."""
        if rule.mode is FaultMode.TIMEOUT:
            if not self.server.stopping.wait(rule.hold_ms / 1000):
                self._error(504, "SSBT", "TIDSGRANS", "underlying service timed out", request_id)
            self.close_connection = True
            return True
        if rule.mode is FaultMode.ERROR:
            self._error(rule.status, "SSBT", "TJANST_EJ_TILLGANGLIG", "service unavailable", request_id)
            return True
        if rule.mode is FaultMode.NOT_FOUND:
            self._json(404, not_found_body(source), request_id=request_id)
            return True
        if rule.mode is FaultMode.MALFORMED:
            if rule.variant == "shape":
                body = json.dumps({"Kalla": SOURCE_CODES[source], "Svar": "ej tillgängligt", "Data": [1, 2]})
                self._send(200, body.encode(), request_id=request_id)
            else:
                self._send(
                    200,
                    b'{"Kalla": "' + SOURCE_CODES[source].encode() + b'", "Svar": [',
                    request_id=request_id,
                )
            return True
        return False


def _read_request(request: Any) -> tuple[str, Period]:
    if not isinstance(request, dict):
        raise ValueError("the request must be a JSON object")
    pnr = request.get("Personidentitet")
    if not isinstance(pnr, str) or len(pnr) != 12 or not pnr.isdigit():
        raise ValueError("Personidentitet must be 12 digits")
    period = request.get("Period") or {}
    start = date.fromisoformat(period["FromDatum"])
    end = date.fromisoformat(period["TomDatum"])
    if end < start:
        raise ValueError("TomDatum is before FromDatum")
    return pnr, Period.containing(start)


def _make_partial(document: dict[str, Any], source: Source, *, silent: bool) -> None:
    """Drop the second half of the records; say so unless ``silent`` (AntalPoster keeps the full count)."""
    for records in record_lists(document, source):
        del records[len(records) // 2 :]
    if not silent:
        document["Partiellt"] = True
        document["Felmeddelanden"] = [
            {
                "Tagg": "BT",
                "Kod": "DELSVAR",
                "Text": "uppgifter från en underliggande tjänst saknas",
                "Saknas": ["/".join(p for p in RECORD_PATHS[source] if p != "*")],
            }
        ]


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
    ) -> None:
        self.population = generate(seed, size)
        self._server = _Server((host, port), self.population)
        self._thread: threading.Thread | None = None
        self._faults_file = faults_file

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

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
