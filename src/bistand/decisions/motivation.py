"""How to appeal a decision (förvaltningslagen 33 §): said in every statement, letter and public page.

The reasons themselves (32 §) and the automation notice (28 §) are the decision's statement
(`decisions/statement.py`, with `motivation_text`), built from the decision as stored; this module stands
below it and imports nothing of the decisions app.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _


def appeal_notice(lang: str = "sv") -> str:
    """How to appeal (förvaltningslagen 33 och 44 §§)."""
    with translation.override(lang):
        return _(
            "Om du inte är nöjd med beslutet kan du överklaga det till förvaltningsrätten. Skicka ditt "
            "överklagande till socialnämnden inom tre veckor från den dag du fick beslutet. Skriv vilket beslut "
            "du överklagar, hur du vill att det ska ändras och varför. Du kan överklaga på Mina sidor. Vi "
            "hjälper dig gärna."
        )
