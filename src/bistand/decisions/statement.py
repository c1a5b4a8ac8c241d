"""What a decision says, built only from the decision as stored: never by running the rules again.

The letter, the decision page on Mina sidor and the API all render this one statement, so the outcome,
the reasons and the calculation can never disagree. The calculation is the one decided (with a
caseworker's adjusted lines); the ground and every legal reference are those of the decision's month.

Text is in the active language (sv, en or ar). Amounts and legal references are isolated for
right-to-left reading (`<bdi dir="ltr">`); everything else is escaped.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bistand.decisions.grounds import GROUNDS, reference
from bistand.decisions.motivation import appeal_notice
from bistand.intake.summary import kr
from bistand.rules.explain import law as law_words

SECTIONS = ("norm", "costs", "income")


@dataclass
class Row:
    """One line of the calculation as the citizen reads it."""

    label: str
    amount: SafeString
    note: str = ""


@dataclass
class Part:
    """One part of the calculation: the norm, the costs or the incomes, with its total and its law."""

    key: str
    title: str
    rows: list[Row]
    total: SafeString
    laws: list[SafeString] = field(default_factory=list)


@dataclass
class Statement:
    """Everything a decision says, in one language, ready for a template."""

    lang: str
    recipient: str  # the reader the statement is addressed to
    parties: list[str]  # every adult party, the reader first
    outcome: SafeString
    ground: str
    ground_law: SafeString
    reasons: list[SafeString]  # the caseworker's own words marked Swedish
    correction: SafeString | str
    parts: list[Part]
    need: SafeString
    income: SafeString
    difference: SafeString
    surplus: bool
    granted: SafeString
    law: SafeString
    automated: bool
    checked: list[str]
    delegation: str
    appeal: str
    # Said to a reader of another language when the caseworker's own Swedish words stand in the decision.
    interpreter: SafeString | str = ""

    def text(self) -> str:
        """The statement as plain paragraphs, in its own language (the stored motivation, the API)."""
        with translation.override(self.lang):
            parts = [plain(self.outcome)]
            if self.ground:
                parts.append(f"{self.ground} {_('Lagrum')}: {plain(self.ground_law)}.")
            parts += [plain(reason) for reason in self.reasons]
            if self.correction:
                parts.append(plain(self.correction))
            if self.interpreter:
                parts.append(plain(self.interpreter))
            parts.append(plain(self.law))
            if self.automated:
                parts.append(self.delegation)
            parts.append(self.appeal)
        return "\n\n".join(parts)


def plain(value: Any) -> str:
    """Text without markup: safe (already escaped) strings lose their tags and entities; others are as is."""
    if isinstance(value, SafeString):
        return html.unescape(strip_tags(value))
    return str(value)


def ltr(text: Any) -> SafeString:
    """`text` isolated as a left-to-right run (amounts, legal references), safe in any direction."""
    return format_html('<bdi dir="ltr">{}</bdi>', text)


def swedish(text: str) -> SafeString:
    """A caseworker's own words, kept as written and marked Swedish, so a screen reader on an English or
    Arabic page reads them with a Swedish voice and right-to-left layout leaves them whole."""
    return format_html('<span lang="sv" dir="ltr">{}</span>', text)


# Förvaltningslagen 13 §: an interpreter and a translation when the citizen needs one to use their rights.
INTERPRETER_SECTION = 13


def fl(section: int) -> SafeString:
    """A section of förvaltningslagen written out in the active language, kept left to right."""
    if translation.get_language() == "en":
        text = f"section {section} of the Administrative Procedure Act (förvaltningslagen, 2017:900)"
    else:  # Arabic readers get the Swedish form too: what the law is called and what a court reads
        text = f"{section} § förvaltningslagen (2017:900)"
    return ltr(text)


def interpreter_offer() -> SafeString:
    """What a reader of another language is told wherever a caseworker's own Swedish words stand — in a
    request or a decision: that they are Swedish, and that an interpreter or a translation is theirs to ask
    for (förvaltningslagen 13 §). In the active language."""
    return fill(
        _(
            "Texten från din handläggare är på svenska. Du har rätt att få den tolkad eller översatt. "
            "Skriv ett meddelande eller ring oss, så ordnar vi en tolk (%(law)s)."
        ),
        law=fl(INTERPRETER_SECTION),
    )


def amount(value: Any) -> SafeString:
    """An amount in kronor in the active language, isolated."""
    return ltr(kr(value))


def fill(template: str, **values: Any) -> SafeString:
    """`template` (translated, %-style) with escaped `values`; safe values (isolated runs) kept."""
    escaped = {k: conditional_escape(v) for k, v in values.items()}
    return mark_safe(conditional_escape(template) % escaped)  # noqa: S308 - every part is escaped


def cite(ref: str, lang: str) -> SafeString:
    """A legal reference written out (`12 kap. 1 § socialtjänstlagen (2025:400)`), isolated.

    English readers get the English form; Arabic readers the Swedish one, which is what the law is called
    and what a court reads.
    """
    return ltr(law_words(ref, "en" if lang == "en" else "sv"))


def _people(decision) -> dict[str, str]:
    """Member ids of the calculation to how the letter names them: adults by first name."""
    application = decision.application
    names = {"a": application.applicant.first_name}
    if getattr(application, "co_applicant", None) is not None:
        names["b"] = application.co_applicant.first_name
    return names


def _child(age: int) -> str:
    if age < 1:
        return _("ditt barn, under 1 år")
    # A plural in Arabic (3 سنوات, 11 سنة), though not in Swedish or English.
    return ngettext("ditt barn, %(age)s år", "ditt barn, %(age)s år", age) % {"age": age}


def _who(member: str, people: dict[str, str], ages: dict[str, int]) -> str:
    if member in people:
        return people[member]
    if member in ages:
        return _child(ages[member])
    return _("hushållet")


def _norm_row(line: dict[str, Any], people: dict[str, str]) -> Row:
    rule = line.get("rule", "")
    details = line.get("details") or {}
    if rule == "riksnorm.adults.couple":
        names = (" " + _("och") + " ").join(people.values())
        return Row(_("Två vuxna som bor tillsammans (%(names)s)") % {"names": names}, amount(line["amount"]))
    if rule == "riksnorm.adults.single":
        return Row(_("En vuxen (%(name)s)") % {"name": people["a"]}, amount(line["amount"]))
    if rule.startswith("riksnorm.children"):
        label = _child(details.get("age", 0))
        label = label[0].upper() + label[1:]
        notes = []
        if rule.endswith("without_lunch"):
            notes.append(_("äter inte lunch hemma på vardagar"))
        if "days" in details:
            notes.append(
                ngettext(
                    "bor i hushållet %(days)s dag av månadens %(in_month)s",
                    "bor i hushållet %(days)s dagar av månadens %(in_month)s",
                    details["days"],
                )
                % {"days": details["days"], "in_month": details["days_in_month"]}
            )
        return Row(label, amount(line["amount"]), ", ".join(notes))
    if not rule.startswith("riksnorm.common"):
        return Row(_line_label(line), amount(line["amount"]))
    persons = details.get("persons", 1)
    label = ngettext(
        "Gemensamma kostnader för ett hushåll med %(count)s person",
        "Gemensamma kostnader för ett hushåll med %(count)s personer",
        persons,
    ) % {"count": persons}
    note = ""
    if "case_members" in details:
        note = _("hushållets andel: %(members)s av %(persons)s personer") % {
            "members": details["case_members"],
            "persons": persons,
        }
    return Row(label, amount(line["amount"]), note)


def _line_label(line: dict[str, Any]) -> str:
    """The engine's label for a cost or income type, in the active language."""
    if translation.get_language() == "en" and line.get("label_en"):
        return line["label_en"]
    return _(line.get("label", ""))


