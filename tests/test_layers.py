"""The floor plan, enforced: each package of `bistand` imports only from the layers below it.

The layer list is the one in `docs/architecture.md` (from `../shared/design/architecture.md`). The test reads
every module's imports with `ast` — at module level and inside functions — so it needs no third-party tool
and sees the imports a function hides. A function-level import is allowed only with a `# lazy: <why>`
comment on its line (or the line above); the test counts them, so that the number can only be lowered on
purpose.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "bistand"

# Lowest first. A package may import its own modules and anything on a lower floor; packages on one floor
# may not import each other (that is how cycles start).
LAYERS: list[set[str]] = [
    {"rules", "bank", "core", "testdata"},
    {"identity"},
    {"registers"},
    {"intake"},
    {"cases"},
    {"decisions"},
    {"payments"},
    {"casework"},
    {"portal", "security"},
    {"oversight", "api"},
    {"audit"},
    # The composition root: the CLI, the runner, the worker's schedule, demo data, and Django's own
    # entry files (settings, root URLconf, WSGI), which name every app by design.
    {"ops", "cli", "settings", "urls", "wsgi"},
]
FLOOR = {package: floor for floor, packages in enumerate(LAYERS) for package in packages}

# Function-level imports with a `# lazy:` reason. Lower it when you remove one; raising it needs a reason
# in the comment of each new one.
LAZY_IMPORTS_ALLOWED = 200


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported module, dotted
    line: int
    lazy: bool  # inside a function
    reason: bool  # has a `# lazy:` comment


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str:
    """`bistand.casework.pipeline` -> `casework`; `bistand.ops.cli` -> `cli`."""
    return module.split(".")[1] if module.count(".") >= 1 else module


def _imports(path: Path) -> list[Import]:
    text = path.read_text()
    lines = text.splitlines()
    tree = ast.parse(text)
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def has_reason(node: ast.stmt) -> bool:
        window = lines[max(node.lineno - 2, 0) : node.end_lineno]
        return any("# lazy:" in line for line in window)

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = module.split(".") if is_package else module.split(".")[:-1]
                    base = base[: len(base) - (child.level - 1)]
                    prefix = ".".join(base + ([child.module] if child.module else []))
                else:
                    prefix = child.module or ""
                targets = [prefix]
            for target in targets:
                if target == "bistand" or target.startswith("bistand."):
                    found.append(Import(module, target, child.lineno, in_function, has_reason(child)))
            visit(child, inner)

    visit(tree, False)
    return found


def all_imports() -> list[Import]:
    return [imp for path in sorted(SRC.rglob("*.py")) for imp in _imports(path)]


def _describe(imp: Import) -> str:
    return f"{imp.module}:{imp.line} imports {imp.target}"


def test_every_package_is_on_a_floor():
    packages = {_package(imp.module) for imp in all_imports()} | {
        _package(imp.target) for imp in all_imports()
    }
    packages.discard("bistand")
    assert sorted(packages - FLOOR.keys()) == []


def test_no_package_imports_from_a_higher_or_the_same_floor():
    wrong = []
    for imp in all_imports():
        source, target = _package(imp.module), _package(imp.target)
        if target in ("bistand", source):
            continue
        if FLOOR[target] >= FLOOR[source]:
            wrong.append(_describe(imp))
    assert wrong == []


def test_no_cycle_between_packages():
    """Implied by the floors, but said on its own: the message names the cycle."""
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in all_imports():
        source, target = _package(imp.module), _package(imp.target)
        if target not in ("bistand", source):
            graph[source].add(target)
    cycles = []

    def walk(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt == path[0]:
                cycles.append(" -> ".join([*path, nxt]))
            elif nxt not in path and nxt > path[0]:
                walk(nxt, [*path, nxt])

    for start in sorted(graph):
        walk(start, [start])
    assert cycles == []


def test_lazy_imports_say_why_and_are_counted():
    lazy = [imp for imp in all_imports() if imp.lazy]
    unexplained = [_describe(imp) for imp in lazy if not imp.reason]
    assert unexplained == []
    assert len(lazy) <= LAZY_IMPORTS_ALLOWED, (
        f"{len(lazy)} lazy imports; the plan allows {LAZY_IMPORTS_ALLOWED}"
    )
