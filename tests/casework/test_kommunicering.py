"""Kommunicering (FL 25 §) before a person decides against the citizen (issue 14, finding 3)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from bistand.cases.models import TimelineEvent
from bistand.casework import kommunicering, workspace
from bistand.decisions.models import Decision
from bistand.portal.timeline import describe
from tests.casework.test_pipeline import THIS_MONTH, quiet_single, robot, run_to_end, submit  # noqa: F401
from tests.conftest import make_citizen

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)
FAR = datetime.date(2999, 1, 1)  # a deadline that has not passed, whatever the clock says
HIGHER_INCOME = [
    {
        "kind": "income",
        "member": "a",
        "type": "unemployment_benefit",
        "to": "6090",
        "reason": "A-kassan har betalat ut 6 090 kronor.",
    }
]


@pytest.fixture
def routed(find, unit):
    """With a rent above the guidance: at a caseworker, entitled to 15 420 kr on the citizen's figures."""
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, costs=[{"type": "rent", "amount": "9900"}]))
    assert run.status == "routed"
    return run


def test_an_adverse_draft_is_refused_without_kommunicering_or_an_exception(routed, caseworker):
    with pytest.raises(workspace.WorkspaceError, match="förvaltningslagen 25 §"):
        workspace.save_draft(routed, caseworker, outcome="grant", adjustments=HIGHER_INCOME)
    with pytest.raises(workspace.WorkspaceError, match="förvaltningslagen 25 §"):
        workspace.save_draft(routed, caseworker, outcome="reject", motivation="Inkomsten räcker.")
    with pytest.raises(workspace.WorkspaceError, match="Okänt undantag"):
        workspace.save_draft(
            routed, caseworker, outcome="reject", motivation="x", kommunicering_exception="because"
        )
    # A grant of the full amount goes against nobody.
    assert workspace.save_draft(routed, caseworker, outcome="grant").amount > 0


def test_the_citizen_has_until_the_deadline_then_the_decision_may_be_made(routed, caseworker):
    entry = kommunicering.communicate(
        routed,
        caseworker,
        found="A-kassan har betalat ut 6 090 kronor som inte står i ansökan.",
        reply_by=FAR,
        today=TODAY,
    )
    draft = workspace.save_draft(routed, caseworker, outcome="grant", adjustments=HIGHER_INCOME)
    with pytest.raises(workspace.WorkspaceError, match="på sig att svara"):
        workspace.submit(draft, caseworker)
    assert not Decision.objects.exists()

    kommunicering.record_reply(entry, "Det stämmer, jag glömde a-kassan.")
    decision = workspace.submit(draft, caseworker)
    applied = Decimal(str(routed.calculation["entitlement"]))
    # What was applied for is what the citizen's own answers give; the grant is lower, and says so.
    assert decision.amount_applied == applied
    assert decision.amount_granted == applied - 6090
    # Less than applied for is a partial grant, and the letter says so.
    assert decision.outcome == "partial"
    assert decision.inputs["kommunicering"][0]["reply"] == "Det stämmer, jag glömde a-kassan."
    assert "Du får inte hela det belopp vi räknade fram" in decision.motivation


def test_a_recorded_exception_lets_the_decision_be_made_and_is_kept(routed, caseworker):
    draft = workspace.save_draft(
        routed,
        caseworker,
        outcome="grant",
        adjustments=HIGHER_INCOME,
        kommunicering_exception="cannot_wait",
    )
    decision = workspace.submit(draft, caseworker)
    assert decision.inputs["kommunicering_exception"] == "cannot_wait"
    assert decision.amount_applied > decision.amount_granted


def test_kommunicering_needs_what_was_found_and_a_fair_time_to_reply(routed, caseworker):
    with pytest.raises(kommunicering.KommuniceringMissing, match="Skriv vad"):
        kommunicering.communicate(routed, caseworker, found=" ", reply_by=FAR, today=TODAY)
    with pytest.raises(kommunicering.KommuniceringMissing, match="minst 7 dagar"):
        kommunicering.communicate(
            routed, caseworker, found="x", reply_by=TODAY + datetime.timedelta(days=6), today=TODAY
        )


def test_the_citizen_sees_it_on_mina_sidor_and_the_caseworker_in_the_queue(routed, caseworker, client):
    kommunicering.communicate(
        routed, caseworker, found="Registren visar sjukpenning som inte finns med.", reply_by=FAR, today=TODAY
    )
    event = TimelineEvent.objects.get(kind="kommunicering")
    assert event.visible_to_citizen
    entry = describe(event)
    assert entry.title == "Vi har fått uppgifter som kan påverka beslutet"
    assert "innan vi beslutar" in entry.detail
    # What was found is read on its own page, in the reader's language (tests/portal/test_requests.py).
    assert entry.link == reverse("portal:kommunicering", args=[event.data["kommunicering_id"]])
    with translation.override("ar"):
        assert "يمكنك الرد" in describe(event).detail
    client.force_login(caseworker)
    queue = client.get(reverse("casework:queue")).content.decode()
    assert "Kommunicering: svar senast" in queue


def test_the_caseworker_sends_it_from_the_case_page(routed, caseworker, client):
    client.force_login(caseworker)
    page = client.get(reverse("casework:case", args=[routed.case_id])).content.decode()
    assert "Kommunicering före beslut" in page and "förvaltningslagen 25 § andra stycket 3" in page
    response = client.post(
        reverse("casework:kommunicering", args=[routed.case_id]),
        {"found": "Registren visar en högre a-kassa.", "reply_by": FAR.isoformat()},
    )
    assert response.status_code == 302
    assert routed.kommuniceringar.get().found == "Registren visar en högre a-kassa."
    entry = routed.kommuniceringar.get()
    page = client.get(reverse("casework:case", args=[routed.case_id])).content.decode()
    assert "Anteckna svaret" in page
    client.post(reverse("casework:kommunicering-reply", args=[routed.case_id, entry.pk]), {"reply": " "})
    entry.refresh_from_db()
    assert entry.replied_at is None  # an empty reply is not a reply
    client.post(
        reverse("casework:kommunicering-reply", args=[routed.case_id, entry.pk]),
        {"reply": "Jag ringde: a-kassan stämmer."},
    )
    entry.refresh_from_db()
    assert entry.reply == "Jag ringde: a-kassan stämmer." and entry.replied_at is not None
    # Bad input: a clear message, nothing stored, never a 500.
    response = client.post(
        reverse("casework:kommunicering", args=[routed.case_id]), {"found": "", "reply_by": "igår"}
    )
    assert response.status_code == 302
    assert routed.kommuniceringar.count() == 1
