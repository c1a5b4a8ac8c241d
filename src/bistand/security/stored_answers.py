"""Register answers stored before `registers.shield` existed: rewritten through it, once, after upgrading.

The shield removes a protected person's address from Navet's raw answer as it arrives. Answers stored
earlier still hold it in three places: the robot's run (`PipelineRun.register_snapshot`), the decision
that rests on it (`Decision.inputs["register_snapshot"]`, from which the Art. 15 extract is also built)
and the register cache's files. `shield_stored_answers` passes every stored raw answer through the same
`shielded` function and writes back what changed; it is idempotent (`bistand manage shield_register_answers`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from bistand.casework.models import PipelineRun
from bistand.decisions.models import Decision
from bistand.registers.shield import shielded
from bistand.registers.snapshot import rewrite_raw
from bistand.registers.sources import Source


@dataclass
class Rewritten:
    """How many stored answers the rewrite changed, per place."""

    runs: int = 0
    decisions: int = 0
    cache_files: int = 0


def _shield_raw(source: str, raw: Any) -> Any:
    try:
        kind = Source(source)
    except ValueError:
        return raw
    return shielded(kind, raw) if isinstance(raw, str) else raw


def shield_snapshot(snapshot: Any) -> tuple[Any, bool]:
    """The snapshot (per role, per source, raw answer in the provenance) with every raw answer shielded,
    and whether anything changed."""
    return snapshot, rewrite_raw(snapshot, shielded)


def shield_cache_file(path: Path) -> bool:
    """Rewrite one register-cache file through the shield; whether it changed."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(payload, dict):
        return False
    # A file holds one look-up's answers by source; files written before that held one answer each.
    answers = payload.get("answers")
    entries = answers if isinstance(answers, dict) else {str(payload.get("source", "")): payload}
    changed = False
    for source, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("raw"), str):
            continue
        kept = _shield_raw(source, entry["raw"])
        if kept != entry["raw"]:
            entry["raw"] = kept
            changed = True
    if not changed:
        return False
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)
    return True


def shield_stored_answers(cache_dir: Path | None = None) -> Rewritten:
    """Rewrite every stored raw register answer through the shield. Safe to run again."""

    done = Rewritten()
    runs = PipelineRun.objects.filter(register_snapshot__isnull=False).only("pk", "register_snapshot")
    for run in runs.iterator():
        snapshot, changed = shield_snapshot(run.register_snapshot)
        if changed:
            PipelineRun.objects.filter(pk=run.pk).update(register_snapshot=snapshot)
            done.runs += 1
    for decision in Decision.objects.only("pk", "inputs").iterator():
        inputs = decision.inputs if isinstance(decision.inputs, dict) else {}
        snapshot, changed = shield_snapshot(inputs.get("register_snapshot"))
        if changed:
            inputs["register_snapshot"] = snapshot
            # A decision is never changed (Decision.save refuses), but an address it must not hold is
            # removed, as retention removes what it no longer may keep: the facts it rests on stay.
            with transaction.atomic():
                Decision.objects.filter(pk=decision.pk).update(inputs=inputs)
            done.decisions += 1
    directory = cache_dir if cache_dir is not None else settings.DATA_DIR / "register-cache"
    if directory.is_dir():
        done.cache_files = sum(shield_cache_file(path) for path in sorted(directory.glob("*.json")))
    return done
