"""The `bistand` command line.

Each subcommand lives in the package it belongs to and is imported only when used, so that
`bistand calc` starts without loading Django. A subcommand module exposes
`add_arguments(parser)` and `run(args) -> int`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "run": ("bistand.ops.runner", "run the web server, the worker and the registers simulator"),
    "calc": ("bistand.rules.commands.calc", "calculate försörjningsstöd for a household (JSON in, JSON out)"),
    "norm": ("bistand.casework.norm_command", "show or import the yearly riksnorm tables"),
    "simulate": ("bistand.rules.commands.simulate", "calculate many households at once (policy questions)"),
    "registers": ("bistand.registers.commands", "the registers simulator and register look-ups"),
    "decisions": (
        "bistand.decisions.commands",
        "replay decisions: bistand decisions verify | review-norm [--since DATE]",
    ),
    "policy": (
        "bistand.casework.commands",
        "record a municipality's automation policy and delegation, or show it",
    ),
    "manage": ("bistand.ops.manage", "Django management commands (migrate, createsuperuser, …)"),
}


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="bistand",
        description="Bistånd — case handling for Swedish municipal income support (försörjningsstöd).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module, help_text) in SUBCOMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    parser.epilog = "Run `bistand COMMAND --help` for a command's own options."
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `bistand` command; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "manage":
        # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
        from bistand.ops.manage import run_django

        return run_django(argv[1:])
    if argv and argv[0] in SUBCOMMANDS:
        # Build only the one subcommand's parser: importing every module would load Django for `calc`.
        name = argv[0]
        module = importlib.import_module(SUBCOMMANDS[name][0])
        parser = argparse.ArgumentParser(prog=f"bistand {name}", description=SUBCOMMANDS[name][1])
        module.add_arguments(parser)
        return module.run(parser.parse_args(argv[1:])) or 0
    parser = build_parser()
    parser.parse_args(argv)  # handles --help and reports an unknown command
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
