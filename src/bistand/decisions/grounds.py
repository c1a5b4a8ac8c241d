"""The grounds a decision rests on, each with the legal reference it cites.

The section itself is looked up by month in the rules' dated reference table
(`rules/parameters/references.yaml`), so a decision for May 2024 cites the old socialtjänstlag (2001:453)
and one for December 2026 the new one (2025:400): one law per letter, the month's law.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from bistand.rules import default_parameters

# key: (what the citizen reads, the reference key in references.yaml)
GROUNDS = {
    "income": (
        _("Dina och hushållets inkomster räcker till det hushållet behöver den här månaden."),
        "right",
    ),
    "asset": (
        _("Du har en tillgång som ska användas till försörjningen innan du kan få försörjningsstöd."),
        "right",
    ),
    "rent": (
        _("Boendekostnaden är högre än vad som är skäligt för hushållet. Vi räknar med en skälig kostnad."),
        "statutory_costs",
    ),
    "labour": (
        _("Du har utan godtagbara skäl inte stått till arbetsmarknadens förfogande."),
        "labour_market",
    ),
    "assessment": (_("Handläggaren har bedömt din ansökan. Skälen står nedan."), "right"),
}


def reference(key: str, month: datetime.date) -> str:
    """The legal reference for `key` (e.g. "right", "norm_basis") in force in `month`.

    A month whose riksnorm is not published yet (a nödbistånd decided while the norm waits) cites the law
    in force in the last published month: the norm table is missing, not the law.
    """
    params = default_parameters()
    first = month.replace(day=1)
    try:
        return params.at(first).references[key]
    except KeyError:
        if first.year <= params.last_year:
            raise
        return params.at(datetime.date(params.last_year, 12, 1)).references[key]


def ground_for(outcome: str, calculation: dict, chosen: str = "") -> str:
    """The ground of a rejection or partial grant: the one chosen, or what the calculation shows."""
    if outcome == "grant":
        return ""
    if chosen in GROUNDS:
        return chosen
    if outcome == "reject" and Decimal(str(calculation.get("entitlement", 0))) <= 0:
        return "income"
    return "assessment"
