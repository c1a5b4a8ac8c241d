"""Reading many households from JSON lines at the speed of the calculation (`bistand simulate`).

msgspec decodes each line straight into typed structs, in C: types, required fields, unknown fields,
birth dates (`YYYY-MM-DD`, a real day) and the amounts' range are checked there. A file (`read_file`) is
read a block of whole lines at a time, and a block is decoded by one msgspec call — first in the bare shape
(`jsonl_check.BareHousehold`, no optional field: fewer objects and fewer passes), else in the whole one.
The contract's rules that span fields (roles, ages, school, days, who earns an income) are then checked
over the block's lines as columns (`jsonl_check`), with NumPy, not per field in Python. A line msgspec does not take as it
is (a float amount, a null list, a type error, an unknown field) goes to `validation.validate`, the one
definition of the contract's errors. A line the column checks find invalid is counted at once, and its
errors are written by `validate` when they are shown, so the messages — line number, field, text — are
exactly those of the single path. tests/rules/test_jsonl.py holds this reader to `validate` on random and
broken households: the same lines accepted, the same totals, the same errors.
"""

from __future__ import annotations

import gc
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any, BinaryIO, NamedTuple

import msgspec

from bistand.rules.batch import ColumnBuilder, Columns
from bistand.rules.jsonl_check import BareHousehold, MonthInfo
from bistand.rules.jsonl_check import append as append_checked
from bistand.rules.model import Household
from bistand.rules.parameters import ParameterSet
from bistand.rules.plain_shape import JsonHousehold, LineHousehold
from bistand.rules.validation import InvalidInput, validate

_decode = msgspec.json.Decoder(JsonHousehold).decode
_decode_lines = msgspec.json.Decoder(JsonHousehold).decode_lines
_decode_bare_lines = msgspec.json.Decoder(BareHousehold).decode_lines
KEEP_INVALID = 1000  # invalid lines kept to be shown; more are counted (memory stays flat for any file)
CHUNK = 4096  # lines checked together: large enough for NumPy to pay, small enough to keep memory flat
# Bytes of a file read at once, about 1 800 lines of the rules-compare set: larger blocks cost memory the
# process must first take from the system, smaller ones more NumPy calls.
BLOCK = 1 << 20


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

    def reasons(self, errors: list[tuple[int, list[dict[str, str]]]]) -> list[Reason]:
        """Why lines were refused, commonest first, counted over `errors` (those of the first invalid
        lines): each field once a line, with the members' and items' numbers left out."""
        lines: Counter[str] = Counter()
        example: dict[str, str] = {}
        for _, problems in errors:
            fields = {re.sub(r"\[\d+\]", "[]", p["field"]) or "(input)": p["message"] for p in problems}
            lines.update(fields.keys())
            for name, message in fields.items():
                example.setdefault(name, message)
        return [Reason(name, count, example[name]) for name, count in lines.most_common()]


class Reason(NamedTuple):
    """A reason lines were refused: the field, in how many of the lines counted, and one message."""

    field: str
    lines: int
    example: str


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
    with _no_cyclic_collection():
        while chunk := list(islice(lines, CHUNK)):
            reader.chunk(chunk, first)
            first += len(chunk)
    return Batch(reader.builder.columns(), reader.invalid_count, reader.invalid, lang, params)


def read_file(handle: BinaryIO, params: ParameterSet, lang: str = "sv") -> Batch:
    """`read` for a file opened in binary mode, taken in blocks of BLOCK bytes rather than line by line:
    a block of plain lines is decoded by msgspec in one call. The lines, their numbers, what is accepted
    and every error are those `read` gives for the file's lines; memory stays flat for any file size."""
    reader = _Reader(params)
    first = 1
    with _no_cyclic_collection():
        while block := handle.read(BLOCK):
            block += handle.readline()  # the rest of the block's last line
            first += reader.block(block, first)
    return Batch(reader.builder.columns(), reader.invalid_count, reader.invalid, lang, params)


