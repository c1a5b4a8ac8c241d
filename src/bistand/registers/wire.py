"""The simulator's wire format, shared by the simulator (which writes it) and the HTTP adapter (which
reads it): paths, headers and where each source keeps its records.

Every source answers ``POST`` with a JSON request modelled on SSBTEK's (``Ingivare``, ``Personidentitet``,
``Period``) and a JSON answer with a common envelope::

    {"Kalla": "FK", "SvarId": "…", "Personidentitet": "…", "Period": {"FromDatum": …, "TomDatum": …},
     "Partiellt": false, "Felmeddelanden": [], "AntalPoster": 3, …source fields…}

``Partiellt`` with a ``Felmeddelanden`` entry tagged ``BT`` is how the source says part of the answer is
missing; ``AntalPoster`` is the number of records the source meant to send, so a silently truncated
answer can still be detected. Errors come as ``{"Fel": {"Tagg": "SSBT"|"BT", "Kod": …, "Text": …}}``
with a 4xx/5xx status. The person number travels only in request bodies, never in a URL, so it stays out
of access logs.
"""

from __future__ import annotations

from typing import Any

from bistand.registers.sources import Source

__all__ = ["REQUEST_ID_HEADER", "count_records", "path_for", "record_lists"]

REQUEST_ID_HEADER = "X-Request-Id"

PATHS: dict[Source, str] = {
    **{s: f"/ssbtek/v10/{s.value}" for s in Source if s is not Source.NAVET},
    Source.NAVET: "/navet/v1/personpost",
}

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

SOURCE_CODES: dict[Source, str] = {s: s.value.upper() for s in Source}


def path_for(source: Source) -> str:
    """The URL path a source answers on."""
    return PATHS[source]


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
