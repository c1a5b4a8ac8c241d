"""The registers simulator stands apart from the clients production runs (issue 18, item 5).

Its population, faults and benefit amounts live under `registers/simulator/` with the server that answers
from them. Production code — the clients, the robot, the caseworker's office — never imports it; only the
composition on top (`ops`: demo data) and the `bistand registers` command, which starts it, may.
"""

from __future__ import annotations

from tests.test_layers import all_imports

SIMULATOR = "bistand.registers.simulator"
MAY_START_IT = ("bistand.registers.simulator", "bistand.registers.commands", "bistand.ops")


def _is(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_only_the_composition_and_the_registers_command_import_the_simulator():
    reaching_in = sorted(
        f"{imp.module}:{imp.line} imports {imp.target}"
        for imp in all_imports()
        if _is(imp.target, SIMULATOR) and not any(_is(imp.module, allowed) for allowed in MAY_START_IT)
    )
    assert reaching_in == []


def test_demo_data_reads_the_population_without_starting_the_server():
    """Importing the population must not load the HTTP server (the package imports nothing eagerly)."""
    server = f"{SIMULATOR}.server"
    population_imports = {imp.target for imp in all_imports() if imp.module == f"{SIMULATOR}.population"}
    assert not any(_is(target, server) for target in population_imports)
    package_imports = {imp.target for imp in all_imports() if imp.module == SIMULATOR}
    assert package_imports == set()
