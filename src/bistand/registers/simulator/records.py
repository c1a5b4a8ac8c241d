"""Where each answer document of the simulator keeps its records (for partial answers)."""

from __future__ import annotations

from typing import Any

from bistand.registers.sources import Source

__all__ = ["RECORD_PATHS", "count_records", "record_lists"]

# Where a source keeps its records: a path of keys, "*" for every element of a list.
RECORD_PATHS: dict[Source, tuple[str, ...]] = {
    Source.FK: ("Formaner",),
    Source.AF: ("Arbetssokande", "Aktivitetsrapporter"),
    Source.SO: ("Arbetsloshetskassor", "*", "Utbetalningar"),
    Source.CSN: ("Utbetalningar",),
    Source.SKV: ("Kapitaluppgifter",),
    Source.TNS: ("Fordonsinnehav",),
    Source.MIV: ("Arenden",),
    Source.NAVET: ("Personpost", "PersonerPaAdressen"),
}


def record_lists(document: Any, source: Source) -> list[list[Any]]:
    """The lists holding ``source``'s records in ``document`` (empty when the shape does not match)."""
    found: list[list[Any]] = []

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if not path:
            if isinstance(node, list):
                found.append(node)
            return
        head, rest = path[0], path[1:]
        if head == "*":
            if isinstance(node, list):
                for item in node:
                    walk(item, rest)
        elif isinstance(node, dict) and head in node:
            walk(node[head], rest)

    walk(document, RECORD_PATHS[source])
    return found


def count_records(document: Any, source: Source) -> int:
    """How many records ``document`` holds for ``source``."""
    return sum(len(lst) for lst in record_lists(document, source))