@contextmanager
def _no_cyclic_collection() -> Iterator[None]:
    """The decoded lines are many small objects; the cyclic collector would walk them again and again
    while they are made, and none of them can form a cycle. Collection resumes when reading is done."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Reader:
    """Lines in order: decoded runs checked as columns; lines msgspec refuses judged by `validate`."""

    def __init__(self, params: ParameterSet) -> None:
        self.params = params
        self.lang = "sv"
        self.builder = ColumnBuilder(params)
        self.months: dict[str, MonthInfo | None] = {}
        self.invalid: list[tuple[int, str]] = []
        self.invalid_count = 0

    def block(self, block: bytes, first: int) -> int:
        """Lines `first`, `first` + 1, … of a block of whole lines; returns how many lines it held.

        One call to msgspec decodes the block when it is all plain lines, none blank. `decode_lines` reads
        values separated by any white space, so it is trusted only when it gives exactly one household per
        line and no line is blank (then no line can hold two); otherwise the block goes line by line. The
        block is split into lines only when a line's text is needed: splitting costs more than decoding's
        share of the work."""
        lines = _Lines(block)
        if not _has_blank_line(block):
            for bare, decode in ((True, _decode_bare_lines), (False, _decode_lines)):
                try:
                    run = decode(block)
                except msgspec.ValidationError:
                    continue  # not the bare shape (an optional field given), or not the plain one
                except msgspec.DecodeError:
                    break  # not JSON
                if len(run) == len(lines):
                    self._run(run, range(first, first + len(run)), lines, first, bare)
                    return len(run)
                break
        every = lines.every()
        for start in range(0, len(every), CHUNK):
            self.chunk(every[start : start + CHUNK], first + start)
        return len(every)

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
                    self._refuse([number], lambda _, line=line: line)
                else:
                    self.builder.add(household)
        self._run(run, kept, chunk, first)

    def _run(
        self,
        run: list[LineHousehold],
        numbers: Sequence[int],
        chunk: Sequence[str | bytes],
        first: int,
        bare: bool = False,
    ) -> None:
        if not run:
            return
        valid = append_checked(run, self.builder, self.params, self.months, bare)
        if not valid.all():
            refused = [numbers[k] for k in (~valid).nonzero()[0].tolist()]
            self._refuse(refused, lambda number: chunk[number - first])

    def _refuse(self, numbers: Sequence[int], line: Callable[[int], str | bytes]) -> None:
        """Count refused lines, keeping the text of the first KEEP_INVALID: a line's text is asked of
        `line` only when kept (a block is split into lines only then)."""
        self.invalid_count += len(numbers)
        for number in numbers[: KEEP_INVALID - len(self.invalid)]:
            self.invalid.append((number, _text(line(number))))


class _Lines(Sequence[bytes]):
    """The lines of a block of text, split only when one is asked for."""

    def __init__(self, block: bytes) -> None:
        self.block = block
        self.count = block.count(b"\n") + (not block.endswith(b"\n"))
        self._lines: list[bytes] | None = None

    def every(self) -> list[bytes]:
        if self._lines is None:
            self._lines = self.block.split(b"\n")[: self.count]  # not the empty text after a last newline
        return self._lines

    def __getitem__(self, k):  # type: ignore[override]
        return self.every()[k]

    def __len__(self) -> int:
        return self.count


_SPACE = rb"[ \t\r\x0b\x0c]*"  # what `bytes.isspace` counts as white space, but the newline
_BLANK_FIRST = re.compile(_SPACE + rb"(?:\n|\Z)")
_BLANK_INNER = re.compile(rb"\n" + _SPACE + rb"\n")


def _has_blank_line(block: bytes) -> bool:
    """Whether a line of `block` is empty or only white space (each found in C, without splitting)."""
    if _BLANK_FIRST.match(block) or _BLANK_INNER.search(block):
        return True
    last = block[block.rfind(b"\n") + 1 :]  # text after the last newline: a line the file ends without one
    return bool(last) and last.isspace()


def _validated(text: str, params: ParameterSet) -> Household | None:
    try:
        return validate(json.loads(text, parse_float=Decimal), params)
    except (ValueError, InvalidInput):
        return None


def _text(line: str | bytes) -> str:
    return line.decode("utf-8", "replace") if isinstance(line, bytes) else line
