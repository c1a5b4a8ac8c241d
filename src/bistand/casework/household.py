"""From an application's answers and the register snapshot to the rules engine's input (the contract)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bistand.casework.reconcile import stated_incomes
from bistand.identity.personnummer import parse
from bistand.intake.answers import Answers
from bistand.rules.ages import SCHOOL_AGE as YOUNG_ADULT_AGE


def engine_input(
    answers: Answers,
    applicant_pnr: str,
    assistance_months: list[str],
    municipality_code: str,
    *,
    person_months: dict[str, list[str]] | None = None,
    child_earnings: dict[str, Decimal] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Build the calculation input. Returns it with the provenance of each income line.

    `person_months` gives each adult's own months with försörjningsstöd (by personnummer; jobbstimulans is
    personal), `child_earnings` what each child earned earlier in the year (the yearly cap on a child's
    salary). A child aged 18–20 carries the citizen's answer on upper-secondary school.

    Incomes are the citizen's own figures, always: a register figure that differs is a finding for a person
    (casework.reconcile), never silently put in their place, so whatever the robot decides is what the
    citizen's own answers give. A person who decides on a register figure instead does so after
    kommunicering (FL 25 §).
    """
    month = answers.first_day
    person_months = person_months or {}
    members = [{"id": "a", "role": "applicant", "birth_date": parse(applicant_pnr).birth_date.isoformat()}]
    ids = {"applicant": "a"}
    if answers.co_applicant:
        members.append(
            {
                "id": "b",
                "role": "co_applicant",
                "birth_date": parse(answers.co_applicant).birth_date.isoformat(),
            }
        )
        ids["co_applicant"] = "b"
    for member, pnr in zip(members, (applicant_pnr, answers.co_applicant), strict=False):
        if pnr in person_months:
            member["assistance_months"] = person_months[pnr]
    for index, child in enumerate(answers.children, start=1):
        member = {
            "id": f"c{index}",
            "role": "child",
            "birth_date": parse(child.personnummer).birth_date.isoformat(),
        }
        if child.lunch_at_home is not None:
            member["lunch_at_home"] = child.lunch_at_home
        if child.days_in_household:
            member["days_in_household"] = child.days_in_household
        # Not answered (None): the calculation asks, a person settles it.
        if parse(child.personnummer).age_on(month) >= YOUNG_ADULT_AGE and child.in_school is not None:
            member["in_school"] = child.in_school
        members.append(member)
        ids[child.personnummer] = member["id"]

    children = set(answers.children_pnrs)
    costs = [{"type": c.type, "amount": str(c.amount)} for c in (*answers.costs, *answers.extra_needs)]

    incomes: list[dict[str, Any]] = []
    provenance: list[dict[str, Any]] = []
    for person, kinds in sorted(stated_incomes(answers).items()):
        member = ids.get(person)
        if member is None:
            continue
        for kind, amount in sorted(kinds.items()):
            if amount:
                line = {"member": member, "type": kind, "amount": str(amount)}
                earlier = (child_earnings or {}).get(person)
                if kind == "salary" and person in children and earlier:
                    line["earned_earlier_this_year"] = str(earlier)
                incomes.append(line)
                provenance.append(
                    {"member": member, "type": kind, "amount": str(amount), "source": "citizen"}
                )

    data: dict[str, Any] = {
        "month": answers.month,
        "municipality": municipality_code,
        "members": members,
        "costs": costs,
        "incomes": incomes,
        "assistance_months": assistance_months,
    }
    if answers.household_size:
        data["household_size"] = answers.household_size
    return data, provenance
