"""The case page in words: the household, the answers, the register facts, the adjustments.

Everything a caseworker reads on the case page passes through here, so that no raw structure and no
internal key reaches a staff page: answers become labelled rows with their source in words
("Försäkringskassan, hämtat 3 dec 14:09"), register answers become one table per source with the period
each amount is for, and a draft's adjustments become sentences. The raw register answer stays one click
away on the page, for the record.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bistand.identity.models import Person
from bistand.identity.personnummer import PersonnummerError, parse
from bistand.intake import forms as intake_forms
from bistand.intake.summary import kr
from bistand.payments.models import PaymentOrder
from bistand.registers import income
from bistand.registers.snapshot import RegisterSnapshot, SnapshotUnreadable
from bistand.registers.sources import Source, source_name

ROLE_NAMES = {"applicant": "Sökande", "co_applicant": "Medsökande"}


def answer_label(group: str, kind: str) -> str:
    """The Swedish label of one kind of answer (a cost, an income, an asset, a need).

    One place reads the application's labels, so that moving them (to `intake.labels`) is a one-line change.
    """
    table = {
        "costs": intake_forms.COST_LABELS,
        "incomes": intake_forms.INCOME_LABELS,
        "assets": intake_forms.ASSET_LABELS,
        "extra_needs": intake_forms.NEED_LABELS,
    }[group]
    return str(table.get(kind) or table.get("other") or _("Annat"))


def when(moment: str | datetime.datetime | None) -> str:
    """A point in time as people write it on a case page: "3 dec 14:09"."""
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    if moment is None:
        return ""
    return date_format(timezone.localtime(moment), "j b H:i")


def day(value: str | datetime.date | None) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return date_format(value, "j b Y") if value else ""


def age(personnummer: str, on: datetime.date) -> int | None:
    try:
        return parse(personnummer).age_on(on)
    except PersonnummerError:
        return None


# --- the header: who the case is about ------------------------------------------------------------------


@dataclass
class Member:
    role: str
    name: str
    age: int | None
    protected: bool


def household(case, run, on: datetime.date) -> list[Member]:
    """The household as the header shows it: names and ages; a protected person by role only."""
    applicant = case.applicant
    members = [
        Member(
            _("Sökande"),
            "" if applicant.is_protected else applicant.full_name,
            age(applicant.personnummer, on),
            applicant.is_protected,
        )
    ]
    if run is None:
        return members
    answers = run.application.answers
    co = (answers.get("co_applicant") or {}).get("value")
    children = [c["personnummer"] for c in (answers.get("children") or {}).get("value") or []]
    people = {p.personnummer: p for p in Person.objects.filter(personnummer__in=[co, *children])}
    for role, pnr in [(_("Medsökande"), co)] + [(_("Barn"), c) for c in children]:
        if not pnr:
            continue
        person = people.get(pnr)
        protected = bool(person and person.is_protected)
        name = "" if protected or person is None else person.full_name.strip()
        members.append(Member(role, name, age(pnr, on), protected))
    return members


# --- the application's answers --------------------------------------------------------------------------


@dataclass
class AnswerRow:
    key: str  # matches the same row of last month's application
    label: str
    value: str
    source: str
    previous: str = "–"

    @property
    def anchor(self) -> str:
        return "answer-" + self.key.replace(".", "-")


def source_words(source: str | None, prefill: dict[str, Any] | None = None) -> str:
    """Where an answer came from, in words, with the time a register was asked."""
    source = source or "citizen"
    if source.startswith("register:"):
        name = source_name(source.split(":", 1)[1], _("Ett register"))
        fetched = when((prefill or {}).get("fetched_at"))
        return _("%(source)s, hämtat %(when)s") % {"source": name, "when": fetched} if fetched else name
    return {
        "citizen": _("Den sökande"),
        "previous": _("Förra ansökan, bekräftad av den sökande"),
        "caseworker": _("Registrerat av handläggare"),
    }.get(source, _("Den sökande"))


def _yes_no(value: Any) -> str:
    if value is None:
        return _("Inte besvarat")
    return _("Ja") if value else _("Nej")


def _person(pnr: str, on: datetime.date, names: dict[str, str]) -> str:
    years = age(pnr, on)
    name = names.get(pnr, "")
    text = _("%(age)s år") % {"age": years} if years is not None else ""
    return ", ".join(p for p in (name, text) if p) or pnr


def answer_rows(application, names: dict[str, str] | None = None) -> list[AnswerRow]:
    """Every answer of the application as a labelled row, amounts formatted, the source in words."""
    names = names or {}
    on = application.month
    answers = application.answers or {}
    prefill = (application.draft or {}).get("prefill") or {}
    rows: list[AnswerRow] = []

    def entry(key: str) -> tuple[Any, str]:
        value = answers.get(key)
        if not isinstance(value, dict):
            return None, "citizen"
        return value.get("value"), value.get("source") or "citizen"

    def add(key: str, label: str, value: str, source: str) -> None:
        rows.append(AnswerRow(key, label, value, source_words(source, prefill)))

    co, source = entry("co_applicant")
    add("co_applicant", _("Make, maka eller sambo"), _person(co, on, names) if co else _("Ingen"), source)
    children, source = entry("children")
    child_sources = (answers.get("children") or {}).get("sources") or []
    for index, child in enumerate(children or []):
        details = [_person(child["personnummer"], on, names)]
        if child.get("lunch_at_home") is False:
            details.append(_("äter lunch i förskolan"))
        if child.get("days_in_household"):
            details.append(_("bor här %(days)s dagar i månaden") % {"days": child["days_in_household"]})
        if child.get("in_school") is not None:
            details.append(_("går i gymnasiet") if child["in_school"] else _("går inte i gymnasiet"))
        child_source = child_sources[index] if index < len(child_sources) else source
        add(f"children.{index}", _("Barn"), ", ".join(details), child_source)
    size, source = entry("household_size")
    if size:
        add("household_size", _("Personer i bostaden"), str(size), source)
    for group, amount_key in (("costs", "amount"), ("incomes", "amount"), ("assets", "value")):
        values, source = entry(group)
        item_sources = (answers.get(group) or {}).get("sources") or []
        for index, item in enumerate(values or []):
            label = answer_label(group, item["type"])
            key = f"{group}.{item['type']}"
            if group == "incomes":
                who = _("sökande") if item["person"] == "applicant" else _("medsökande")
                label = f"{label} ({who})"
                key = f"{key}.{item['person']}"
            item_source = item_sources[index] if index < len(item_sources) else source
            add(key, label, kr(item[amount_key]), item_source)
    needs, source = entry("extra_needs")
    for item in needs or []:
        text = kr(item["amount"]) + (f" – {item['description']}" if item.get("description") else "")
        add(f"extra_needs.{item['type']}", answer_label("extra_needs", item["type"]), text, source)
    housing, source = entry("housing")
    if housing:
        add(
            "housing.second_hand_lease",
            _("Hyr i andra hand"),
            _yes_no(housing.get("second_hand_lease")),
            source,
        )
        if housing.get("second_hand_lease"):
            add(
                "housing.sublet_consent",
                _("Andrahandsuthyrningen godkänd"),
                _yes_no(housing.get("sublet_consent")),
                source,
            )
    illness, source = entry("illness")
    if illness and illness.get("not_at_disposal"):
        period = " – ".join(
            day(illness.get(k)) for k in ("certificate_from", "certificate_to") if illness.get(k)
        )
        add("illness", _("Sjuk, kan inte stå till arbetsmarknadens förfogande"), period or _("Ja"), source)
    for key, label in (
        ("emergency", _("Akut behov (nödbistånd)")),
        ("nothing_changed", _("Inget har ändrats sedan förra ansökan")),
    ):
        value, source = entry(key)
        if key in answers:
            add(key, label, _yes_no(value), source)
    account, source = entry("payout_account")
    if account:
        masked = (
            _("Bankgiro ****%(last)s") % {"last": account["bankgiro"][-4:]}
            if "bankgiro" in account
            else _("Konto %(clearing)s ****%(last)s")
            % {"clearing": account.get("clearing_number", ""), "last": account.get("account_number", "")[-4:]}
        )
        add("payout_account", _("Utbetalning till"), masked, source)
    unavailable, source = entry("registers_unavailable")
    if unavailable:
        add(
            "registers_unavailable",
            _("Register som inte svarade när ansökan fylldes i"),
            ", ".join(source_name(s) for s in unavailable),
            "citizen",
        )
    for key, label in (
        ("registered_by", _("Registrerad av")),
        ("message", _("Meddelande till handläggaren")),
    ):
        value, source = entry(key)
        if value:
            add(key, label, str(value), source)
    return rows


def with_previous(rows: list[AnswerRow], previous: list[AnswerRow] | None) -> list[AnswerRow]:
    """Last month's value beside each row; a row only last month had is shown with "–" for now."""
    if previous is None:
        return rows
    before = {row.key: row for row in previous}
    for row in rows:
        if row.key in before:
            row.previous = before.pop(row.key).value
    for row in before.values():
        rows.append(AnswerRow(row.key, row.label, "–", "", previous=row.value))
    return rows


