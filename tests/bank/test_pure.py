"""The bank formats are a pure library: layer 1 of the floor plan imports nothing of Django or of Bistånd."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

BANK = Path(__file__).resolve().parents[2] / "src" / "bistand" / "bank"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_bank_imports_neither_django_nor_the_rest_of_bistand():
    found = {
        f"{path.name}: {name}"
        for path in sorted(BANK.glob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] == "django"
        or (name.startswith("bistand.") and not name.startswith("bistand.bank"))
    }
    assert not found, f"bistand.bank must stay pure: {sorted(found)}"


def test_bank_loads_without_django():
    # Every module, in a fresh interpreter: nothing it imports (directly or not) may pull Django in.
    code = (
        "import sys; import bistand.bank.accounts, bistand.bank.pain001, bistand.bank.bankstatus, "
        "bistand.bank.holidays; print('django' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
