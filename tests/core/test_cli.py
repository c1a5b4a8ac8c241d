import subprocess
import sys


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bistand.ops.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("run", "calc", "norm", "simulate", "registers", "manage"):
        assert command in result.stdout


def test_unknown_command_fails_with_a_message():
    result = run_cli("frobnicate")
    assert result.returncode != 0
    assert "invalid choice" in result.stderr


def test_manage_passes_through_to_django():
    result = run_cli("manage", "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
