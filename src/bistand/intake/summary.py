"""An application's answers as a person reads them: sections of rows, each saying where the value came from.

Used before signing, by the co-applicant who signs, and on Mina sidor. Names and birth dates are shown,
never an address, and never a full personnummer of someone else; account numbers are masked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bistand.core.templatetags.money import sek
from bistand.identity.personnummer import PersonnummerError, parse
from bistand.intake.labels import label, source_label
from bistand.intake.payout import COUNTER_KINDS, PayoutRoute


def kr(value: Any) -> str:
    """An amount in kronor in the active language: 7 800 kr, 7 800,50 kr (the templates' `sek` filter)."""
    return sek(value)


def born(pnr: str) -> str:
    try:
        return date_format(parse(pnr).birth_date, "j F Y")
    except PersonnummerError:
        return ""


@dataclass
class Row:
    label: str
    value: str
    source: str = ""


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    empty: str = ""


def _source(entry_source: str | None, applicant: str = "") -> str:
    """Where a value came from; "Från dig" only when the reader is the one who gave it."""
    source = entry_source or "citizen"
    if applicant and source == "citizen":
        return _("Från %(name)s") % {"name": applicant}
    return source_label(source)


def person_name(pnr: str, names: dict[str, str]) -> str:
    name = names.get(pnr) or ""
    when = born(pnr)
    if name and when:
        return _("%(name)s, född %(date)s") % {"name": name, "date": when}
    return _("Född %(date)s") % {"date": when} if when else name


def sections(
    answers: dict[str, Any], names: dict[str, str] | None = None, applicant: str = ""
) -> list[Section]:
    """Group the stored answers (value + source) into readable sections.

    They speak to the applicant; given `applicant` (the applicant's first name), they speak to the
    co-applicant instead: "du" is the co-applicant, and what the applicant gave is "Från <name>".
    """
    names = names or {}

    def source_of(entry_source: str | None) -> str:
        return _source(entry_source, applicant)

    def entry(key: str) -> dict[str, Any]:
        value = answers.get(key)
        return value if isinstance(value, dict) else {"value": None, "source": "citizen"}

    out: list[Section] = []
    month = entry("month")["value"]
    if month:
        out.append(
            Section(
                "month",
                _("Månad"),
                [Row(_("Ansökan gäller"), date_format(datetime.date.fromisoformat(f"{month}-01"), "F Y"))],
            )
        )

    supplement = entry("supplement")["value"]
    if supplement:
        # A tilläggsansökan is its one need; the household and payout come from the month's application.
        out.append(_supplement_section(supplement, source_of(entry("supplement")["source"])))
        out.append(_payout_section(entry("payout_account"), source_of))
        return out

    household = Section("household", _("Hushållet"))
    co = entry("co_applicant")
    if co["value"] and applicant:
        household.rows.append(Row(_("Make, maka eller sambo"), applicant, source_of(co["source"])))
    elif co["value"]:
        household.rows.append(
            Row(_("Make, maka eller sambo"), person_name(co["value"], names), source_of(co["source"]))
        )
    else:
        household.rows.append(Row(_("Make, maka eller sambo"), _("Ingen"), source_of(co["source"])))
    children = entry("children")
    child_sources = children.get("sources") or []
    for index, child in enumerate(children["value"] or []):
        details = [person_name(child["personnummer"], names)]
        if child.get("lunch_at_home") is False:
            details.append(_("äter lunch i förskolan"))
        if child.get("days_in_household"):
            details.append(_("bor här %(days)s dagar i månaden") % {"days": child["days_in_household"]})
        source = child_sources[index] if index < len(child_sources) else children["source"]
        household.rows.append(Row(_("Barn"), ", ".join(details), source_of(source)))
    if not children["value"]:
        household.rows.append(Row(_("Barn"), _("Inga barn"), source_of(children["source"])))
    size = entry("household_size")["value"]
    if size:
        household.rows.append(
            Row(_("Personer i bostaden"), str(size), source_of(entry("household_size")["source"]))
        )
    out.append(household)

    costs = Section("housing", _("Boende och kostnader"), empty=_("Inga kostnader angivna"))
    for cost in entry("costs")["value"] or []:
        costs.rows.append(
            Row(
                label(f"costs.{cost['type']}"),
                kr(cost["amount"]),
                source_of(entry("costs")["source"]),
            )
        )
    out.append(costs)

    incomes = Section("income", _("Inkomster"), empty=_("Inga inkomster angivna"))
    income_entry = entry("incomes")
    income_sources = income_entry.get("sources") or []
    co_name = names.get(co["value"] or "", "") or _("medsökande")
    for index, income in enumerate(income_entry["value"] or []):
        if applicant:
            who = applicant if income["person"] == "applicant" else _("du")
        else:
            who = _("du") if income["person"] == "applicant" else co_name
        row_label = f"{label('incomes.' + income['type'])} ({who})"
        source = income_sources[index] if index < len(income_sources) else income_entry["source"]
        incomes.rows.append(Row(row_label, kr(income["amount"]), source_of(source)))
    out.append(incomes)

    assets = Section("assets", _("Tillgångar"), empty=_("Inga tillgångar angivna"))
    for asset in entry("assets")["value"] or []:
        assets.rows.append(
            Row(
                label(f"assets.{asset['type']}"),
                kr(asset["value"]),
                source_of(entry("assets")["source"]),
            )
        )
    out.append(assets)

    needs = Section("needs", _("Andra behov"), empty=_("Inga andra behov angivna"))
    for need in entry("extra_needs")["value"] or []:
        needs.rows.append(
            Row(
                label(f"extra_needs.{need['type']}"),
                kr(need["amount"]),
                source_of(entry("extra_needs")["source"]),
            )
        )
        if need.get("description"):
            needs.rows.append(
                Row(_("Beskrivning"), need["description"], source_of(entry("extra_needs")["source"]))
            )
    if entry("emergency")["value"]:
        needs.rows.append(Row(_("Akut behov"), _("Ja"), source_of(entry("emergency")["source"])))
    if entry("message")["value"]:
        needs.rows.append(
            Row(
                _("Meddelande till handläggaren"),
                entry("message")["value"],
                source_of(entry("message")["source"]),
            )
        )
    out.append(needs)

    out.append(_payout_section(entry("payout_account"), source_of))
    return out


def _supplement_section(value: dict[str, Any], source: str) -> Section:
    """What a tilläggsansökan asks for: the need, its cost and the citizen's own words."""
    from django.utils.translation import get_language

    # lazy: the supplement module imports the models; the summary itself imports without loaded apps
    from bistand.intake.supplement import need_label

    section = Section("supplement", _("Ansökan om tillägg"))
    section.rows.append(Row(_("Behov"), need_label(value["need"], get_language() or "sv"), source))
    section.rows.append(Row(_("Belopp"), kr(value["amount"]), source))
    if value.get("description"):
        section.rows.append(Row(_("Beskrivning"), value["description"], source))
    return section


def _payout_section(answer: dict[str, Any], source_of) -> Section:
    """Where the money goes: a masked account, a Bankgiro, or the counter for someone without an account."""
    payout = Section("payout", _("Utbetalning"), empty=_("Inget konto angivet"))
    account = answer["value"] or {}
    source = source_of(answer["source"])
    if account.get("route") in COUNTER_KINDS:
        payout.rows.append(Row(_("Utbetalning"), str(PayoutRoute(account["route"]).label), source))
    elif "bankgiro" in account:
        payout.rows.append(Row(_("Bankgiro"), "****" + account["bankgiro"][-4:], source))
    elif account.get("clearing_number"):
        payout.rows.append(
            Row(_("Bankkonto"), f"{account['clearing_number']} ****{account['account_number'][-4:]}", source)
        )
    return payout
