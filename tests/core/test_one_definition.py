"""One definition per fact of the domain: each is written once in src/bistand and imported where it is used.

Two tables that must agree will one day disagree (the doubled-income bug came from two readings of one
register fact), so this test reads the source and fails when a second copy appears.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "bistand"


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(SRC)), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
    ]


MODULES = _modules()


@pytest.mark.parametrize(
    "name, home",
    [
        ("FieldError", "rules/validation.py"),  # an error in one field, for rules, intake and API
        ("values_of", "intake/schema.py"),  # a stored application's plain values
        ("answer", "intake/schema.py"),  # one stored answer's value
        ("format_sek", "rules/money.py"),  # an amount as people write it
        ("month_name", "rules/messages.py"),  # a month's name
        ("label", "intake/labels.py"),  # what an answer is called
        ("is_another_person", "identity/four_eyes.py"),  # who may give a second approval
        ("parse_bank_account", "bank/accounts.py"),  # a Swedish bank account, checked
    ],
)
def test_defined_once(name, home):
    where = [
        module
        for module, tree in MODULES
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name
    ]
    assert where == [home]


def test_month_names_are_written_once():
    where = {
        module
        for module, tree in MODULES
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in ("januari", "January")
    }
    assert where == {"rules/messages.py"}


def test_no_amount_is_formatted_by_hand_with_a_unit():
    # `f"{amount} kr"` or `f"{amount:.0f} kronor"` is a money format of its own: use rules.money.format_sek.
    found = []
    for module, tree in MODULES:
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for before, after in zip(node.values, node.values[1:], strict=False):
                if (
                    isinstance(before, ast.FormattedValue)
                    and isinstance(after, ast.Constant)
                    and after.value.lstrip(" \u00a0").startswith(("kr ", "kr)", "kr.", "kronor"))
                ) or (
                    isinstance(after, ast.Constant)
                    and after.value.strip(" \u00a0") == "kr"
                    and isinstance(before, ast.FormattedValue)
                ):
                    found.append(f"{module}:{node.lineno}")
    assert not found, f"amounts formatted by hand: {found}"
