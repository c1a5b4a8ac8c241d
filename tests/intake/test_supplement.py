"""Tilläggsbeslut: a new need on a decided month is its own application, decision and payment.

Found by hand (issue 21): once a month was decided, neither the citizen nor a caseworker could apply for a
new need that arose in it (a bill, a child's glasses) — the month's one regular application was used up and
the case page had no supplementary decision.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bistand.casework import pipeline
from bistand.casework.deciding import decide_as_proposed
from bistand.casework.supplements import decide_supplement
from bistand.casework.workspace import WorkspaceError
from bistand.decisions.models import Decision
from bistand.identity.tokens import issue_token
from bistand.intake.models import Application, MonthClaim, MonthTaken
from bistand.intake.supplement import SupplementInvalid, apply_for_supplement
from bistand.payments.models import PaymentOrder
from bistand.payments.services import plan_payments
from tests.conftest import CITIZEN_PNR, make_citizen
from tests.payments.conftest import answers

pytestmark = pytest.mark.django_db

# A month far enough ahead that its payout day is never in the past (the payments tests use it too).
MONTH = datetime.date(2030, 12, 1)
GLASSES = {
    "month": "2030-12",
    "need": "glasses",
    "amount": "1800",
    "description": "Glasögon till Elsa, 8 år.",
}


def regular_decision(person, *, costs=(("rent", 7800),), amount="12000", month=MONTH) -> Decision:
    """The month's regular application, submitted (claiming the month) and granted with these cost lines."""
    application = Application(
        applicant=person, municipality=person.municipality, month=month, answers=answers()
    )
    application.submit()
    run = pipeline.start(application)
    lines = [
        {"section": "norm", "rule": "riksnorm.personal", "amount": 4000},
        *({"section": "costs", "rule": f"costs.{kind}", "amount": value} for kind, value in costs),
    ]
    decision = Decision.objects.create(
        case=run.case,
        application=application,
        month=month,
        outcome=Decision.Outcome.GRANT,
        amount_applied=Decimal(amount),
        amount_granted=Decimal(amount),
        calculation={"entitlement": int(amount), "lines": lines},
        motivation="Test",
        automated=True,
        decided_at=timezone.now(),
        inputs={},
        rules_version="test",
    )
    plan_payments(decision)
    return decision


@pytest.fixture
def person(citizen, unit, schedule):
    return citizen.person


def test_a_supplement_stands_beside_the_decided_month(person):
    regular = regular_decision(person)
    supplement = apply_for_supplement(person, GLASSES)
    assert supplement.is_submitted and supplement.kind == Application.Kind.SUPPLEMENT
    assert supplement.previous == regular.application
    # It claims no month: the regular one still holds it, and a second regular application is still refused.
    assert list(MonthClaim.objects.values_list("application_id", flat=True)) == [regular.application_id]
    second = Application(applicant=person, municipality=person.municipality, month=MONTH, answers=answers())
    with pytest.raises(MonthTaken):
        second.submit()
    # The robot sends it to a person, saying why.
    run = supplement.pipeline
    reasons = pipeline.routing_reasons(run, pipeline.policy_for(run.application.municipality, MONTH))
    assert "supplement" in {r["code"] for r in reasons}


def test_a_supplement_needs_a_decided_month_and_one_request_per_need(person):
    with pytest.raises(SupplementInvalid) as undecided:
        apply_for_supplement(person, GLASSES)
    assert undecided.value.field == "month"
    regular_decision(person)
    apply_for_supplement(person, GLASSES)
    with pytest.raises(SupplementInvalid) as again:
        apply_for_supplement(person, GLASSES)
    assert again.value.field == "need"
    for field, bad in (("amount", "-5"), ("amount", "1e9"), ("need", "yacht"), ("description", " ")):
        with pytest.raises(SupplementInvalid) as invalid:
            apply_for_supplement(person, {**GLASSES, field: bad})
        assert invalid.value.field == field


