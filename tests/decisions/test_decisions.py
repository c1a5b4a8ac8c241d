"""Decisions are immutable; corrections are new versions; replay finds any decision that would differ."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bistand.cases.models import TimelineEvent
from bistand.casework import pipeline
from bistand.casework.deciding import decide_by_person
from bistand.decisions.models import Decision
from bistand.decisions.replay import verify
from bistand.decisions.services import correct
from tests.casework.test_pipeline import LAST_MONTH, letter_text, quiet_single, robot, submit  # noqa: F401
from tests.conftest import database_url, make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(find, unit, caseworker) -> Decision:
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = submit(citizen.person, unit, LAST_MONTH)
    pipeline.advance(run.pk)
    run.refresh_from_db()
    return decide_by_person(run, caseworker)


def test_a_decision_cannot_be_edited(decision):
    decision.amount_granted = Decimal("1")
    with pytest.raises(ValidationError):
        decision.save()
    assert Decision.objects.get().amount_granted != 1


def test_a_caseworkers_decision_names_who_decided_and_how_to_appeal(decision, caseworker):
    assert not decision.automated and decision.decided_by == caseworker
    text = letter_text(decision)
    assert "Kim Handläggare" in text
    assert "förvaltningsrätten" in text and "tre veckor" in text
    assert len(decision.letter_for().sha256) == 64


def test_a_correction_is_a_new_version_with_its_reason_shown(decision, caseworker):
    corrected = correct(
        decision,
        kind="rattelse",
        reason="Hyran var felskriven: 5 900 kr, inte 6 900 kr.",
        by=caseworker,
        amount_granted=decision.amount_granted - 1000,
    )
    decision.refresh_from_db()
    assert corrected.version == 2 and corrected.supersedes == decision
    assert not decision.is_in_force and corrected.is_in_force
    assert decision.amount_granted - corrected.amount_granted == 1000  # the old version is untouched
    assert "Hyran var felskriven" in corrected.motivation
    event = TimelineEvent.objects.get(kind="correction")
    assert event.visible_to_citizen and event.data["correction_reason"].startswith("Hyran")
    assert "Hyran var felskriven" in letter_text(corrected)
    with pytest.raises(ValueError):
        correct(decision, kind="rattelse", reason="igen", by=caseworker)  # only the version in force
    with pytest.raises(ValueError):
        correct(corrected, kind="andring", reason="  ", by=caseworker)  # a reason is required


def test_replay_finds_a_decision_that_would_differ(decision):
    assert verify() == (1, [])
    stored = dict(decision.calculation, entitlement=decision.calculation["entitlement"] + 100)
    Decision.objects.filter(pk=decision.pk).update(calculation=stored)  # tampering, as a test
    checked, differences = verify()
    assert checked == 1 and [d.decision_id for d in differences] == [decision.pk]


@pytest.mark.django_db(transaction=True)
def test_the_verify_command_reports_no_differences(decision, settings, tmp_path):
    env = {"DATABASE_URL": database_url(), "BISTAND_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bistand.ops.cli", "decisions", "verify"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "1 decisions replayed, 0 differ." in result.stdout


def test_the_letter_comes_in_the_citizens_language_too(find, unit, caseworker):
    citizen = make_citizen(find(quiet_single).pnr, unit.municipality)
    run = submit(citizen.person, unit, LAST_MONTH, language="en")
    pipeline.advance(run.pk)
    run.refresh_from_db()
    decision = decide_by_person(run, caseworker)
    assert decision.letter_language == "en"
    assert "Beslut om försörjningsstöd" in letter_text(decision)
    english = letter_text(decision, translated=True)
    assert "Decision on income support" in english
    assert "Beslutet på svenska" in english  # the binding Swedish text travels with the translation
    assert "three weeks" in english


def _as_if_decided_with_an_older_table(decision: Decision) -> None:
    """Store the decision as if the single adult's amount had been the old derived 3 930 kr (2026)."""
    calculation = dict(decision.calculation)
    calculation["lines"] = [
        dict(line, amount=3930) if line.get("parameter") == "riksnorm.2026.adults.single" else line
        for line in calculation["lines"]
    ]
    calculation["norm_total"] = calculation["norm_total"] - 10
    Decision.objects.filter(pk=decision.pk).update(calculation=calculation)  # as a test


