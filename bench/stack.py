"""The whole system started piece by piece for the load and fault benchmarks (loopback only).

`bistand run` starts one worker on SQLite; the benchmarks need more: PostgreSQL in a throwaway cluster that
can be restarted, several web processes, and K worker processes that can be killed and replaced one by
one. `Stack` does that in a temporary data folder and sets up Django in this process too (same database),
so a benchmark can prepare households and read results with the ORM.

Used by bench/pipeline_load.py, bench/faults_bench.py and bench/web_load.py; tests/faults runs
bench/faults_bench.py for the PostgreSQL-restart part.
"""

from __future__ import annotations

import datetime
import math
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
if not Path(PYTHON).exists():  # run from another interpreter (CI's venv elsewhere): use this one
    PYTHON = sys.executable

# Answers a returning household gave last month and gives again ("nothing changed").
ANSWERS = {
    "costs": [{"type": "rent", "amount": "5900"}, {"type": "electricity", "amount": "300"}],
    "incomes": [],
    "nothing_changed": True,
}
# Application months: before the aktivitetskrav applies (2026-10), so history length does not route a case.
FIRST_MONTH = datetime.date(2022, 1, 1)
LAST_APPLY_MONTH = datetime.date(2026, 9, 1)
MUNICIPALITY = "1287"  # the demo municipality, whose intake unit and caseworker handlaggare1 the demo loads


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(
    url: str,
    timeout: float = 90,
    process: subprocess.Popen | None = None,
    verify: Callable[[], ssl.SSLContext | bool] = lambda: True,
) -> None:
    """Wait until `url` answers 200 (or `process` dies)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2, verify=verify()).status_code == 200:
                return
        except (httpx.TransportError, OSError):  # OSError: the simulator's test CA is not written yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def pg_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not candidates:
        raise RuntimeError("PostgreSQL is not installed (scripts/ensure-system-packages.sh installs it)")
    return candidates[-1]


def as_postgres(command: str) -> subprocess.CompletedProcess:
    """Run a shell command as the postgres user (pg_ctl refuses root), or as ourselves when not root."""
    argv = (
        ["su", "postgres", "-s", "/bin/bash", "-c", command] if os.geteuid() == 0 else ["bash", "-c", command]
    )
    return subprocess.run(argv, capture_output=True, text=True, check=False)


class Postgres:
    """A throwaway cluster from scripts/postgres.sh, restartable mid-run."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="bistand-pg-"))
        self.dir.chmod(0o755)
        self.url = f"postgres://app@127.0.0.1:{self.port}/app"

    def start(self) -> None:
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh"), "start", str(self.dir), str(self.port)],
            check=True,
        )

    def restart(self) -> float:
        """`pg_ctl restart -m fast`: every connection is cut. Returns the seconds it was away."""
        started = time.monotonic()
        done = as_postgres(f"{pg_bin()}/pg_ctl -D '{self.dir}/data' -l '{self.dir}/log' -m fast -w restart")
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl restart failed: {done.stderr or done.stdout}")
        return time.monotonic() - started

    def stop(self) -> None:
        subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", str(self.dir)], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


class ExistingDatabase:
    """A PostgreSQL database the caller gave in DATABASE_URL: used as it is, neither started nor removed."""

    def __init__(self, url: str) -> None:
        self.url = url

    def stop(self) -> None:
        pass