# --- register facts, per source -------------------------------------------------------------------------


# Field names of the register facts (registers/facts.py) in Swedish, so no internal key is shown.
FACT_LABELS = {
    "registered": "Inskriven som arbetssökande",
    "category_text": "Sökandekategori",
    "registered_on": "Inskriven",
    "extent_percent": "Omfattning (%)",
    "deregistered": "Avaktualiserad",
    "unemployment_fund": "A-kassa",
    "sekretessmarkering": "Sekretessmarkering",
    "assessment_year": "Taxeringsår",
    "total_income": "Intäkter av kapital",
    "surplus": "Överskott av kapital",
    "registration": "Registreringsnummer",
    "make": "Fabrikat",
    "model_year": "Årsmodell",
    "vehicle_type": "Fordonsslag",
    "trade_name": "Handelsbeteckning",
    "applied_on": "Ansökt",
    "case_type": "Ärendetyp",
    "decision_code": "Beslut",
    "decision_type": "Tillstånd",
    "decided_on": "Beslutsdatum",
    "valid_from": "Gäller från",
    "valid_to": "Gäller till",
    "home_country": "Hemland",
    "entry_date": "Inresedatum",
    "registered_folkbokford": "Folkbokförd",
    "civil_status": "Civilstånd",
    "label": "Vad",
    "monthly_amount": "Belopp per månad",
    "received_on": "Inkommen",
    "status": "Status",
    "submitted_on": "Inlämnad",
    "covers_month": "Avser månad",
    "message": "Meddelande",
    "compensation_type": "Ersättning",
    "value": "Uppgift",
}
# A field that means something else in one source.
SOURCE_FACT_LABELS = {"navet": {"registered": "Folkbokförd"}}
CIVIL_STATUS = {
    "OG": "Ogift",
    "G": "Gift",
    "S": "Skild",
    "Ä": "Änka eller änkling",
    "RP": "Registrerad partner",
}
FACT_GROUPS = {
    "decisions": "Beslut",
    "claims": "Pågående ärenden",
    "other": "Övriga uppgifter",
    "activity_reports": "Aktivitetsrapporter",
    "economic_decisions": "Ekonomiska beslut",
    "capital": "Inkomst av kapital",
    "vehicles": "Fordon",
    "permits": "Uppehållstillstånd",
}
# Never shown as a fact: personal data the case page does not need (the address, other people's numbers),
# fields repeated by another column, and the incomes shown in their own table with their periods.
HIDDEN_FACTS = frozenset(
    {"address", "relations", "household", "personnummer", "code", "kind", "category", "payments",
     "given_name", "surname", "is_samordningsnummer", "protection", "lines"}
)  # fmt: skip


