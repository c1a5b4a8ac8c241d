"""Answers cached per (case, person, period, source), so a retried pipeline step does not ask again.

Only complete answers are cached; errors and partial answers never are, so a retry asks the source again.
A look-up stores its sources' answers together (`put_many`): the file cache writes one file per look-up,
not one per source.
The raw answer is stored, not the facts: reading it back parses it again, which keeps one code path from
bytes to facts. Raw answers hold personal data: keep a file cache on protected storage and clear it with
the case (the database snapshot the pipeline stores is the durable record, not this cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from bistand.registers.sources import Source

__all__ = ["AnswerCache", "CacheKey", "CachedAnswer", "JsonFileAnswerCache", "MemoryAnswerCache"]


@dataclass(frozen=True, slots=True)
class CacheKey:
    case_id: str
    person: str  # 12 digits
    period: str  # YYYY-MM
    source: Source

    def digest(self) -> str:
        """A hash of the key: file names and logs must not show the person number."""
        text = f"{self.case_id}\x1f{self.person}\x1f{self.period}\x1f{self.source.value}"
        return hashlib.sha256(text.encode()).hexdigest()

    def lookup_digest(self) -> str:
        """A hash of the look-up the key belongs to (case, person, period: every source of it)."""
        text = f"{self.case_id}\x1f{self.person}\x1f{self.period}"
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    raw: str
    fetched_at: datetime
    request_id: str
    upstream_id: str | None
    attempts: int = 1


class AnswerCache(Protocol):
    """Where complete answers are kept. Implementations must be safe to use from several threads."""

    def get(self, key: CacheKey) -> CachedAnswer | None: ...

    def put(self, key: CacheKey, answer: CachedAnswer) -> None: ...

    def put_many(self, answers: Mapping[CacheKey, CachedAnswer]) -> None:
        """Store several answers at once (one look-up's sources)."""
        ...

    def delete(self, key: CacheKey) -> None: ...


class MemoryAnswerCache:
    """In-process cache, least recently used entries dropped beyond ``max_entries``."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: OrderedDict[CacheKey, CachedAnswer] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, key: CacheKey) -> CachedAnswer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: CacheKey, answer: CachedAnswer) -> None:
        self.put_many({key: answer})

    def put_many(self, answers: Mapping[CacheKey, CachedAnswer]) -> None:
        with self._lock:
            for key, answer in answers.items():
                self._entries[key] = answer
                self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def delete(self, key: CacheKey) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)


class JsonFileAnswerCache:
    """One JSON file per look-up (case, person, period) in ``directory``, holding each source's answer.

    Named by a hash of the look-up, written atomically, readable by its owner only. Survives a worker
    restart, which is what a retried pipeline step needs when no database is at hand. Within a process,
    writes to one file are serialised; two processes writing the same look-up at once may drop one's
    entries, which is a miss later (the source is asked again), never a wrong answer.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock = threading.Lock()

    def _path(self, key: CacheKey) -> Path:
        return self.directory / f"{key.lookup_digest()}.json"

    def _read(self, path: Path) -> dict:
        """The file's answers by source name; a missing or damaged file holds none."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        answers = data.get("answers") if isinstance(data, dict) else None
        return answers if isinstance(answers, dict) else {}

    def get(self, key: CacheKey) -> CachedAnswer | None:
        entry = self._read(self._path(key)).get(key.source.value)
        try:
            return CachedAnswer(
                raw=entry["raw"],
                fetched_at=datetime.fromisoformat(entry["fetched_at"]),
                request_id=entry["request_id"],
                upstream_id=entry.get("upstream_id"),
                attempts=int(entry.get("attempts", 1)),
            )
        except (ValueError, KeyError, TypeError):
            return None  # none, or a damaged entry: a miss; the source is asked again and the file rewritten

    def put(self, key: CacheKey, answer: CachedAnswer) -> None:
        self.put_many({key: answer})

    def put_many(self, answers: Mapping[CacheKey, CachedAnswer]) -> None:
        by_file: dict[Path, list[tuple[CacheKey, CachedAnswer]]] = {}
        for key, answer in answers.items():
            by_file.setdefault(self._path(key), []).append((key, answer))
        with self._lock:
            for path, entries in by_file.items():
                stored = self._read(path)
                for key, answer in entries:
                    stored[key.source.value] = {
                        "raw": answer.raw,
                        "fetched_at": answer.fetched_at.isoformat(),
                        "request_id": answer.request_id,
                        "upstream_id": answer.upstream_id,
                        "attempts": answer.attempts,
                    }
                key = entries[0][0]
                self._write(path, {"case_id": key.case_id, "period": key.period, "answers": stored})

    def _write(self, path: Path, payload: dict) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def delete(self, key: CacheKey) -> None:
        path = self._path(key)
        with self._lock:
            stored = self._read(path)
            if stored.pop(key.source.value, None) is None:
                return
            if stored:
                self._write(path, {"case_id": key.case_id, "period": key.period, "answers": stored})
            else:
                path.unlink(missing_ok=True)

    def clear(self) -> None:
        """Remove every cached answer."""
        for path in self.directory.glob("*.json"):
            path.unlink(missing_ok=True)
