"""One need, paid once a month: the regular decision, a tilläggsbeslut and nödbistånd side by side.

A household may have several decisions for one month — the regular one, nödbistånd beside it, and
tilläggsbeslut for needs that arose after it was decided. Each is its own decision with its own payment
(payments are unique per decision), so nothing in payments could notice the same need granted twice. This
module is where that is stopped: every decision passes `check` in the transaction that stores it.

A need is a cost line of the calculation (`costs.<type>`, the rules engine's cost types). A cost granted
in force for the month by one decision cannot be granted by another; a tilläggsbeslut decides only its own
need. Nödbistånd's acute need (`emergency_assistance`) is a judgment of its own, outside the cost types; the
regular decision beside it is always a person's (the `same_month` routing reason says to check it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q

from bistand.decisions.models import Decision
from bistand.identity.models import Person
from bistand.intake.models import Application
from bistand.intake.supplement import need_label, supplement_of


class NeedRefused(ValueError):
    """A decision that would grant a need twice in a month, or a tillägg decided on more than its need."""


def granted_needs(calculation: dict[str, Any] | None) -> set[str]:
    """The cost types a calculation grants money for (its `costs.<type>` lines above zero)."""
    needs = set()
    for line in (calculation or {}).get("lines", []):
        rule = str(line.get("rule") or "")
        if line.get("section") == "costs" and rule.startswith("costs.") and Decimal(str(line["amount"])) > 0:
            needs.add(rule.removeprefix("costs."))
    return needs


def decisions_beside(application: Application):
    """The decisions in force for the same month of the same adults' other applications, not rejections."""
    adults = application.adults
    return (
        Decision.objects.filter(month=application.month, superseded_by__isnull=True)
        .filter(Q(application__applicant_id__in=adults) | Q(application__co_applicant_id__in=adults))
        .exclude(application_id=application.pk)
        .exclude(outcome=Decision.Outcome.REJECT)
    )


def check(decision: Decision) -> None:
    """Raise :class:`NeedRefused` when `decision` would pay a need twice. Call it in the storing
    transaction: the adults' rows are locked, so two decisions for one household are checked in turn."""
    application = decision.application
    list(Person.objects.select_for_update().filter(pk__in=application.adults).order_by("pk"))
    needs = granted_needs(decision.calculation)
    supplement = supplement_of(application)
    if (
        supplement is not None
        and decision.outcome != Decision.Outcome.REJECT
        and (needs != {supplement.need} or decision.amount_granted > supplement.amount)
    ):
        raise NeedRefused(
            f"Ett tilläggsbeslut gäller bara behovet i ansökan ({need_label(supplement.need)}, högst "
            f"{supplement.amount} kronor). Besluta det med formuläret för tillägg."
        )
    if decision.outcome == Decision.Outcome.REJECT or not needs:
        return
    for other in decisions_beside(application):
        twice = needs & granted_needs(other.calculation)
        if twice:
            names = ", ".join(sorted(need_label(need) for need in twice))
            raise NeedRefused(
                f"{names} är redan beviljat för månaden i ett annat beslut. "
                "Samma behov kan inte beviljas två gånger."
            )
