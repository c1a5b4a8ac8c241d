"""`bistand norm`: the rules package's command, and after an import every application waiting for that
norm resumes through the robot.

The rules package stays free of Django; this wrapper is the one place that connects the two.
"""

from __future__ import annotations

import argparse

from bistand.rules.commands import norm, write_err, write_out

add_arguments = norm.add_arguments


def run(args: argparse.Namespace) -> int:
    """Run `bistand norm …`; after a saved import, resume the applications that waited for it."""
    code = norm.run(args)
    if code != 0 or args.action != "import" or args.dry_run:
        return code
    try:
        # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
        from bistand.core.django_setup import setup_django

        setup_django()
        # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
        from bistand.casework.pipeline import resume_waiting

        resumed = resume_waiting()
    except Exception as error:  # no database here: the worker's sweep resumes them instead
        write_err(
            f"Väntande ansökningar återupptas av bakgrundsprocessen ({type(error).__name__}).\n"
            if args.lang == "sv"
            else f"Waiting applications will be resumed by the worker ({type(error).__name__}).\n"
        )
        return code
    write_out(
        f"{resumed} ansökningar som väntade på riksnormen handläggs nu.\n"
        if args.lang == "sv"
        else f"{resumed} applications that waited for the riksnorm are being processed now.\n"
    )
    return code
