"""The meeting kept: a refused contact note keeps its text, orosanmälan is a route, the household reads what is
meant for it, and overdue contacts are marked with dates a caseworker can move.

Found by hand (issue 21): a note refused for a missing child-perspective answer lost its text and kind; an
orosanmälan was only a restricted note; notes "Synlig för den sökande" and activity plans never reached Mina
sidor; overdue contacts were not marked and the next contact could not be set by hand.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bistand.cases.models import TimelineEvent
from bistand.casework import workspace
from bistand.casework.models import ActivityPlan, ConcernReport, JournalNote
from tests.casework.test_pipeline import quiet_single, robot  # noqa: F401
from tests.casework.test_workspace import routed  # noqa: F401
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_case(routed, caseworker, monkeypatch):  # noqa: F811
    """A routed case taken by the caseworker, whose household counts as one with children."""
    monkeypatch.setattr(workspace, "_has_children", lambda case: True)
    workspace.take(routed.case, caseworker)
    routed.case.refresh_from_db()
    return routed.case


def test_a_refused_contact_note_keeps_what_was_typed(client, caseworker, family_case):
    client.force_login(caseworker)
    text = "Träffade familjen. Äldsta barnet har slutat gå till skolan."
    response = client.post(
        reverse("casework:note", args=[family_case.pk]),
        {"kind": "contact", "visibility": "internal", "text": text},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert text in page  # the text is still there
    assert '<option value="contact" selected>' in page  # and the kind
    assert "Ange om barnens situation har tagits upp" in page
    assert f'action="/casework/cases/{family_case.pk}/notes/#journal"' in page  # the error is in view
    assert not JournalNote.objects.exists()


def test_the_next_contact_can_be_set_by_hand_and_overdue_is_marked(client, caseworker, family_case):
    client.force_login(caseworker)
    client.post(
        reverse("casework:note", args=[family_case.pk]),
        {
            "kind": "contact",
            "visibility": "internal",
            "text": "Samtal.",
            "children_considered": "yes",
            "next_contact_due": "2026-01-15",
        },
    )
    assert workspace.next_contact_due(family_case) == datetime.date(2026, 1, 15)
    page = client.get(reverse("casework:case", args=[family_case.pk])).content.decode()
    assert "15 januari 2026" in page and "Försenad" in page  # 2026-01-15 is long past


def test_an_orosanmalan_is_a_restricted_route_never_shown_to_the_household(
    client, caseworker, family_case, unit
):
    client.force_login(caseworker)
    client.post(
        reverse("casework:note", args=[family_case.pk]),
        {"kind": "concern", "visibility": "citizen", "text": "Barnet berättade om våld hemma."},
    )
    report = ConcernReport.objects.get()
    assert report.status == "to_report" and report.note.visibility == "restricted"
    assert not TimelineEvent.objects.filter(kind="journal").exists()

    queue = client.get(reverse("casework:queue")).content.decode()
    assert "Orosanmälningar att lämna" in queue
    pdf = client.get(reverse("casework:concern-document", args=[family_case.pk, report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.post(reverse("casework:concern-reported", args=[family_case.pk, report.pk]))
    report.refresh_from_db()
    assert report.status == "reported" and report.reported_by == caseworker

    colleague = make_staff("kollega", unit)
    client.force_login(colleague)
    assert (
        "Barnet berättade" not in client.get(reverse("casework:case", args=[family_case.pk])).content.decode()
    )
    assert (
        client.get(reverse("casework:concern-document", args=[family_case.pk, report.pk])).status_code == 404
    )

    client.force_login(family_case.applicant.account)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Barnet berättade" not in home and "Orosanmälan" not in home


def test_notes_for_the_household_and_the_activity_plan_are_on_mina_sidor(client, caseworker, family_case):
    workspace.write_note(
        family_case, caseworker, "Vi ses 12 januari kl 10 på kontoret.", visibility="citizen"
    )
    workspace.write_note(family_case, caseworker, "Intern bedömning.", visibility="internal")
    ActivityPlan.objects.create(
        case=family_case,
        person=family_case.applicant,
        kind="plan",
        valid_from=datetime.date(2026, 12, 1),
        note="Söka tre jobb i veckan. Språkkurs på tisdagar.",
    )
    client.force_login(family_case.applicant.account)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Vi ses 12 januari kl 10 på kontoret." in home
    assert "Söka tre jobb i veckan." in home
    assert "Intern bedömning." not in home
