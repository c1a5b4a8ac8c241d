"""The faults issue 20 found, each run end to end: nothing leaks, nothing is paid twice, and every case ends
decided or in a person's queue with a reason a person can read.

- a registers outage mid-run: the robot waits and re-collects when the registers are back;
- a protected person whose Navet answer carries an address (as the real Navet sends for sekretessmarkering);
- a second application for the same month, through the API, the web and staff's paper registration;
- a co-applicant who never signed.

The robot is driven in-process (`pipeline.advance`), so the scenarios are deterministic and take seconds;
`test_faults.py` covers killed worker processes.
"""

from __future__ import annotations

import json

import pytest
from bench.stack import ANSWERS, prepare_households
from django.test import Client

from bistand.audit.extract import build_json
from bistand.casework import pipeline
from bistand.casework.models import PipelineRun
from bistand.decisions.models import Decision
from bistand.identity.models import Person, User
from bistand.identity.tokens import issue_token
from bistand.identity.views import account_for
from bistand.intake.models import Application, MonthTaken
from bistand.intake.schema import with_provenance
from bistand.payments.models import PaymentOrder
from tests.faults.invariants import problems

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def robot(settings, registers_simulator, registers, tmp_path):
    settings.REGISTERS_URL = registers_simulator
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.APPLY_MONTHS_BACK = 240  # the prepared households apply for months back to 2022 (bench.stack)
    pipeline._gateway = None
    yield registers
    if pipeline._gateway is not None:
        pipeline._gateway.close()
    pipeline._gateway = None


