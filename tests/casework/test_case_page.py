"""The case page as a caseworker reads it (issue 16): words, not data structures; states that follow the
case; findings with a lifecycle; sign-offs; one id per element."""

from __future__ import annotations

import datetime
import re
import subprocess
from collections import Counter

import hypothesis
import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import strategies as st

from bistand.casework import case_page, findings, lookup, pipeline, workspace
from bistand.casework.models import CaseFinding, SignOff
from bistand.registers.snapshot import RegisterSnapshot
from tests.casework.test_pipeline import THIS_MONTH, quiet_single, robot, run_to_end, submit  # noqa: F401
from tests.casework.test_workspace import told
from tests.conftest import make_citizen, make_staff
from tests.stored_facts import whole

pytestmark = pytest.mark.django_db

# What a developer's debug view shows and a caseworker must never see.
RAW = ["[{'", "{'", "'type'", "register:", "nothing_changed", "covers_from", "warning:", "notice:", "None"]


@pytest.fixture
def routed(find, unit):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, costs=[{"type": "rent", "amount": "9900"}]))
    assert run.status == "routed"
    return run


def page(client, user, run) -> str:
    client.force_login(user)
    response = client.get(reverse("casework:case", args=[run.case_id]))
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html: str) -> str:
    """The page as read: the raw register answer (one click away, for the record) and markup left out."""
    html = re.sub(r'<details class="ds-details raw-answer">.*?</details>', "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_answers_are_a_labelled_table_with_sources_in_words(client, caseworker, routed):
    html = page(client, caseworker, routed)
    text = visible_text(html)
    for raw in RAW:
        assert raw not in text, raw
    assert "Hyra eller avgift för bostaden" in text
    assert "9\xa0900\xa0kr" in text  # the one money format
    assert "Den sökande" in text


def test_no_id_appears_twice_on_the_case_page(client, caseworker, routed):
    html = page(client, caseworker, routed)
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    # Every field of the journal has its label.
    for field in ("note-kind", "note-text"):
        assert f'for="{field}"' in html


def test_a_first_application_is_not_said_to_report_a_change(routed):
    codes = [r["code"] for r in routed.routing_reasons]
    assert "first_application" in codes
    assert "reported_change" not in codes


def test_each_reason_links_to_the_facts_behind_it(client, caseworker, routed):
    html = page(client, caseworker, routed)
    assert 'href="#answer-costs-rent"' in html  # rent above the guidance → the rent row
    assert 'id="answer-costs-rent"' in html


@translation.override("sv")
def test_register_source_words_say_who_and_when():
    fetched = datetime.datetime(2026, 12, 3, 13, 9, tzinfo=datetime.UTC)
    assert case_page.source_words("register:fk", {"fetched_at": fetched.isoformat()}) == (
        "Försäkringskassan och Pensionsmyndigheten, hämtat 3 dec 14:09"
    )
    assert case_page.source_words("citizen") == "Den sökande"


@translation.override("sv")
def test_register_incomes_show_the_period_of_each_amount():
    snapshot = {
        "applicant": {
            "sources": {
                "fk": {
                    "facts": whole("fk", {
                        "payments": [
                            {"code": "FK:ABB", "label": "Barnbidrag", "net": "1250", "paid_on": "2026-11-20",
                             "covers_from": "2026-11-01", "covers_to": "2026-11-30"},
                            {"code": "FK:ABB", "label": "Barnbidrag", "net": "1250", "paid_on": "2026-10-20",
                             "covers_from": "2026-10-01", "covers_to": "2026-10-31"},
                        ],
                        "decisions": [],
                    }),
                    "provenance": {"fetched_at": "2026-12-03T13:09:54+00:00"},
                }
            }
        }
    }  # fmt: skip
    (answer,) = case_page.register_answers(RegisterSnapshot.from_json(snapshot), "2026-11", protected=False)
    assert answer.source == "Försäkringskassan och Pensionsmyndigheten" and answer.fetched == "3 dec 14:09"
    periods = [(row["period"], row["counted"]) for row in answer.incomes]
    assert periods == [("1 nov 2026 – 30 nov 2026", True), ("1 okt 2026 – 31 okt 2026", False)]


def test_after_the_decision_the_header_says_decided_and_offers_no_take(client, caseworker, routed):
    draft = workspace.save_draft(routed, caseworker, outcome="grant")
    workspace.submit(draft, caseworker)
    html = page(client, caseworker, routed)
    assert 'id="case-status">Beslutat<' in html
    assert "Ta ärendet" not in html
    assert "Hos handläggare" not in visible_text(html.split('id="timeline"')[0])


def test_a_draft_is_described_in_words_and_its_preview_marked_as_a_draft(client, caseworker, routed):
    told(routed, caseworker)
    workspace.save_draft(
        routed,
        caseworker,
        outcome="grant",
        adjustments=[{"kind": "cost", "type": "rent", "from": "9900", "to": "7000", "reason": "Riktlinjen."}],
    )
    text = visible_text(page(client, caseworker, routed))
    assert "Boendekostnad (hyra): 9\xa0900\xa0kr → 7\xa0000\xa0kr" in text
    assert "Bifall: hela det beräknade beloppet" in text
    assert " grant" not in text and "rent " not in text
    assert "märkt UTKAST" in text
    draft = routed.drafts.get()
    pdf = client.get(reverse("casework:preview", args=[routed.case_id, draft.pk])).content
    letter = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "UTKAST – inte beslutat och inte skickat" in letter


def test_sign_offs_record_who_approved_the_calculation_and_the_decision(routed, caseworker, unit, settings):
    from bistand.casework.models import AutomationPolicy
    from bistand.casework.policy import default_policy
    from tests.conftest import TEST_DELEGATION

    config = default_policy().config
    AutomationPolicy.objects.create(
        municipality=unit.municipality,
        version="two-people",
        valid_from=datetime.date(2026, 1, 1),
        delegation=TEST_DELEGATION,
        config={**config, "second_approval": {"above_amount": "1"}},
    )
    draft = workspace.save_draft(routed, caseworker, outcome="grant")
    assert workspace.submit(draft, caseworker) is None  # waits for a second person
    approver = make_staff("handlaggare2", unit)
    draft.refresh_from_db()
    decision = workspace.approve(draft, approver)
    rows = list(
        SignOff.objects.filter(case=routed.case).values_list("what", "role", "by__username", "reference")
    )
    assert rows == [
        ("calculation", "approved", caseworker.username, str(draft.pk)),
        ("decision", "decided", caseworker.username, str(decision.pk)),
        ("decision", "approved", "handlaggare2", str(decision.pk)),
    ]


def test_a_finding_acknowledged_then_gone_on_a_new_look_up_is_closed_with_its_history(
    find,
    unit,
    caseworker,
    registers,
    settings,
    client,
):
    settings.REGISTER_GAP_WAIT_SECONDS = 0
    found = find(quiet_single)
    citizen = make_citizen(found.pnr, unit.municipality)
    registers.faults({"source": "fk", "person": found.pnr, "mode": "error", "variant": "bt"})
    run = submit(citizen.person, unit, THIS_MONTH)
    for _ in range(pipeline.REGISTER_ATTEMPTS + 1):
        pipeline.advance(run.pk)
        run.refresh_from_db()
        if run.status != "running":
            break
    assert run.status == "routed"
    high = CaseFinding.objects.get(run=run, code="register_incomplete")
    assert (high.severity, high.status) == ("high", "open")

    # The decision waits while the high finding is open.
    draft = workspace.save_draft(run, caseworker, outcome="grant")
    with pytest.raises(workspace.WorkspaceError, match="inte kvitterat"):
        workspace.submit(draft, caseworker)

    # The queue says so before the case is opened; the page says why, and links to the finding.
    client.force_login(caseworker)
    assert "Allvarligt fynd att kvittera" in client.get(reverse("casework:queue")).content.decode()
    html = page(client, caseworker, run)
    assert 'id="decision-blocked"' in html and f'href="#finding-{high.pk}"' in html
    # Acknowledged by a named caseworker with a note, through the page.
    client.force_login(caseworker)
    url = reverse("casework:acknowledge-finding", args=[run.case_id, high.pk])
    refused = client.post(url, {"note": "  "})
    assert refused.status_code == 302 and CaseFinding.objects.get(pk=high.pk).status == "open"
    response = client.post(url, {"note": "Ringde Försäkringskassan: inga utbetalningar i november."})
    assert response["Location"].endswith(f"#finding-{high.pk}")
    high.refresh_from_db()
    assert (high.status, high.acknowledged_by) == ("acknowledged", caseworker)

    # The register is back: a new look-up closes the finding; its history is kept.
    registers.clear_faults()
    pipeline._gateway = None
    response = client.post(reverse("casework:look-up-again", args=[run.case_id]))
    assert response["Location"].endswith("#findings")
    high.refresh_from_db()
    assert high.status == "closed" and high.closed_at is not None
    assert [e.kind for e in high.history.all()] == ["opened", "acknowledged", "closed"]
    assert high.note.startswith("Ringde")  # the acknowledgement stays
    run.refresh_from_db()
    assert "register_incomplete" not in [r["code"] for r in run.routing_reasons]


def test_a_closed_finding_is_never_silently_reopened(routed):
    cause = {"code": "vehicle", "severity": "warning", "message": "Ett fordon.", "role": "applicant",
             "source": "tns"}  # fmt: skip
    routed.findings = [cause]
    findings.sync(routed)
    first = CaseFinding.objects.get(run=routed, code="vehicle")
    routed.findings = []
    findings.sync(routed)
    routed.findings = [cause]
    findings.sync(routed)
    rows = list(CaseFinding.objects.filter(run=routed, code="vehicle").order_by("pk"))
    assert [r.status for r in rows] == ["closed", "open"]
    assert rows[0].pk == first.pk and [e.kind for e in rows[0].history.all()] == ["opened", "closed"]


def test_last_month_stands_beside_this_month(find, unit, caseworker, client):
    from tests.casework.test_pipeline import LAST_MONTH, returning

    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    returning(citizen.person, unit, caseworker)  # last month: rent 5 900
    run = run_to_end(submit(citizen.person, unit, THIS_MONTH, costs=[{"type": "rent", "amount": "6400"}]))
    assert run.status == "routed" and LAST_MONTH < THIS_MONTH
    html = page(client, caseworker, run)
    row = re.search(r'<tr id="answer-costs-rent">(.*?)</tr>', html, flags=re.S).group(1)
    cells = [c.strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
    assert cells[:3] == ["Hyra eller avgift för bostaden", "6\xa0400\xa0kr", "5\xa0900\xa0kr"]
    assert "Förra månaden" in html


def test_a_decided_application_keeps_the_register_facts_it_was_decided_on(client, caseworker, routed):
    workspace.submit(workspace.save_draft(routed, caseworker, outcome="grant"), caseworker)
    before = routed.register_snapshot
    with pytest.raises(findings.FindingError, match="redan beslutad"):
        lookup.look_up_again(routed, caseworker)
    routed.refresh_from_db()
    assert routed.register_snapshot == before
    assert "Hämta registeruppgifterna igen" not in page(client, caseworker, routed)


def test_staff_pages_show_no_raw_structure(client, caseworker, routed):
    client.force_login(caseworker)
    for name in ("casework:queue", "casework:workload"):
        text = visible_text(client.get(reverse(name)).content.decode())
        for raw in RAW:
            assert raw not in text, (name, raw)


def test_an_appealed_decision_says_so_in_the_header(client, caseworker, routed):
    from bistand.conversation.models import Appeal

    decision = workspace.submit(workspace.save_draft(routed, caseworker, outcome="grant"), caseworker)
    Appeal.objects.create(decision=decision, lodged_by=routed.application.applicant, text="Jag överklagar.")
    html = page(client, caseworker, routed)
    assert 'id="case-status">Överklagat<' in html
    assert "Ta ärendet" not in html and "Kvittera fyndet" not in html


def test_a_protected_household_member_is_marked_in_the_header_without_a_name(find, unit, client, caseworker):
    from bistand.identity.models import Person

    child = Person.objects.create(
        personnummer="201501012395", first_name="Hemlig", last_name="Person", protection="sekretessmarkering"
    )
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = run_to_end(
        submit(citizen.person, unit, THIS_MONTH, children=[{"personnummer": child.personnummer}])
    )
    html = page(client, caseworker, run)
    header = html.split('class="case-layout"')[0]
    assert "Skyddade personuppgifter" in header and "Hemlig" not in html
    assert "Barn:" in header and "11 år" in header  # born 2015, the month is November 2026


@translation.override("sv")
def test_register_facts_are_labelled_for_their_source():
    snapshot = {
        "applicant": {
            "sources": {
                "navet": {
                    "facts": whole("navet", {"registered": True, "civil_status": "OG", "household": []})
                },
                "af": {
                    "facts": whole(
                        "af",
                        {
                            "registered": True,
                            "activity_reports": [
                                {
                                    "submitted_on": "2026-11-11",
                                    "covers_month": "2026-10",
                                    "message": "Inlämnad",
                                }
                            ],
                        },
                    )
                },
            }
        }
    }
    navet, af = case_page.register_answers(RegisterSnapshot.from_json(snapshot), "2026-11", protected=False)
    assert ("Folkbokförd", "Ja") in navet.facts and ("Civilstånd", "Ogift") in navet.facts
    assert ("Inskriven som arbetssökande", "Ja") in af.facts
    assert af.tables[0].rows == [["11 nov 2026", "oktober 2026", "Inlämnad"]]


@translation.override("sv")
def test_a_protected_households_navet_facts_are_never_shown():
    navet_facts = whole(
        "navet",
        {
            "given_name": "Hemlig",
            "registered": True,
            "civil_status": "G",
            "protection": "skyddad_folkbokforing",
            "address": {"street": "Gömd väg 1", "postal_code": "12345", "city": "Okänd", "apartment": None,
                        "municipality": "0180"},
        },
    )  # fmt: skip
    snapshot = {
        "applicant": {
            "protected": True,
            "sources": {
                "navet": {"facts": navet_facts, "provenance": {"fetched_at": "2026-12-03T13:09:54+00:00"}},
                "af": {"facts": whole("af", {"registered": True})},
            },
        }
    }
    navet, af = case_page.register_answers(RegisterSnapshot.from_json(snapshot), "2026-11", protected=True)
    assert (navet.facts, navet.tables, navet.raw, navet.incomes) == ([], [], None, [])
    assert navet.fetched == "3 dec 14:09"  # that it answered, and when, is still shown
    assert ("Inskriven som arbetssökande", "Ja") in af.facts
    shown = case_page.register_answers(RegisterSnapshot.from_json(snapshot), "2026-11", protected=False)[0]
    assert ("Civilstånd", "Gift") in shown.facts  # the same facts, unprotected, are shown


@translation.override("sv")
def test_a_stored_answer_that_no_longer_reads_is_said_so_and_the_page_still_opens():
    snapshot = {"applicant": {"sources": {"skv": {"facts": {"capital": [{"assessment_year": 2025}]}}}}}
    (skv,) = case_page.register_answers(RegisterSnapshot.from_json(snapshot), "2026-11", protected=False)
    assert skv.error == "Svaret kunde inte läsas. Uppgifterna behöver kontrolleras."
    assert skv.facts == [] and skv.raw is None


CAUSES = [
    {"code": "vehicle", "severity": "warning", "message": "Ett fordon.", "role": "applicant", "source": "tns"},
    {"code": "register_incomplete", "severity": "high", "message": "FK svarade inte.", "role": "applicant",
     "source": "fk"},
    {"code": "capital_income", "severity": "warning", "message": "Kapital.", "role": "applicant", "source": "skv"},
]  # fmt: skip


@hypothesis.settings(max_examples=25, deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(
    steps=st.lists(
        st.tuples(st.frozensets(st.sampled_from(range(len(CAUSES)))), st.booleans()), min_size=1, max_size=6
    )
)
def test_findings_follow_their_causes_and_never_reopen(routed, caseworker, steps):
    """Over any sequence of look-ups and acknowledgements: one live finding per cause that is there, none
    for a cause that is gone, a closed finding stays closed, and an acknowledgement stays while its cause does."""
    CaseFinding.objects.filter(run=routed).delete()
    closed: set[int] = set()
    for present, acknowledge in steps:
        before = {f.pk: f.status for f in CaseFinding.objects.filter(run=routed)}
        routed.findings = [CAUSES[i] for i in sorted(present)]
        findings.sync(routed)
        rows = list(CaseFinding.objects.filter(run=routed))
        live = [f for f in rows if f.status != "closed"]
        assert sorted(f.code for f in live) == sorted(CAUSES[i]["code"] for i in present)
        assert all(f.status == "closed" for f in rows if f.pk in closed)
        assert all(
            before[f.pk] == "acknowledged" for f in live if f.pk in before and f.status == "acknowledged"
        )
        assert all(f.status == before[f.pk] for f in live if f.pk in before)  # a live one is left as it is
        closed |= {f.pk for f in rows if f.status == "closed"}
        if acknowledge and live and live[0].status == "open":
            findings.acknowledge(live[0], caseworker, "Kontrollerat.")


def test_findings_stored_before_the_lifecycle_become_open_findings(routed):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("bistand.casework.migrations.0014_findings_of_earlier_runs")
    CaseFinding.objects.all().delete()
    routed.findings = [{"code": "vehicle", "severity": "warning", "message": "Ett fordon.", "source": "tns"}]
    routed.save()
    migration.forwards(apps, None)
    (finding,) = CaseFinding.objects.filter(run=routed)
    assert (finding.code, finding.status, finding.opened_at) == ("vehicle", "open", routed.updated_at)
    migration.forwards(apps, None)  # once only
    assert CaseFinding.objects.filter(run=routed).count() == 1
