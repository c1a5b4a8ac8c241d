"""The access log's hash chain: appending an entry under a lock, and checking the whole chain.

An entry's hash is SHA-256 over its canonical form (sorted-key JSON of every field but the hash, with the
previous entry's hash inside) — so an edited field, a removed or inserted entry, or a reordering all show.
Writers take the single chain-head row with `SELECT … FOR UPDATE` (PostgreSQL) or inside SQLite's
IMMEDIATE transaction (one writer at a time), so parallel web processes still build one straight line.

A chain can be rebuilt by someone who can write the whole table; `verify` therefore prints the head
(sequence number and hash) for operators to keep elsewhere, and checks a head kept earlier is still there.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bistand.accesslog.models import GENESIS, AccessLogEntry, ChainHead

FIELDS = (
    "seq",
    "at",
    "user_id",
    "username",
    "role",
    "unit_id",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "person_id",
    "purpose",
    "prev_hash",
)


def _at(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: dict[str, Any]) -> bytes:
    """The bytes that are hashed: every field but the hash, as sorted-key JSON in UTF-8."""
    data = {name: values[name] for name in FIELDS}
    data["at"] = _at(data["at"])
    for name in ("user_id", "unit_id", "case_id", "person_id", "seq"):
        data[name] = None if data[name] is None else int(data[name])
    data["object_id"] = str(data["object_id"])
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def _locked_head() -> ChainHead:
    """The chain head, locked for this transaction (created on first use)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            ChainHead.objects.create(pk=1, seq=0, hash=GENESIS)
    except IntegrityError:
        pass  # another writer created it first
    return ChainHead.objects.select_for_update().get(pk=1)


def append(
    *,
    user=None,
    action: str = AccessLogEntry.Action.READ,
    object_type: str,
    object_id: Any = "",
    case_id: int | None = None,
    person_id: int | None = None,
    purpose: str = "",
) -> AccessLogEntry:
    """Write one entry at the end of the chain and return it."""
    with transaction.atomic():
        head = _locked_head()
        values: dict[str, Any] = {
            "seq": head.seq + 1,
            "at": timezone.now(),
            "user_id": getattr(user, "pk", None),
            "username": (getattr(user, "username", "") or "")[:150],
            "role": (getattr(user, "role", "") or "")[:16],
            "unit_id": getattr(user, "unit_id", None),
            "action": str(action),
            "object_type": object_type[:64],
            "object_id": str(object_id if object_id is not None else "")[:64],
            "case_id": case_id,
            "person_id": person_id,
            "purpose": purpose[:200],
            "prev_hash": head.hash,
        }
        entry = AccessLogEntry(**values, hash=entry_hash(values))
        entry.save()
        ChainHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash, updated_at=timezone.now())
    return entry


@dataclass
class Verdict:
    """The result of checking the chain: ok, how many entries, the head, and the first broken entry."""

    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""


def verify(*, expect: tuple[int, str] | None = None, batch: int = 2000) -> Verdict:
    """Walk the chain from the start; stop at the first entry whose hash or link does not hold.

    `expect` is a (seq, hash) pair kept outside the database earlier: it must still be in the chain.
    """
    previous_hash, previous_seq, checked = GENESIS, 0, 0
    expect_seen = expect is None
    last_seq = 0
    while True:
        rows = list(
            AccessLogEntry.objects.filter(seq__gt=last_seq).order_by("seq").values(*FIELDS, "hash")[:batch]
        )
        if not rows:
            break
        for row in rows:
            seq = row["seq"]
            if seq != previous_seq + 1:
                return Verdict(
                    False, checked, previous_seq, previous_hash, seq, f"entry {previous_seq + 1} is missing"
                )
            if row["prev_hash"] != previous_hash:
                return Verdict(
                    False,
                    checked,
                    previous_seq,
                    previous_hash,
                    seq,
                    "the link to the previous entry is broken",
                )
            if entry_hash(row) != row["hash"]:
                return Verdict(
                    False,
                    checked,
                    previous_seq,
                    previous_hash,
                    seq,
                    "the entry was changed after it was written",
                )
            if expect is not None and seq == expect[0]:
                if row["hash"] != expect[1]:
                    return Verdict(
                        False, checked, previous_seq, previous_hash, seq, "the kept head does not match"
                    )
                expect_seen = True
            previous_hash, previous_seq = row["hash"], seq
            checked += 1
        last_seq = rows[-1]["seq"]
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (previous_seq, previous_hash):
        return Verdict(
            False,
            checked,
            previous_seq,
            previous_hash,
            previous_seq + 1,
            "entries after the last one were removed",
        )
    if not expect_seen:
        return Verdict(
            False, checked, previous_seq, previous_hash, expect[0], "the kept head is no longer in the chain"
        )
    return Verdict(True, checked, previous_seq, previous_hash)


def _witness_path():
    from django.conf import settings

    return settings.DATA_DIR / "access-log-head"


def witnessed(*, expect: tuple[int, str] | None = None) -> Verdict:
    """`verify`, also against the head the last verification kept in the data folder — outside the
    database — and keep the new head there when the chain holds.

    Without it, someone who removed entries from the end and moved the chain head back left a chain that
    checks out. The file is one line, `SEQ:HASH`; keep the data folder where the database's
    administrators cannot write, or keep printed heads elsewhere too (`--expect`).
    """
    path = _witness_path()
    kept = None
    if path.is_file():
        seq, _, digest = path.read_text().strip().partition(":")
        kept = (int(seq), digest) if seq.isdigit() and len(digest) == 64 else None
    verdict = verify(expect=expect)
    if verdict.ok and kept is not None and kept != expect:
        verdict = verify(expect=kept)
    if verdict.ok:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{verdict.head_seq}:{verdict.head_hash}\n")
    return verdict