def apply(client: Client, pnr: str, month: str, **extra):
    token = issue_token(account_for(pnr))
    body = json.dumps({"month": month, **ANSWERS, **extra})
    return client.post(
        "/api/v1/applications", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def drive(run_ids: list[int], times: int = 12) -> None:
    """Run every scheduled step as the worker would, ignoring the backoff delays."""
    for _ in range(times):
        running = list(
            PipelineRun.objects.filter(pk__in=run_ids, status="running").values_list("pk", flat=True)
        )
        if not running:
            return
        for run_id in running:
            pipeline.advance(run_id)


def readable(run: PipelineRun) -> bool:
    """A person's queue shows each reason's message; needs-attention shows last_error. No traceback."""
    texts = [r["message"] for r in run.routing_reasons] + [run.last_error]
    return all("Traceback" not in text for text in texts if text) and (
        run.status == "decided" or run.routing_reasons or run.last_error
    )


def check(application_ids: list[int], tmp_path) -> list[PipelineRun]:
    from bistand.decisions.letters import ensure_letters
    from bistand.decisions.models import Decision

    for decision in Decision.objects.filter(application_id__in=application_ids, letters__isnull=True):
        ensure_letters(decision)  # as the letters queue draws them after the decision
    found = problems(application_ids, [], tmp_path / "files")
    assert not found, found
    runs = list(PipelineRun.objects.filter(application_id__in=application_ids))
    assert all(r.status in {"decided", "routed", "needs_attention"} and readable(r) for r in runs)
    return runs


def test_a_registers_outage_mid_run(population, unit, caseworker, schedule, registers, tmp_path):
    households = prepare_households(population, 6, per_person=1)
    client = Client()
    before = [apply(client, h.pnr, h.months[0].isoformat()[:7]) for h in households[:3]]
    drive([PipelineRun.objects.get(application__reference=r.json()["application"]).pk for r in before])

    registers.faults({"mode": "error", "status": 503})  # every register, for everyone
    during = [apply(client, h.pnr, h.months[0].isoformat()[:7]) for h in households[3:]]
    waiting = [PipelineRun.objects.get(application__reference=r.json()["application"]).pk for r in during]
    drive(waiting, times=pipeline.REGISTER_ATTEMPTS + 3)
    assert set(PipelineRun.objects.filter(pk__in=waiting).values_list("status", "step")) == {
        ("running", "collect")
    }

    registers.clear_faults()
    pipeline._gateway = None  # the circuit breakers' cool-down has passed
    drive(waiting)

    ids = [r.application_id for r in PipelineRun.objects.all()]
    runs = check(ids, tmp_path)
    assert len(runs) == 6
    assert not any("protected_identity" in [c["code"] for c in r.routing_reasons] for r in runs)
    assert {r.status for r in runs if r.pk in waiting} == {"decided"}


def test_a_protected_persons_navet_address_is_stored_nowhere(
    find, population, unit, caseworker, schedule, tmp_path
):
    marked = find(
        lambda p, h: p.protection == "sekretessmarkering" and p.registered and p.role == "applicant"
    )
    street = population.household_of(marked).address.street
    response = apply(Client(), marked.pnr, "2026-12")
    assert response.status_code == 201
    run = PipelineRun.objects.get(application__reference=response.json()["application"])
    drive([run.pk])
    run.refresh_from_db()

    check([run.application_id], tmp_path)
    assert run.status == "routed" and "protected_identity" in [r["code"] for r in run.routing_reasons]
    stored = {
        "run snapshot": json.dumps(run.register_snapshot, ensure_ascii=False),
        "register extract": build_json(Person.objects.get(personnummer=marked.pnr)).decode(),
        **{f"cache {p.name}": p.read_text() for p in (tmp_path / "register-cache").rglob("*") if p.is_file()},
    }
    assert len(stored) > 2, "the register cache was not written"
    assert [where for where, text in stored.items() if street in text or "Folkbokforingsadress" in text] == []


def test_a_second_application_for_the_same_month_on_every_channel(
    population, unit, caseworker, schedule, tmp_path
):
    household = prepare_households(population, 1, per_person=1)[0]
    month = household.months[0]
    client = Client()
    first = apply(client, household.pnr, month.isoformat()[:7])
    assert first.status_code == 201
    # The API again, a web submission (the wizard's last signature ends in submit) and staff on paper.
    assert apply(client, household.pnr, month.isoformat()[:7]).status_code == 409
    person = Person.objects.get(personnummer=household.pnr)
    web = Application.objects.create(
        applicant=person,
        municipality=unit.municipality,
        month=month,
        answers=with_provenance({"month": month.isoformat()[:7], **ANSWERS}),
    )
    with pytest.raises(MonthTaken):
        web.submit()
    staff = Client()
    staff.force_login(User.objects.get(username="handlaggare1"))
    paper = staff.post(
        "/casework/paper/",
        {"channel": "paper", "personnummer": household.pnr, "month": month.isoformat()[:7], "rent": "5900"},
    )
    assert paper.status_code == 200  # the form again, with the month's error (or the month not offered)

    drive(list(PipelineRun.objects.values_list("pk", flat=True)))
    ids = list(
        Application.objects.filter(applicant=person, month=month, status="submitted").values_list(
            "pk", flat=True
        )
    )
    assert len(ids) == 1
    check(ids, tmp_path)
    decisions = Decision.objects.filter(application_id__in=ids)
    assert decisions.count() == 1
    assert (
        sum(o.amount for o in PaymentOrder.objects.filter(decision__in=decisions))
        == decisions[0].amount_granted
    )


def test_a_co_applicant_who_never_signed(find, population, unit, caseworker, schedule, registers, tmp_path):
    applicant = prepare_households(population, 1, per_person=1)[0]
    stranger = find(lambda p, h: p.protection != "none" and p.registered)
    response = apply(Client(), applicant.pnr, applicant.months[0].isoformat()[:7], co_applicant=stranger.pnr)
    assert response.status_code == 202
    assert not PipelineRun.objects.exists()

    # An application that reached the robot without the co-applicant's signature (an older API client,
    # an import): the co-applicant is not looked up, and a person is told why the case is theirs.
    person = Person.objects.get(personnummer=applicant.pnr)
    Application.objects.filter(applicant=person, status="signing").delete()  # waiting for the signature
    month = applicant.months[0]
    legacy = Application.objects.create(
        applicant=person,
        municipality=unit.municipality,
        month=month,
        co_applicant=Person.objects.get(personnummer=stranger.pnr),
        answers=with_provenance({"month": month.isoformat()[:7], **ANSWERS, "co_applicant": stranger.pnr}),
    )
    legacy.submit()
    run = pipeline.start(legacy)
    drive([run.pk])
    run.refresh_from_db()

    check([legacy.pk], tmp_path)
    assert registers.requests_for(stranger.pnr) == 0
    assert "co_applicant" not in run.register_snapshot
    assert "co_applicant_unsigned" in [r["code"] for r in run.routing_reasons]
