"""Every dashboard figure matches the records it is computed from: exact counts, medians and percentiles."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from bistand.conversation.models import Appeal, Message
from bistand.decisions.stored_input import for_engine
from bistand.identity.models import Unit, User
from bistand.oversight.models import AppealOutcome, Budget, Investigation, RandomCheck, RandomCheckDraw
from bistand.oversight.periods import Period
from bistand.oversight.statistics import compute, median, percentile
from bistand.payments.models import PaymentOrder
from bistand.rules import calculate
from tests.conftest import STAFF_PASSWORD, make_staff
from tests.oversight.conftest import at

MARCH, APRIL = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)
PERIOD = Period(MARCH, APRIL)
NOW = at("2026-04-30", 12)

# A household whose run kept no calculation: the robot's proposal is recomputed from the decision's input.
ENGINE_INPUT = {
    "month": "2026-03",
    "members": [{"id": "a", "role": "applicant", "birth_date": "1980-01-13"}],
    "costs": [{"type": "rent", "amount": "6000"}],
    "incomes": [],
}


def test_nearest_rank_percentile_and_median():
    assert median([]) is None and percentile([], 90) is None
    assert median([5, 1, 3]) == 3
    assert median([1, 2, 3, 10]) == 2.5
    values = list(range(1, 11))  # 1..10
    assert percentile(values, 90) == 9
    assert percentile(values, 91) == 10
    assert percentile([7], 90) == 7


@pytest.fixture
def scenario(world, unit):
    """Fourteen applications across two months, three channels and two units (see the test below)."""
    w = world
    unit2 = Unit.objects.create(municipality=unit.municipality, name="Enhet två")
    kim = w.caseworker()
    m = {}
    m[1] = w.application(decided_after_hours=1)
    m[2] = w.application(decided_after_hours=3)
    m[3] = w.application(decided_after_hours=5)
    m[4] = w.application(run="routed", reasons=("first_application",), decided_after_hours=30, decided_by=kim)
    m[5] = w.application(
        run="routed",
        reasons=("first_application", "rent_above_guidance"),
        decided_after_hours=50,
        outcome="partial",
        amount=8000,
        decided_by=kim,
    )
    m[6] = w.application(
        run="routed",
        reasons=("rent_above_guidance",),
        decided_after_hours=10,
        decided_by=kim,
        adjustments=[
            {"kind": "cost", "type": "rent", "from": "9900", "to": "7000", "reason": "Hyran  är skälig."}
        ],
    )
    m[7] = w.application(
        run="routed",
        reasons=("no_entitlement",),
        proposal=0,
        decided_after_hours=20,
        outcome="reject",
        amount=0,
    )
    m[8] = w.application(run="routed", reasons=("first_application", "first_application"))
    m[9] = w.application(
        channel="paper", run="routed", reasons=("first_application",), decided_after_hours=72
    )
    expected_proposal = calculate(for_engine(ENGINE_INPUT)).entitlement
    m[10] = w.application(
        channel="paper",
        run="routed",
        reasons=("extra_needs", "first_application"),
        proposal=None,
        decided_after_hours=100,
        amount=expected_proposal,
        calculation_input=ENGINE_INPUT,
    )
    m[11] = w.application(channel="phone", run="needs_attention", proposal=None)
    m[12] = w.application(channel="phone", run=None, proposal=None)
    m[13] = w.application(month="2026-04", decided_after_hours=2, amount=7000)
    m[14] = w.application(unit=unit2, decided_after_hours=4, amount=5000)
    # Outside the period: not counted anywhere.
    w.application(month="2026-05", decided_after_hours=1)
    w.application(month="2026-02", decided_after_hours=1)

    # Corrections and appeals.
    w.correct(m[9].decision, hours_later=24)
    lodged = at("2026-03-10")
    for key in (5, 6, 7):
        appeal = Appeal.objects.create(
            decision=m[key].decision, lodged_by=m[key].case.applicant, text="Jag överklagar."
        )
        Appeal.objects.filter(pk=appeal.pk).update(lodged_at=lodged)
        m[f"appeal{key}"] = appeal
    w.correct(m[5].decision, hours_later=24 * 20)  # after the appeal: changed on reconsideration
    lead = make_staff("gl-scenario", unit, role=User.Role.TEAM_LEAD)
    AppealOutcome.objects.create(
        appeal=m["appeal6"], outcome="upheld", decided_on=datetime.date(2026, 4, 20), recorded_by=lead
    )

    # Messages: answered in 2 h, answered after 30 h, never answered, too young to count, outside the period.
    citizen = User.objects.create(username="medborgare-msg", role=User.Role.CITIZEN)

    def message(case, kind, when):
        sender = citizen if kind == "citizen" else kim
        msg = Message.objects.create(case=case, sender_kind=kind, sender=sender, body="Hej")
        Message.objects.filter(pk=msg.pk).update(sent_at=when)

    message(m[1].case, "citizen", at("2026-03-05", 10))
    message(m[1].case, "caseworker", at("2026-03-05", 12))
    message(m[2].case, "citizen", at("2026-03-06", 10))
    message(m[2].case, "caseworker", at("2026-03-07", 16))
    message(m[3].case, "citizen", at("2026-03-07", 10))
    message(m[4].case, "citizen", at("2026-04-30", 1))
    message(m[4].case, "citizen", at("2026-05-02", 1))
    message(m[14].case, "citizen", at("2026-03-08", 10))  # unit two, answered in time
    message(m[14].case, "caseworker", at("2026-03-08", 11))

    # Random checks drawn for March.
    draw = RandomCheckDraw.objects.create(
        municipality=unit.municipality,
        month=MARCH,
        seed=1,
        algorithm="fisher-yates-random-v1",
        checks_min=3,
        checks_max=5,
        months_back=3,
        deadline=datetime.date(2026, 3, 20),
        population=[],
        selection=[],
    )
    outcomes = ["ok", "ok", "discrepancy", "discrepancy", "not_submitted", ""]
    for key, outcome in zip((1, 2, 3, 4, 5, 6), outcomes, strict=True):
        check = RandomCheck.objects.create(
            draw=draw, case=m[key].case, unit=unit, deadline=draw.deadline, outcome=outcome, caseworker=kim
        )
        if outcome == "discrepancy":
            Investigation.objects.create(
                random_check=check,
                case=check.case,
                reason="Saknat konto.",
                opened_by=kim,
                status="closed" if key == 4 else "open",
                conclusion="recovery" if key == 4 else "",
            )
    RandomCheck.objects.create(draw=draw, case=m[14].case, unit=unit2, deadline=draw.deadline, outcome="ok")

    # Payments: paid and sent count, planned and returned do not.
    def order(key, amount, day, status):
        made = m[key]
        return PaymentOrder.objects.create(
            decision=made.decision,
            decision_version=1,
            line="citizen",
            end_to_end_id=f"E2E-{key}-{status}",
            municipality=unit.municipality,
            unit=made.case.unit,
            case=made.case,
            application=made.application,
            recipient_kind="citizen",
            amount=Decimal(amount),
            payout_date=datetime.date.fromisoformat(day),
            status=status,
        )

    order(1, 10000, "2026-03-25", "paid")
    order(2, 10000, "2026-03-25", "sent")
    order(3, 10000, "2026-03-25", "planned")
    order(4, 10000, "2026-03-25", "returned")
    order(13, 7000, "2026-04-24", "paid")
    order(14, 5000, "2026-03-25", "paid")
    Budget.objects.create(municipality=unit.municipality, year=2026, month=3, amount=Decimal(30000))
    Budget.objects.create(
        municipality=unit.municipality, unit=unit2, year=2026, month=3, amount=Decimal(6000)
    )
    Budget.objects.create(municipality=unit.municipality, unit=unit, year=2026, month=4, amount=Decimal(8000))
    m["unit2"] = unit2
    m["lead"] = lead
    return m


def test_every_figure_for_the_whole_municipality(scenario, unit):
    s = compute(unit.municipality, PERIOD, now=NOW)

    assert s.applications == 14
    assert s.applications_by_month == {MARCH: 13, APRIL: 1}
    assert s.applications_by_channel == {"e_service": 10, "paper": 2, "phone": 2}

    assert s.decided == 11
    assert s.decided_by_month == {MARCH: 10, APRIL: 1}
    assert s.automated == 5
    assert s.automated_by_month == {MARCH: 4, APRIL: 1}
    assert s.automated_share.percent == pytest.approx(100 * 5 / 11)

    # Hours: 1 2 3 4 5 10 20 30 50 72 100 -> median the 6th, p90 the ceil(9.9) = 10th.
    assert (
        s.decision_time["all"].n,
        s.decision_time["all"].median_hours,
        s.decision_time["all"].p90_hours,
    ) == (11, 10, 72)
    # E-service: 1 2 3 4 5 10 20 30 50 -> median 5, p90 the ceil(8.1) = 9th.
    assert (s.decision_time["e_service"].median_hours, s.decision_time["e_service"].p90_hours) == (5, 50)
    assert (
        s.decision_time["paper"].n,
        s.decision_time["paper"].median_hours,
        s.decision_time["paper"].p90_hours,
    ) == (2, 86, 100)
    assert (s.decision_time["phone"].n, s.decision_time["phone"].median_hours) == (0, None)
    assert (s.within_24h.count, s.within_24h.total) == (7, 11)

    assert (s.finished_runs, s.routed, s.needs_attention) == (12, 7, 1)
    assert [(r.code, r.count) for r in s.reasons] == [
        ("first_application", 5),
        ("rent_above_guidance", 2),
        ("extra_needs", 1),
        ("no_entitlement", 1),
    ]
    assert [round(r.cumulative_percent, 1) for r in s.reasons] == [55.6, 77.8, 88.9, 100.0]
    assert s.reasons[0].label == "Ny ansökan (inget stöd förra månaden)"

    # Person decisions on a proposal: 4, 5, 6, 7, 9 and 10 (10's proposal recomputed); 5 and 6 changed it.
    assert (s.person_decisions, s.changed, s.changed_without_adjustment) == (6, 2, 1)
    # The changed line and the kind of reason; the caseworker's free text stays inside the case.
    assert s.changed_by_line == [("Boendekostnad (hyra)", 1)]
    assert s.changed_reasons == [("Boendekostnad (hyra)", "Kostnaden sänkt till en skälig nivå", 1)]

    assert s.outcomes == {"grant": 9, "partial": 1, "reject": 1}
    assert s.corrected_later == 2
    assert s.appeals == {
        "pending": 1,
        "changed_by_municipality": 1,
        "upheld": 1,
        "changed_by_court": 0,
        "withdrawn": 0,
    }
    assert s.decisions_appealed == 3

    assert (s.messages_answered.count, s.messages_answered.total) == (2, 4)

    assert s.random_checks == {"ok": 3, "discrepancy": 2, "not_submitted": 1, "": 1}
    assert s.investigations_open == 1
    assert s.investigations_closed["recovery"] == 1

    assert [(p.month, p.paid, p.households, p.budget) for p in s.payments] == [
        (MARCH, Decimal(25000), 3, Decimal(30000)),
        (APRIL, Decimal(7000), 1, Decimal(8000)),
    ]
    assert s.paid_total == Decimal(32000)
    assert s.budget_total == Decimal(38000)
    assert s.paid_households == 4  # 1, 2, 13 and 14


def test_the_unit_filter(scenario, unit):
    s = compute(unit.municipality, PERIOD, [unit.pk], now=NOW)
    # Not application 14 (unit two) and not 12 (no case yet, so no unit).
    assert s.applications == 12
    assert s.applications_by_channel == {"e_service": 9, "paper": 2, "phone": 1}
    assert s.decided == 10
    assert s.automated == 4
    assert (s.messages_answered.count, s.messages_answered.total) == (1, 3)
    assert s.random_checks == {"ok": 2, "discrepancy": 2, "not_submitted": 1, "": 1}
    assert [(p.paid, p.households, p.budget) for p in s.payments] == [
        (Decimal(20000), 2, None),
        (Decimal(7000), 1, Decimal(8000)),
    ]
    other = compute(unit.municipality, PERIOD, [scenario["unit2"].pk], now=NOW)
    assert (other.applications, other.automated, other.random_checks["ok"]) == (1, 1, 1)
    assert [(p.paid, p.budget) for p in other.payments] == [
        (Decimal(5000), Decimal(6000)),
        (Decimal(0), None),
    ]


def test_an_empty_period_has_no_figures_and_no_errors(unit):
    s = compute(unit.municipality, Period(MARCH, MARCH))
    assert s.applications == 0 and s.decided == 0
    assert s.automated_share.percent is None
    assert s.decision_time["all"].median_hours is None
    assert s.reasons == []


# The dashboard and its export -------------------------------------------------------------------------


def _login(client, user):
    assert client.login(username=user.username, password=STAFF_PASSWORD)


def test_the_dashboard_shows_the_figures(client, scenario, unit):
    _login(client, scenario["lead"])
    response = client.get(reverse("oversight:dashboard"), {"first": "2026-03", "last": "2026-04"})
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.applications == 14 and stats.decided == 11
    html = response.content.decode()
    assert "45,5 %" in html  # 5 of 11 decided automatically
    assert "Ny ansökan (inget stöd förra månaden)" in html
    assert "55,6 %" in html  # the Pareto chart's cumulative share
    assert "25\u00a0000\u00a0kr" in html and "30\u00a0000\u00a0kr" in html
    # Filtered to one unit.
    response = client.get(
        reverse("oversight:dashboard"), {"first": "2026-03", "last": "2026-04", "unit": unit.pk}
    )
    assert response.context["stats"].applications == 12


def test_the_export_has_the_same_figures(client, scenario, unit):
    _login(client, scenario["lead"])
    response = client.get(reverse("oversight:dashboard-csv"), {"first": "2026-03", "last": "2026-04"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["figure", "month", "group", "value"]
    table = {(f, mo, g): v for f, mo, g, v in rows[1:]}
    assert table[("applications", "", "")] == "14"
    assert table[("applications", "2026-03", "")] == "13"
    assert table[("applications", "", "channel:paper")] == "2"
    assert table[("decision_hours_median", "", "")] == "10.00"
    assert table[("decision_hours_p90", "", "channel:e_service")] == "50.00"
    assert table[("routing_reason", "", "first_application")] == "5"
    assert table[("changed_proposal", "", "")] == "2"
    assert table[("outcome", "", "reject")] == "1"
    assert table[("appeal", "", "upheld")] == "1"
    assert table[("random_check", "", "pending")] == "1"
    assert table[("paid", "2026-03", "")] == "25000.00"
    assert table[("budget", "2026-04", "")] == "8000.00"


def test_bad_filters_are_explained(client, scenario):
    _login(client, scenario["lead"])
    response = client.get(reverse("oversight:dashboard"), {"first": "mars", "last": "2026-04"})
    assert response.status_code == 400
    assert "Skriv månaden som år och månad" in response.content.decode()
    response = client.get(reverse("oversight:dashboard"), {"first": "2026-05", "last": "2026-04"})
    assert "Slutmånaden kan inte vara före startmånaden." in response.content.decode()


def test_who_may_see_the_dashboard(client, caseworker, unit):
    _login(client, caseworker)
    assert client.get(reverse("oversight:dashboard")).status_code == 403
    client.logout()
    assert client.get(reverse("oversight:dashboard")).status_code == 302
    auditor = make_staff("granskare", unit, role=User.Role.AUDITOR)
    _login(client, auditor)
    assert client.get(reverse("oversight:dashboard")).status_code == 200
    # An auditor reads; setting a budget is for team leads and administrators.
    response = client.post(reverse("oversight:budget"), {"month": "2026-03", "amount": "100"})
    assert response.status_code == 403


def test_a_team_lead_sets_the_budget(client, team_lead, unit):
    _login(client, team_lead)
    response = client.post(
        reverse("oversight:budget"), {"month": "2026-03", "unit": "", "amount": "1 200 000"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("oversight:budget"), {"month": "2026-03", "unit": str(unit.pk), "amount": "400000"}
    )
    client.post(reverse("oversight:budget"), {"month": "2026-03", "unit": "", "amount": "1 300 000"})
    assert Budget.objects.get(unit__isnull=True).amount == Decimal(1300000)
    assert Budget.objects.get(unit=unit).amount == Decimal(400000)
    response = client.post(reverse("oversight:budget"), {"month": "2026-13", "amount": "x"})
    assert response.status_code == 200
    assert "Skriv ett belopp i kronor med siffror" in response.content.decode()


def test_a_team_lead_records_a_court_outcome(client, scenario):
    _login(client, scenario["lead"])
    appeal = scenario["appeal7"]
    response = client.get(reverse("oversight:appeals"))
    assert "Prövas fortfarande" in response.content.decode()
    response = client.post(
        reverse("oversight:appeals"),
        {
            "appeal": appeal.pk,
            f"a{appeal.pk}-outcome": "changed_by_court",
            f"a{appeal.pk}-decided_on": "2026-06-01",
        },
    )
    assert response.status_code == 302
    assert AppealOutcome.objects.get(appeal=appeal).outcome == "changed_by_court"
    stats = compute(scenario["lead"].unit.municipality, PERIOD, now=NOW)
    assert stats.appeals["changed_by_court"] == 1 and stats.appeals["pending"] == 0


def test_settings_are_checked(client, team_lead):
    _login(client, team_lead)
    url = reverse("oversight:settings")
    data = {
        "checks_min": "5",
        "checks_max": "3",
        "months_back": "3",
        "deadline_days": "14",
        "fairness_threshold": "10",
        "fairness_min_group": "20",
    }
    response = client.post(url, data)
    assert "Största antalet kan inte vara mindre än minsta antalet." in response.content.decode()
    response = client.post(url, {**data, "checks_min": "2", "checks_max": "4"})
    assert response.status_code == 302
    assert team_lead.unit.municipality.oversight_settings.checks_max == 4
