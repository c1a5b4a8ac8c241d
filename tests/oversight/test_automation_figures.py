"""The robot's work for real, per month and unit: automation share, routing reasons and corrections.

The figures bench/month.py measures on a synthetic month are the ones a municipality must see in production:
how much the robot decided, why the rest went to people, and how many of its decisions a person later had
to correct.
"""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from bistand.identity.models import Unit, User
from bistand.oversight.periods import Period
from bistand.oversight.statistics import compute
from tests.conftest import STAFF_PASSWORD, make_staff
from tests.oversight.conftest import at
from tests.oversight.test_statistics import APRIL, MARCH, NOW, PERIOD


def _month_with_two_units(world, unit):
    """March: unit one decides 3 automatically (one corrected later), routes 2; unit two decides 1
    automatically and routes 1. April: unit one decides 1 automatically, corrected later."""
    north = Unit.objects.create(municipality=unit.municipality, name="Norra enheten", handles_intake=True)
    auto = [world.application(month="2026-03", decided_after_hours=1) for _ in range(3)]
    world.correct(auto[0].decision)
    world.application(month="2026-03", run="routed", reasons=("first_application", "vehicle"))
    world.application(month="2026-03", run="routed", reasons=("vehicle",), decided_after_hours=30)
    world.application(month="2026-03", unit=north, decided_after_hours=2)
    world.application(month="2026-03", unit=north, run="routed", reasons=("emergency",))
    april = world.application(month="2026-04", submitted=at("2026-04-02"), decided_after_hours=1)
    world.correct(april.decision)
    # A person's decision corrected later is not a correction of the robot.
    routed = world.application(month="2026-04", run="routed", reasons=("vehicle",), decided_after_hours=5)
    world.correct(routed.decision)
    return north


def test_corrections_of_automated_decisions_per_month(world, unit):
    _month_with_two_units(world, unit)
    s = compute(unit.municipality, PERIOD, now=NOW)
    assert s.automated_by_month == {MARCH: 4, APRIL: 1}
    assert s.automated_corrected_by_month == {MARCH: 1, APRIL: 1}
    assert s.automated_corrected == 2
    assert s.corrected_later == 3  # every corrected decision, the person's one too


def test_automation_corrections_and_main_reason_per_unit(world, unit):
    north = _month_with_two_units(world, unit)
    s = compute(unit.municipality, Period(MARCH, MARCH), now=NOW)
    rows = {row.name: row for row in s.units}
    main, other = rows["Försörjningsstöd"], rows["Norra enheten"]
    assert (main.decided, main.automated, main.automated_corrected, main.routed) == (4, 3, 1, 2)
    assert main.automated_share.percent == 75
    assert main.top_reason == "Fordon i registret"  # vehicle: 2 cases, first_application: 1
    assert (other.decided, other.automated, other.automated_corrected, other.routed) == (1, 1, 0, 1)
    assert other.top_reason == "Nödbistånd"
    # The unit filter gives the same unit's Pareto.
    filtered = compute(unit.municipality, Period(MARCH, MARCH), [north.pk], now=NOW)
    assert [(r.code, r.count) for r in filtered.reasons] == [("emergency", 1)]


def test_the_dashboard_and_its_export_show_them(client, world, unit):
    _month_with_two_units(world, unit)
    lead = make_staff("gruppledare1", unit, role=User.Role.TEAM_LEAD)
    assert client.login(username=lead.username, password=STAFF_PASSWORD)
    query = {"first": "2026-03", "last": "2026-04"}
    html = client.get(reverse("oversight:dashboard"), query).content.decode()
    assert "Automatiska, rättade senare" in html
    assert "Norra enheten" in html and "Per enhet" in html
    assert "66,7 %" in html  # the main unit: four of its six decisions were automated
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("oversight:dashboard-csv"), query).content.decode()))
    )
    table = {(f, mo, g): v for f, mo, g, v in rows[1:]}
    assert table[("automated_corrected", "2026-03", "")] == "1"
    assert table[("automated_corrected", "", "")] == "2"
    north = Unit.objects.get(name="Norra enheten")
    assert table[("automated_corrected", "", f"unit:{north.pk}")] == "0"
    # Per month and unit.
    main = f"unit:{unit.pk}"
    assert [table[(f, "2026-03", main)] for f in ("decisions", "automated", "automated_corrected")] == [
        "4",
        "3",
        "1",
    ]
    assert [table[(f, "2026-04", main)] for f in ("decisions", "automated", "automated_corrected")] == [
        "2",
        "1",
        "1",
    ]
    assert table[("automated", "2026-04", f"unit:{north.pk}")] == "0"


def test_every_reform_rule_that_routes_has_a_label_in_the_pareto():
    """The Pareto names each routing reason in words; the bidragsreform's rules route too."""
    from django.utils import translation

    from bistand.oversight.statistics import REASON_LABELS, reason_label
    from bistand.rules.reform import reform_rules

    assert set(reform_rules()) <= set(REASON_LABELS)
    assert "Arbetsförmedlingen" in reason_label("aktivitetskrav")  # not only "no plan": AF's news too
    with translation.override("en"):
        assert reason_label("aktivitetskrav").startswith("Activity requirement")
    with translation.override("ar"):
        assert reason_label("medical_certificate") != "Läkarintyg saknas eller täcker inte månaden"
