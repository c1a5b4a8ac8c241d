"""The rules' messages and explanation in Arabic: every text has its Arabic, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bistand.rules import arabic, calculate, explain
from bistand.rules.explain import PHRASES
from bistand.rules.messages import MESSAGES, message, pick_language


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name} - {"you", "You"}


@pytest.mark.parametrize(
    ("catalogue", "translated"), [(PHRASES, arabic.PHRASES), (MESSAGES, arabic.MESSAGES)]
)
def test_every_text_has_arabic_with_the_same_placeholders(catalogue, translated):
    assert set(translated) == set(catalogue)  # every key: Swedish and English there, Arabic here
    for key, (sv, en) in catalogue.items():
        assert sv.strip() and en.strip(), key
        assert translated[key].strip(), key
        wanted = fields(sv) - {"bracket_en"}
        assert fields(translated[key]) <= fields(sv) and wanted <= fields(translated[key]) | {"bracket"}, key


def test_the_explanation_reads_in_arabic():
    household = {
        "month": "2026-12",
        "members": [
            {"id": "a", "role": "applicant", "birth_date": "1980-01-13"},
            {"id": "c", "role": "child", "birth_date": "2023-03-02", "lunch_at_home": False},
        ],
        "costs": [{"type": "rent", "amount": 7800}],
        "incomes": [{"member": "a", "type": "child_allowance", "amount": 1250}],
    }
    text = explain(calculate(household), "ar")
    assert "يحق لك الحصول على" in text and "ديسمبر 2026" in text
    assert "تكلفة السكن (الإيجار)" in text and "إعانة الأطفال" in text
    assert "Du har rätt" not in text and "Riksnormen är" not in text


def test_messages_answer_in_arabic_when_asked():
    assert pick_language("ar,sv;q=0.5") == "ar"
    assert message("month_format", "ar").startswith("اكتب الشهر")