def test_review_norm_lists_decisions_whose_norm_lines_would_change(decision):
    from bistand.decisions.norm_review import review_all

    assert review_all() == (1, [])
    _as_if_decided_with_an_older_table(decision)
    checked, found = review_all()
    assert checked == 1 and [r.decision_id for r in found] == [decision.pk]
    change = found[0]
    assert change.difference == 10 and change.month == "2026-10"
    assert [(c.parameter, c.stored, c.current) for c in change.lines] == [
        ("riksnorm.2026.adults.single", 3930, 3940)
    ]
    assert "+10\u00a0kr" in str(change)


@pytest.mark.django_db(transaction=True)
def test_the_review_norm_command_names_the_decision_and_the_difference(decision, tmp_path):
    _as_if_decided_with_an_older_table(decision)
    env = {"DATABASE_URL": database_url(), "BISTAND_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bistand.ops.cli", "decisions", "review-norm"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert "1 decisions in force reviewed, 1 with norm lines that would change." in result.stdout
    assert f"decision {decision.pk} v1" in result.stdout
    assert "riksnorm.2026.adults.single (a): 3930 -> 3940 (+10\u00a0kr)" in result.stdout


def test_the_decision_is_stored_at_once_and_its_letter_drawn_once_on_its_own_queue(decision):
    from django_tasks_db.models import DBTaskResult

    from bistand.decisions.letters import ensure_letters
    from bistand.decisions.tasks import render_letters

    assert not decision.letters.exists()  # shown at once, letter not yet drawn
    queued = DBTaskResult.objects.get(task_path=render_letters.module_path)
    assert queued.queue_name == "letters" and queued.args_kwargs["args"] == [decision.pk]
    assert queued.priority < 0  # behind the robot's own work
    drawn = ensure_letters(Decision.objects.get(pk=decision.pk))
    first = list(drawn.letters.values_list("pk", "file", "sha256"))
    again = ensure_letters(Decision.objects.get(pk=decision.pk))
    assert list(again.letters.values_list("pk", "file", "sha256")) == first  # never drawn twice


def test_a_letter_whose_task_was_lost_is_enqueued_again(decision):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from bistand.decisions.tasks import render_letters, sweep_unlettered

    assert sweep_unlettered() == 0  # too young, and its task is still waiting
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - datetime.timedelta(minutes=5))
    assert sweep_unlettered() == 0  # still waiting in the queue: left alone
    DBTaskResult.objects.filter(task_path=render_letters.module_path).update(
        status="RUNNING"
    )  # a killed worker
    assert sweep_unlettered() == 1
    assert DBTaskResult.objects.filter(task_path=render_letters.module_path, status="READY").count() == 1


def test_a_culled_decision_gets_no_new_letter(decision):
    from bistand.decisions.letters import ensure_letters

    Decision.objects.filter(pk=decision.pk).update(motivation="")  # as retention leaves it
    culled = ensure_letters(Decision.objects.get(pk=decision.pk))
    assert not culled.letters.exists()


def test_a_lost_letter_is_given_up_after_the_same_time_as_a_stalled_run(decision, settings):
    """One setting says when a killed worker's work counts as lost, for pipeline runs and letters alike."""
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from bistand.decisions.tasks import render_letters, sweep_unlettered

    DBTaskResult.objects.filter(task_path=render_letters.module_path).update(status="RUNNING")
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - datetime.timedelta(seconds=30))
    settings.PIPELINE_STALLED_SECONDS = 120
    assert sweep_unlettered() == 0  # half a minute: the worker may still be drawing it
    settings.PIPELINE_STALLED_SECONDS = 10
    assert sweep_unlettered() == 1
