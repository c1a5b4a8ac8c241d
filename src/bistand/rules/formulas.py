"""Every rule of the calculation that makes an amount, written once, in whole öre.

Each formula takes plain integers (one household: the single path in `engine`) or NumPy integer arrays
(many households: `batch`) and gives the same answer for both, because it uses only `+ - * //`,
comparisons, `&` and `where`. The engine adds the explanation (labels, parameters, law) around the amounts
these formulas compute; the batch path applies them to columns. A rule changed here changes both paths and
the explanation alike (tests/rules/test_one_definition.py). Amounts are integers of öre: exact, never floats.

Rounding is half up, as `money.round_ore` and `money.round_krona` do; every amount rounded is non-negative.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bistand.rules.ages import LUNCH_AGE_LIMIT

# A number of öre, or an array of them; a flag, or an array of flags.
Ore = Any
Flag = Any


def where(condition: Flag, if_true: Ore, if_false: Ore) -> Ore:
    """`if_true` where `condition` holds, else `if_false`: for one value or element-wise for arrays."""
    if type(condition) is bool:
        return if_true if condition else if_false
    return np.where(condition, if_true, if_false)


def half_up_div(numerator: Ore, denominator: Ore) -> Ore:
    """numerator / denominator rounded half up, for non-negative integers (exact)."""
    return (2 * numerator + denominator) // (2 * denominator)


# --- the norm (SoF 2001:937 2 kap. 1 §) ----------------------------------------------------------


def adults_norm(couple: Flag, single_amount: Ore, couple_amount: Ore) -> Ore:
    """Personal costs of the adults: the couple's amount for two adults, else the single adult's."""
    return where(couple, couple_amount, single_amount)


def without_lunch(lunch_away: Flag, age: Ore) -> Flag:
    """Whether the child's "ej lunch 5 dagar/vecka" amount applies: lunch away and aged 6 or under."""
    return lunch_away & (age <= LUNCH_AGE_LIMIT)


def child_norm(full: Ore, days: Ore, days_in_month: Ore) -> Ore:
    """A child's personal costs; part of the month with the other parent by days (SOSFS 2013:1).

    `days` is 0 for the whole month.
    """
    return where(days > 0, half_up_div(full * days, days_in_month), full)


def common_costs(persons: Ore, common_capped: Ore, common_7: Ore, common_6: Ore) -> Ore:
    """Common household costs for `persons` people; `common_capped` is the table's amount for
    min(persons, 7). Above seven each extra person adds common(7) − common(6) (SoF 2 kap. 1 §)."""
    return common_capped + (persons > 7) * (persons - 7) * (common_7 - common_6)


def common_share(common: Ore, case_members: Ore, persons: Ore) -> Ore:
    """The case's share of a larger shared household's common costs: common × members / persons."""
    return where(case_members == persons, common, half_up_div(common * case_members, persons))


# --- incomes (SoL 12 kap. 1, 8, 9 §§) -------------------------------------------------------------


def jobbstimulans_left_out(salary: Ore, share_numerator: Ore, share_denominator: Ore) -> Ore:
    """The part of an adult's salary not counted while their jobbstimulans period runs (12 kap. 8 §)."""
    return half_up_div(salary * share_numerator, share_denominator)


def child_salary_exempt(salary: Ore, yearly_limit: Ore, earned_before: Ore) -> Ore:
    """The part of a child's salary not counted: up to what is left of the yearly limit (12 kap. 9 §).

    `earned_before` is what the child earned earlier in the calendar year, including earlier incomes of
    the same month in the same application.
    """
    remaining = yearly_limit - earned_before
    exempt = where(salary < remaining, salary, remaining)
    return where(exempt > 0, exempt, 0)


# --- the result ----------------------------------------------------------------------------------


def deficit(norm: Ore, costs: Ore, income: Ore) -> Ore:
    """What the household lacks: norm + costs − counted income (may be negative)."""
    return norm + costs - income


def entitlement(shortfall: Ore) -> Ore:
    """The försörjningsstöd: a positive deficit rounded half up to whole kronor, else nothing."""
    return where(shortfall > 0, (shortfall + 50) // 100 * 100, 0)


def capped(amount: Ore, cap: Ore) -> Ore:
    """A policy variant's cap on the försörjningsstöd of a household in a month (simulation only)."""
    return where(amount > cap, cap, amount)
