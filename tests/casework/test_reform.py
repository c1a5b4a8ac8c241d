"""The bidragsreform through the robot: a case a reform rule touches goes to a person with the rule named,
on and after the rule's date and never before (prop. 2025/26:201 and 2025/26:207, pending SFS)."""

from __future__ import annotations

import datetime

import pytest

from bistand.casework.models import PipelineRun
from bistand.casework.reform import af_status, lawfully_resident
from bistand.ops.cli import main
from bistand.registers.facts import ActivityReport, AfFacts, MivFacts, ResidencePermit
from bistand.registers.snapshot import StoredResult
from bistand.registers.sources import Source
from bistand.rules.parameters import reset_default_parameters
from tests.casework.test_norm_wait import TABLE_2027
from tests.casework.test_pipeline import codes, quiet_single, robot, run_to_end, submit  # noqa: F401
from tests.conftest import make_citizen

pytestmark = pytest.mark.django_db

DECEMBER = datetime.date(2026, 12, 1)
JANUARY = datetime.date(2027, 1, 1)


@pytest.fixture(autouse=True)
def norm_2027(tmp_path, monkeypatch):
    monkeypatch.setenv("BISTAND_DATA_DIR", str(tmp_path / "data"))
    reset_default_parameters()
    assert main(["norm", "import", str(TABLE_2027), "--force"]) == 0
    yield
    reset_default_parameters()


@pytest.fixture
def person(find, unit):
    return make_citizen(find(quiet_single).pnr, unit.municipality).person


def message(run: PipelineRun, code: str) -> str:
    return next(r["message"] for r in run.routing_reasons if r["code"] == code)


def test_sol_12_kap_7_second_hand_lease_without_consent_from_2027(person, unit):
    lease = {"housing": {"second_hand_lease": True, "sublet_consent": False}}
    december = run_to_end(submit(person, unit, DECEMBER, **lease))
    assert "sublet_consent" not in codes(december)
    january = run_to_end(submit(person, unit, JANUARY, **lease))
    assert january.status == PipelineRun.Status.ROUTED
    text = message(january, "sublet_consent")
    assert "andra hand" in text and "prop. 2025/26:201" in text and "pending SFS" in text


def test_sol_12_kap_1_riksnorm_as_ceiling_from_2027(person, unit):
    dental = {"extra_needs": [{"type": "dental", "amount": "900", "description": "akut"}]}
    assert "riksnorm_ceiling" not in codes(run_to_end(submit(person, unit, DECEMBER, **dental)))
    january = run_to_end(submit(person, unit, JANUARY, **dental))
    assert "Riksnormen som tak" in message(january, "riksnorm_ceiling")


def test_sol_12_kap_3_medical_certificate_from_july_2026(person, unit):
    ill = {"illness": {"not_at_disposal": True}}
    june = run_to_end(submit(person, unit, datetime.date(2026, 6, 1), **ill))
    assert "medical_certificate" not in codes(june)
    july = run_to_end(submit(person, unit, datetime.date(2026, 7, 1), **ill))
    assert "Läkarintyg saknas" in message(july, "medical_certificate")
    covered = {
        "illness": {"not_at_disposal": True, "certificate_from": "2026-08-01", "certificate_to": "2026-09-30"}
    }
    august = run_to_end(submit(person, unit, datetime.date(2026, 8, 1), **covered))
    assert "medical_certificate" not in codes(august)


def _permit(code: str | None, valid_from: str | None, valid_to: str | None) -> ResidencePermit:
    day = datetime.date.fromisoformat
    return ResidencePermit(
        applied_on=datetime.date(2023, 1, 10),
        case_type="UAT",
        decision_code=code,
        decision_type="TUT" if code else None,
        decided_on=day(valid_from) if valid_from else None,
        valid_from=day(valid_from) if valid_from else None,
        valid_to=day(valid_to) if valid_to else None,
    )


def _miv(*permits: ResidencePermit) -> StoredResult:
    return StoredResult.of(MivFacts(permits=permits, home_country=None, entry_date=None))


def _af(registered: bool, *covered: str) -> StoredResult:
    reports = tuple(ActivityReport(datetime.date(2026, 11, 1), month, "") for month in covered)
    facts = AfFacts(
        sekretessmarkering=False,
        registered=registered,
        category=None,
        category_text=None,
        registered_on=None,
        extent_percent=None,
        deregistered=False,
        activity_reports=reports,
        unemployment_fund=None,
        economic_decisions=(),
    )
    return StoredResult.of(facts)


def test_sol_12_kap_1_lawful_residence_from_migrationsverket_facts():
    month = JANUARY
    no_case = _miv()
    granted = _miv(_permit("BEV", "2024-02-01", "2027-02-01"))
    expired = _miv(_permit("BEV", "2023-02-01", "2026-02-01"))
    pending = _miv(_permit(None, None, None))
    assert lawfully_resident(no_case, month) is True
    assert lawfully_resident(granted, month) is True
    assert lawfully_resident(expired, month) is False
    assert lawfully_resident(pending, month) is None
    timeout = StoredResult(Source.MIV, "error", error={"kind": "timeout"})
    assert lawfully_resident(timeout, month) is None


def test_arbetsformedlingen_activity_report_status_200_501_500_502():
    month = datetime.date(2026, 11, 1)
    assert af_status(_af(True, "2026-10"), month) == "200"
    assert af_status(_af(True, "2026-06"), month) == "501"
    assert af_status(_af(False), month) == "500"
    unavailable = StoredResult(Source.AF, "error", error={"kind": "unavailable"})
    assert af_status(unavailable, month) == "502"
    assert af_status(None, month) is None


