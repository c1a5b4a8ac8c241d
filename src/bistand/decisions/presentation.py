"""The rules engine's plain-language explanation of a proposed calculation (the caseworker's view).

A decision is never explained this way: what was decided is rendered from the decision as stored
(`decisions/statement.py`), never by running the rules again.
"""

from __future__ import annotations

from bistand.decisions.stored_input import for_engine
from bistand.rules import InvalidInput, calculate, explain


def explanation_lines(calculation_input: dict | None, lang: str = "sv") -> list[str]:
    """The explanation, paragraph by paragraph, of a run's calculation input (Swedish or English)."""
    household = (calculation_input or {}).get("household")
    if not household:
        return []
    try:
        text = explain(calculate(for_engine(household)), "en" if lang == "en" else "sv")
    except InvalidInput:
        return []
    return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]
