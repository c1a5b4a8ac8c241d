"""Bar charts drawn on the server: a table whose rows carry a bar, so the numbers are always there as text.

Each chart is a `<table>` (label, bar, value). The bar is a small inline SVG hidden from screen readers;
the label and value are real text, so the table is the chart's own data-table fallback, it needs no
JavaScript, and it wraps on a 360 px screen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    width: float  # percent of the widest bar, 0–100
    note: str = ""  # e.g. the cumulative share in a Pareto chart


def bars(
    items: list[tuple[str, float | int | None, str]],
    *,
    notes: list[str] | None = None,
    scale: float | None = None,
) -> list[Bar]:
    """Bars for (label, value, text shown) items; widths relative to `scale` or the largest value."""
    values = [float(v) for _, v, _ in items if v is not None]
    top = scale if scale is not None else max(values, default=0)
    out = []
    for index, (label, value, display) in enumerate(items):
        number = float(value) if value is not None else 0.0
        width = 0.0 if top <= 0 else max(0.0, min(100.0, 100 * number / top))
        out.append(Bar(str(label), number, display, round(width, 2), notes[index] if notes else ""))
    return out
