"""`bistand run` — what `make run` starts: web, worker and registers simulator, stopped by Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, status: int = 200, timeout: float = 60) -> httpx.Response:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = httpx.get(url, timeout=2)
            if last.status_code == status:
                return last
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer {status} in {timeout} s (last: {last and last.status_code})")


def start(data_dir, web_port: int, registers_port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(BISTAND_DATA_DIR=str(data_dir), BISTAND_DEMO="1")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bistand.ops.cli",
            "run",
            "--port",
            str(web_port),
            "--registers-port",
            str(registers_port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    output, _ = process.communicate(timeout=30)
    return output


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_run_serves_health_sign_in_and_registers_and_keeps_data(tmp_path):
    web, registers = free_port(), free_port()
    process = start(tmp_path, web, registers)
    try:
        health = wait_for(f"http://127.0.0.1:{web}/healthz")
        assert health.json()["checks"] == {"database": "ok", "worker": "ok"}
        sign_in = httpx.get(f"http://127.0.0.1:{web}/login/")
        assert sign_in.status_code == 200
        assert "Logga in" in sign_in.text
        wait_for(f"http://127.0.0.1:{registers}/healthz")
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{web}" in output
    assert "handlaggare1" in output and "gruppledare" in output and "admin" in output
    # Ctrl-C stopped every part: nothing answers any more.
    assert port_is_free(web) and port_is_free(registers)

    logins = (tmp_path / "demo-logins.txt").read_text()
    with sqlite3.connect(tmp_path / "bistand.sqlite3") as db:
        (users,) = db.execute("SELECT count(*) FROM identity_user").fetchone()
    assert users == 13  # seven staff, four citizens, and a parent and her ombud (the fullmakt demo)

    # A second run keeps the data: the same logins, no second load of the demo data.
    process = start(tmp_path, web, registers)
    try:
        wait_for(f"http://127.0.0.1:{web}/healthz")
    finally:
        stop(process)
    assert (tmp_path / "demo-logins.txt").read_text() == logins
    with sqlite3.connect(tmp_path / "bistand.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM identity_municipality").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM identity_user").fetchone() == (users,)
