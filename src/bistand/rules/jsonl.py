"""Reading many households from JSON lines at the speed of the calculation (`bistand simulate`).

msgspec decodes each line straight into typed structs, in C: types, required fields, unknown fields,
birth dates (`YYYY-MM-DD`, a real day) and the amounts' range are checked there. The contract's rules that
span fields (roles, ages, school, days, who earns an income) are then checked over a few thousand lines at
a time as columns (`jsonl_check`), with NumPy, not per field in Python. A line msgspec does not take as it
is (a float amount, a null list, a type error, an unknown field) goes to `validation.validate`, the one
definition of the contract's errors. A line the column checks find invalid is counted at once, and its
errors are written by `validate` when they are shown, so the messages — line number, field, text — are
exactly those of the single path. tests/rules/test_jsonl.py holds this reader to `validate` on random and
broken households: the same lines accepted, the same totals, the same errors.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

import msgspec

from bistand.rules.batch import ColumnBuilder, Columns
from bistand.rules.jsonl_check import LineHousehold, MonthInfo
from bistand.rules.jsonl_check import append as append_checked
from bistand.rules.model import Household
from bistand.rules.parameters import ParameterSet
from bistand.rules.validation import InvalidInput, validate

_decode = msgspec.json.Decoder(LineHousehold).decode
KEEP_INVALID = 1000  # invalid lines kept to be shown; more are counted (memory stays flat for any file)
CHUNK = 4096  # lines checked together: large enough for NumPy to pay, small enough to keep memory flat


@dataclass
class Batch:
    """What was read: the valid households as columns, and every invalid line."""

    columns: Columns
    invalid_count: int  # every invalid line
    invalid: list[tuple[int, str]]  # (line number, text) of the first KEEP_INVALID of them
    lang: str = "sv"
    params: ParameterSet | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.columns)

    def errors(self, limit: int | None = None) -> list[tuple[int, list[dict[str, str]]]]:
        """The invalid lines' errors, as `validate` words them: (line number, [{field, message}])."""
        return [(number, line_errors(text, self.params, self.lang)) for number, text in self.invalid[:limit]]


def line_errors(text: str, params: ParameterSet | None, lang: str = "sv") -> list[dict[str, str]]:
    """The errors of one invalid line (empty when it is valid after all)."""
    try:
        data: Any = json.loads(text, parse_float=Decimal)
    except ValueError as exc:
        return [{"field": "", "message": str(exc)}]
    try:
        validate(data, params, lang)
    except InvalidInput as exc:
        return exc.as_list(lang)
    return []


def read(lines: Iterable[str | bytes], params: ParameterSet, lang: str = "sv") -> Batch:
    """Read one household per line into columns; blank lines are skipped, invalid ones counted and kept."""
    reader = _Reader(params)
    lines = iter(lines)
    first = 1  # the number of the chunk's first line
    # The decoded lines are many small lists; the cyclic collector would walk them again and again while
    # they are made, and none of them can form a cycle. Collection resumes when reading is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        while chunk := list(islice(lines, CHUNK)):
            reader.chunk(chunk, first)
            first += len(chunk)
    finally:
        if collecting:
            gc.enable()
    return Batch(reader.builder.columns(), reader.invalid_count, reader.invalid, lang, params)


class _Reader:
    """Lines in order: decoded runs checked as columns; lines msgspec refuses judged by `validate`."""

    def __init__(self, params: ParameterSet) -> None:
        self.params = params
        self.lang = "sv"
        self.builder = ColumnBuilder(params)
        self.months: dict[str, MonthInfo | None] = {}
        self.invalid: list[tuple[int, str]] = []
        self.invalid_count = 0

    def chunk(self, chunk: list[str | bytes], first: int) -> None:
        """Lines `first`, `first` + 1, …: decoded in one pass in C when every line is plain."""
        numbers = [first + k for k, line in enumerate(chunk) if line and not line.isspace()]
        if len(numbers) == len(chunk):
            try:
                run = list(map(_decode, chunk))
            except (msgspec.DecodeError, msgspec.ValidationError):
                pass  # one line or more not in the plain shape: line by line below
            else:
                self._run(run, numbers, chunk, first)
                return
        run = []
        kept: list[int] = []
        for number in numbers:
            line = chunk[number - first]
            try:
                run.append(_decode(line))
                kept.append(number)
            except (msgspec.DecodeError, msgspec.ValidationError):
                # Not the plain shape: `validate` judges. Households stay in the order of their lines.
                self._run(run, kept, chunk, first)
                run, kept = [], []
                household = _validated(_text(line), self.params)
                if household is None:
                    self._refuse(number, line)
                else:
                    self.builder.add(household)
        self._run(run, kept, chunk, first)

    def _run(
        self, run: list[LineHousehold], numbers: list[int], chunk: list[str | bytes], first: int
    ) -> None:
        if not run:
            return
        valid = append_checked(run, self.builder, self.params, self.months)
        if not valid.all():
            for k in (~valid).nonzero()[0].tolist():
                self._refuse(numbers[k], chunk[numbers[k] - first])

    def _refuse(self, number: int, line: str | bytes) -> None:
        self.invalid_count += 1
        if len(self.invalid) < KEEP_INVALID:
            self.invalid.append((number, _text(line)))


def _validated(text: str, params: ParameterSet) -> Household | None:
    try:
        return validate(json.loads(text, parse_float=Decimal), params)
    except (ValueError, InvalidInput):
        return None


def _text(line: str | bytes) -> str:
    return line.decode("utf-8", "replace") if isinstance(line, bytes) else line
