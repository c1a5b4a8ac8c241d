"""What earlier months say about this one: each adult's own months with försörjningsstöd (jobbstimulans,
SoL 12 kap. 8 §, in any case) and what each child earned earlier in the year (the yearly prisbasbelopp cap
on a child's salary, SoL 12 kap. 9 §)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from bistand.cases.models import Case
from bistand.decisions.models import Decision


def person_assistance_months(personnummer: str, before: datetime.date) -> list[str]:
    """Months before `before` in which this person was granted försörjningsstöd, in any case or unit.

    Jobbstimulans speaks of the person ("den som"), so a person who moves to a new case keeps their months
    and a new sambo does not take over the household's.
    """
    decisions = Decision.objects.filter(month__lt=before, amount_granted__gt=0).filter(
        Q(application__applicant__personnummer=personnummer)
        | Q(application__co_applicant__personnummer=personnummer)
        | Q(application__answers__co_applicant__value=personnummer)
    )
    return sorted(
        {d.month.isoformat()[:7] for d in decisions.select_related("superseded_by") if d.is_in_force}
    )


def child_earnings_this_year(case: Case, month: datetime.date) -> dict[str, Decimal]:
    """Each child's salary (by personnummer) in the case's decided months of `month`'s year before it.

    The citizen's own statements in the applications the decisions rest on; a month without a decision
    is not counted (nothing was decided on it).
    """
    earned: dict[str, Decimal] = defaultdict(Decimal)
    decisions = Decision.objects.filter(
        case=case, month__gte=month.replace(month=1), month__lt=month
    ).select_related("application", "superseded_by")
    for decision in decisions:
        if not decision.is_in_force:
            continue
        answers = decision.application.answers
        incomes = (answers.get("incomes") or {}).get("value") or []
        for income in incomes:
            if income.get("type") == "salary" and income.get("person") not in ("applicant", "co_applicant"):
                earned[income["person"]] += Decimal(str(income["amount"]))
    return dict(earned)
