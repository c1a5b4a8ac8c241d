"""`bistand run`: the whole system on one machine — web server, worker and registers simulator.

Migrates, loads the demo data once (in demo mode), starts the three processes, prints where to go,
restarts a process that dies, and stops them all on Ctrl-C (or when one keeps dying).
"""

from __future__ import annotations

import argparse
import os
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Callable

from bistand.registers.tls import default_tls_dir

ACCESS_LOG_FORMAT = (
    '{"time": "%(t)s", "logger": "access", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "duration_ms": %(M)s}'
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument(
        "--registers-port",
        type=int,
        default=int(os.environ.get("REGISTERS_PORT", "8001")),
        help="port of the registers simulator (default 8001)",
    )
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument(
        "--demo",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="demo mode: demo data and the development eID (default: on unless BISTAND_DEMO=0)",
    )


def _prepare(demo: bool, registers_ready: Callable[[], None]) -> tuple[list, list]:
    """Migrate and load the demo data (with last month's history); returns the staff logins and citizens.

    Only the history needs the registers (the robot reads them): ``registers_ready`` waits for them then, so
    the simulator starts while the database is migrated and the demo data loaded."""
    from django.core.management import call_command

    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.core.django_setup import setup_django

    setup_django()
    call_command("migrate", interactive=False, verbosity=0)
    if not demo:
        registers_ready()
        return [], []
    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.identity.models import Person

    # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
    from bistand.ops.demo import load_demo_data, load_demo_history, read_logins

    load_demo_data()
    registers_ready()
    load_demo_history()
    citizens = list(
        Person.objects.filter(account__username__startswith="demo-").values_list(
            "account__username", "first_name", "last_name", "personnummer"
        )
    )
    return read_logins(), citizens


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            # The registers simulator answers over TLS with the test CA it made at start-up.
            ca = default_tls_dir() / "ca.crt"
            verify = (
                ssl.create_default_context(cafile=ca) if url.startswith("https://") and ca.exists() else True
            )
            if httpx.get(url, timeout=1, verify=verify).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"bistand run: {url} did not answer")


def _banner(url: str, registers_url: str, logins: list, citizens: list) -> str:
    lines = [
        "",
        f"  Bistånd is running on {url}",
        f"  Health: {url}/healthz    Registers simulator: {registers_url}",
    ]
    if logins:
        lines.append(f"  Citizens: {url}/login/ → development eID (Skatteverket test personnummer)")
        lines.append(f"  Staff:    {url}/staff/login/")
        lines.extend(f"    {x.username:<14} {x.password:<14} {x.role}" for x in logins)
        lines.append("  Demo citizens (development eID, or POST /api/v1/dev/token):")
        lines.extend(
            f"    {pnr}  {first} {last:<16} {user.removeprefix('demo-')}"
            for user, first, last, pnr in citizens
        )
        lines.append("  A returning household's next application: docs/examples/returning-household.json")
    lines += ["  Press Ctrl-C to stop.", ""]
    return "\n".join(lines)


RESTARTS_PER_MINUTE = 5


def supervise(
    processes: dict[str, subprocess.Popen],
    commands: dict[str, list[str]],
    env: dict[str, str],
    stopping,
    *,
    poll: float = 0.3,
    clock=time.monotonic,
) -> int:
    """Watch the child processes until `stopping()`; restart one that dies instead of stopping the rest.

    A child that keeps dying (more than RESTARTS_PER_MINUTE times in a minute) is a fault a restart will
    not cure: then everything stops, with exit code 1.
    """
    restarts: dict[str, list[float]] = {name: [] for name in processes}
    while not stopping():
        for name, process in list(processes.items()):
            if process.poll() is None:
                continue
            now = clock()
            recent = [t for t in restarts[name] if now - t < 60] + [now]
            restarts[name] = recent
            if len(recent) > RESTARTS_PER_MINUTE:
                print(
                    f"bistand run: {name} keeps stopping (exit {process.returncode}); stopping all",
                    flush=True,
                )
                return 1
            print(f"bistand run: {name} stopped (exit {process.returncode}); starting it again", flush=True)
            processes[name] = subprocess.Popen(commands[name], env=env, start_new_session=True)  # noqa: S603
        time.sleep(poll)
    return 0


def run(args: argparse.Namespace) -> int:
    demo = args.demo if args.demo is not None else os.environ.get("BISTAND_DEMO", "1") != "0"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bistand.settings", BISTAND_DEMO="1" if demo else "0")
    registers_url = f"https://127.0.0.1:{args.registers_port}"
    env.setdefault("BISTAND_REGISTERS_URL", registers_url)
    os.environ.update(env)

    bistand = [sys.executable, "-m", "bistand.ops.cli"]
    processes: dict[str, subprocess.Popen] = {}
    # The registers first: the demo data's history is made by the robot, which reads them. The simulator
    # starts (population, test CA) while the database is migrated; the history waits for it.
    processes["registers"] = subprocess.Popen(  # noqa: S603 - our own command
        [*bistand, "registers", "serve", "--port", str(args.registers_port)], env=env, start_new_session=True
    )
    try:
        logins, citizens = _prepare(
            demo, lambda: _wait_for(f"{registers_url}/healthz", processes["registers"])
        )
    except BaseException:
        processes["registers"].terminate()
        raise
    commands = {
        "worker": [*bistand, "manage", "worker", "--no-reload", "--worker-id", f"run-{os.getpid()}"],
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "bistand.wsgi",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.web_workers),
            "--access-logfile",
            "-",
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--logger-class",
            "bistand.core.gunicornlog.RedactingLogger",
            "--no-control-socket",
        ],
    }
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for name, command in commands.items():
        # Own process group: Ctrl-C reaches us once, and we stop the children in order.
        processes[name] = subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603 - our own commands
    print(_banner(f"http://{args.host}:{args.port}", registers_url, logins, citizens), flush=True)

    all_commands = {
        "registers": [*bistand, "registers", "serve", "--port", str(args.registers_port)],
        **commands,
    }
    exit_code = supervise(processes, all_commands, env, lambda: stopping)

    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    print("bistand run: stopped.", flush=True)
    return exit_code
