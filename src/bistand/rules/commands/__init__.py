"""The `bistand calc`, `bistand norm` and `bistand simulate` commands (no Django)."""

from __future__ import annotations

import sys


def write_out(text: str) -> None:
    """Write UTF-8 text to standard output whatever the terminal's locale (å, ä, ö, §)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def write_err(text: str) -> None:
    """Write UTF-8 text to standard error."""
    sys.stderr.flush()
    sys.stderr.buffer.write(text.encode("utf-8"))
    sys.stderr.buffer.flush()