def test_the_tillaggsbeslut_is_its_own_decision_law_and_payment(person, caseworker):
    regular = regular_decision(person)
    regular_orders = list(PaymentOrder.objects.filter(decision=regular).values_list("pk", "status", "amount"))
    run = apply_for_supplement(person, GLASSES).pipeline
    decision = decide_supplement(
        run, caseworker, outcome="grant", amount="1800", motivation="Behovet styrkt."
    )
    assert decision.application_id != regular.application_id and decision.outcome == "grant"
    assert decision.amount_granted == Decimal("1800") and decision.amount_applied == Decimal("1800")
    [line] = decision.calculation["lines"]
    assert line["rule"] == "costs.glasses" and line["reference"] == "SoL (2025:400) 12 kap. 1 §"
    [order] = PaymentOrder.objects.filter(decision=decision)
    assert order.amount == Decimal("1800.00") and order.status == PaymentOrder.Status.PLANNED
    # The month's own payment is untouched: nothing cancelled, nothing paid twice.
    assert (
        list(PaymentOrder.objects.filter(decision=regular).values_list("pk", "status", "amount"))
        == regular_orders
    )


def test_a_partial_tillagg_is_called_partial_and_needs_kommunicering(person, caseworker):
    regular_decision(person)
    run = apply_for_supplement(person, GLASSES).pipeline
    with pytest.raises(WorkspaceError, match="Kommunicera"):
        decide_supplement(run, caseworker, outcome="grant", amount="1000", motivation="Skälig kostnad.")
    decision = decide_supplement(
        run,
        caseworker,
        outcome="grant",
        amount="1000",
        motivation="Skälig kostnad för glasögon är 1 000 kr.",
        kommunicering_exception="unnecessary",
    )
    assert decision.outcome == "partial" and decision.amount_granted == Decimal("1000")


def test_a_supplement_is_never_decided_as_the_whole_month_again(person, caseworker):
    """'Besluta enligt förslaget' on a tilläggsansökan would pay the month's whole calculation a second time."""
    regular_decision(person)
    run = apply_for_supplement(person, GLASSES).pipeline
    run.calculation = {
        "entitlement": 12000,
        "lines": [{"section": "costs", "rule": "costs.rent", "amount": 7800}],
    }
    run.save(update_fields=["calculation"])
    with pytest.raises(ValueError, match="bara behovet"):
        decide_as_proposed(run, caseworker)
    assert not Decision.objects.filter(application=run.application).exists()


def test_a_need_granted_in_the_month_is_not_granted_again(person, caseworker):
    regular_decision(person, costs=(("rent", 7800), ("electricity", 400)))
    run = apply_for_supplement(person, {**GLASSES, "need": "electricity", "amount": "900"}).pipeline
    with pytest.raises(WorkspaceError, match="Hushållsel är redan beviljat"):
        decide_supplement(run, caseworker, outcome="grant", amount="900", motivation="Elräkning.")
    assert not PaymentOrder.objects.filter(application=run.application).exists()


# --- Web: Mina sidor and the case page ---------------------------------------------------------------------


def test_the_citizen_applies_for_a_tillagg_on_mina_sidor(client, citizen, person):
    client.force_login(citizen)
    assert "Ansök om tillägg" not in client.get(reverse("portal:home")).content.decode()
    regular_decision(person)
    assert reverse("portal:supplement") in client.get(reverse("portal:home")).content.decode()
    bad = client.post(reverse("portal:supplement"), {**GLASSES, "amount": "tusen"})
    assert bad.status_code == 200 and "Glasögon till Elsa" in bad.content.decode()
    response = client.post(reverse("portal:supplement"), GLASSES)
    assert response.status_code == 302
    supplement = Application.objects.get(kind=Application.Kind.SUPPLEMENT)
    assert supplement.answers["supplement"]["source"] == "citizen"


