"""The caseworker's judgment: adjust with a reason, draft freely, a second person approves where required."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bistand.casework import kommunicering, workspace
from bistand.casework.models import DecisionDraft, JournalNote
from bistand.decisions.models import Decision
from tests.casework.test_pipeline import THIS_MONTH, quiet_single, robot, run_to_end, submit  # noqa: F401
from tests.conftest import make_citizen, make_staff

pytestmark = pytest.mark.django_db


def told(run, caseworker, *, reply: str = "Jag har inget att tillägga.") -> None:
    """Kommunicering sent and answered (FL 25 §), so an adverse decision may be made."""
    entry = kommunicering.communicate(
        run,
        caseworker,
        found="Hyran är högre än kommunens riktlinje.",
        reply_by=datetime.date(2026, 12, 17),
        today=datetime.date(2026, 12, 3),
    )
    if reply:
        kommunicering.record_reply(entry, reply)


@pytest.fixture
def routed(find, unit):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, costs=[{"type": "rent", "amount": "9900"}]))
    assert run.status == "routed"
    return run


def test_an_adjusted_line_needs_a_reason_and_changes_the_amount(routed, caseworker):
    with pytest.raises(workspace.WorkspaceError, match="skäl"):
        workspace.save_draft(
            routed, caseworker, outcome="grant", adjustments=[{"kind": "cost", "type": "rent", "to": "7000"}]
        )
    lower_rent = [{"kind": "cost", "type": "rent", "to": "7000", "reason": "Hyran är högre än riktlinjen."}]
    # Less than the citizen's own figures give: kommunicering first (FL 25 §).
    with pytest.raises(workspace.WorkspaceError, match="Kommunicera först"):
        workspace.save_draft(routed, caseworker, outcome="grant", adjustments=lower_rent)
    told(routed, caseworker)
    draft = workspace.save_draft(routed, caseworker, outcome="grant", adjustments=lower_rent)
    proposal = Decimal(str(routed.calculation["entitlement"]))
    assert proposal - draft.amount == 2900
    assert not Decision.objects.exists()  # a draft reaches nobody

    decision = workspace.submit(draft, caseworker)
    assert decision.amount_granted == draft.amount
    assert "Hyran är högre än riktlinjen." in decision.motivation
    assert decision.inputs["calculation_input"]["household"]["costs"] == [{"type": "rent", "amount": "7000"}]
    from bistand.decisions.replay import verify

    assert verify() == (1, [])  # replayed with the adjusted input it stored


def test_a_higher_norm_for_special_reasons(routed, caseworker):
    draft = workspace.save_draft(
        routed,
        caseworker,
        outcome="grant",
        adjustments=[{"kind": "norm", "amount": "450", "reason": "Särskild kost enligt läkarintyg."}],
    )
    assert draft.amount - Decimal(str(routed.calculation["entitlement"])) == 450


def test_a_rejection_needs_a_motivation_and_a_second_person(routed, caseworker, unit):
    with pytest.raises(workspace.WorkspaceError, match="motivering"):
        workspace.save_draft(routed, caseworker, outcome="reject")
    told(routed, caseworker)
    draft = workspace.save_draft(
        routed, caseworker, outcome="reject", motivation="Hushållet har en bil som kan säljas."
    )
    assert workspace.submit(draft, caseworker) is None
    draft.refresh_from_db()
    assert draft.status == DecisionDraft.Status.AWAITING_APPROVAL
    assert not Decision.objects.exists()
    with pytest.raises(workspace.WorkspaceError, match="annan person"):
        workspace.approve(draft, caseworker)
    colleague = make_staff("handlaggare2", unit)
    decision = workspace.approve(draft, colleague)
    assert decision.outcome == "reject" and decision.amount_granted == 0
    assert decision.decided_by == caseworker and decision.approved_by == colleague
    assert "Hushållet har en bil som kan säljas." in decision.motivation


def test_a_partial_grant_must_be_below_the_calculation(routed, caseworker):
    with pytest.raises(workspace.WorkspaceError, match="mindre än"):
        workspace.save_draft(routed, caseworker, outcome="partial", amount="999999", motivation="x")


def test_a_caseworker_of_another_unit_cannot_draft_or_open(routed, other_unit, client):
    outsider = make_staff("malmo1", other_unit)
    with pytest.raises(workspace.WorkspaceError):
        workspace.save_draft(routed, outsider, outcome="grant")
    client.force_login(outsider)
    assert client.get(reverse("casework:case", args=[routed.case_id])).status_code == 404
    assert client.post(reverse("casework:take", args=[routed.case_id])).status_code == 404
    assert client.get(f"/api/v1/cases/{routed.case_id}").status_code == 404


def test_journal_notes_are_signed_and_restricted_ones_are_hidden(routed, caseworker, unit):
    colleague = make_staff("handlaggare2", unit)
    workspace.take(routed.case, caseworker)
    routed.case.refresh_from_db()
    workspace.write_note(routed.case, caseworker, "Våld i nära relation: se akt.", visibility="restricted")
    workspace.write_note(routed.case, caseworker, "Ringde, bokade möte.", kind="contact")
    notes = list(workspace.visible_notes(routed.case, colleague))
    assert [n.text for n in notes] == ["Ringde, bokade möte."]
    assert len(workspace.visible_notes(routed.case, caseworker)) == 2
    note = JournalNote.objects.get(kind="contact")
    assert note.author == caseworker and note.next_contact_due is not None
    with pytest.raises(ValueError):
        note.save()  # never edited
    concern = workspace.write_note(
        routed.case, caseworker, "Oro för barnet.", kind="concern", visibility="internal"
    )
    assert concern.visibility == "restricted"


def test_the_case_page_shows_reasons_registers_and_proposal(routed, caseworker, client):
    client.force_login(caseworker)
    page = client.get(reverse("casework:case", args=[routed.case_id])).content.decode()
    assert "Hyran (9\u00a0900\u00a0kr) är högre än kommunens riktlinje" in page
    assert "Robotens förslag" in page
    # Register facts with their provenance: each source in words, and the request id of the look-up.
    assert "Skatteverket (folkbokföringen)" in page and "Försäkringskassan" in page and "Förfrågan" in page
    assert routed.register_snapshot["applicant"]["sources"]["fk"]["provenance"]["request_id"] in page


def test_templates_fill_an_empty_motivation_and_message(routed, caseworker, client):
    from bistand.casework.forms import DraftForm, MessageForm

    household = routed.calculation_input["household"]
    form = DraftForm(
        {"outcome": "reject", "motivation_template": "income", "cost_rent": "9900"}, household=household
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["motivation"].startswith("Dina och hushållets inkomster räcker")
    assert form.cleaned_data["motivation_template"] == "income"  # stored as the decision's ground
    message = MessageForm({"template": "meeting"})
    assert message.is_valid() and "boka" in message.cleaned_data["body"]
    empty = MessageForm({})
    assert not empty.is_valid() and "Skriv ett meddelande eller välj en mall." in str(empty.errors)


def test_a_reminder_reaches_mina_sidor_before_the_deadline_once(routed, caseworker, client):
    import datetime

    from bistand.conversation.services import remind_due_requests, request_documents

    today = datetime.date(2026, 11, 22)
    later = request_documents(routed.case, "Kontoutdrag", today + datetime.timedelta(days=10), caseworker)
    soon = request_documents(routed.case, "Hyreskontrakt", today + datetime.timedelta(days=2), caseworker)
    assert remind_due_requests(today) == 1
    assert remind_due_requests(today) == 0  # once
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at is not None and later.reminded_at is None
    reminder = routed.case.events.get(kind="documents_requested", data__reminder=True)
    assert reminder.visible_to_citizen and reminder.data["request_id"] == soon.pk


@pytest.mark.parametrize(("answer", "members", "norm_change"), [("yes", 2, 4990), ("no", 1, 0)])
def test_a_caseworker_settles_a_young_adults_schooling(find, unit, caseworker, answer, members, norm_change):
    """The citizen did not know; the caseworker finds out and the calculation follows (issue 14, finding 6)."""
    from bistand.casework.forms import DraftForm
    from tests.casework.test_pipeline import YOUNG_ADULT

    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, children=[{"personnummer": YOUNG_ADULT}]))
    assert "school_status" in [r["code"] for r in run.routing_reasons]
    household = run.calculation_input["household"]
    costs = {f"cost_{c['type']}": c["amount"] for c in household["costs"]}
    form = DraftForm(
        {"outcome": "grant", "school_c1": answer, "school_c1_reason": "Intyg från gymnasiet / CSN.", **costs},
        household=household,
    )
    assert form.is_valid(), form.errors
    draft = workspace.save_draft(run, caseworker, outcome="grant", adjustments=form.adjustments())
    calculation = draft.calculation
    assert (
        len([x for x in calculation["lines"] if x["section"] == "norm" and x["member"] != "household"])
        == members
    )
    # Not in school: not a child of the case, still in the household, so the case has 1 of 2 common costs.
    single, common_2 = 3940, 1410
    expected = single + norm_change + (common_2 if answer == "yes" else common_2 / 2)
    assert calculation["norm_total"] == expected