def _fact_text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if value is None or value == "":
        return "–"
    if key == "civil_status":
        return CIVIL_STATUS.get(str(value), str(value))
    if key == "covers_month" and isinstance(value, str) and len(value) == 7:
        return date_format(datetime.date.fromisoformat(f"{value}-01"), "F Y")
    if key in ("total_income", "surplus", "monthly_amount"):
        return kr(value)
    if isinstance(value, datetime.date):
        return day(value)
    return str(value)


@dataclass
class FactTable:
    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class SourceAnswer:
    anchor: str
    role: str
    source: str
    fetched: str
    error: str = ""
    incomes: list[dict[str, Any]] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[FactTable] = field(default_factory=list)
    raw: Any = None
    request_id: str = ""


def _income_row(row: income.RegisterIncome, month: str) -> dict[str, Any]:
    return {
        "label": row.label,
        "type": answer_label("incomes", row.type),
        "amount": kr(row.amount),
        "paid_on": day(row.paid_on),
        "period": f"{day(row.covers_from)} – {day(row.covers_to)}",
        "preliminary": row.preliminary,
        "counted": row.month == month,
        "month": date_format(datetime.date.fromisoformat(f"{row.month}-01"), "F Y"),
    }


def register_answers(snapshot: RegisterSnapshot, month: str, *, protected: bool) -> list[SourceAnswer]:
    """Each register's answer for each person as readable tables: incomes with the period each amount is
    for and the month it counts in, other facts with Swedish labels. Folkbokföringen's answer about a
    protected household is never shown beyond whether it answered."""
    out = []
    for role, result in snapshot.results():
        source = result.source
        item = SourceAnswer(
            anchor=f"register-{role}-{source}",
            role=ROLE_NAMES.get(role, _("Annan")),
            source=source_name(source, _("Ett register")),
            fetched=when(result.fetched_at),
            request_id=result.request_id,
        )
        if result.error:
            item.error = _("Svarade inte fullständigt. Uppgifterna behöver kontrolleras.")
        try:
            facts = result.facts
        except SnapshotUnreadable:
            # Stored in a shape the facts classes no longer have: the page still opens, and says so.
            item.error = _("Svaret kunde inte läsas. Uppgifterna behöver kontrolleras.")
            facts = None
        item.incomes = [_income_row(row, month) for row in income.incomes([facts])]
        if facts is not None and not (protected and source == Source.NAVET):
            for f in dataclasses.fields(facts):
                key, value = f.name, getattr(facts, f.name)
                if key in HIDDEN_FACTS:
                    continue
                if isinstance(value, tuple):
                    table = _fact_table(key, value)
                    if table:
                        item.tables.append(table)
                elif not dataclasses.is_dataclass(value):
                    label = SOURCE_FACT_LABELS.get(source, {}).get(key) or FACT_LABELS.get(
                        key, _label_of(key)
                    )
                    item.facts.append((label, _fact_text(key, value)))
            if source == Source.NAVET:
                item.facts.append((_("Personer folkbokförda på samma adress"), str(len(facts.household))))
            item.raw = result.stored_facts
        out.append(item)
    return out


