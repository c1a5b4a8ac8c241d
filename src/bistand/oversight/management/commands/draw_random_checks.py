"""`bistand manage draw_random_checks --month YYYY-MM [--seed N] [--municipality CODE] [--verify]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bistand.identity.models import Municipality
from bistand.oversight.draw import SEED_BITS, DrawExists, perform_draw, reproduce, verify
from bistand.oversight.models import RandomCheckDraw
from bistand.oversight.periods import month_label, parse_month


class Command(BaseCommand):
    help = (
        "Draw the month's random checks (stickprov) in each municipality, or with --verify make a recorded "
        "draw again from its seed and population and compare."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="the month drawn, YYYY-MM")
        parser.add_argument("--seed", type=int, help="a seed to use (default: a fresh secure random seed)")
        parser.add_argument("--municipality", help="only this municipality (kommunkod)")
        parser.add_argument("--verify", action="store_true", help="check recorded draws instead of drawing")
        parser.add_argument("--enqueue", action="store_true", help="hand the draw to the background worker")

    def handle(self, *args, **options) -> None:
        try:
            month = parse_month(options["month"])
        except ValueError:
            raise CommandError("--month must be YYYY-MM, for example 2026-12") from None
        seed = options["seed"]
        if seed is not None and not 0 <= seed < 2**SEED_BITS:
            raise CommandError(f"--seed must be between 0 and 2**{SEED_BITS} - 1")
        municipalities = Municipality.objects.order_by("code")
        if options["municipality"]:
            municipalities = municipalities.filter(code=options["municipality"])
            if not municipalities.exists():
                raise CommandError(f"no municipality with code {options['municipality']}")
        if options["verify"]:
            self._verify(month, municipalities)
            return
        if options["enqueue"]:
            # lazy: a CLI subcommand loads Django and its modules only when it runs (`bistand calc` starts without them)
            from bistand.oversight.tasks import draw_random_checks

            if options["municipality"]:
                raise CommandError("--enqueue draws every municipality; leave out --municipality")
            result = draw_random_checks.enqueue(month_label(month), seed)
            self.stdout.write(f"enqueued task {result.id}")
            return
        for municipality in municipalities:
            try:
                draw = perform_draw(municipality, month, seed=seed)
            except DrawExists:
                self.stdout.write(f"{municipality.code} {month_label(month)}: already drawn, left as it is")
                continue
            self.stdout.write(
                f"{municipality.code} {month_label(month)}: seed {draw.seed}, {draw.population_size} households "
                f"in {len(draw.population)} groups, {draw.selected_count} drawn"
            )

    def _verify(self, month, municipalities) -> None:
        draws = RandomCheckDraw.objects.filter(month=month, municipality__in=municipalities)
        if not draws:
            raise CommandError(f"no draw recorded for {month_label(month)}")
        failed = False
        for draw in draws.select_related("municipality"):
            ok = verify(draw)
            failed |= not ok
            again = reproduce(draw)
            self.stdout.write(
                f"{draw.municipality.code} {month_label(month)}: seed {draw.seed}, "
                f"{sum(len(g['households']) for g in again)} drawn again — "
                + ("the same as recorded" if ok else "DIFFERENT from the record")
            )
        if failed:
            raise CommandError("a recorded draw could not be reproduced")