def _adjusted(line: dict[str, Any], adjustments: list[dict[str, Any]]) -> dict[str, Any] | None:
    kind = {"costs": "cost", "income": "income"}.get(line.get("section", ""))
    rule_type = line.get("rule", "").split(".", 1)[-1]
    for adjustment in adjustments:
        same_member = kind == "cost" or adjustment.get("member", "a") == line.get("member")
        if adjustment.get("kind") == kind and adjustment.get("type") == rule_type and same_member:
            return adjustment
    return None


def _parts(decision, people: dict[str, str], lang: str) -> list[Part]:
    calc = decision.calculation
    month = decision.month
    adjustments = [a for a in (decision.inputs or {}).get("adjustments", []) if a.get("kind") != "motivation"]
    raises = [Decimal(str(a["amount"])) for a in adjustments if a.get("kind") == "norm"]
    ages = {
        line["member"]: (line.get("details") or {}).get("age", 0)
        for line in calc.get("lines", [])
        if line.get("rule", "").startswith("riksnorm.children")
    }
    rows: dict[str, list[Row]] = {key: [] for key in SECTIONS}
    laws: dict[str, list[str]] = {key: [] for key in SECTIONS}
    for line in calc.get("lines", []):
        section = line.get("section")
        if section not in rows:
            continue
        if section == "norm":
            rows["norm"].append(_norm_row(line, people))
            continue
        value = Decimal(str(line["amount"]))
        if section == "costs" and line.get("rule") == "costs.other" and value in raises:
            # A higher norm for special reasons is carried as a cost; it is the norm's own paragraph.
            raises.remove(value)
            rows["norm"].append(Row(_("Högre norm av särskilda skäl"), amount(value)))
            laws["norm"].append(reference("higher_norm", month))
            continue
        label = _line_label(line)
        if section == "income" and line.get("member") not in ("", "household", None):
            label = f"{label} – {_who(line['member'], people, ages)}"
        note = ""
        adjusted = _adjusted(line, adjustments)
        if adjusted is not None and "from" in adjusted:
            note = fill(
                _("ändrat från %(before)s: %(reason)s"),
                before=amount(adjusted["from"]),
                reason=swedish(adjusted["reason"]),
            )
        elif adjusted is not None:
            note = fill(_("ändrat av handläggaren: %(reason)s"), reason=swedish(adjusted["reason"]))
        rows[section].append(Row(label, amount(value), note))
        if line.get("reference"):
            laws[section].append(line["reference"])
    laws["norm"] = [reference("norm_basis", month), reference("norm", month), *laws["norm"]]
    titles = {
        "norm": _("Riksnormen: mat, kläder, hygien, telefon och annat vardagligt"),
        "costs": _("Kostnader som räknas med"),
        "income": _("Inkomster som räknas av"),
    }
    totals = {"norm": "norm_total", "costs": "costs_total", "income": "income_total"}
    return [
        Part(
            key,
            titles[key],
            rows[key],
            amount(calc.get(totals[key], 0)),
            [cite(ref, lang) for ref in dict.fromkeys(laws[key])],
        )
        for key in SECTIONS
    ]


