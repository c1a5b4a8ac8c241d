"""The statistics fold the same timeline events the citizen and the caseworker read, and the dashboard
shows the counts: every category the fold can give has a label on the page and a row in the export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from bistand.cases import events
from bistand.cases.models import TimelineEvent
from bistand.oversight.statistics import TIMELINE_LABELS, _category
from bistand.payments.models import PaymentOrder
from tests.conftest import STAFF_PASSWORD
from tests.oversight.conftest import at

# One payload of every kind, with each value a category depends on taken in turn.
SAMPLES: list[events.Payload] = [
    events.Received(month="2026-03", channel="e_service"),
    events.WaitingNorm(year=2027),
    events.Routed(reasons=["first_application"]),
    events.DocumentsRequested(request_id=1, deadline="2026-03-20"),
    events.DocumentsRequested(request_id=1, deadline="2026-03-20", reminder=True),
    events.DocumentsSubmitted(request_id=1, files=2),
    events.KommuniceringSent(kommunicering_id=1, found="hyran", reply_by="2026-03-20"),
    events.DecisionStored(decision_id=1, version=1, outcome="grant", amount="100.00", automated=True),
    events.DecisionStored(decision_id=1, version=1, outcome="grant", amount="100.00", automated=False),
    events.DecisionCorrected(decision_id=1, version=2, outcome="grant", amount="90.00", automated=False),
    *[events.Payment(status=status) for status in [*PaymentOrder.Status.values, "recovery_assessment"]],
    events.MessageSent(message_id=1, sender="citizen"),
    events.MessageSent(message_id=2, sender="caseworker"),
    events.AppealLodged(appeal_id=1, decision_id=1, version=1),
    events.RandomCheckReviewed(random_check_id=1, outcome="ok"),
    events.InvestigationClosed(investigation_id=1, conclusion="no_error"),
]


def _event(payload: events.Payload) -> TimelineEvent:
    return TimelineEvent(kind=payload.kind, data=payload.to_data())


@pytest.mark.parametrize("payload", SAMPLES, ids=lambda p: f"{p.kind}")
def test_every_category_the_statistics_count_has_a_label(payload):
    assert _category(_event(payload)) in TIMELINE_LABELS


def test_every_kind_of_event_is_sampled():
    assert {payload.kind for payload in SAMPLES} == set(events.PAYLOADS)


def test_the_dashboard_shows_what_happened_on_the_cases(client, world, team_lead):
    case = world.application(month="2026-03", run="decided").case
    march = at("2026-03-10", 12)
    for payload in (
        events.Received(month="2026-03", channel="e_service"),
        events.DecisionStored(decision_id=1, version=1, outcome="grant", amount="100.00", automated=True),
        events.Payment(status="paid"),
        events.Payment(status="paid"),
        events.MessageSent(message_id=1, sender="citizen"),
    ):
        events.record(case, payload, actor="robot", occurred_at=march)
    # Outside the period: not counted.
    events.record(case, events.Payment(status="paid"), actor="robot", occurred_at=at("2026-05-02", 12))
    assert client.login(username=team_lead.username, password=STAFF_PASSWORD)

    response = client.get(reverse("oversight:dashboard"), {"first": "2026-03", "last": "2026-04"})
    assert response.status_code == 200
    rows = dict(response.context["timeline_rows"])
    assert rows == {
        "Ansökningar mottagna": 1,
        "Beslut fattade automatiskt": 1,
        "Utbetalningar gjorda": 2,
        "Meddelanden från sökande": 1,
    }
    html = response.content.decode()
    assert "Händelser i ärendena" in html and "Utbetalningar gjorda" in html

    export = client.get(reverse("oversight:dashboard-csv"), {"first": "2026-03", "last": "2026-04"})
    table = {(f, g): v for f, _m, g, v in list(csv.reader(io.StringIO(export.content.decode())))[1:]}
    assert table[("timeline_events", "event:payment_paid")] == "2"
    assert table[("timeline_events", "event:received")] == "1"
