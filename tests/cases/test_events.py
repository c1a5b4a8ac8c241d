"""The typed timeline: one payload per kind, one record(), and readers that handle every kind."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bistand.cases import events
from bistand.cases.models import Case, TimelineEvent
from bistand.casework import timeline as staff_timeline
from bistand.oversight import statistics
from bistand.portal import timeline as citizen_timeline
from tests.conftest import make_citizen

AT = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)


def test_every_kind_has_exactly_one_payload_type():
    assert set(events.PAYLOADS) == set(TimelineEvent.Kind.values)
    assert len(set(events.PAYLOADS.values())) == len(events.PAYLOADS)


def test_a_reader_that_misses_a_kind_is_refused_where_it_is_defined():
    handlers = {cls: (lambda event, payload: "") for cls in events.PAYLOADS.values()}
    del handlers[events.AppealLodged]
    with pytest.raises(TypeError, match="AppealLodged"):
        events.fold(handlers)


@pytest.mark.django_db
def test_an_unknown_stored_kind_raises_in_every_reader(municipality, unit):
    person = make_citizen("198001019806", municipality).person
    case = Case.objects.create(applicant=person, unit=unit)
    odd = TimelineEvent.objects.create(case=case, kind="telegram", actor="robot", occurred_at=AT, data={})
    for read in (citizen_timeline.describe, staff_timeline.detail, statistics._category):
        with pytest.raises(events.UnknownEvent):
            read(odd)


@pytest.mark.django_db
def test_record_stores_the_payload_and_the_three_readers_read_the_same_fields(municipality, unit):
    person = make_citizen("198001019806", municipality).person
    case = Case.objects.create(applicant=person, unit=unit)
    payload = events.DecisionStored(
        decision_id=7, version=1, outcome="grant", amount="7800.00", automated=True, correction_reason=""
    )
    event = events.record(case, payload, actor=TimelineEvent.Actor.ROBOT, occurred_at=AT)
    event.refresh_from_db()
    assert event.kind == "decision"
    assert events.payload_of(event) == payload
    assert "7 800" in citizen_timeline.describe(event).detail.replace("\xa0", " ")
    assert "7 800" in staff_timeline.detail(event).replace("\xa0", " ")
    assert statistics._category(event) == "decided_automatically"


@pytest.mark.django_db
def test_recording_once_keeps_the_first_event_of_an_application(municipality, unit):
    from bistand.intake.models import Application

    person = make_citizen("198001019806", municipality).person
    case = Case.objects.create(applicant=person, unit=unit)
    application = Application.objects.create(
        applicant=person, municipality=municipality, month=datetime.date(2026, 12, 1)
    )
    for channel in ("web", "paper"):
        events.record(
            case,
            events.Received(month="2026-12", channel=channel),
            actor=TimelineEvent.Actor.CITIZEN,
            application=application,
            occurred_at=AT,
            once=True,
        )
    received = TimelineEvent.objects.get(application=application, kind="received")
    assert events.payload_of(received) == events.Received(month="2026-12", channel="web")


def test_the_message_payload_keeps_its_stored_field_name():
    assert events.MessageSent(message_id=3, sender="citizen").to_data() == {
        "message_id": 3,
        "from": "citizen",
    }


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.sampled_from(["planned", "held", "sent", "paid", "returned", "stopped", "cancelled"]),
    amount=st.decimals(min_value=0, max_value=100_000, places=2).map(str),
    day=st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2030, 12, 31)),
)
def test_a_payment_payload_survives_the_database_round_trip(status, amount, day):
    payload = events.Payment(status=status, order=1, amount=amount, payout_date=day.isoformat())
    assert events.Payment.from_data(payload.to_data()) == payload
