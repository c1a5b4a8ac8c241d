"""The public riksnorm table names its age brackets with the rules' own words, in the reader's language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from bistand.oversight.transparency import norm_overview
from bistand.rules.ages import BRACKETS, bracket_words

DAY = datetime.date(2026, 12, 4)


@pytest.mark.parametrize("lang", ["sv", "en", "ar"])
def test_the_norm_table_names_each_bracket_as_the_rules_do(lang):
    with translation.override(lang):
        overview = norm_overview(DAY)
    assert overview is not None
    assert [row[0] for row in overview.children] == [bracket_words(key, lang) for key in BRACKETS]
    assert [row[1].label for row in overview.children] == [bracket_words(key, lang) for key in BRACKETS]
