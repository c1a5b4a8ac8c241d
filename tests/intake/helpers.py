"""Helpers for the application tests: population households, and going through the steps with a client."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from bistand.intake.models import Application
from bistand.registers.facts import Protection
from bistand.registers.simulator.population import Role

# A valid Handelsbanken account (clearing 6000-series: nine digits, modulus 11) for the payout step.
ACCOUNT = {"method": "account", "clearing_number": "6789", "account_number": "123456789"}


def couple_with_two_children(population):
    """A married couple (both folkbokförda) with two children under 16, no protection."""
    for household in population.households:
        members = population.members(household)
        if household.kind.value != "couple_with_children" or len(members) != 4:
            continue
        if population.household_protection(household) is not Protection.NONE or not all(
            p.registered for p in members
        ):
            continue
        adults = [p for p in members if p.role in (Role.APPLICANT, Role.PARTNER)]
        kids = [p for p in members if p.role is Role.CHILD]
        married = len(adults) == 2 and all(a.civil_status == "G" for a in adults)
        if married and len(kids) == 2 and all(k.age_on(date(2026, 1, 1)) < 14 for k in kids):
            return adults[0], adults[1], kids
    raise LookupError("no such household")


def single_adult(population):
    for household in population.households:
        members = population.members(household)
        alone = household.kind.value == "single" and members[0].registered
        if alone and population.household_protection(household) is Protection.NONE:
            return members[0]
    raise LookupError("no such household")


def protected_adult(population):
    """A skyddad folkbokföring applicant living alone, with the address the register holds for them."""
    for household in population.households:
        members = population.members(household)
        if (
            len(members) == 1
            and members[0].registered
            and members[0].protection is Protection.SKYDDAD_FOLKBOKFORING
        ):
            return members[0], household.address
    raise LookupError("no such household")


def post_step(client, application: Application, name: str, data: dict, action: str = "next"):
    url = reverse("intake:step", args=[application.reference, name])
    return client.post(url, {**data, "action": action})


def household_data(co_applicant: str | None, children: list[str], others: int = 0) -> dict:
    data = {
        "has_co_applicant": "yes" if co_applicant else "no",
        "co_applicant": co_applicant or "",
        "others_in_home": str(others),
        "child-TOTAL_FORMS": str(len(children)),
        "child-INITIAL_FORMS": str(len(children)),
        "child-MIN_NUM_FORMS": "0",
        "child-MAX_NUM_FORMS": "15",
    }
    for i, pnr in enumerate(children):
        data[f"child-{i}-personnummer"] = pnr
    return data


def fill_first_application(client, application: Application, *, co_applicant=None, children=(), rent="7 800"):
    """Go through every step of a first application with plain answers."""
    month = application.month.isoformat()[:7]
    assert post_step(client, application, "month", {"month_applied": month}).status_code == 302
    r = post_step(client, application, "household", household_data(co_applicant, list(children)))
    assert r.status_code == 302, r.content.decode()[:3000]
    assert post_step(client, application, "housing", {"rent": rent, "electricity": "300"}).status_code == 302
    application.refresh_from_db()
    income = {f"row_{i}": row["amount"] for i, row in enumerate(application.draft.get("income_rows", []))}
    r = post_step(client, application, "income", {"salary_applicant": "", **income})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert post_step(client, application, "assets", {"bank": "200"}).status_code == 302
    assert post_step(client, application, "needs", {"dental": "1200"}).status_code == 302
    assert post_step(client, application, "payout", ACCOUNT).status_code == 302