def test_the_caseworker_registers_and_decides_a_tillagg_on_the_case_page(client, caseworker, person):
    regular = regular_decision(person)
    client.force_login(caseworker)
    case_url = reverse("casework:case", args=[regular.case_id])
    assert "Registrera en ansökan om tillägg" in client.get(case_url).content.decode()
    client.post(reverse("casework:supplement", args=[regular.case_id]), {**GLASSES, "channel": "phone"})
    supplement = Application.objects.get(kind=Application.Kind.SUPPLEMENT)
    assert supplement.channel == "phone" and supplement.answers["supplement"]["source"] == "caseworker"
    page = client.get(case_url).content.decode()
    assert "Tilläggsbeslut" in page and "Glasögon till Elsa" in page
    response = client.post(
        reverse("casework:supplement-decide", args=[regular.case_id]),
        {"outcome": "grant", "amount": "1 800", "motivation": "Optikerns pris är skäligt."},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(application=supplement)
    assert decision.decided_by == caseworker and decision.amount_granted == Decimal("1800")
    assert PaymentOrder.objects.filter(decision=decision).count() == 1


# --- API ---------------------------------------------------------------------------------------------------


def _post(client, user, body) -> tuple[int, dict]:
    token = issue_token(user)
    response = client.post(
        reverse("api:supplements"),
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, response.json()


def test_the_api_takes_a_tillagg_and_names_the_field_it_refuses(client, citizen, person, municipality):
    status, body = _post(client, citizen, GLASSES)
    assert status == 422 and body["errors"][0]["field"] == "month"
    regular_decision(person)
    status, body = _post(client, citizen, GLASSES)
    assert status == 201 and body["status"] == "received"
    assert Application.objects.get(reference=body["application"]).kind == Application.Kind.SUPPLEMENT
    status, body = _post(client, citizen, {**GLASSES, "need": "dental", "amount": "-1"})
    assert status == 422 and body["errors"][0]["field"] == "amount"
    status, body = _post(client, citizen, {**GLASSES, "need": "dental", "iban": "x"})
    assert status == 422 and body["errors"][0]["field"] == "iban"
    status, body = _post(client, citizen, [1, 2])
    assert status == 400
    other = make_citizen("198001249286", municipality, first_name="Eva")
    status, body = _post(client, other, GLASSES)
    assert status == 422 and body["errors"][0]["field"] == "month"
    assert CITIZEN_PNR not in json.dumps(body)


@pytest.mark.parametrize(
    "language, title, need",
    [
        ("sv", "Ansök om tillägg", "Glasögon"),
        ("en", "Apply for a supplement", "Glasses"),
        ("ar", "قدّم طلب مساعدة إضافية", "النظارات"),
    ],
)
def test_the_tillagg_page_speaks_the_citizens_language(client, citizen, person, language, title, need):
    regular_decision(person)
    client.force_login(citizen)
    client.cookies["bistand_language"] = language
    page = client.get(reverse("portal:supplement")).content.decode()
    assert title in page and need in page


def test_the_tillaggsbeslut_letter_names_the_need_and_its_law(person, caseworker):
    from bistand.decisions.letters import letter_html

    regular_decision(person)
    run = apply_for_supplement(person, GLASSES).pipeline
    decision = decide_supplement(
        run, caseworker, outcome="grant", amount="1800", motivation="Behovet styrkt."
    )
    html = letter_html(decision, "sv")
    assert "Glasögon" in html and "12 kap. 1 §" in html and "1\xa0800" in html.replace(" ", "\xa0")


def test_the_citizen_sees_the_tillagg_they_applied_for(client, citizen, person):
    regular_decision(person)
    supplement = apply_for_supplement(person, GLASSES)
    client.force_login(citizen)
    response = client.get(reverse("portal:application", args=[supplement.reference]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ansökan om tillägg" in page and "Glasögon" in page and "Glasögon till Elsa" in page


def test_an_application_paid_at_the_counter_shows_how(client, citizen, person):
    """A paper application with cash at the counter as its payout method read on Mina sidor (no 500)."""
    application = Application(
        applicant=person,
        municipality=person.municipality,
        month=MONTH,
        answers=answers(account={"route": "cash"}, month="2030-12"),
    )
    application.submit()
    client.force_login(citizen)
    page = client.get(reverse("portal:application", args=[application.reference])).content.decode()
    assert "Kontant i kassan" in page
