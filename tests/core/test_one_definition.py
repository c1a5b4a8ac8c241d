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


def _constants(*values: str) -> set[str]:
    return {
        module
        for module, tree in MODULES
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in values
    }


def test_age_brackets_are_named_once():
    # The words for the riksnorm's age brackets, in every language, live with the brackets themselves.
    assert _constants("1–2 år", "aged 1–2", "19–20 år", "aged 19–20") == {"rules/ages.py"}


def test_register_agencies_are_named_once():
    # The caseworker's screens and the robot's findings say the agency's name from `Source.label`.
    names = ("Arbetsförmedlingen", "Transportstyrelsen", "Migrationsverket", "Skatteverket (beskattning)")
    assert _constants(*names) == {"registers/sources.py"}


def test_the_label_tables_name_only_the_domains_own_kinds():
    """Screens word a cost, an income or a register for their reader, but the kinds are the rules' and the
    registers': a label table may not invent a kind the calculation or the register client does not know."""
    from bistand.intake import labels
    from bistand.payments.models import COST_TYPES as PAYMENT_PURPOSES
    from bistand.registers.sources import Source
    from bistand.rules.model import COST_TYPES, INCOME_TYPES

    assert set(labels.COST_LABELS) <= set(COST_TYPES)
    assert set(labels.NEED_LABELS) <= set(COST_TYPES)
    assert set(labels.INCOME_LABELS) <= set(INCOME_TYPES)
    assert set(PAYMENT_PURPOSES) <= {"livelihood", *COST_TYPES}
    registers = {key.removeprefix("register:") for key in labels.SOURCE_LABELS if key.startswith("register:")}
    assert registers <= {source.value for source in Source}


def test_no_template_formats_money_another_way():
    # Every amount on a page goes through the `sek` filter (core/templatetags/money.py), which writes the
    # unit itself: `floatformat`, or "kr"/"kronor" typed after a value, is a money format of its own.
    import re

    other_way = re.compile(r"floatformat|\}\}\s*(kr|kronor)\b|\{\{\s*amount\s*\}\}\s*(kr|kronor)\b")
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if other_way.search(line)
    ]
    assert found == []


# The stored register snapshot's own keys. Its JSON form is written by `SourceResult.to_dict`/
# `RegisterAnswer.to_dict` and read back by `RegisterSnapshot.from_json` (with `rewrite_raw` for rewriting
# what was stored); everyone else reads the typed snapshot, so no room re-reads a register fact by key.
SNAPSHOT_KEYS = frozenset({"facts", "provenance"})
SNAPSHOT_HOMES = frozenset({"registers/snapshot.py", "registers/interface.py"})


def _key_reads(tree: ast.Module) -> list[tuple[int, str]]:
    """Where a module indexes a stored snapshot: `x["facts"]`, `x.get("provenance")`, or anything read
    straight off a `register_snapshot` (`run.register_snapshot["applicant"]`, `.get(…)`, `.items()`)."""
    found = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            key = node.slice.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            key = node.args[0].value
        if key in SNAPSHOT_KEYS:
            found.append((node.lineno, repr(key)))
        target = node.value if isinstance(node, ast.Subscript | ast.Attribute) else None
        if isinstance(target, ast.Attribute | ast.Name) and "register_snapshot" in (
            getattr(target, "attr", None),
            getattr(target, "id", None),
        ):
            found.append((node.lineno, "register_snapshot read by key"))
    return found


def test_a_stored_register_snapshot_is_read_only_through_its_typed_form():
    readers = [
        f"{name}:{line} {what}"
        for name, tree in MODULES
        if name not in SNAPSHOT_HOMES
        for line, what in _key_reads(tree)
    ]
    assert readers == [], "read the snapshot with RegisterSnapshot.from_json, not by its JSON keys"


def test_the_snapshot_key_check_sees_each_way_of_reading_by_key():
    source = (
        "a = result['facts']\n"
        "b = result.get('provenance')\n"
        "c = run.register_snapshot['applicant']\n"
        "d = run.register_snapshot.items()\n"
        "e = RegisterSnapshot.from_json(run.register_snapshot)\n"
        "f = answers.get('sources')\n"
    )
    assert [line for line, _ in _key_reads(ast.parse(source))] == [1, 2, 3, 4]
