"""The reasons for a decision (förvaltningslagen 32 §), the automation notice (28 §) and how to appeal (33 §).

The text itself is the decision's statement (`decisions/statement.py`), built from the decision as stored;
the Swedish text is kept on the decision as its motivation.
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


def motivation_text(decision, lang: str = "sv") -> str:
    """The decision's reasons as plain paragraphs, as stored on the decision."""
    # lazy: motivation and statement use each other; one module should hold both (issue 18, item 7)
    from bistand.decisions.statement import statement

    return statement(decision, lang).text()