@dataclass
class Stack:
    """Registers simulator, web processes and worker processes on one database, in a temporary folder."""

    db: str = "sqlite"  # or "postgres"
    web_processes: int = 2
    workers: int = 1
    registers_size: int = 14_000
    heartbeat: float = 10.0
    stalled_after: float = 120.0
    worker_interval: float = 0.1
    worker_concurrency: int = 1  # task loops per worker process (`manage worker --concurrency`)
    keep: bool = False
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bistand-bench-")))
    postgres: Postgres | ExistingDatabase | None = None
    worker_processes: list[subprocess.Popen] = field(default_factory=list)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    web_url: str = ""
    registers_url: str = ""
    profile_first_worker: Path | None = None

    # --- starting ---------------------------------------------------------------------------------------

    @classmethod
    def on(cls, db: str | None = None, **options: Any) -> Stack:
        """A stack on `db`: "sqlite", "postgres" (a throwaway cluster), or None for the PostgreSQL database in
        DATABASE_URL when one is set (used as it is, migrated if empty) and SQLite otherwise."""
        external = os.environ.get("DATABASE_URL", "")
        if db is None:
            db = "postgres" if external.startswith("postgres") else "sqlite"
        if db == "postgres" and external.startswith("postgres"):
            # start() starts no cluster; every process of the stack uses this database.
            return cls(db="external", postgres=ExistingDatabase(external), **options)
        return cls(db=db, **options)

    def env(self) -> dict[str, str]:
        database_url = (
            self.postgres.url if self.postgres else f"sqlite:///{self.data_dir / 'bistand.sqlite3'}"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="bistand.settings",
            BISTAND_DATA_DIR=str(self.data_dir),
            DATABASE_URL=database_url,
            BISTAND_DEMO="1",
            BISTAND_REGISTERS_URL=self.registers_url,
            BISTAND_WORKER_HEARTBEAT=str(self.heartbeat),
            BISTAND_PIPELINE_STALLED_AFTER=str(self.stalled_after),
            BISTAND_REGISTER_GAP_RETRY="2",  # a failed register is asked again soon, within the run
            # The runs apply for months back to FIRST_MONTH (month_pairs), long closed in production.
            BISTAND_APPLY_MONTHS_BACK="240",
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT / "src"),
        )
        return env

    def start(self) -> Stack:
        if self.db == "postgres":
            self.postgres = Postgres()
            self.postgres.start()
        registers_port = free_port()
        self.registers_url = f"https://127.0.0.1:{registers_port}"
        self._spawn(
            "registers",
            [
                PYTHON,
                "-m",
                "bistand.ops.cli",
                "registers",
                "serve",
                "--port",
                str(registers_port),
                "--size",
                str(self.registers_size),
            ],
        )
        wait_http(
            f"{self.registers_url}/healthz", process=self.processes["registers"], verify=self._registers_ca
        )
        self._setup_django()
        if self.web_processes:
            port = free_port()
            self.web_url = f"http://127.0.0.1:{port}"
            self._spawn(
                "web",
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "bistand.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(self.web_processes),
                    "--no-control-socket",
                    "--timeout",
                    "120",
                ],
            )
            wait_http(f"{self.web_url}/", process=self.processes["web"])
        for _ in range(self.workers):
            self.start_worker()
        return self

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.data_dir / f"{name}.log", "ab")  # noqa: SIM115 - kept open for the process's life
        process = subprocess.Popen(
            command, env=self.env(), stdout=log, stderr=log, cwd=ROOT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def _setup_django(self) -> None:
        """Django in this process, on the stack's database: migrate and load the demo organisation."""
        os.environ.update(self.env())
        sys.path.insert(0, str(ROOT / "src"))
        from django.core.management import call_command

        from bistand.core.django_setup import setup_django

        setup_django()
        call_command("migrate", interactive=False, verbosity=0)
        from bistand.ops.demo import load_demo_data

        load_demo_data()

    def start_worker(self) -> subprocess.Popen:
        """One more worker process (its own session: a SIGKILL reaches it alone)."""
        index = len(self.worker_processes)
        command = [PYTHON]
        if index == 0 and self.profile_first_worker is not None:
            command += ["-m", "cProfile", "-o", str(self.profile_first_worker)]
            command += [str(ROOT / ".venv" / "bin" / "bistand")]
        else:
            command += ["-m", "bistand.ops.cli"]
        command += ["manage", "worker", "--no-reload", "--interval", str(self.worker_interval)]
        command += ["--worker-id", f"bench-{index}", "--concurrency", str(self.worker_concurrency)]
        process = self._spawn(f"worker-{index}", command)
        self.worker_processes.append(process)
        return process

    def live_workers(self) -> list[subprocess.Popen]:
        return [w for w in self.worker_processes if w.poll() is None]

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def _registers_ca(self) -> ssl.SSLContext | bool:
        """The simulator's test CA (it makes one at start-up in its data folder), once it is there."""
        folder = os.environ.get("BISTAND_REGISTERS_TLS_DIR") or self.data_dir / "registers-tls"
        ca = Path(folder) / "ca.crt"
        return ssl.create_default_context(cafile=ca) if ca.exists() else True

    def faults(self, *rules: dict[str, Any]) -> None:
        """Replace the simulator's fault rules."""
        httpx.put(
            f"{self.registers_url}/admin/faults", json={"rules": list(rules)}, verify=self._registers_ca()
        ).raise_for_status()

    # --- stopping ---------------------------------------------------------------------------------------

    def stop(self) -> None:
        from django.db import connections

        connections.close_all()
        for process in [*self.worker_processes, *self.processes.values()]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in [*self.worker_processes, *self.processes.values()]:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.postgres is not None:
            self.postgres.stop()
        if not self.keep:
            shutil.rmtree(self.data_dir, ignore_errors=True)


# --- households ----------------------------------------------------------------------------------------


def month_pairs() -> list[tuple[datetime.date, datetime.date]]:
    """(last month, application month) pairs that do not overlap, from 2022-01 to 2026-09 (28 pairs)."""
    pairs, month = [], FIRST_MONTH
    while True:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        if following > LAST_APPLY_MONTH:
            return pairs
        pairs.append((month, following))
        month = (following + datetime.timedelta(days=32)).replace(day=1)


def eligible_people(population, limit: int) -> list[str]:
    """Single adults the registers know with no income (no income at all, or only registered at AF)."""
    chosen = []
    for household in population.households:
        for person in population.members(household):
            if (
                household.kind == "single"
                and person.situation in ("no_income", "jobseeker")
                and not person.vehicles
                and person.capital_base == 0
                and household.bostadsbidrag is None
                and person.protection == "none"
                and person.registered
                and person.birth_date.year <= FIRST_MONTH.year - 19
            ):
                chosen.append(person.pnr)
    return chosen[:limit]


@dataclass
class Household:
    pnr: str
    person_id: int
    case_id: int
    months: list[datetime.date]  # the months this household applies for in the run


def write_history(
    history: dict[str, list[tuple[datetime.date, dict, dict | None]]], amount: int
) -> tuple[dict, dict]:
    """Households' earlier months written straight into the database (bulk), not made by the robot.

    `history` maps a personnummer to its (month, answers, calculation) triples: the person, their case in
    the demo's intake unit and, per month, a submitted application with a granted decision of `amount`
    kronor resting on `calculation` (None: just the entitlement), decided a month ago (older than the
    payment sweep looks, so history is never paid). Returns the persons by personnummer and their cases by
    person id. The one way the benchmarks write history.
    """
    from django.db import transaction
    from django.utils import timezone

    from bistand.cases.models import Case
    from bistand.decisions.models import Decision
    from bistand.identity.models import Municipality, Person, Unit, User
    from bistand.intake.models import Application
    from bistand.intake.schema import validate_application, with_provenance

    municipality = Municipality.objects.get(code=MUNICIPALITY)
    unit = Unit.objects.filter(municipality=municipality, handles_intake=True).order_by("pk").first()
    caseworker = User.objects.get(username="handlaggare1")
    decided_at = timezone.now() - datetime.timedelta(days=30)
    with transaction.atomic():
        Person.objects.bulk_create(
            [
                Person(personnummer=pnr, first_name="Bench", last_name="Hushåll", municipality=municipality)
                for pnr in history
            ]
        )
        persons = {p.personnummer: p for p in Person.objects.filter(personnummer__in=list(history))}
        Case.objects.bulk_create([Case(applicant=p, unit=unit) for p in persons.values()])
        cases = {c.applicant_id: c for c in Case.objects.filter(applicant__in=persons.values(), unit=unit)}
        Application.objects.bulk_create(
            [
                Application(
                    applicant=persons[pnr],
                    municipality=municipality,
                    month=month,
                    status=Application.Status.SUBMITTED,
                    answers=with_provenance(
                        validate_application({**answers, "month": month.isoformat()[:7]})
                    ),
                    submitted_at=decided_at,
                )
                for pnr, months in history.items()
                for month, answers, _calculation in months
            ],
            batch_size=500,
        )
        calculations = {
            (pnr, month): calculation for pnr, months in history.items() for month, _, calculation in months
        }
        stored = Application.objects.filter(
            applicant__in=persons.values(), status="submitted"
        ).select_related("applicant")
        Decision.objects.bulk_create(
            [
                Decision(
                    case=cases[application.applicant_id],
                    application=application,
                    version=1,
                    month=application.month,
                    outcome=Decision.Outcome.GRANT,
                    amount_applied=amount,
                    amount_granted=amount,
                    calculation=calculations.get((application.applicant.personnummer, application.month))
                    or {"entitlement": amount},
                    findings=[],
                    automated=False,
                    decided_by=caseworker,
                    delegation={},
                    decided_at=decided_at,
                    inputs={"bench": "history written directly"},
                    rules_version="bench",
                    policy_version="bench",
                    motivation="Beviljat (historik skapad av benchmarken).",
                )
                for application in stored
            ],
            batch_size=500,
        )
    return persons, cases


def prepare_households(population, count: int, per_person: int | None = None) -> list[Household]:
    """`count` (person, month) applications-to-be, each with last month granted, bulk-created in the database.

    The test population has only some hundred suitable households, so each applies for several months
    (pairs of months that do not overlap): for each, last month's submitted application and granted decision
    are written directly (bulk_create), not made by the robot, which would take as long as the run itself.
    """
    from bistand.identity.models import Person

    pairs = month_pairs()
    # Not the demo citizens (also taken from the population): they have households of their own already.
    known = set(Person.objects.values_list("personnummer", flat=True))
    people = [pnr for pnr in eligible_people(population, 100_000) if pnr not in known]
    # As many households as possible, each with as few months as needed: closer to a real month.
    pairs = pairs[: per_person or max(1, math.ceil(count / max(1, len(people))))]
    people = people[: math.ceil(count / len(pairs))]
    if len(people) * len(pairs) < count:
        raise SystemExit(f"only {len(people) * len(pairs)} applications can be prepared, not {count}")
    plan: list[tuple[str, list[tuple[datetime.date, datetime.date]]]] = []
    left = count
    for pnr in people:
        take = pairs[: min(len(pairs), left)]
        plan.append((pnr, take))
        left -= len(take)
    persons, cases = write_history(
        {pnr: [(last, ANSWERS, None) for last, _month in months] for pnr, months in plan}, 11420
    )
    return [
        Household(pnr, persons[pnr].pk, cases[persons[pnr].pk].pk, [month for _last, month in months])
        for pnr, months in plan
    ]


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: a value that was actually measured."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
