"""What the answers are called: one table of Swedish labels per answer key, translated with gettext.

The wizard's fields, the summary before signing and on Mina sidor, the caseworker's case page and letters
all name an answer from here, so a cost or an income is called the same everywhere. `label(key)` is the
one way to ask:

* `label("incomes")`, a question (an answer key of the application schema): "Inkomster";
* `label("incomes.salary")`, a kind within it: "Lön efter skatt" (an unknown kind is its table's "other",
  or the kind itself where the table has none);
* `label("source.register:fk")`, where a value came from: "Försäkringskassan".
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

INCOME_LABELS = {
    "salary": _("Lön efter skatt"),
    "child_allowance": _("Barnbidrag"),
    "housing_allowance": _("Bostadsbidrag eller bostadstillägg"),
    "maintenance_support": _("Underhållsstöd"),
    "sickness_benefit": _("Sjukpenning eller sjukersättning"),
    "parental_benefit": _("Föräldrapenning"),
    "unemployment_benefit": _("Ersättning från a-kassan"),
    "activity_support": _("Aktivitetsstöd"),
    "establishment_benefit": _("Etableringsersättning"),
    "student_grant": _("Studiebidrag"),
    "student_loan": _("Studielån"),
    "pension": _("Pension"),
    "capital": _("Inkomst av kapital"),
    "other": _("Andra inkomster"),
}
COST_LABELS = {
    "rent": _("Hyra eller avgift för bostaden"),
    "electricity": _("Hushållsel"),
    "home_insurance": _("Hemförsäkring"),
    "work_travel": _("Resor till och från arbete"),
    "union_fee": _("Avgift till fackförening"),
    "unemployment_fund_fee": _("Avgift till a-kassa"),
}
ASSET_LABELS = {
    "bank": _("Pengar på bankkonton, i dag"),
    "vehicle": _("Bil, motorcykel eller båt (ungefärligt värde)"),
    "property": _("Hus, fritidshus, bostadsrätt eller mark (ungefärligt värde)"),
    "shares": _("Aktier, fonder eller andra värdepapper"),
    "other": _("Annat av värde"),
}
NEED_LABELS = {
    "childcare": _("Avgift för förskola eller fritidshem"),
    "medical": _("Läkarbesök och sjukvård"),
    "medicine": _("Medicin"),
    "dental": _("Tandvård"),
    "glasses": _("Glasögon eller linser"),
    "other": _("Något annat du behöver"),
}

SOURCE_LABELS = {
    "citizen": _("Från dig"),
    "previous": _("Från din förra ansökan"),
    "caseworker": _("Registrerat av socialtjänsten"),
    "register:navet": _("Skatteverket (folkbokföringen)"),
    "register:fk": _("Försäkringskassan"),
    "register:so": _("a-kassan"),
    "register:csn": _("CSN"),
}

# The questions: every answer key of the application schema (`intake.schema.FIELDS`) has a label.
QUESTION_LABELS = {
    "month": _("Månad"),
    "co_applicant": _("Make, maka eller sambo"),
    "children": _("Barn"),
    "household_size": _("Personer i bostaden"),
    "costs": _("Boende och kostnader"),
    "incomes": _("Inkomster"),
    "assets": _("Tillgångar"),
    "extra_needs": _("Andra behov"),
    "emergency": _("Akut behov"),
    "nothing_changed": _("Inget har ändrats sedan förra månaden"),
    "payout_account": _("Utbetalning"),
    "language": _("Språk"),
    "message": _("Meddelande till handläggaren"),
    "representative": _("Ombud"),
    "registers_unavailable": _("Registren svarade inte"),
    "housing": _("Boendet"),
    "illness": _("Sjukdom"),
    "registered_by": _("Registrerad av"),
}
# The kinds within a list answer, per answer key.
KIND_LABELS: dict[str, dict[str, Promise]] = {
    "incomes": INCOME_LABELS,
    "costs": COST_LABELS,
    "assets": ASSET_LABELS,
    "extra_needs": NEED_LABELS,
    "source": SOURCE_LABELS,
}


def label(key: str) -> str:
    """The label of an answer key (`"costs"`), a kind within it (`"costs.rent"`) or a source (`"source.previous"`).

    In the active language. An unknown key raises KeyError: a label missing here is a bug to fix, not a
    raw key to show. An unknown kind falls back to its table's "other" (or to the kind itself).
    """
    question, dot, kind = key.partition(".")
    if not dot:
        return str(QUESTION_LABELS[question])
    table = KIND_LABELS[question]
    if question == "source":
        return source_label(kind)
    return str(table.get(kind) or table.get("other") or kind)


def source_label(source: str) -> str:
    """Where a value came from, in words."""
    return str(SOURCE_LABELS.get(source, SOURCE_LABELS["citizen"]))
