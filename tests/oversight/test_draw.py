"""The monthly random checks: reproducible, uniform, blind to who the household is."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from bistand.conversation.models import DocumentRequest
from bistand.oversight import draw
from bistand.oversight.models import OversightSettings, RandomCheck, RandomCheckDraw
from bistand.portal import requests

DECEMBER = datetime.date(2026, 12, 1)
TODAY = datetime.date(2026, 12, 2)

# Critical values of the chi-square distribution at p = 0.001 (a fair draw fails 1 time in 1 000).
CHI2_CRITICAL_P001 = {2: 13.816, 19: 43.820, 29: 59.703}


def chi_square(observed: list[int], expected: float) -> float:
    return sum((o - expected) ** 2 / expected for o in observed)


def population(n: int, group: str = "caseworker:1") -> list[dict]:
    return [{"group": group, "households": list(range(1, n + 1))}]


# The pure draw ----------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    pop = [
        {"group": "caseworker:3", "households": list(range(100, 140))},
        {"group": "caseworker:7", "households": list(range(200, 212))},
        {"group": "unit:1", "households": [300, 301]},
    ]
    first = draw.select(pop, 20261201, 3, 5)
    assert draw.select(pop, 20261201, 3, 5) == first
    assert draw.select(pop, 20261202, 3, 5) != first
    for group, chosen in zip(pop, first, strict=True):
        assert chosen["group"] == group["group"]
        assert 3 <= chosen["count"] <= 5
        assert len(chosen["households"]) == min(chosen["count"], len(group["households"]))
        assert len(set(chosen["households"])) == len(chosen["households"])
        assert set(chosen["households"]) <= set(group["households"])


def test_a_recorded_draw_is_pinned():
    """The algorithm uses only Random.random(), which Python keeps stable for a seed. Pinning one result
    makes any change of algorithm visible: a changed algorithm needs a new ALGORITHM name, or old draws
    could no longer be reproduced."""
    assert draw.ALGORITHM == "fisher-yates-random-v1"
    assert draw.select(population(30), 42, 3, 5) == [
        {"group": "caseworker:1", "count": 4, "households": [1, 9, 2, 23]}
    ]


def test_each_household_is_drawn_equally_often():
    """Chi-square over 6 000 draws of 4 among 20: every household has the same chance."""
    n, k, rounds = 20, 4, 6000
    counts = Counter()
    for seed in range(rounds):
        counts.update(draw.select(population(n), seed, k, k)[0]["households"])
    observed = [counts[h] for h in range(1, n + 1)]
    assert chi_square(observed, rounds * k / n) < CHI2_CRITICAL_P001[n - 1]


def test_each_position_of_the_list_is_drawn_equally_often_in_a_larger_pool():
    """Chi-square over 3 000 draws of 5 among 30, so the first and last in the sorted list are not favoured."""
    n, k, rounds = 30, 5, 3000
    counts = Counter()
    for seed in range(10_000, 10_000 + rounds):
        counts.update(draw.select(population(n), seed, k, k)[0]["households"])
    assert chi_square([counts[h] for h in range(1, n + 1)], rounds * k / n) < CHI2_CRITICAL_P001[n - 1]


def test_the_number_per_caseworker_is_uniform_between_the_limits():
    rounds = 3000
    counts = Counter(draw.select(population(50), seed, 3, 5)[0]["count"] for seed in range(rounds))
    assert set(counts) == {3, 4, 5}
    assert chi_square([counts[3], counts[4], counts[5]], rounds / 3) < CHI2_CRITICAL_P001[2]


def test_the_chi_square_test_would_catch_a_biased_draw():
    """The test has teeth: a draw that favours the start of the list fails it."""
    n, k, rounds = 20, 4, 6000
    counts = Counter()
    for seed in range(rounds):
        chosen = draw.select(population(n), seed, k, k)[0]["households"]
        # Bias: one time in five, replace the last pick with household 1 (if not already drawn).
        if seed % 5 == 0 and 1 not in chosen:
            chosen = [*chosen[:-1], 1]
        counts.update(chosen)
    assert chi_square([counts[h] for h in range(1, n + 1)], rounds * k / n) > CHI2_CRITICAL_P001[n - 1]


def test_a_small_group_gives_everyone_and_an_empty_group_nobody():
    result = draw.select(
        [{"group": "caseworker:1", "households": [5, 6]}, {"group": "unit:2", "households": []}], 1, 3, 5
    )
    assert sorted(result[0]["households"]) == [5, 6]
    assert result[1]["households"] == []


def test_limits_are_checked():
    with pytest.raises(ValueError):
        draw.select(population(5), 1, 4, 3)


# Who can be drawn and who handles them ----------------------------------------------------------------


def _granted(world, *, month="2026-12", by=None, automated=False, outcome="grant", amount=9000):
    return world.application(
        month=month,
        run="decided" if automated else "routed",
        decided_after_hours=2,
        automated=automated,
        decided_by=by,
        outcome=outcome,
        amount=amount,
    )


def test_population_is_every_granted_household_grouped_by_the_last_deciding_caseworker(world, other_unit):
    kim, sam = world.caseworker(), world.caseworker()
    a = _granted(world, by=kim)
    b = _granted(world, by=sam)
    c = _granted(world, automated=True)  # only ever decided by the robot: the unit's pool
    # b's household: an earlier decision by kim, the latest person decision by sam.
    world.application(
        month="2026-11", person=b.case.applicant, run="routed", decided_after_hours=1, decided_by=kim
    )
    # Not drawn from: a rejection, a grant of 0, another month, another municipality.
    _granted(world, by=kim, outcome="reject", amount=0)
    _granted(world, by=kim, month="2026-11")
    from tests.oversight.conftest import World

    World(other_unit).application(month="2026-12", run="routed", decided_after_hours=1)
    # A corrected decision: the version in force counts (here still a grant).
    d = _granted(world, by=sam)
    world.correct(d.decision, by=sam)

    pop = draw.eligible_population(world.municipality, DECEMBER)
    assert pop == [
        {"group": f"caseworker:{kim.pk}", "households": [a.case.pk]},
        {"group": f"caseworker:{sam.pk}", "households": sorted([b.case.pk, d.case.pk])},
        {"group": f"unit:{world.unit.pk}", "households": [c.case.pk]},
    ]
    # Nothing about the household goes in: only group keys and case numbers.
    assert all(
        set(g) == {"group", "households"} and all(isinstance(h, int) for h in g["households"]) for g in pop
    )


def test_a_superseded_grant_that_became_a_rejection_is_not_drawn_from(world):
    made = _granted(world, by=world.caseworker())
    from bistand.decisions.models import Decision

    Decision.objects.create(
        case=made.case,
        application=made.application,
        version=2,
        supersedes=made.decision,
        correction="andring",
        correction_reason="Inkomst.",
        month=made.decision.month,
        outcome="reject",
        amount_applied=made.decision.amount_applied,
        amount_granted=0,
        calculation={},
        motivation="Test.",
        automated=False,
        decided_by=made.decision.decided_by,
        decided_at=made.decision.decided_at,
        inputs={},
        rules_version="test",
    )
    assert draw.eligible_population(world.municipality, DECEMBER) == []


# The draw as recorded -----------------------------------------------------------------------------------


def _households(world, count: int, by=None):
    return [_granted(world, by=by) for _ in range(count)]


def test_perform_draw_records_seed_population_and_result_and_asks_for_documents(world):
    kim = world.caseworker()
    _households(world, 8, by=kim)
    _households(world, 3)  # three more, each decided by its own caseworker
    OversightSettings.objects.create(
        municipality=world.municipality, checks_min=2, checks_max=2, months_back=3, deadline_days=10
    )

    made = draw.perform_draw(world.municipality, DECEMBER, seed=123456789, today=TODAY)

    assert made.seed == 123456789
    assert made.algorithm == draw.ALGORITHM
    assert made.population == draw.eligible_population(world.municipality, DECEMBER)
    assert made.selection == draw.select(made.population, 123456789, 2, 2)
    assert made.deadline == datetime.date(2026, 12, 12)
    checks = list(made.checks.order_by("pk"))
    assert len(checks) == made.selected_count == 2 + 1 + 1 + 1
    kims = [c for c in checks if c.caseworker_id == kim.pk]
    assert len(kims) == 2
    for check in checks:
        assert check.months_covered == ["2026-09", "2026-10", "2026-11"]
        request = check.document_request
        assert request.reason == DocumentRequest.Reason.RANDOM_CHECK
        assert request.deadline == check.deadline
        assert request.case_id == check.case_id
        assert request.requested_by is None
        assert "slumpvis kontroll" in request.text
        assert "september 2026, oktober 2026 och november 2026" in request.text
        assert "12 december 2026" in request.text
    assert draw.verify(made)


def test_the_request_is_also_in_the_households_own_language(world):
    made = world.application(month="2026-12", language="en", run="routed", decided_after_hours=1)
    result = draw.perform_draw(world.municipality, DECEMBER, seed=1, today=TODAY)
    request = result.checks.get().document_request
    assert request.text.startswith("Ditt hushåll har lottats ut")  # the Swedish original, stored
    assert "random check" not in request.text
    # Mina sidor writes it from its months in the reader's language (tests/portal/test_requests.py).
    assert request.months == ["2026-09", "2026-10", "2026-11"]
    with translation.override("en"):
        assert "random check" in requests.for_document_request(request).why
    assert made.case.pk == result.checks.get().case_id


def test_a_month_is_drawn_once(world):
    _households(world, 2)
    draw.perform_draw(world.municipality, DECEMBER, seed=1, today=TODAY)
    with pytest.raises(draw.DrawExists):
        draw.perform_draw(world.municipality, DECEMBER, seed=2, today=TODAY)
    assert RandomCheckDraw.objects.count() == 1


def test_verify_notices_a_tampered_record(world):
    _households(world, 6, by=world.caseworker())
    made = draw.perform_draw(world.municipality, DECEMBER, seed=99, today=TODAY)
    assert draw.verify(made)
    swapped = made.selection[0]["households"]
    outsider = next(h for h in made.population[0]["households"] if h not in swapped)
    made.selection[0]["households"] = [outsider, *swapped[1:]]
    assert not draw.verify(made)
    made.refresh_from_db()
    assert draw.verify(made)
    RandomCheck.objects.filter(draw=made).first().delete()
    assert not draw.verify(made)  # a check missing from the record is noticed too


def test_the_command_draws_with_a_given_seed_and_verifies(world):
    _households(world, 7, by=world.caseworker())
    out = StringIO()
    call_command("draw_random_checks", "--month", "2026-12", "--seed", "777", stdout=out)
    assert "seed 777" in out.getvalue()
    assert "7 households" in out.getvalue()
    recorded = RandomCheckDraw.objects.get()
    assert recorded.seed == 777

    out = StringIO()
    call_command("draw_random_checks", "--month", "2026-12", "--verify", stdout=out)
    assert "the same as recorded" in out.getvalue()

    out = StringIO()
    call_command("draw_random_checks", "--month", "2026-12", stdout=out)
    assert "already drawn" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("draw_random_checks", "--month", "december")
    with pytest.raises(CommandError):
        call_command("draw_random_checks", "--month", "2026-11", "--verify")


def test_without_a_seed_a_fresh_one_is_made_and_recorded(world):
    _households(world, 3)
    made = draw.perform_draw(world.municipality, DECEMBER, today=TODAY)
    assert 0 <= made.seed < 2**63
    assert draw.verify(made)


def test_the_task_draws_every_municipality_once(world, other_unit):
    from bistand.oversight.tasks import draw_random_checks
    from tests.oversight.conftest import World

    _households(world, 2)
    World(other_unit).application(month="2026-12", run="routed", decided_after_hours=1)
    first = draw_random_checks.call("2026-12", 5)
    assert len(first) == 2
    assert draw_random_checks.call("2026-12", 5) == []
    assert RandomCheckDraw.objects.count() == 2
