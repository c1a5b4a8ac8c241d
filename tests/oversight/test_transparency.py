"""The public transparency page, its open data and the calculator: no sign-in, small counts hidden, figures
that match the records."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.casework.policy import describe, policy_for
from bistand.decisions.motivation import appeal_notice
from bistand.intake.models import Application
from bistand.oversight import suppression as sup
from bistand.oversight.periods import Period
from bistand.oversight.transparency import public_report
from bistand.rules import calculate, default_parameters
from tests.conftest import TEST_DELEGATION

MARCH = datetime.date(2026, 3, 1)
PERIOD_QUERY = {"fran": "2026-01", "till": "2026-03"}


# Suppression --------------------------------------------------------------------------------------------


def test_counts_of_one_to_four_are_hidden():
    assert [sup.count(n).display for n in (0, 1, 4, 5, 1234)] == ["0", "<5", "<5", "5", "1\u00a0234"]
    assert sup.count(3).value is None and sup.count(3).suppressed
    assert sup.count(0).value == 0 and not sup.count(0).suppressed


def test_a_share_is_hidden_when_it_would_reveal_a_small_count():
    assert sup.share(10, 20).display == "50,0 %"
    assert sup.share(3, 20).display == "–" and sup.share(3, 20).suppressed  # the part is small
    assert sup.share(18, 20).suppressed  # the rest (2) is small
    assert sup.share(20, 20).display == "100,0 %"  # the rest is 0: nobody singled out
    assert sup.share(0, 0).display == "–" and not sup.share(0, 0).suppressed


def test_times_and_money_are_hidden_behind_fewer_than_five():
    assert sup.hours(12.34, 4).suppressed
    assert sup.hours(12.34, 5).display == "12,3"
    assert sup.money(Decimal("23456.40"), 3).suppressed
    assert sup.money(Decimal("23456.40"), 5).display == "23\u00a0456\u00a0kr"
    assert sup.money(Decimal(0), 0).display == "0\u00a0kr"


def test_one_hidden_cell_in_a_breakdown_hides_another():
    cells = sup.breakdown({"grant": 40, "partial": 3, "reject": 7})
    assert [cells[k].display for k in ("grant", "partial", "reject")] == ["40", "<5", "x"]
    cells = sup.breakdown({"grant": 40, "partial": 3, "reject": 2})
    assert [cells[k].display for k in ("grant", "partial", "reject")] == ["40", "<5", "<5"]
    cells = sup.breakdown({"grant": 40, "partial": 0, "reject": 7})
    assert [cells[k].display for k in ("grant", "partial", "reject")] == ["40", "0", "7"]


def test_money_is_suppressed_as_a_breakdown_too():
    cells = sup.money_breakdown(
        {"jan": (Decimal(9000), 2), "feb": (Decimal(50000), 7), "mar": (Decimal(80000), 9)}
    )
    assert [cells[k].display for k in ("jan", "feb", "mar")] == ["–", "x", "80\u00a0000\u00a0kr"]


def test_a_hidden_month_cannot_be_found_by_subtraction(world, unit):
    for _ in range(3):
        world.application(month="2026-02", decided_after_hours=1)
    for _ in range(12):
        world.application(month="2026-03", decided_after_hours=1)
    report = public_report(unit.municipality, Period(datetime.date(2026, 2, 1), MARCH))
    assert report.totals["applications"].display == "15"
    months = {m.month.month: m for m in report.months}
    assert (months[2].applications.display, months[3].applications.display) == ("<5", "x")
    assert (months[2].automated_share.display, months[3].automated_share.display) == ("–", "–")
    assert months[3].median_hours.display == "1,0"  # twelve values behind it: shown


# The page -----------------------------------------------------------------------------------------------


@pytest.fixture
def records(world):
    """March 2026: 15 e-service applications; 9 decided by the robot, 6 by a person (3 of them rejected)."""
    for hours in (1, 2, 3, 4, 5, 6, 7, 8, 9):
        world.application(decided_after_hours=hours)
    for hours in (20, 25, 35):
        world.application(run="routed", reasons=("first_application",), decided_after_hours=hours)
    for hours in (30, 40, 50):
        world.application(
            run="routed",
            reasons=("no_entitlement",),
            proposal=0,
            decided_after_hours=hours,
            outcome="reject",
            amount=0,
        )
    return world


def test_anyone_can_read_the_page_without_signing_in(client, records, unit):
    response = client.get(reverse("oversight:transparency", args=[unit.municipality.code]), PERIOD_QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    # The automation policy in plain Swedish, and the delegation it rests on.
    policy = policy_for(unit.municipality, timezone.localdate())
    for line in describe(policy):
        assert line.replace("–", "&ndash;") in html or line in html
    assert TEST_DELEGATION["reference"] in html and TEST_DELEGATION["scope"] in html
    assert "ersätts av nämndens eget beslut" not in html
    assert "Datorn följer fasta regler" in html
    # The norm table in force with its source, and the appeal text.
    table = (
        default_parameters().table_for(datetime.date.today().replace(day=1))
        or default_parameters().tables[default_parameters().last_year]
    )
    assert table.source in html
    assert appeal_notice("sv") in html
    # The calculator is a form on the page.
    assert reverse("oversight:calculator", args=[unit.municipality.code]) in html
    # No personal data: no personnummer of anyone in the records.
    for app in Application.objects.select_related("applicant"):
        assert app.applicant.personnummer not in html


def test_the_figures_on_the_page_match_the_records(client, records, unit):
    response = client.get(reverse("oversight:transparency", args=[unit.municipality.code]), PERIOD_QUERY)
    report = response.context["report"]
    assert report.totals["applications"].value == Application.objects.count() == 15
    assert report.totals["decisions"].value == 15
    assert report.totals["automated"].value == 9
    assert report.totals["automated_share"].display == "60,0 %"
    # Hours 1..9, 20, 25, 30, 35, 40, 50: the median is the 8th value, the 90th percentile the 14th.
    assert report.totals["median_hours"].display == "8,0"
    assert report.totals["p90_hours"].display == "40,0"
    assert report.totals["routed_share"].display == "40,0 %"
    # Three rejections: a small count, hidden, and its share with it. With only two outcomes in use the
    # grants would give the rejections away (15 − 12), so they are withheld too.
    assert report.totals["rejections"].display == "<5"
    outcomes = {o.code: o for o in report.outcomes}
    assert [outcomes[k].count.display for k in ("grant", "partial", "reject")] == ["x", "0", "<5"]
    assert outcomes["reject"].share.display == "–" and outcomes["grant"].share.display == "–"
    march = next(m for m in report.months if m.month == MARCH)
    assert (march.applications.display, march.decisions.display, march.automated_share.display) == (
        "15",
        "15",
        "60,0 %",
    )
    assert march.rejections.display == "<5"
    reasons = {r.code: r for r in report.reasons}
    assert (reasons["first_application"].count.display, reasons["no_entitlement"].count.display) == (
        "<5",
        "<5",
    )
    html = response.content.decode()
    assert "60,0 %" in html and "8,0" in html and "40,0 %" in html


def test_open_data_csv_and_json_carry_the_same_figures(client, records, unit):
    code = unit.municipality.code
    report = public_report(unit.municipality, Period(datetime.date(2026, 1, 1), MARCH))
    expected = [row.to_dict() for row in report.rows()]

    data = json.loads(client.get(reverse("oversight:open-data-json", args=[code]), PERIOD_QUERY).content)
    assert data["period"] == {"from": "2026-01", "to": "2026-03"}
    assert data["figures"] == expected
    applications = next(
        f for f in data["figures"] if f["figure"] == "applications" and f["month"] == "" and f["group"] == ""
    )
    assert applications["value"] == 15
    rejections = next(f for f in data["figures"] if f["figure"] == "rejections" and f["month"] == "")
    assert (rejections["value"], rejections["display"], rejections["suppressed"]) == (None, "<5", True)

    response = client.get(reverse("oversight:open-data-csv", args=[code]), PERIOD_QUERY)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert (
            row["figure"] == want["figure"]
            and row["month"] == want["month"]
            and row["group"] == want["group"]
        )
        assert row["value"] == ("" if want["value"] is None else str(want["value"]))
        assert row["display"] == want["display"]


def test_a_bad_period_is_not_guessed(client, unit):
    response = client.get(reverse("oversight:transparency", args=[unit.municipality.code]), {"fran": "mars"})
    assert response.status_code == 404
    assert client.get(reverse("oversight:transparency", args=["9999"])).status_code == 404


def test_the_index_goes_straight_to_the_only_municipality(client, unit):
    response = client.get(reverse("oversight:transparency-index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:transparency", args=[unit.municipality.code])


def test_the_norm_as_json(client, unit):
    data = json.loads(client.get(reverse("oversight:norm-json", args=[unit.municipality.code])).content)
    assert data["id"].startswith("riksnorm-")
    assert "source" in data["adults"]["single"]


# The calculator -----------------------------------------------------------------------------------------


def test_the_calculator_gives_the_engines_answer_and_stores_nothing(client, unit, django_db_blocker):
    from django.apps import apps

    before = {m._meta.label: m.objects.count() for m in apps.get_models()}
    response = client.post(
        reverse("oversight:calculator", args=[unit.municipality.code]),
        {
            "month": "2026-03",
            "adults": "single",
            "child1_birth": "2021-05-01",
            "child1_preschool_lunch": "on",
            "rent": "7 800",
            "child_allowance": "1250",
        },
    )
    assert response.status_code == 200
    expected = calculate(
        {
            "month": "2026-03",
            "members": [
                {"id": "a", "role": "applicant", "birth_date": "1970-01-01"},
                {"id": "c", "role": "child", "birth_date": "2021-05-01", "lunch_at_home": False},
            ],
            "costs": [{"type": "rent", "amount": Decimal(7800)}],
            "incomes": [{"member": "a", "type": "child_allowance", "amount": Decimal(1250)}],
        }
    )
    assert response.context["result"].entitlement == expected.entitlement == Decimal(14590)
    html = response.content.decode()
    assert "14\u00a0590\u00a0kr" in html
    assert "Riksnormen är ett belopp som regeringen bestämmer" in html
    assert response["Cache-Control"] == "no-store"
    after = {m._meta.label: m.objects.count() for m in apps.get_models()}
    assert after == before
    assert "sessionid" not in response.cookies


def test_the_calculator_explains_mistakes_field_by_field_in_swedish(client, unit):
    url = reverse("oversight:calculator", args=[unit.municipality.code])
    response = client.post(
        url, {"month": "2030-01", "adults": "", "child1_birth": "23/4", "rent": "sjutusen"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Det finns ingen riksnorm för den månaden" in form.errors["month"][0]
    assert form.errors["adults"] == ["Välj om ni är en eller två vuxna."]
    assert "Skriv födelsedatumet som år, månad och dag" in form.errors["child1_birth"][0]
    assert "Skriv ett belopp i kronor med siffror" in form.errors["rent"][0]
    html = response.content.decode()
    assert "Något behöver rättas" in html
    assert 'href="#id_rent"' in html
    # The engine's own check: a child must be under 21.
    response = client.post(url, {"month": "2026-03", "adults": "couple", "child1_birth": "1990-01-01"})
    assert response.context["form"].errors["child1_birth"]
    assert response.context["result"] is None


def test_the_calculator_page_opens_with_a_get(client, unit):
    response = client.get(reverse("oversight:calculator", args=[unit.municipality.code]))
    assert response.status_code == 200
    assert response.context["result"] is None


def test_the_calculator_counts_a_child_of_19_as_a_child_in_school(client, unit):
    response = client.post(
        reverse("oversight:calculator", args=[unit.municipality.code]),
        {"month": "2026-03", "adults": "single", "child1_birth": "2007-01-20"},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert [line.amount for line in result.lines if line.member == "1"] == [Decimal(4990)]
    assert "räknas med bara om hen går i gymnasiet" in response.content.decode()
