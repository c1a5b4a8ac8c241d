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
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "bistand"

# Lowest first. A package may import its own modules and anything on a lower floor; packages on one floor
# may not import each other (that is how cycles start). An entry may also name a module (`package.module`):
# that module stands on its own floor, apart from the rest of its package — said here, with the reason.
LAYERS: list[set[str]] = [
    # Pure libraries: the rules, the bank formats (bank/), the test identities.
    {"rules", "bank", "testdata"},
    # What everything may use: settings helpers, logging, uploads, health, the `sek` template filter.
    {"core"},
    {"identity"},
    # The access log is written on every floor, as a log is; its screens, extracts and retention are
    # audit's own, on the top floor.
    {"accesslog"},
    {"registers"},
    {"intake"},
    # The spine: the case, its timeline, and who may open it (`cases.scope`, `cases.protection`).
    {"cases"},
    {"decisions"},
    {"payments"},
    # The conversation with the citizen (document requests, messages, uploads, appeals): the caseworker
    # writes it and Mina sidor shows it, so it stands below both.
    {"conversation"},
    {"casework"},
    {"portal", "security"},
    {"oversight", "api"},
    {"audit"},
    # The composition root: the CLI, the runner, the worker's schedule, demo data, and Django's own
    # entry files (settings, root URLconf, WSGI), which name every app by design.
    {"ops", "cli", "settings", "urls", "wsgi"},
]
FLOOR = {unit: floor for floor, units in enumerate(LAYERS) for unit in units}

# Function-level imports with a `# lazy:` reason. Lower it when you remove one; raising it needs a reason
# in the comment of each new one.
LAZY_IMPORTS_ALLOWED = 54


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


def _is_module(dotted: str) -> bool:
    path = SRC.parent / dotted.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


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
        """A `# lazy:` comment on the import, or heading the block of imports it stands in."""
        if any("# lazy:" in line for line in lines[node.lineno - 1 : node.end_lineno]):
            return True
        for line in reversed(lines[: node.lineno - 1]):
            stripped = line.strip()
            if "# lazy:" in stripped:
                return True
            if not stripped.startswith(("from ", "import ", "#", ")")) and not stripped.endswith(","):
                return False
        return False

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
                # `from bistand.accesslog import chain` imports the module `bistand.accesslog.chain`.
                targets = [
                    f"{prefix}.{alias.name}" if _is_module(f"{prefix}.{alias.name}") else prefix
                    for alias in child.names
                ]
            for target in targets:
                if target == "bistand" or target.startswith("bistand."):
                    found.append(Import(module, target, child.lineno, in_function, has_reason(child)))
            visit(child, inner)

    visit(tree, False)
    return found


@cache
def all_imports() -> list[Import]:
    return [imp for path in sorted(SRC.rglob("*.py")) for imp in _imports(path)]


def _unit(module: str) -> str:
    """The floor-plan entry a module belongs to: the longest `package.module` named in LAYERS, or its package."""
    parts = module.split(".")[1:]
    for end in range(len(parts), 1, -1):
        name = ".".join(parts[:end])
        if name in FLOOR:
            return name
    return _package(module)


def _wrong(imp: Import) -> bool:
    """An import up the floors, or sideways into another package on the same floor."""
    source, target = _unit(imp.module), _unit(imp.target)
    if target in ("bistand", source):
        return False
    if _package(imp.module) == _package(imp.target):
        return FLOOR[target] > FLOOR[source]  # inside a package, a module placed low may not reach up
    return FLOOR[target] >= FLOOR[source]


def _describe(imp: Import) -> str:
    return f"{imp.module}:{imp.line} imports {imp.target}"


def test_every_package_is_on_a_floor_and_every_module_named_exists():
    packages = {_package(imp.module) for imp in all_imports()} | {
        _package(imp.target) for imp in all_imports()
    }
    packages.discard("bistand")
    assert sorted(packages - FLOOR.keys()) == []
    modules = [unit for unit in FLOOR if "." in unit]
    missing = [m for m in modules if not (SRC / (m.replace(".", "/") + ".py")).exists()]
    assert missing == [], "a module placed by name is gone: update LAYERS"


def test_no_package_imports_from_a_higher_or_the_same_floor():
    """No exceptions: a thing needed from above moves down to where it belongs, or becomes a signal the
    package above handles (`intake/signals.py`)."""
    wrong = [_describe(imp) for imp in all_imports() if _wrong(imp)]
    assert wrong == []


def test_no_cycle_between_packages():
    """Implied by the floors, but said on its own: the message names the cycle (between floor-plan entries:
    packages, and the modules placed by name)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in all_imports():
        source, target = _unit(imp.module), _unit(imp.target)
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
    assert cycles[:5] == []


def _imported_module(target: str) -> str:
    """`bistand.payments.models.PaymentOrder` was read as a module path only when it is one; trim to one."""
    while not _is_module(target) and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def test_no_cycle_between_modules_even_through_a_function_level_import():
    """Inside a package too: two modules that use each other are one module, or a third holds what both
    need. A lazy import does not break a cycle, it hides one, so lazy imports count here."""
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in all_imports():
        target = _imported_module(imp.target)
        if target != imp.module and target != "bistand":
            graph[imp.module].add(target)

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(graph[node])
        return seen

    on_a_cycle = sorted(module for module in list(graph) if module in reachable(module))
    assert on_a_cycle == []


def test_lazy_imports_say_why_and_are_counted():
    lazy = [imp for imp in all_imports() if imp.lazy]
    unexplained = [_describe(imp) for imp in lazy if not imp.reason]
    assert unexplained == []
    assert len(lazy) <= LAZY_IMPORTS_ALLOWED, (
        f"{len(lazy)} lazy imports; the plan allows {LAZY_IMPORTS_ALLOWED}"
    )


def _packages_on_a_cycle() -> set[str]:
    """Packages on a cycle when every module counts as its package, placed by name in LAYERS or not."""
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in all_imports():
        source, target = _package(imp.module), _package(imp.target)
        if target not in ("bistand", source):
            graph[source].add(target)

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(graph[node])
        return seen

    return {package for package in list(graph) if package in reachable(package)}


def test_the_access_log_and_audit_are_on_no_package_cycle():
    """The access log is its own package below every writer; audit, which reads it, stands on top. (When
    `audit.models` and `audit.chain` stood apart from audit, audit and casework, intake and security imported
    each other.)"""
    assert _packages_on_a_cycle() & {"accesslog", "audit"} == set()


def test_no_cycle_between_whole_packages():
    """A module placed by name must not hide a cycle between packages: read package by package, the
    imports form no cycle at all."""
    assert _packages_on_a_cycle() == set()
