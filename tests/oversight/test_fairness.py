"""Fairness monitoring: rates by household type, channel and language, and an alert when a group diverges."""

from __future__ import annotations

import datetime

from django.urls import reverse

from bistand.oversight import fairness
from bistand.oversight.models import OversightSettings
from bistand.oversight.periods import Period
from bistand.oversight.records import household_type_of
from bistand.oversight.statistics import compute
from tests.conftest import STAFF_PASSWORD

MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))


def test_household_type_comes_from_the_answers():
    def answers(co, children):
        return {"co_applicant": {"value": co}, "children": {"value": children}}

    assert household_type_of(answers(None, [])) == "single"
    assert household_type_of(answers(None, [{"personnummer": "x"}])) == "single_children"
    assert household_type_of(answers("198001249286", [])) == "couple"
    assert household_type_of(answers("198001249286", [{}])) == "couple_children"
    assert household_type_of({}) == "single"


def _make(world, n, *, routed, **kw):
    for i in range(n):
        if i < routed:
            world.application(run="routed", reasons=("first_application",), decided_after_hours=30, **kw)
        else:
            world.application(decided_after_hours=2, **kw)


def test_a_group_far_from_the_rest_is_flagged_and_a_small_group_is_not(world, unit):
    # Singles: 25 applications, 5 routed (20 %). Couples: 25, 15 routed (60 %). Arabic: 4, all routed.
    _make(world, 25, routed=5)
    _make(world, 25, routed=15, couple=True)
    _make(world, 4, routed=4, language="ar")
    stats = compute(unit.municipality, MARCH)
    rates = fairness.group_rates(stats.records, threshold=10, min_group=20)

    def rate(dimension, group, kind="routed"):
        return next(r for r in rates if (r.dimension, r.group, r.rate) == (dimension, group, kind))

    couple = rate("household_type", "couple")
    assert (couple.share.count, couple.share.total) == (15, 25)
    assert (couple.rest.count, couple.rest.total) == (9, 29)  # 5 singles + 4 Arabic, of 29
    assert couple.flagged
    assert round(couple.difference, 1) == round(60 - 100 * 9 / 29, 1)
    arabic = rate("language", "ar")
    assert (arabic.share.count, arabic.share.total) == (4, 4)
    assert not arabic.flagged  # 100 % against 37 %, but four applications say nothing
    automated = rate("household_type", "couple", "automated")
    assert (automated.share.count, automated.share.total) == (10, 25)
    flagged = fairness.alerts(rates)
    assert flagged and all(r.flagged for r in flagged)
    assert {(r.dimension, r.group) for r in flagged} >= {
        ("household_type", "couple"),
        ("household_type", "single"),
    }
    assert ("language", "ar") not in {(r.dimension, r.group) for r in flagged}
    # With a threshold above the difference nothing is flagged.
    assert not fairness.alerts(fairness.group_rates(stats.records, threshold=50, min_group=20))


def test_the_dashboard_shows_the_alert(client, world, unit, team_lead):
    _make(world, 25, routed=5)
    _make(world, 25, routed=15, couple=True)
    OversightSettings.objects.create(
        municipality=unit.municipality, fairness_threshold=10, fairness_min_group=20
    )
    assert client.login(username=team_lead.username, password=STAFF_PASSWORD)
    response = client.get(reverse("oversight:dashboard"), {"first": "2026-03", "last": "2026-03"})
    html = response.content.decode()
    assert "Larm om lika behandling" in html
    assert "Sammanboende utan barn" in html
    assert response.context["fairness_alerts"]
