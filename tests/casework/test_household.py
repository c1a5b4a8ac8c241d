"""From an application's answers to the calculation input: each adult's own history, a child's school."""

from __future__ import annotations

from bistand.casework.household import engine_input
from bistand.decisions.stored_input import for_engine
from bistand.intake.answers import Answers
from bistand.rules import calculate

APPLICANT = "199010292390"
NEW_SAMBO = "198001249286"
SIX_MONTHS = ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]


def test_a_new_sambo_does_not_take_over_the_households_jobbstimulans_months():
    values = {
        "month": "2026-10",
        "co_applicant": NEW_SAMBO,
        "children": [],
        "costs": [{"type": "rent", "amount": "7000"}],
        "incomes": [
            {"person": "applicant", "type": "salary", "amount": "4000"},
            {"person": "co_applicant", "type": "salary", "amount": "4000"},
        ],
    }
    data, _ = engine_input(
        Answers.decode(values),
        APPLICANT,
        SIX_MONTHS,
        "1287",
        person_months={APPLICANT: SIX_MONTHS, NEW_SAMBO: []},
    )
    assert data["members"][1]["assistance_months"] == []
    result = calculate(for_engine(data))
    left_out = [line.member for line in result.lines if line.rule == "income.jobbstimulans"]
    assert left_out == ["a"]  # 25 % of the applicant's salary only
    assert result.income_total == 7000
