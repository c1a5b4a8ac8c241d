"""The monthly random checks (stickprov): who is drawn, reproducibly, and without any judgement of risk.

Who can be drawn: every household (case) in the municipality with a decision in force that grants
försörjningsstöd for the month. Nothing else about the household is looked at — no amount, no history, no
personal characteristic — and a household drawn last month can be drawn again.

Who handles it: the caseworker who made the household's latest decision by a person. A household only
ever decided by the robot belongs to its unit's pool, which is drawn from like one more caseworker's.

The draw: groups in a fixed order (caseworkers by account id, then unit pools by unit id), each group's
households by case id. One generator, `random.Random(seed)`, is used in that order: first the group's
number of checks, uniform between the municipality's minimum and maximum, then that many households by a
partial Fisher–Yates shuffle. Only `Random.random()` is used, which Python guarantees to repeat for a
seed across versions (its `sample` and `randint` are not guaranteed), so a recorded draw can be checked
years later: `bistand manage draw_random_checks --month YYYY-MM --verify`.
"""

from __future__ import annotations

import datetime
import logging
import random
import secrets
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bistand.cases.models import Case
from bistand.decisions.models import Decision
from bistand.identity.models import Municipality
from bistand.oversight import documents
from bistand.oversight.models import OversightSettings, RandomCheck, RandomCheckDraw
from bistand.oversight.periods import add_months, month_label, month_start

logger = logging.getLogger(__name__)

ALGORITHM = "fisher-yates-random-v1"
SEED_BITS = 63  # fits a signed 64-bit column


class DrawExists(Exception):
    """The month has already been drawn in the municipality: a draw is made once."""


def new_seed() -> int:
    """A fresh seed from the operating system's secure generator."""
    return secrets.randbits(SEED_BITS)


def _below(rng: random.Random, n: int) -> int:
    """A uniform integer in 0..n-1 from `Random.random()` alone."""
    return min(int(rng.random() * n), n - 1)


def select(
    population: list[dict[str, Any]], seed: int, checks_min: int, checks_max: int
) -> list[dict[str, Any]]:
    """The draw itself, a pure function: for each group in order, how many and which households.

    `population` is `[{"group": key, "households": [case ids]}]` in draw order; the result has the same
    groups in the same order with `count` (the number drawn for the group before capping at its size)
    and `households` (in the order drawn).
    """
    if not 0 <= checks_min <= checks_max:
        raise ValueError("checks_min must be between 0 and checks_max")
    # Reproducible on purpose: the seed itself comes from `secrets`, the draw must repeat from it.
    rng = random.Random(seed)  # noqa: S311
    out = []
    for group in population:
        pool = list(group["households"])
        count = checks_min + _below(rng, checks_max - checks_min + 1)
        chosen = []
        for index in range(min(count, len(pool))):
            pick = index + _below(rng, len(pool) - index)
            pool[index], pool[pick] = pool[pick], pool[index]
            chosen.append(pool[index])
        out.append({"group": group["group"], "count": count, "households": chosen})
    return out


def _group_order(key: str) -> tuple[int, int]:
    kind, _, ident = key.partition(":")
    return (0 if kind == "caseworker" else 1, int(ident))


def eligible_population(municipality: Municipality, month: datetime.date) -> list[dict[str, Any]]:
    """Households granted support for the month, grouped by who handles them, in draw order."""
    granted = Decision.objects.filter(
        case__unit__municipality=municipality,
        month=month,
        outcome__in=[Decision.Outcome.GRANT, Decision.Outcome.PARTIAL],
        amount_granted__gt=0,
        superseded_by__isnull=True,
    )
    case_ids = set(granted.values_list("case_id", flat=True))
    # The latest decision made by a person on each case, whatever month it was for.
    handler: dict[int, int] = {}
    for row in (
        Decision.objects.filter(case_id__in=case_ids, decided_by__isnull=False)
        .order_by("case_id", "decided_at", "pk")
        .values("case_id", "decided_by_id")
    ):
        handler[row["case_id"]] = row["decided_by_id"]
    groups: dict[str, list[int]] = defaultdict(list)
    for case_id, unit_id in Case.objects.filter(pk__in=case_ids).values_list("pk", "unit_id"):
        key = f"caseworker:{handler[case_id]}" if case_id in handler else f"unit:{unit_id}"
        groups[key].append(case_id)
    return [{"group": key, "households": sorted(groups[key])} for key in sorted(groups, key=_group_order)]


def months_to_cover(today: datetime.date, months_back: int) -> list[datetime.date]:
    """The whole calendar months before `today`'s month, oldest first."""
    current = month_start(today)
    return [add_months(current, -n) for n in range(months_back, 0, -1)]


def perform_draw(
    municipality: Municipality,
    month: datetime.date,
    *,
    seed: int | None = None,
    by=None,
    today: datetime.date | None = None,
) -> RandomCheckDraw:
    """Draw the month's random checks, record the draw and ask each drawn household for documents.

    Raises DrawExists if the month has been drawn already in the municipality.
    """
    month = month_start(month)
    today = today or timezone.localdate()
    if RandomCheckDraw.objects.filter(municipality=municipality, month=month).exists():
        raise DrawExists(f"{month_label(month)} is already drawn in {municipality.code}")
    config = OversightSettings.for_municipality(municipality)
    seed = new_seed() if seed is None else seed
    population = eligible_population(municipality, month)
    selection = select(population, seed, config.checks_min, config.checks_max)
    deadline = today + datetime.timedelta(days=config.deadline_days)
    covered = months_to_cover(today, config.months_back)
    try:
        with transaction.atomic():
            draw = RandomCheckDraw.objects.create(
                municipality=municipality,
                month=month,
                seed=seed,
                algorithm=ALGORITHM,
                checks_min=config.checks_min,
                checks_max=config.checks_max,
                months_back=config.months_back,
                deadline=deadline,
                population=population,
                selection=selection,
                drawn_by=by,
            )
            cases = Case.objects.in_bulk([c for g in selection for c in g["households"]])
            for group in selection:
                kind, _, ident = group["group"].partition(":")
                for case_id in group["households"]:
                    case = cases[case_id]
                    check = RandomCheck.objects.create(
                        draw=draw,
                        case=case,
                        unit_id=case.unit_id,
                        caseworker_id=int(ident) if kind == "caseworker" else None,
                        months_covered=[month_label(m) for m in covered],
                        deadline=deadline,
                    )
                    check.document_request = documents.ask(check, covered)
                    check.save(update_fields=["document_request"])
    except IntegrityError as exc:  # another process drew the same month at the same moment
        raise DrawExists(f"{month_label(month)} is already drawn in {municipality.code}") from exc
    logger.info(
        "random checks drawn",
        extra={
            "municipality": municipality.code,
            "month": month_label(month),
            "seed": seed,
            "population": draw.population_size,
            "selected": draw.selected_count,
        },
    )
    return draw


def reproduce(draw: RandomCheckDraw) -> list[dict[str, Any]]:
    """The draw made again from its recorded population and seed."""
    if draw.algorithm != ALGORITHM:
        raise ValueError(f"unknown draw algorithm {draw.algorithm!r}")
    return select(draw.population, draw.seed, draw.checks_min, draw.checks_max)


def verify(draw: RandomCheckDraw) -> bool:
    """True when making the draw again gives exactly the recorded result and the recorded checks."""
    if reproduce(draw) != draw.selection:
        return False
    recorded = sorted(draw.checks.values_list("case_id", flat=True))
    return recorded == sorted(c for g in draw.selection for c in g["households"])