def test_application_answers_for_the_reform_are_checked_by_field(person, unit):
    from bistand.intake.schema import ApplicationInvalid, validate_application

    with pytest.raises(ApplicationInvalid) as caught:
        validate_application(
            {
                "month": "2027-01",
                "housing": {"second_hand_lease": "ja"},
                "illness": {"certificate_from": "2026-13-01"},
            }
        )
    fields = [e.field for e in caught.value.errors]
    assert "housing.second_hand_lease" in fields and "illness.certificate_from" in fields


def test_the_transparency_page_lists_the_reform_rules_pending_sfs(client, unit):
    from django.urls import reverse

    page = client.get(reverse("oversight:transparency", args=[unit.municipality.code])).content.decode()
    assert "Nya regler 2026–2027 (bidragsreformen)" in page
    assert "Läkarintyg när sjukdom hindrar" in page and "1 juli 2026" in page
    assert page.count("väntar på SFS-nummer") >= 6


def test_the_application_asks_about_a_second_hand_lease_and_a_medical_certificate():
    from bistand.intake.forms import HousingForm, NeedsForm

    housing = HousingForm({"rent": "6 000", "second_hand_lease": "on", "sublet_consent": "no"}, month=JANUARY)
    assert housing.is_valid(), housing.errors
    assert housing.values()["housing"] == {"second_hand_lease": True, "sublet_consent": False}

    needs = NeedsForm(
        {"ill": "on", "certificate_from": "2026-12-01", "certificate_to": "2027-02-28"}, month=JANUARY
    )
    assert needs.is_valid(), needs.errors
    assert needs.values()["illness"] == {
        "not_at_disposal": True,
        "certificate_from": "2026-12-01",
        "certificate_to": "2027-02-28",
    }
    half = NeedsForm({"ill": "on", "certificate_from": "2026-12-01"}, month=JANUARY)
    assert not half.is_valid() and "certificate_to" in half.errors


def test_a_caseworker_requests_a_medical_certificate_from_a_template(person, unit, caseworker, client):
    run = run_to_end(submit(person, unit, datetime.date(2026, 7, 1), illness={"not_at_disposal": True}))
    client.force_login(caseworker)
    client.post(
        f"/casework/cases/{run.case_id}/documents/",
        {"template": "medical_certificate", "text": "", "deadline": "2099-01-01"},
    )
    request = run.case.document_requests.get()
    assert request.text.startswith("Läkarintyg: ett intyg från en läkare")
    empty = client.post(
        f"/casework/cases/{run.case_id}/documents/", {"text": "", "deadline": "2099-01-01"}, follow=True
    )
    assert "Skriv vad som behövs" in empty.content.decode()


def test_aktivitetskrav_refusal_only_by_a_person_after_kommunicering(person, unit, caseworker):
    from bistand.casework import workspace
    from bistand.casework.deciding import decide_by_person

    # July, August and September granted: October follows three granted months in a row.
    for month in (datetime.date(2026, 7, 1), datetime.date(2026, 8, 1), datetime.date(2026, 9, 1)):
        decide_by_person(run_to_end(submit(person, unit, month)), caseworker)
    october = run_to_end(submit(person, unit, datetime.date(2026, 10, 1)))
    assert "aktivitetskrav" in codes(october) and october.status == PipelineRun.Status.ROUTED
    assert "prop. 2025/26:207" in message(october, "aktivitetskrav")
    from bistand.casework import kommunicering

    with pytest.raises(workspace.WorkspaceError, match="förvaltningslagen 25 §"):
        workspace.save_draft(october, caseworker, outcome="reject", motivation="Deltar inte i aktiviteter.")
    kommunicering.communicate(
        october,
        caseworker,
        found="Du har inte lämnat någon aktivitetsplan.",
        reply_by=datetime.date(2026, 10, 20),
        today=datetime.date(2026, 10, 5),
    )
    draft = workspace.save_draft(
        october, caseworker, outcome="reject", motivation="Deltar inte i aktiviteter."
    )
    assert draft.outcome == "reject" and not october.application.decisions.exists()


def test_the_case_page_lists_the_months_reform_rules_pending_sfs(person, unit, caseworker, client):
    run = run_to_end(submit(person, unit, JANUARY))
    client.force_login(caseworker)
    page = client.get(f"/casework/cases/{run.case_id}/").content.decode()
    assert "Bidragsreformens regler för månaden" in page
    assert "Ekonomiskt bistånd bara till den som vistas lagligen" in page and "väntar på SFS-nummer" in page


def test_a_registered_medical_certificate_counts_until_it_expires(person, unit, caseworker, client):
    ill = {"illness": {"not_at_disposal": True}}
    july = run_to_end(submit(person, unit, datetime.date(2026, 7, 1), **ill))
    assert "medical_certificate" in codes(july)
    client.force_login(caseworker)
    client.post(
        f"/casework/cases/{july.case_id}/certificates/",
        {
            "certificate-person": person.personnummer,
            "certificate-valid_from": "2026-07-01",
            "certificate-valid_until": "2026-08-31",
        },
    )
    assert july.case.medical_certificates.count() == 1
    august = run_to_end(submit(person, unit, datetime.date(2026, 8, 1), **ill))
    assert "medical_certificate" not in codes(august)
    september = run_to_end(submit(person, unit, datetime.date(2026, 9, 1), **ill))
    assert "medical_certificate" in codes(september)  # the certificate has expired
    bad = client.post(
        f"/casework/cases/{july.case_id}/certificates/",
        {
            "certificate-person": person.personnummer,
            "certificate-valid_from": "2026-09-30",
            "certificate-valid_until": "2026-09-01",
        },
        follow=True,
    )
    assert "Intyget kan inte sluta före det börjar." in bad.content.decode()
