"""The reasons for a decision (förvaltningslagen 32 §), the automation notice (28 §) and how to appeal (33 §).

Built from the decision's own data, so the same text can be rendered in Swedish (stored on the decision)
and in the citizen's language for the letter.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def kronor(amount) -> str:
    value = Decimal(str(amount)).quantize(Decimal("1"))
    return f"{value:,}".replace(",", "\u00a0")


def paragraphs(decision, lang: str = "sv") -> list[str]:
    """The decision's reasons, automation notice and appeal notice, paragraph by paragraph."""
    calc = decision.calculation
    with translation.override(lang):
        month = date_format(decision.month, "F Y")
        parts = []
        if decision.outcome == "grant":
            parts.append(
                _("Du får försörjningsstöd med %(amount)s kronor för %(month)s.")
                % {"amount": kronor(decision.amount_granted), "month": month}
            )
        elif decision.outcome == "partial":
            parts.append(
                _(
                    "Du får försörjningsstöd med %(amount)s kronor för %(month)s. Du får inte allt du har sökt."
                )
                % {"amount": kronor(decision.amount_granted), "month": month}
            )
        else:
            parts.append(_("Du får inte försörjningsstöd för %(month)s.") % {"month": month})
        if "norm_total" in calc:
            need = Decimal(str(calc["norm_total"])) + Decimal(str(calc["costs_total"]))
            parts.append(
                _(
                    "Vi har räknat ut vad ditt hushåll behöver: %(norm)s kronor enligt riksnormen för mat, kläder "
                    "och andra vanliga kostnader, och %(costs)s kronor för boende och andra skäliga kostnader, "
                    "sammanlagt %(need)s kronor. Hushållets inkomster som räknas är %(income)s kronor. "
                    "Skillnaden är %(deficit)s kronor."
                )
                % {
                    "norm": kronor(calc["norm_total"]),
                    "costs": kronor(calc["costs_total"]),
                    "need": kronor(need),
                    "income": kronor(calc["income_total"]),
                    "deficit": kronor(calc["deficit"]),
                }
            )
        for adjustment in (decision.inputs or {}).get("adjustments", []):
            parts.append(_("Handläggarens bedömning: %(reason)s") % {"reason": adjustment["reason"]})
        if decision.correction:
            parts.append(
                _("Det här beslutet ersätter ett tidigare beslut. Skäl: %(reason)s")
                % {"reason": decision.correction_reason}
            )
        parts.append(
            _(
                "Beslutet är fattat enligt 12 kap. 1 § socialtjänstlagen (2025:400). Riksnormen finns i "
                "socialtjänstförordningen (2001:937) 2 kap. 1 §."
            )
        )
        if decision.automated:
            delegation = decision.delegation or {}
            parts.append(
                _(
                    "Beslutet har fattats automatiskt (förvaltningslagen 28 §). %(body)s har den %(date)s gett "
                    "en automatiserad beslutsfunktion rätt att fatta sådana beslut (%(reference)s, kommunallagen "
                    "6 kap. 37 §; gäller från %(valid_from)s). Du kan alltid be att få tala med en handläggare."
                )
                % {
                    "body": delegation.get("body", ""),
                    "date": delegation.get("date", ""),
                    "reference": delegation.get("reference", ""),
                    "valid_from": delegation.get("valid_from", ""),
                }
            )
            if delegation.get("demo"):
                parts.append(
                    _("Demonstration: delegationen är ett påhittat exempel, inte ett verkligt beslut.")
                )
        parts.append(appeal_notice(lang))
    return parts


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
    return "\n\n".join(paragraphs(decision, lang))
