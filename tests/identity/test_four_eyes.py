"""Four eyes, one rule: a second approval counts only from another person, for drafts, decisions and files."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from bistand.casework import pipeline
from bistand.casework.deciding import decide_by_person
from bistand.identity.four_eyes import is_another_person
from tests.casework.test_pipeline import LAST_MONTH, quiet_single, robot, submit  # noqa: F401
from tests.conftest import make_citizen, make_staff


@pytest.mark.django_db
def test_who_counts_as_another_person(unit, caseworker):
    colleague = make_staff("handlaggare-kollega", unit)
    assert is_another_person(caseworker.pk, colleague)
    assert not is_another_person(caseworker.pk, caseworker)
    assert is_another_person(None, caseworker)  # nobody has approved yet: anyone may go first
    assert not is_another_person(None, AnonymousUser())


@pytest.mark.django_db
def test_a_decision_is_never_stored_as_approved_by_its_own_decider(find, unit, caseworker):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = submit(citizen.person, unit, LAST_MONTH)
    pipeline.advance(run.pk)
    run.refresh_from_db()
    with pytest.raises(ValueError, match="another person"):
        decide_by_person(run, caseworker, approved_by=caseworker)
    colleague = make_staff("handlaggare-kollega", unit)
    assert decide_by_person(run, caseworker, approved_by=colleague).approved_by == colleague
