"""The rules engine's plain-language explanation for stored calculations and decisions."""

from __future__ import annotations

from bistand.casework.household import for_engine
from bistand.rules import InvalidInput, calculate, explain


def explanation_lines(calculation_input: dict | None, lang: str = "sv") -> list[str]:
    """The explanation, paragraph by paragraph, of a stored calculation input (Swedish or English)."""
    household = (calculation_input or {}).get("household")
    if not household:
        return []
    try:
        text = explain(calculate(for_engine(household)), "en" if lang == "en" else "sv")
    except InvalidInput:
        return []
    return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]


def explanation(decision, lang: str = "sv") -> list[str]:
    """The explanation of a decision's calculation (as decided, with any adjustments)."""
    return explanation_lines((decision.inputs or {}).get("calculation_input"), lang)
