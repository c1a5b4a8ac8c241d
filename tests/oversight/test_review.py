"""The caseworker's review of a random check, and the investigation a person carries out."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.cases.models import TimelineEvent
from bistand.conversation.models import DocumentRequest, Message
from bistand.oversight import draw, review
from bistand.oversight.models import Investigation, RandomCheck
from tests.conftest import STAFF_PASSWORD, make_staff


@pytest.fixture
def check(world):
    kim = world.caseworker()
    world.application(month="2026-12", run="routed", decided_after_hours=2, decided_by=kim)
    made = draw.perform_draw(world.municipality, datetime.date(2026, 12, 1), seed=3)
    return made.checks.get()


def _login(client, user):
    assert client.login(username=user.username, password=STAFF_PASSWORD)


def test_ok_closes_the_request_and_tells_the_citizen(check):
    kim = check.caseworker
    review.record_outcome(check, "ok", "", kim, "Tack, allt stämmer.")
    check.refresh_from_db()
    assert (check.outcome, check.reviewed_by) == ("ok", kim)
    assert check.document_request.status == DocumentRequest.Status.CLOSED
    assert Message.objects.get(case=check.case).body == "Tack, allt stämmer."
    event = TimelineEvent.objects.get(case=check.case, kind=review.EVENT_REVIEWED)
    assert event.visible_to_citizen is False
    assert not Investigation.objects.exists()
    with pytest.raises(review.ReviewError):
        review.record_outcome(check, "discrepancy", "x", kim)


def test_a_discrepancy_needs_a_note_and_opens_an_investigation_that_a_person_closes(check):
    kim = check.caseworker
    with pytest.raises(review.ReviewError):
        review.record_outcome(check, "discrepancy", "  ", kim)
    review.record_outcome(check, "discrepancy", "Ett konto saknas i ansökan.", kim)
    investigation = Investigation.objects.get(random_check=check)
    assert (investigation.status, investigation.reason, investigation.opened_by) == (
        "open",
        "Ett konto saknas i ansökan.",
        kim,
    )
    # Nothing follows by itself: no new decision, no payment change, no message.
    assert check.case.decisions.count() == 1
    assert not Message.objects.exists()
    with pytest.raises(review.ReviewError):
        review.close_investigation(investigation, "recovery", "", kim)
    review.close_investigation(investigation, "no_action", "Kontot var tomt och stängt.", kim)
    investigation.refresh_from_db()
    assert (investigation.status, investigation.conclusion, investigation.closed_by) == (
        "closed",
        "no_action",
        kim,
    )
    with pytest.raises(review.ReviewError):
        review.close_investigation(investigation, "no_action", "igen", kim)


def test_not_submitted_only_after_the_deadline_and_only_when_nothing_came(check):
    kim = check.caseworker
    with pytest.raises(review.ReviewError, match="deadline"):
        review.record_outcome(check, "not_submitted", "", kim)
    RandomCheck.objects.filter(pk=check.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    check.refresh_from_db()
    review.record_outcome(check, "not_submitted", "", kim)
    assert RandomCheck.objects.get(pk=check.pk).outcome == "not_submitted"


def test_the_caseworker_reviews_in_the_browser_form(client, check):
    kim = check.caseworker
    _login(client, kim)
    listing = client.get(reverse("oversight:random-checks"))
    assert listing.status_code == 200
    assert f"Ärende {check.case_id}" in listing.content.decode()
    url = reverse("oversight:random-check", args=[check.pk])
    page = client.get(url)
    assert "slumpvis kontroll" in page.content.decode()
    # A discrepancy without a note: a field error in Swedish, nothing saved.
    response = client.post(url, {"action": "review", "outcome": "discrepancy", "note": "", "message": ""})
    assert response.status_code == 400
    assert "Skriv vad som skiljer sig" in response.content.decode()
    assert not RandomCheck.objects.get(pk=check.pk).is_reviewed
    response = client.post(
        url, {"action": "review", "outcome": "discrepancy", "note": "Lön saknas.", "message": ""}
    )
    assert response.status_code == 302
    investigation = Investigation.objects.get(random_check=check)
    response = client.post(url, {"action": "close", "conclusion": "", "note": ""})
    assert response.status_code == 400
    assert "Välj en slutsats." in response.content.decode()
    response = client.post(
        url, {"action": "close", "conclusion": "decision_changed", "note": "Beslutet ändrat."}
    )
    assert response.status_code == 302
    investigation.refresh_from_db()
    assert investigation.conclusion == "decision_changed"


def test_another_units_caseworker_cannot_see_the_check(client, check, other_unit):
    stranger = make_staff("annan", other_unit)
    _login(client, stranger)
    assert client.get(reverse("oversight:random-check", args=[check.pk])).status_code == 404
    assert f"Ärende {check.case_id}" not in client.get(reverse("oversight:random-checks")).content.decode()
