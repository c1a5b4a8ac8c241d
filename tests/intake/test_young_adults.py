"""An 18–20-year-old is a child of the household only in upper-secondary school: the form asks, CSN prefills."""

from __future__ import annotations

import datetime
from decimal import Decimal

from bistand.intake.forms import ChildFormSet
from bistand.intake.prefill import _gets_studiehjalp
from bistand.registers.facts import CsnFacts, StudyPayment

NOVEMBER = datetime.date(2026, 11, 1)
YOUNG_ADULT = "200601212384"  # Skatteverket test personnummer, 20 years old in November 2026
CHILD = "201501012395"  # 11 years old


def formset(*children: dict) -> ChildFormSet:
    data = {"child-TOTAL_FORMS": str(len(children)), "child-INITIAL_FORMS": "0"}
    for i, child in enumerate(children):
        data.update({f"child-{i}-{key}": value for key, value in child.items()})
    return ChildFormSet(data, prefix="child", month=NOVEMBER)


def test_the_form_records_school_for_an_18_to_20_year_old_only():
    children = formset(
        {"personnummer": YOUNG_ADULT, "in_school": "yes"}, {"personnummer": CHILD, "in_school": "yes"}
    )
    assert children.is_valid(), children.errors
    assert children.values() == [
        {"personnummer": YOUNG_ADULT, "in_school": True},
        {"personnummer": CHILD},
    ]


def test_not_knowing_is_left_for_a_caseworker():
    children = formset({"personnummer": YOUNG_ADULT, "in_school": "unknown"})
    assert children.is_valid(), children.errors
    assert children.values() == [{"personnummer": YOUNG_ADULT}]


def test_a_young_adult_not_in_school_is_explained_as_their_own_application():
    children = formset({"personnummer": YOUNG_ADULT, "in_school": "no"})
    assert not children.is_valid()
    assert "egen ansökan" in " ".join(children.forms[0].errors["in_school"])


def test_studiehjalp_from_csn_means_in_school():
    def payment(kind: str) -> StudyPayment:
        day = datetime.date(2026, 11, 25)
        return StudyPayment(kind, kind, day, NOVEMBER, day, Decimal(1250), Decimal(0))

    assert _gets_studiehjalp(CsnFacts(payments=(payment("STUDIEHJALP"),)))
    assert not _gets_studiehjalp(CsnFacts(payments=(payment("STUDIEMEDEL"),)))
    assert not _gets_studiehjalp(None)


def test_the_prefill_says_in_school_where_csn_pays_studiehjalp(db, with_registers, population):
    from bistand.intake import prefill
    from bistand.registers.facts import Protection
    from bistand.registers.simulator.population import Period, Role, study_support_paid

    def young_adult_in_school(members):
        for p in members:
            young = p.role in (Role.CHILD, Role.ADULT_CHILD) and 18 <= p.age_on(NOVEMBER) <= 20
            if young and study_support_paid(p.study, Period(2026, 11), p.birth_date):
                return p
        return None

    tried = 0
    for household in population.households:
        members = population.members(household)
        applicant = next((p for p in members if p.role is Role.APPLICANT), None)
        youth = young_adult_in_school(members)
        if not (applicant and youth and population.household_protection(household) is Protection.NONE):
            continue
        found = prefill.fetch(applicant.pnr, "2026-11")
        children = {c["personnummer"]: c for c in found["children"]}
        if youth.pnr in children:  # a child of the applicant, at the same address
            assert children[youth.pnr]["in_school"] is True
            return
        tried += 1
        assert tried < 20, "no applicant's child aged 18-20 in school found"
    raise LookupError("no household with a young adult in school")
