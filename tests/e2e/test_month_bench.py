"""bench/month.py as documented: a small month through the whole system, its last line one JSON object."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def test_a_small_month_reports_every_figure(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "BISTAND_DATA_DIR"}}
    report = tmp_path / "month.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "month.py"), "--n", "16", "--json", str(report)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["applications"] == 16
    assert figures["statuses"].get("decided", 0) + figures["statuses"].get("routed", 0) == 16
    assert figures["automated_share"] + figures["routed_share"] == pytest.approx(1)
    assert sum(figures["routing_reasons"].values()) >= figures["statuses"].get("routed", 0)
    for key in (
        "wrongful_automated",
        "underpaid",
        "overpaid",
        "median_seconds",
        "p95_seconds",
        "month_seconds",
    ):
        assert key in figures
    assert set(figures["underpaid"]) == {"kronor", "count"}
    # The file has the same figures and every wrongful decision, without any personnummer.
    stored = json.loads(report.read_text())
    assert stored["applications"] == 16 and len(stored["wrongful"]) == figures["wrongful_automated"]
    assert not any(
        len(word) == 12 and word.isdigit() for word in report.read_text().replace('"', " ").split()
    )