def _outcome(decision, month: str) -> SafeString:
    granted = amount(decision.amount_granted)
    if decision.outcome == "grant":
        return fill(_("Du får %(amount)s i försörjningsstöd för %(month)s."), amount=granted, month=month)
    if decision.outcome == "partial":
        return fill(
            _(
                "Du får %(amount)s i försörjningsstöd för %(month)s. Du får inte hela det belopp vi räknade fram."
            ),
            amount=granted,
            month=month,
        )
    return fill(_("Du får inte försörjningsstöd för %(month)s."), month=month)


def _checked() -> list[str]:
    """What the robot checks before it decides (the automation policy), and nothing more."""
    return [
        _("Den automatiska beslutsfunktionen har kontrollerat att:"),
        _("hushållet fick försörjningsstöd förra månaden och att du har svarat att inget har ändrats"),
        _(
            "inkomsterna i ansökan stämmer med uppgifterna från Försäkringskassan, Skatteverket, CSN, "
            "Arbetsförmedlingen och a-kassan"
        ),
        _("hushållet är detsamma som i folkbokföringen"),
        _("hyran och elen ligger inom kommunens riktlinjer"),
        _(
            "Ingen handläggare har bedömt din ansökan. Du kan alltid be att få tala med en handläggare, "
            "och du kan överklaga beslutet som vilket annat beslut som helst."
        ),
    ]


