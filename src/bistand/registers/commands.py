"""``bistand registers``: run the simulator, look a person up, show the synthetic population.

    bistand registers serve [--host 127.0.0.1] [--port 8001] [--seed 1] [--size 10000] [--faults-file F]
                            [--tls-dir DIR] [--check-schemas]
    bistand registers lookup PERSONNUMMER --month YYYY-MM [--sources fk,af,...] [--url URL] [--raw]
    bistand registers population [--seed 1] [--size 10000] [--sample 5]

``lookup`` prints the answer as JSON and exits 0 when every source answered in full, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from bistand.registers.simulator.population import DEFAULT_SEED, DEFAULT_SIZE
from bistand.registers.tls import default_tls_dir

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the ``serve``, ``lookup`` and ``population`` subcommands."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    serve = sub.add_parser("serve", help="run the registers simulator (HTTP)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8001, help="port (default 8001; 0 picks a free one)")
    serve.add_argument("--seed", type=int, default=DEFAULT_SEED, help="population seed")
    serve.add_argument("--size", type=int, default=DEFAULT_SIZE, help="number of persons")
    serve.add_argument("--faults-file", type=Path, help="JSON file of fault rules, reloaded when it changes")
    serve.add_argument("--verbose", action="store_true", help="log every request (method, path, status)")
    serve.add_argument(
        "--tls-dir",
        type=Path,
        help="folder for the test CA and certificates (default $BISTAND_REGISTERS_TLS_DIR or var/registers-tls)",
    )
    serve.add_argument("--plain-http", action="store_true", help="no TLS (only for debugging the simulator)")
    serve.add_argument(
        "--check-schemas", action="store_true", help="validate every answer against the XSDs before sending"
    )

    lookup = sub.add_parser("lookup", help="look a person up in the registers and print the answer as JSON")
    lookup.add_argument("person", metavar="PERSONNUMMER", help="10 or 12 digits, with or without separator")
    lookup.add_argument("--month", required=True, help="the month, YYYY-MM")
    lookup.add_argument(
        "--sources", help="comma-separated sources (fk,af,so,csn,skv,tns,miv,navet); default all"
    )
    lookup.add_argument(
        "--url", help="registers base URL (default $BISTAND_REGISTERS_URL or https://127.0.0.1:8001)"
    )
    lookup.add_argument("--timeout", type=float, default=5.0, help="seconds per attempt (default 5)")
    lookup.add_argument("--raw", action="store_true", help="include each source's raw answer")

    population = sub.add_parser(
        "population", help="summarise the synthetic population, with sample households"
    )
    population.add_argument("--seed", type=int, default=DEFAULT_SEED)
    population.add_argument("--size", type=int, default=DEFAULT_SIZE)
    population.add_argument("--sample", type=int, default=5, help="number of sample households to show")


def run(args: argparse.Namespace) -> int:
    """Run the chosen subcommand; returns the exit code."""
    if args.action == "serve":
        return _serve(args)
    if args.action == "lookup":
        return _lookup(args)
    return _population(args)


def _serve(args: argparse.Namespace) -> int:
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.registers.simulator.population import PopulationTooLarge

    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.registers.simulator.server import SimulatorServer

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        server = SimulatorServer(
            args.host,
            args.port,
            seed=args.seed,
            size=args.size,
            faults_file=args.faults_file,
            tls_dir=None if args.plain_http else (args.tls_dir or default_tls_dir()),
            check_schemas=args.check_schemas,
        )
    except PopulationTooLarge as exc:
        print(f"bistand registers serve: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"bistand registers serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server.start()
    print(
        f"Registers simulator listening on {server.url} (seed {args.seed}, {len(server.population)} persons)"
        + (f", test CA in {server.tls.ca.parent}" if server.tls else ""),
        flush=True,
    )
    while not stop.wait(0.1):
        pass
    server.stop()
    print("Registers simulator stopped", file=sys.stderr, flush=True)
    return 0


def _lookup(args: argparse.Namespace) -> int:
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.identity.personnummer import PersonnummerError

    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.registers.client import ClientSettings, http_gateway

    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.registers.sources import Period, parse_sources

    try:
        sources = parse_sources(args.sources)
        period = Period.parse(args.month)
        with http_gateway(args.url, ClientSettings(timeout=args.timeout), sources=sources) as gateway:
            answer = gateway.lookup(args.person, period)
    except PersonnummerError as exc:
        print(f"bistand registers lookup: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"bistand registers lookup: {exc}", file=sys.stderr)
        return 2
    _print_json(answer.to_dict(include_raw=args.raw))
    return 0 if answer.complete else 1


def _population(args: argparse.Namespace) -> int:
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.registers.simulator.population import (
        REFERENCE_DATE,
        PopulationTooLarge,
        generate,
        sample_households,
    )

    try:
        population = generate(args.seed, args.size)
    except PopulationTooLarge as exc:
        print(f"bistand registers population: {exc}", file=sys.stderr)
        return 2
    households: list[dict[str, Any]] = []
    for household in sample_households(population, max(args.sample, 0), seed=args.seed):
        households.append(
            {
                "id": household.id,
                "kind": household.kind.value,
                "members": [
                    {
                        "personnummer": p.pnr,
                        "role": p.role.value,
                        "age": p.age_on(REFERENCE_DATE),
                        "sex": p.number.sex,
                        "situation": p.situation.value,
                        "protection": p.protection.value,
                        "samordningsnummer": p.is_samordningsnummer,
                    }
                    for p in population.members(household)
                ],
            }
        )
    _print_json({"summary": population.summary(), "sample_households": households})
    return 0


def _print_json(data: Any) -> None:
    """Print JSON; a reader that stops early (``| head``) is not an error."""
    try:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # keep the exit quiet
