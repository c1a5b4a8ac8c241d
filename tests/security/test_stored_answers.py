"""Register answers stored before the shield: rewritten so no protected address is kept (issue 20 #3)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from bistand.casework import pipeline
from bistand.casework.models import PipelineRun
from bistand.decisions.models import Decision
from bistand.intake.models import Application
from bistand.registers.cache import CachedAnswer, CacheKey, JsonFileAnswerCache
from bistand.registers.sources import Source
from tests.casework.test_pipeline import answers
from tests.conftest import CITIZEN_PNR, OTHER_CITIZEN_PNR, make_citizen

pytestmark = pytest.mark.django_db

STREET = "Hemliga gatan 7"
MONTH = datetime.date(2026, 11, 1)


def navet_raw(protected: bool) -> str:
    post = {
        "Personidentitet": CITIZEN_PNR,
        "Folkbokforingsadress": {"Utdelningsadress2": STREET, "Postnummer": "23100", "Postort": "TRELLEBORG"},
        **({"Skyddsmarkering": "SEKRETESSMARKERING"} if protected else {}),
    }
    return json.dumps({"Personpost": post}, ensure_ascii=False)


def snapshot(protected: bool) -> dict:
    source = {"provenance": {"raw": navet_raw(protected)}, "facts": None}
    fk = {"provenance": {"raw": '{"Utbetalningar": []}'}, "facts": None}
    return {"applicant": {"sources": {"navet": source, "fk": fk}}}


def stored(unit, protected: bool) -> tuple[PipelineRun, Decision]:
    citizen = make_citizen(CITIZEN_PNR if protected else OTHER_CITIZEN_PNR, unit.municipality)
    application = Application.objects.create(
        applicant=citizen.person, municipality=unit.municipality, month=MONTH, answers=answers(MONTH)
    )
    application.submit()
    run = pipeline.start(application)
    PipelineRun.objects.filter(pk=run.pk).update(register_snapshot=snapshot(protected))
    decision = Decision.objects.create(
        case=run.case,
        application=application,
        month=MONTH,
        outcome="grant",
        amount_applied=Decimal("0"),
        amount_granted=Decimal("0"),
        calculation={},
        motivation="",
        automated=True,
        decided_at=timezone.now(),
        inputs={"register_snapshot": snapshot(protected)},
        rules_version="test",
    )
    return run, decision


def test_stored_answers_lose_a_protected_persons_address_and_keep_everyone_elses(unit, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    cache = JsonFileAnswerCache(tmp_path / "register-cache")
    at = timezone.now()
    cache.put(
        CacheKey("c1", CITIZEN_PNR, "2026-11", Source.NAVET), CachedAnswer(navet_raw(True), at, "r1", None)
    )
    cache.put(
        CacheKey("c2", OTHER_CITIZEN_PNR, "2026-11", Source.NAVET),
        CachedAnswer(navet_raw(False), at, "r2", None),
    )
    protected_run, protected_decision = stored(unit, protected=True)
    other_run, other_decision = stored(unit, protected=False)

    call_command("shield_register_answers")

    for run in (protected_run, protected_decision):
        run.refresh_from_db()
    assert STREET not in json.dumps(protected_run.register_snapshot, ensure_ascii=False)
    assert STREET not in json.dumps(protected_decision.inputs, ensure_ascii=False)
    assert (
        "SEKRETESSMARKERING"
        in protected_run.register_snapshot["applicant"]["sources"]["navet"]["provenance"]["raw"]
    )
    files = {path.read_text(encoding="utf-8") for path in (tmp_path / "register-cache").glob("*.json")}
    assert sum(STREET in text for text in files) == 1  # the unprotected person's answer is as it was
    assert cache.get(CacheKey("c1", CITIZEN_PNR, "2026-11", Source.NAVET)).raw == json.dumps(
        {"Personpost": {"Personidentitet": CITIZEN_PNR, "Skyddsmarkering": "SEKRETESSMARKERING"}}
    )
    other_run.refresh_from_db()
    other_decision.refresh_from_db()
    assert STREET in json.dumps(other_run.register_snapshot, ensure_ascii=False)
    assert STREET in json.dumps(other_decision.inputs, ensure_ascii=False)


def test_the_rewrite_is_safe_to_run_again(unit, settings, tmp_path, capsys):
    settings.DATA_DIR = tmp_path
    stored(unit, protected=True)
    call_command("shield_register_answers")
    assert "1 robot runs, 1 decisions, 0 cache files" in capsys.readouterr().out
    call_command("shield_register_answers")
    assert "0 robot runs, 0 decisions, 0 cache files" in capsys.readouterr().out


def test_a_cache_file_written_before_look_ups_were_grouped_is_shielded_too(tmp_path):
    """Files from before issue 15 hold one answer each ({"source", "raw", …}); they are rewritten alike."""
    from bistand.security.stored_answers import shield_cache_file

    old = tmp_path / "old.json"
    old.write_text(
        json.dumps({"source": "navet", "raw": navet_raw(True), "request_id": "r"}), encoding="utf-8"
    )
    assert shield_cache_file(old) is True
    assert STREET not in old.read_text(encoding="utf-8")
    assert shield_cache_file(old) is False  # already shielded: left as it is
