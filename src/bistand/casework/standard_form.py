"""The municipality's standard paper form: one table of fields, printed as PDF and read back by OCR.

The same `FIELDS` table decides what the printed form asks and what OCR looks for, so the two cannot drift
apart. Every row is printed on a line of its own, in one column, with the Swedish label first (in the English
and Arabic forms the translation follows on the line below), so OCR reads a label and its value on the same
line and never takes a value from the neighbouring column. OCR never fills in anything by itself: each value
it reads comes with Tesseract's confidence and is confirmed by the caseworker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FormField:
    name: str  # the paper registration form's field
    label: str  # the Swedish label as printed and as OCR reads it
    translated: object  # the label in the reader's language (lazy)
    kind: str  # personnummer, money, text, month, yesno
    also: tuple[str, ...] = ()  # older labels OCR still accepts (e.g. "El" on earlier forms)
    hint: str = ""


FIELDS: tuple[FormField, ...] = (
    FormField("personnummer", "Personnummer", _("Personnummer"), "personnummer", hint="ÅÅÅÅMMDD-NNNN"),
    FormField("first_name", "Förnamn", _("Förnamn"), "text"),
    FormField("last_name", "Efternamn", _("Efternamn"), "text"),
    FormField("month", "Månad", _("Månad du söker för"), "month", hint="ÅÅÅÅ-MM"),
    FormField("co_applicant", "Medsökande", _("Medsökandes personnummer"), "personnummer"),
    FormField("child_1", "Barn 1", _("Barn 1, personnummer"), "personnummer"),
    FormField("child_2", "Barn 2", _("Barn 2, personnummer"), "personnummer"),
    FormField("child_3", "Barn 3", _("Barn 3, personnummer"), "personnummer"),
    FormField("rent", "Hyra", _("Hyra"), "money", hint="kr"),
    FormField("electricity", "Hushållsel", _("Hushållsel"), "money", also=("El",), hint="kr"),
    FormField("salary", "Lön", _("Lön efter skatt"), "money", hint="kr"),
    FormField("other_income", "Andra inkomster", _("Andra inkomster"), "money", hint="kr"),
    FormField("emergency", "Akut behov", _("Akut behov i dag (ja/nej)"), "yesno"),
    FormField("clearing_number", "Clearingnummer", _("Clearingnummer"), "money"),
    FormField("account_number", "Kontonummer", _("Kontonummer"), "money"),
)
CHILD_FIELDS = ("child_1", "child_2", "child_3")

# Letters OCR confuses with digits, read as the digit where a number is expected ("O" for "0" was lost before).
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "S": "5"}
)


def render_pdf(lang: str = "sv", municipality: str = "") -> bytes:
    """The blank form as PDF, in Swedish, English or Arabic (the Swedish labels are always printed)."""
    from weasyprint import HTML

    with translation.override(lang):
        html = render_to_string(
            "pdf/standard_form.html",
            {
                "lang": lang,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "fields": FIELDS,
                "translate": lang != "sv",
                "municipality": municipality,
            },
        )
    return HTML(string=html).write_pdf()


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float | None = None  # Tesseract's 0–100; None when the text came without it


@dataclass(frozen=True)
class Reading:
    """One value OCR read: the value as the form wants it, and how sure Tesseract was (0–100, or None)."""

    value: str
    confidence: float | None


def lines_from_text(text: str) -> list[list[Word]]:
    """Plain text as lines of words without confidence."""
    return [[Word(w) for w in line.split()] for line in text.splitlines() if line.strip()]


def lines_from_tsv(tsv: str) -> list[list[Word]]:
    """Tesseract's TSV output as lines of words with their confidence."""
    lines: dict[tuple, list[Word]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or not cols[11].strip():
            continue
        key = tuple(cols[1:5])  # page, block, paragraph, line
        try:
            confidence = float(cols[10])
        except ValueError:
            confidence = None
        lines.setdefault(key, []).append(Word(cols[11].strip(), confidence))
    return list(lines.values())


def _clean(kind: str, raw: str) -> str | None:
    if kind == "text":
        text = re.sub(r"[^\w\- ]", "", raw).strip()
        return text or None
    if kind == "yesno":
        word = raw.strip().lower()
        return (
            "ja" if word.startswith(("ja", "yes", "x")) else "nej" if word.startswith(("nej", "no")) else None
        )
    digits_only = raw.translate(_DIGIT_LOOKALIKES)
    if kind == "month":
        match = re.search(r"(20\d\d)\s*[-/. ]\s*(\d{1,2})", digits_only)
        return (
            f"{match.group(1)}-{int(match.group(2)):02d}"
            if match and 1 <= int(match.group(2)) <= 12
            else None
        )
    if kind == "personnummer":
        match = re.search(r"(\d{6,8})\s*[-+ ]?\s*(\d{4})", digits_only)
        return f"{match.group(1)}-{match.group(2)}" if match else None
    # Money and account digits: the digits before any "kr"; spaces inside the number are thousands.
    amount = re.match(r"\s*([\d ]+)", digits_only.split("kr")[0])
    value = amount.group(1).replace(" ", "") if amount else ""
    return value or None


def _label_pattern(field: FormField) -> re.Pattern:
    labels = "|".join(re.escape(label) for label in (field.label, *field.also))
    # The label starts the line; the value is what follows on the same line (after a colon, if any).
    return re.compile(rf"^\s*(?:{labels})\b\s*:?\s*(.*)$", re.IGNORECASE)


_PATTERNS = [(field, _label_pattern(field)) for field in FIELDS]


def read(lines: list[list[Word]]) -> dict[str, Reading]:
    """The values found after the form's labels, each with the lowest confidence of its words."""
    found: dict[str, Reading] = {}
    for words in lines:
        text = " ".join(w.text for w in words)
        for field, pattern in _PATTERNS:
            if field.name in found:
                continue
            match = pattern.match(text)
            if not match:
                continue
            # Longer labels first would be tidier; "Barn 1" vs "Barn 12" cannot happen on this form.
            value = _clean(field.kind, match.group(1))
            if value is None:
                continue
            label_words = len(text[: match.start(1)].split())
            confidences = [w.confidence for w in words[label_words:] if w.confidence is not None]
            found[field.name] = Reading(value, min(confidences) if confidences else None)
            break
    return found
