"""One table of labels per answer key: the wizard, the summary, the case page and letters name answers alike."""

from __future__ import annotations

import pytest
from django.utils import translation

from bistand.intake import forms
from bistand.intake.labels import KIND_LABELS, QUESTION_LABELS, label
from bistand.intake.schema import FIELDS, ITEM_FIELDS


def test_every_answer_key_of_the_schema_has_a_label():
    assert set(QUESTION_LABELS) == set(FIELDS)


def test_every_list_answer_with_kinds_has_a_table():
    kinds = {key for key, fields in ITEM_FIELDS.items() if "type" in fields}
    assert kinds <= set(KIND_LABELS)


def test_labels_in_swedish_and_in_the_active_language():
    with translation.override("sv"):
        assert label("incomes") == "Inkomster"
        assert label("incomes.salary") == "Lön efter skatt"
        assert label("costs.rent") == "Hyra eller avgift för bostaden"
        assert label("source.register:fk") == "Försäkringskassan"
    with translation.override("en"):
        assert label("incomes") == "Income"
        assert label("extra_needs.dental") != "Tandvård"


def test_an_unknown_kind_is_its_tables_other_and_an_unknown_key_is_an_error():
    with translation.override("sv"):
        assert label("incomes.lottery") == label("incomes.other")
        assert label("costs.moat") == "moat"  # costs have no "other": the kind is shown as it is
        assert label("source.carrier-pigeon") == label("source.citizen")
    with pytest.raises(KeyError):
        label("favourite_colour")


def test_the_wizard_asks_with_the_same_words():
    with translation.override("sv"):
        assert forms.HousingForm.base_fields["rent"].label == label("costs.rent")
        assert forms.AssetsForm.base_fields["bank"].label == label("assets.bank")
        assert forms.NeedsForm.base_fields["dental"].label == label("extra_needs.dental")