def _delegation(delegation: dict[str, Any]) -> str:
    """The delegation an automated decision rests on (förvaltningslagen 28 §, kommunallagen 6 kap. 37 §),
    cited from the nämnd's decision recorded as data; a demonstration delegation says it is one.

    That the citizen can ask to speak to a caseworker is said once, with what the robot checked (`_checked`).
    """
    text = _(
        "Beslutet har fattats automatiskt (förvaltningslagen 28 §). %(body)s har den %(date)s gett "
        "en automatiserad beslutsfunktion rätt att fatta sådana beslut (%(reference)s, kommunallagen "
        "6 kap. 37 §; gäller från %(valid_from)s)."
    ) % {
        "body": delegation.get("body", ""),
        "reference": delegation.get("reference", ""),
        # Dates as people read them ("20 januari 2026"), not as they are stored.
        "date": _day(delegation.get("date", "")),
        "valid_from": _day(delegation.get("valid_from", "")),
    }
    if delegation.get("demo"):
        text += " " + _("Demonstration: delegationen är ett påhittat exempel, inte ett verkligt beslut.")
    return text


def _day(value: str) -> str:
    try:
        return date_format(datetime.date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return value


def parties(decision, first=None) -> list:
    """Every adult party to the application (applicant and co-applicant), `first` (the reader) first."""
    application = decision.application
    found = [p for p in (application.applicant, getattr(application, "co_applicant", None)) if p is not None]
    if first is not None and first in found:
        found.remove(first)
        found.insert(0, first)
    return found


def statement(decision, lang: str = "sv", recipient=None) -> Statement:
    """What `decision` says, in `lang`, addressed to `recipient` (default the applicant), every party named."""
    with translation.override(lang):
        calc = decision.calculation or {}
        people = _people(decision)
        month = date_format(decision.month, "F Y")
        ground_key = getattr(decision, "ground", "") or ""
        ground, ground_law = "", mark_safe("")
        if ground_key in GROUNDS:
            text, ref_key = GROUNDS[ground_key]
            ground, ground_law = str(text), cite(reference(ref_key, decision.month), lang)
        reasons = []
        for adjustment in (decision.inputs or {}).get("adjustments", []):
            if adjustment.get("kind") == "motivation" and adjustment["reason"] != str(
                GROUNDS.get(ground_key, ("",))[0]
            ):
                reasons.append(
                    fill(_("Handläggarens motivering: %(reason)s"), reason=swedish(adjustment["reason"]))
                )
            elif adjustment.get("kind") == "norm":
                reasons.append(
                    fill(_("Högre norm av särskilda skäl: %(reason)s"), reason=swedish(adjustment["reason"]))
                )
        correction = ""
        if decision.correction:
            correction = fill(
                _("Det här beslutet ersätter ett tidigare beslut. Skäl: %(reason)s"),
                reason=swedish(decision.correction_reason),
            )
        parts = _parts(decision, people, lang) if "norm_total" in calc else []
        # Every adjusted line with the caseworker's reason is a reason for the decision (FL 32 §).
        reasons += [
            format_html("{}: {}", row.label, row.note)
            for part in parts
            if part.key != "norm"
            for row in part.rows
            if row.note
        ]
        norm = Decimal(str(calc.get("norm_total", 0)))
        costs = Decimal(str(calc.get("costs_total", 0)))
        everyone = [p.full_name for p in parties(decision, recipient)]
        return Statement(
            lang=lang,
            recipient=everyone[0],
            parties=everyone,
            outcome=_outcome(decision, month),
            ground=ground,
            ground_law=ground_law,
            reasons=reasons,
            correction=correction,
            parts=parts,
            need=amount(norm + costs),
            income=amount(calc.get("income_total", 0)),
            difference=amount(abs(Decimal(str(calc.get("deficit", 0))))),
            surplus=Decimal(str(calc.get("deficit", 0))) < 0,
            granted=amount(decision.amount_granted),
            law=fill(
                _("Beslutet är fattat enligt %(law)s."), law=cite(reference("right", decision.month), lang)
            ),
            automated=bool(decision.automated),
            checked=_checked() if decision.automated else [],
            delegation=_delegation(decision.delegation or {}) if decision.automated else "",
            appeal=appeal_notice(lang),
            interpreter=interpreter_offer() if (reasons or correction) and not lang.startswith("sv") else "",
        )


def motivation_text(decision, lang: str = "sv") -> str:
    """The decision's reasons as plain paragraphs, as stored on the decision (its motivation)."""
    return statement(decision, lang).text()
