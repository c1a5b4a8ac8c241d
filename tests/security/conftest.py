"""A small world for attacking: one citizen's case with everything on it, and people who should not see it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from bistand.cases.models import Case, TimelineEvent
from bistand.casework.models import ConcernReport, DecisionDraft, JournalNote, PaperScan, PipelineRun
from bistand.conversation.models import DocumentRequest
from bistand.identity.models import Municipality, Unit, User
from bistand.intake.models import Application, PowerOfAttorney
from bistand.oversight.models import RandomCheck, RandomCheckDraw
from bistand.payments.models import PaymentFile, PaymentOrder
from tests import samples
from tests.conftest import CITIZEN_PNR, OTHER_CITIZEN_PNR, make_citizen, make_staff
from tests.portal.conftest import CALCULATION, make_decision

AGENT_PNR = "198112199289"  # Skatteverket test personnummer


@dataclass
class World:
    """The owner's objects (by URL keyword) and the accounts that try them."""

    ids: dict[str, object]
    owner: User
    caseworker: User
    finance: User
    auditor: User
    team_lead: User
    other_citizen: User
    other_caseworker: User
    other_finance: User
    sibling_caseworker: User
    case: Case
    extra: dict[str, object] = field(default_factory=dict)


def grant_protected(user: User) -> None:
    from bistand.cases.protection import grant_protected as grant

    grant(user)


def build_world(unit: Unit, *, owner_pnr: str = CITIZEN_PNR, owner_kwargs: dict | None = None) -> World:
    municipality = unit.municipality
    other_municipality = Municipality.objects.create(code="1280", name="Malmö stad")
    other_unit = Unit.objects.create(municipality=other_municipality, name="Malmö", handles_intake=True)
    owner = make_citizen(owner_pnr, municipality, **(owner_kwargs or {}))
    other_citizen = make_citizen(OTHER_CITIZEN_PNR, municipality, first_name="Eva")
    caseworker = make_staff("hl-owner-unit", unit)
    team_lead = make_staff("gl-owner-unit", unit, role=User.Role.TEAM_LEAD)
    finance = make_staff("ek-owner-unit", unit, role=User.Role.FINANCE)
    auditor = make_staff("granskare", unit, role=User.Role.AUDITOR)
    other_caseworker = make_staff("hl-other-unit", other_unit)
    sibling_unit = Unit.objects.create(municipality=municipality, name="Vuxenenheten")
    sibling_caseworker = make_staff("hl-sibling-unit", sibling_unit)
    other_finance = make_staff("ek-other-unit", other_unit, role=User.Role.FINANCE)

    submitted = Application.objects.create(
        applicant=owner.person,
        municipality=municipality,
        month=datetime.date(2026, 12, 1),
        answers={"month": {"value": "2026-12", "source": "citizen"}},
    )
    submitted.submit()
    case = Case.objects.create(applicant=owner.person, unit=unit)
    TimelineEvent.objects.create(
        case=case, application=submitted, kind="received", actor="citizen", occurred_at=submitted.submitted_at
    )
    run = PipelineRun.objects.create(
        application=submitted,
        case=case,
        step="done",
        status="routed",
        calculation=CALCULATION,
        register_snapshot={},
        triage={"reasons": [{"code": "first_application", "message": "Ny ansökan"}]},
    )
    draft = DecisionDraft.objects.create(
        run=run,
        proposed_by=caseworker,
        outcome="grant",
        amount=Decimal("12170"),
        calculation=CALCULATION,
        status="awaiting_approval",
    )
    decision = make_decision(case, submitted)
    doc_request = DocumentRequest.objects.create(
        case=case, text="Kontoutdrag för december.", deadline=datetime.date(2026, 12, 20)
    )
    open_draft = Application.objects.create(
        applicant=owner.person,
        municipality=municipality,
        month=datetime.date(2027, 1, 1),
        draft={"steps": {}},
        expires_at=timezone.now() + datetime.timedelta(days=10),
    )
    agent = make_citizen(AGENT_PNR, municipality, first_name="Ombud")
    power = PowerOfAttorney.objects.create(
        principal=owner.person, agent=agent.person, valid_from=datetime.date(2020, 1, 1)
    )
    draw = RandomCheckDraw.objects.create(
        municipality=municipality,
        month=datetime.date(2026, 12, 1),
        seed=1,
        algorithm="test",
        checks_min=1,
        checks_max=1,
        months_back=2,
        deadline=datetime.date(2026, 12, 20),
        population=[{"group": f"unit:{unit.pk}", "households": [case.pk]}],
        selection=[{"group": f"unit:{unit.pk}", "count": 1, "households": [case.pk]}],
    )
    check = RandomCheck.objects.create(
        draw=draw, case=case, unit=unit, deadline=datetime.date(2026, 12, 20), document_request=doc_request
    )
    payment_file = PaymentFile.objects.create(
        municipality=municipality,
        payout_date=datetime.date(2026, 12, 25),
        message_id="TEST-0001",
        version="pain.001.001.09",
        xml="<Document/>",
        sha256="0" * 64,
        created_by=finance,
    )
    from bistand.casework.models import Kommunicering

    told = Kommunicering.objects.create(
        run=draft.run,
        sent_by=caseworker,
        found="Registren visar en inkomst.",
        reply_by=datetime.date(2026, 12, 20),
    )
    scan = PaperScan(application=submitted, content_type="png", sha256="0" * 64, uploaded_by=caseworker)
    scan.file.save("scan.png", ContentFile(samples.png()), save=True)
    order = PaymentOrder.objects.create(
        decision=decision,
        decision_version=decision.version,
        line="citizen",
        end_to_end_id=f"BST-{decision.pk}-1-citizen",
        municipality=municipality,
        unit=unit,
        case=case,
        application=submitted,
        person=owner.person,
        recipient_kind="citizen",
        amount=Decimal("12170"),
        payout_date=datetime.date(2026, 12, 25),
        status="held",
        status_reason="missing_account",
    )
    concern = JournalNote.objects.create(
        case=case, author=caseworker, kind="concern", visibility="restricted", text="Oro för barnet."
    )
    report = ConcernReport.objects.create(case=case, note=concern, recipient="Barn- och familjeenheten")
    from bistand.casework.models import CaseFinding

    finding = CaseFinding.objects.create(
        run=draft.run, key="vehicle:applicant:tns:", code="vehicle", severity="warning", message="Ett fordon.",
        opened_at=datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC),
    )  # fmt: skip
    ids = {
        "finding_id": finding.pk,
        "case_id": case.pk,
        "scan_id": scan.pk,
        "order_id": order.pk,
        "report_id": report.pk,
        "draft_id": draft.pk,
        "kommunicering_id": told.pk,
        "decision_id": decision.pk,
        "request_id": doc_request.pk,
        "reference": open_draft.reference,
        "power_id": power.pk,
        "file_id": payment_file.pk,
        "check_id": check.pk,
        "code": municipality.code,
        "name": "month",
    }
    world = World(
        ids=ids,
        owner=owner,
        caseworker=caseworker,
        finance=finance,
        auditor=auditor,
        team_lead=team_lead,
        other_citizen=other_citizen,
        other_caseworker=other_caseworker,
        other_finance=other_finance,
        sibling_caseworker=sibling_caseworker,
        case=case,
        extra={"submitted": submitted, "decision": decision, "agent": agent, "run": run},
    )
    return world


@pytest.fixture
def world(unit) -> World:
    return build_world(unit)