def _fact_table(key: str, items: tuple[Any, ...]) -> FactTable | None:
    """A group of facts (a source's decisions, vehicles …) as a table: one column per plain field."""
    rows = [i for i in items if dataclasses.is_dataclass(i)]
    if not rows:
        return None
    columns = [
        f.name
        for f in dataclasses.fields(rows[0])
        if f.name not in HIDDEN_FACTS
        and not isinstance(getattr(rows[0], f.name), tuple | dict)
        and not dataclasses.is_dataclass(getattr(rows[0], f.name))
    ]
    return FactTable(
        FACT_GROUPS.get(key, _label_of(key)),
        [FACT_LABELS.get(c, _label_of(c)) for c in columns],
        [[_fact_text(c, getattr(r, c)) for c in columns] for r in rows],
    )


def _label_of(key: str) -> str:
    """A field the label table does not know yet (a new register field): words, not a key."""
    return key.replace("_", " ").capitalize()


# --- the reasons a person is needed, each linked to the facts behind it ---------------------------------

# Where on the page the facts behind a routing reason are (a reason that is a finding links to the finding).
REASON_ANCHORS = {
    "rent_above_guidance": "#answer-costs-rent",
    "electricity_above_guidance": "#answer-costs-electricity",
    "reported_change": "#answers",
    "changed_since_last_month": "#answers",
    "extra_needs": "#answers",
    "emergency": "#answer-emergency",
    "co_applicant_unsigned": "#answer-co_applicant",
    "first_application": "#timeline",
    "protected_identity": "#case-header",
    "calculation_failed": "#decide",
    "school_status": "#decide",
    "no_entitlement": "#decide",
    "large_amount": "#decide",
    "norm_reliability": "#decide",
    "no_delegation": "#decide",
}


def reason_links(reasons: list[dict[str, str]], case_findings) -> list[dict[str, str]]:
    """Each reason with a link to the facts behind it: its finding, the answer, or the proposal."""
    by_code: dict[str, Any] = {}
    for finding in case_findings:
        if finding.status != "closed":
            by_code.setdefault(finding.code, finding)
    out = []
    for reason in reasons:
        finding = by_code.get(reason["code"])
        href = f"#finding-{finding.pk}" if finding else REASON_ANCHORS.get(reason["code"], "#answers")
        out.append({"message": reason["message"], "href": href})
    return out


def finding_anchor(finding) -> str:
    """The register answer a finding comes from, or the answers when it compares with last month."""
    if finding.source and finding.role:
        return f"#register-{finding.role}-{finding.source}"
    if finding.source:
        return f"#register-applicant-{finding.source}"
    if finding.role:
        return f"#registers-{finding.role}"
    return "#answers"


# --- sign-offs: who approved what, and when -------------------------------------------------------------


@dataclass
class SignOffRow:
    at: datetime.datetime
    what: str
    role: str
    by: str


def _name(user) -> str:
    return user.get_full_name() or user.username


def sign_off_rows(case) -> list[SignOffRow]:
    """The case's approvals in time order: the calculation and the decision (`SignOff`), each payment's two
    approvals (its payment file's), and who gave a payment its account by hand (the order's)."""
    rows = [
        SignOffRow(s.at, s.get_what_display(), s.get_role_display(), _name(s.by))
        for s in case.sign_offs.select_related("by")
    ]
    orders = PaymentOrder.objects.filter(case=case).select_related(
        "account_changed_by", "payment_file__released_by_1", "payment_file__released_by_2"
    )
    files = {}
    for order in orders:
        if order.account_changed_by is not None:
            rows.append(
                SignOffRow(
                    order.account_changed_at,
                    _("Utbetalningskonto"),
                    _("Ändrade"),
                    _name(order.account_changed_by),
                )
            )
        if order.payment_file is not None:
            files[order.payment_file.pk] = order.payment_file
    for payment_file in files.values():
        for by, at, role in (
            (payment_file.released_by_1, payment_file.released_at_1, _("Godkände")),
            (payment_file.released_by_2, payment_file.released_at_2, _("Släppte")),
        ):
            if by is not None:
                rows.append(SignOffRow(at, _("Utbetalning"), role, _name(by)))
    return sorted(rows, key=lambda row: row.at)
