"""The calculation of försörjningsstöd: one pure function, `calculate`.

    norm     = personal costs of every member (riksnorm, by age bracket, lunch, single or couple)
             + the case's share of the common household costs            SoF (2001:937) 2 kap. 1 §
    costs    = the reasonable costs                                        SoL 12 kap. 7 § p. 2, 12 kap. 1 §
    income   = every net income − jobbstimulans − children's exempt salary SoL 12 kap. 1, 8, 9 §§
    deficit  = norm + costs − income; entitlement = max(0, deficit) rounded half up to whole kronor

No Django, no I/O: the same household and parameters always give the same result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from bistand.rules import formulas
from bistand.rules.ages import BRACKET_INDEX_BY_AGE, BRACKET_WORDS, BRACKETS, bracket_words
from bistand.rules.household_input import checked_household
from bistand.rules.messages import message
from bistand.rules.model import (
    COST_TYPES,
    INCOME_TYPES,
    Household,
    Income,
    JobbstimulansStatus,
    Line,
    Member,
    Result,
)
from bistand.rules.money import ZERO, from_ore, to_ore
from bistand.rules.parameters import (
    MonthParameters,
    NormTable,
    ParameterSet,
    ParamValue,
    default_parameters,
)
from bistand.rules.reform import calculation_rules_in_force, calculation_warnings
from bistand.rules.validation import FieldError, InvalidInput

ADULT_ROLES = ("applicant", "co_applicant")


def calculate(
    household: Household | Mapping[str, Any],
    params: ParameterSet | None = None,
    lang: str = "sv",
) -> Result:
    """Calculate försörjningsstöd for one household and month.

    `household` is either a validated `Household` or the contract's JSON-shaped input (a dict), which is
    validated first; invalid input raises `InvalidInput` with field-level errors. `lang` ("sv" or "en")
    is the language of warnings and errors; line labels are always given in both.
    """
    params = params or default_parameters()
    if not isinstance(household, Household):
        household = checked_household(household, params, lang)
    mp = params.at(household.month)
    used: list[str] = []  # the table amounts behind the norm, by parameter name
    unverified: list[str] = []

    # The totals only: the lines (labels, law, details), the warnings, the table summary and the Decimal
    # amounts are made when someone reads them (`Result`), by the same functions, so the explanation cannot
    # differ from the amounts.
    norm_total = household_norm(household, mp, None, unverified, used)
    costs_total = reasonable_costs(household, mp, None)
    statuses = {}
    applicant = _NO_HISTORY
    children = 0
    history: Sequence[date] | None = None
    for m in household.members:
        if m.role == "child":
            children += 1
            continue
        months = assistance_history(household, m)
        if months is not history:  # two adults on the household's list: worked out once
            history = months
            status = jobbstimulans_status(household.month, months, mp)
        statuses[m.id] = status
        if m.role == "applicant":
            applicant = status
    income_total = counted_income(household, mp, statuses, None)

    shortfall = formulas.deficit(norm_total, costs_total, income_total)
    verified = not unverified
    # Positional, in the fields' order (half the cost of keywords for a dataclass's __init__).
    return Result(
        mp.month_label,  # month
        norm_total,  # norm_ore
        costs_total,  # costs_ore
        income_total,  # income_ore
        shortfall,  # deficit_ore
        formulas.entitlement(shortfall),  # entitlement_ore
        lambda: warnings_of(household, mp, unverified, children, lang),  # warnings_maker
        applicant,  # jobbstimulans: the applicant's
        household,
        lang,
        statuses,  # jobbstimulans_by_member
        lambda: lines_of(household, mp, statuses),  # line_maker
        lambda: norm_table_summary(mp.table, verified, tuple(used)),  # norm_table_maker
    )


def warnings_of(
    household: Household, mp: MonthParameters, unverified: list[str], children: int, lang: str
) -> list[str]:
    """The result's warnings: ignored input, amounts not verified, and the bidragsreform's rules that this
    household visibly meets (rules.reform): named, never applied."""
    warnings = _warnings(household, mp, unverified, lang)
    if calculation_rules_in_force(household.month):
        beyond_norm = tuple(c.type for c in household.costs if not COST_TYPES[c.type][2])
        warnings += calculation_warnings(household.month, children, beyond_norm, lang)
    return warnings


def norm_table_summary(table: NormTable, verified: bool, used: tuple[str, ...]) -> dict[str, Any]:
    """The result's `norm_table`: the table, whether the amounts used are verified, and the weakest
    reliability among them."""
    return {
        "id": table.id,
        "source": table.source_label,
        "verified": verified,
        "table_verified": table.fully_verified,
        "reliability": table.weakest_reliability(used),
        "valid_from": table.valid_from.isoformat(),
        "source_url": table.source,
    }


def lines_of(
    household: Household, mp: MonthParameters, statuses: Mapping[str, JobbstimulansStatus]
) -> list[Line]:
    """Every line of the calculation: the amounts of `calculate`, each with its label, rule and law."""
    lines: list[Line] = []
    household_norm(household, mp, lines, [], [])
    reasonable_costs(household, mp, lines)
    counted_income(household, mp, statuses, lines)
    return lines


# --- the norm -----------------------------------------------------------------------------------


def household_norm(
    household: Household,
    mp: MonthParameters,
    lines: list[Line] | None,
    unverified: list[str],
    used: list[str] | None = None,
) -> int:
    """The riksnorm for the case in öre: personal costs of every member plus its share of common costs.

    Adds one line per amount to `lines` (unless it is None: the totals only) and returns their sum.
    `unverified` collects the parameter names of amounts that are not confirmed against the official
    table, `used` those of every amount. The amounts come from `formulas`.
    """
    if used is None:
        used = []
    table = mp.table
    amounts = mp.amounts
    cells = table.named_cells  # the parameter names, made once per table
    ref = mp.references.get("norm", table.reference) if lines is not None else ""  # for the lines only
    adults = [m for m in household.members if m.role in ADULT_ROLES]
    couple = len(adults) == 2
    kind = "couple" if couple else "single"
    name, verified = cells.adults[kind]
    if not verified:
        unverified.append(name)
    total = formulas.adults_norm(couple, amounts.single, amounts.couple)
    used.append(name)
    if lines is not None:
        if couple:
            label, label_en = "Personliga kostnader, sammanboende", "Personal costs, couple"
        else:
            label, label_en = "Personliga kostnader, ensamstående", "Personal costs, single adult"
        lines.append(
            Line(
                "norm",
                "+".join(a.id for a in adults),
                label,
                label_en,
                from_ore(total),
                f"riksnorm.adults.{kind}",
                ref,
                name,
                verified,
            )
        )

    days_in_month = 0
    for member in household.members:
        if member.role != "child":
            continue
        index = BRACKET_INDEX_BY_AGE[member.age]
        away = formulas.without_lunch(not member.lunch_at_home, member.age)
        if away:
            full = amounts.without_lunch[index]
            name, verified = cells.without_lunch[index]
        else:
            full = amounts.with_lunch[index]
            name, verified = cells.with_lunch[index]
        if member.days_in_household is None:
            amount = full
        else:
            # Part of the month with the other parent: the personal cost by days (SOSFS 2013:1).
            days_in_month = mp.days
            amount = formulas.child_norm(full, member.days_in_household, days_in_month)
        if not verified:
            unverified.append(name)
        used.append(name)
        total += amount
        if lines is not None:
            bracket = BRACKETS[index]
            value = (table.without_lunch if away else table.with_lunch)[bracket]
            lines.append(_child_line(member, bracket, away, amount, value, name, ref, days_in_month))

    return total + _common_costs(household, mp, ref, lines, unverified, used)


def _child_line(
    member: Member,
    bracket: str,
    away: bool,
    amount: int,
    value: ParamValue,
    name: str,
    ref: str,
    days_in_month: int,
) -> Line:
    """A child's norm line: the age bracket in words, lunch, and the days when part of the month."""
    words = BRACKET_WORDS[bracket]
    sv_age, en_age = words["sv"], words["en"]
    if away:
        rule = "riksnorm.children.without_lunch"
        label = f"Personliga kostnader, barn {sv_age}, ej lunch 5 dagar/vecka"
        label_en = f"Personal costs, child {en_age}, no lunch at home on weekdays"
    else:
        rule = "riksnorm.children"
        label = f"Personliga kostnader, barn {sv_age}"
        label_en = f"Personal costs, child {en_age}"
    details: dict[str, Any] = {"age": member.age, "bracket": bracket}
    if member.days_in_household is not None:
        label += f", {member.days_in_household} av {days_in_month} dagar"
        label_en += f", {member.days_in_household} of {days_in_month} days"
        details.update(days=member.days_in_household, days_in_month=days_in_month, full_amount=value.amount)
    return Line(
        "norm", member.id, label, label_en, from_ore(amount), rule, ref, name, value.verified, details
    )


def _common_costs(
    household: Household,
    mp: MonthParameters,
    ref: str,
    lines: list[Line] | None,
    unverified: list[str],
    used: list[str],
) -> int:
    """Common household costs for the household size, or the case's share of them, in öre.

    A case in a larger shared household (hushållsgemenskap) carries common(size) × members / size;
    for one adult on their own this is the förordning's "kvoten av de gemensamma kostnaderna".
    """
    table = mp.table
    common = mp.amounts.common
    size = household.household_size
    members = len(household.members)
    base = formulas.common_costs(size, common[min(size, 7)], common[7], common[6])
    name, verified = table.named_cells.common[min(size, 8)]
    if not verified:
        unverified.append(name)
    used.append(name)
    amount = formulas.common_share(base, members, size)
    if lines is None:
        return amount
    if size <= 7:
        details: dict[str, Any] = {"persons": size}
    else:
        step = table.common[7].amount - table.common[6].amount
        details = {"persons": size, "common_7": table.common[7].amount, "per_extra_person": step}
    if members == size:
        lines.append(
            Line(
                "norm",
                "household",
                f"Gemensamma hushållskostnader, {size} personer",
                f"Common household costs, {size} people",
                from_ore(amount),
                "riksnorm.common",
                ref,
                name,
                verified,
                details,
            )
        )
        return amount
    details.update(case_members=members, full_amount=from_ore(base))
    lines.append(
        Line(
            "norm",
            "household",
            f"Andel av gemensamma hushållskostnader, {members} av {size} personer",
            f"Share of common household costs, {members} of {size} people",
            from_ore(amount),
            "riksnorm.common.share",
            ref,
            name,
            verified,
            details,
        )
    )
    return amount


# --- costs --------------------------------------------------------------------------------------


def reasonable_costs(household: Household, mp: MonthParameters, lines: list[Line] | None) -> int:
    """The costs found reasonable, as given, in öre (SoL 12 kap. 7 § första stycket 2 and 12 kap. 1 §)."""
    total = 0
    refs = mp.references
    for cost in household.costs:
        if lines is not None:
            label, label_en, statutory = COST_TYPES[cost.type]
            ref = refs["statutory_costs"] if statutory else refs["other_costs"]
            lines.append(Line("costs", "household", label, label_en, cost.amount, f"costs.{cost.type}", ref))
        total += to_ore(cost.amount)
    return total


# --- incomes ------------------------------------------------------------------------------------


class _MonthNumbers(dict[date, int]):
    """Months counted from year 0 (year × 12 + month − 1), by date: read in C once a month is known."""

    def __missing__(self, day: date) -> int:
        n = day.year * 12 + day.month - 1
        if len(self) < 200_000:  # months of valid histories are few; bounded for hand-built households
            self[day] = n
        return n


_MONTH_NUMBERS = _MonthNumbers()


def _from_ordinal(n: int) -> date:
    return date(n // 12, n % 12 + 1, 1)


_NOT_IN_FORCE = JobbstimulansStatus(applies=False, in_force=False)
_NO_HISTORY = JobbstimulansStatus(applies=False)


def assistance_history(household: Household, member: Member) -> tuple[date, ...]:
    """The months with försörjningsstöd that count for one adult's jobbstimulans.

    The person's own months (in any case) when given; otherwise the household's list, which the contract
    keeps for one version (deprecated: it gives a new sambo the household's months).
    """
    if member.assistance_months is not None:
        return member.assistance_months
    return household.assistance_months


def jobbstimulans_status(
    month: date, assistance_months: Sequence[date], mp: MonthParameters
) -> JobbstimulansStatus:
    """Whether jobbstimulans applies in `month`, derived from the months with försörjningsstöd before it.

    SoL 12 kap. 8 §: six consecutive months of försörjningsstöd start a two-year period, from the month
    after the sixth month, whether or not assistance continues. Months inside a period do not count
    towards a new run: after the period a new run of six consecutive months is needed.
    """
    rule = mp.jobbstimulans
    if rule is None:
        return _NOT_IN_FORCE
    if not assistance_months:
        return _NO_HISTORY
    need, length = mp.jobbstimulans_months
    if len(assistance_months) < need:
        return _NO_HISTORY  # no run of `need` months can be among fewer months
    target = month.year * 12 + month.month - 1
    period_end = -1
    run = 0
    previous = -2
    last: tuple[int, int, int, int] | None = None  # run first, run last, period first, period last
    for n in map(_MONTH_NUMBERS.__getitem__, assistance_months):
        if n >= target:
            break
        if n <= period_end:
            continue
        run = run + 1 if n == previous + 1 else 1
        previous = n
        if run == need:
            last = (n - need + 1, n, n + 1, n + length)
            period_end = n + length
            run = 0
            previous = -2
    if last is None:
        return _NO_HISTORY
    return _status(last, last[2] <= target <= last[3])


@lru_cache(maxsize=4096)  # few distinct values (a period per month and whether it applies): made once each
def _status(last: tuple[int, int, int, int], applies: bool) -> JobbstimulansStatus:
    """The status for a period (month numbers: run first, run last, period first, period last)."""
    return JobbstimulansStatus(
        applies=applies,
        run_first=_from_ordinal(last[0]),
        run_last=_from_ordinal(last[1]),
        period_first=_from_ordinal(last[2]),
        period_last=_from_ordinal(last[3]),
    )


def counted_income(
    household: Household,
    mp: MonthParameters,
    statuses: Mapping[str, JobbstimulansStatus],
    lines: list[Line] | None,
) -> int:
    """Every net income, less the parts the law leaves out. Returns the income that counts, in öre.

    Each income is one line at its full amount; a part left out follows it as a negative line, so the
    income lines always sum to the total:
    - jobbstimulans: 25 % of an adult's salary while that adult's own period runs (SoL 12 kap. 8 §);
    - a child's own salary, up to one prisbasbelopp per calendar year (SoL 12 kap. 9 §), using what the
      child earned earlier in the year. Jobbstimulans never applies to a child's income.
    """
    if not household.incomes:
        return 0
    roles = {m.id: m.role for m in household.members}
    ref_income = mp.references["income"] if lines is not None else ""  # for the lines only
    total = 0
    child_earned: dict[str, int] = {}
    for income in household.incomes:
        role = roles[income.member]
        if lines is not None:
            label, label_en = INCOME_TYPES[income.type]
            lines.append(
                Line(
                    "income",
                    income.member,
                    label,
                    label_en,
                    income.amount,
                    f"income.{income.type}",
                    ref_income,
                )
            )
        amount = to_ore(income.amount)
        total += amount
        if income.type != "salary":
            continue
        if role == "child":
            total -= _child_salary_exemption(income, amount, mp, child_earned, lines)
        elif statuses[income.member].applies and mp.jobbstimulans is not None:
            rule = mp.jobbstimulans
            share = rule.values["share"]
            left_out = formulas.jobbstimulans_left_out(amount, *mp.amounts.jobbstimulans_share)
            total -= left_out
            if left_out and lines is not None:
                lines.append(
                    Line(
                        "income",
                        income.member,
                        "Jobbstimulans: del av lönen som inte räknas",
                        "Jobbstimulans: part of the salary not counted",
                        -from_ore(left_out),
                        "income.jobbstimulans",
                        rule.reference or "",
                        "jobbstimulans.share",
                        rule.verified,
                        {"percent": share * 100, "salary": income.amount},
                    )
                )
    return total


def _child_salary_exemption(
    income: Income, amount: int, mp: MonthParameters, child_earned: dict[str, int], lines: list[Line] | None
) -> int:
    """The part of a child's salary that is not counted, in öre; adds its (negative) line."""
    pbb = mp.prisbasbelopp
    if pbb is None:  # only reachable with a Household built by hand; `validate` reports it per field
        raise InvalidInput([FieldError("incomes", "prisbasbelopp_missing", year=mp.month.year)])
    limit = mp.amounts.child_limit
    earlier = to_ore(income.earned_earlier_this_year or ZERO) + child_earned.get(income.member, 0)
    child_earned[income.member] = child_earned.get(income.member, 0) + amount
    exempt = formulas.child_salary_exempt(amount, limit, earlier)
    if lines is None:
        return exempt
    rule = mp.child_exemption
    details = {
        "prisbasbelopp": pbb.values["value"],
        "yearly_limit": mp.child_exemption_limit,
        "earned_earlier_this_year": from_ore(earlier),
        "remaining_before": from_ore(max(limit - earlier, 0)),
        "counted": from_ore(amount - exempt),
    }
    lines.append(
        Line(
            "income",
            income.member,
            "Barns egen lön som inte räknas",
            "Child's own salary not counted",
            -from_ore(exempt),
            "income.child_salary_exemption",
            rule.reference or "",
            f"prisbasbelopp.{mp.month.year}",
            pbb.verified and rule.verified,
            details,
        )
    )
    return exempt


# --- warnings -----------------------------------------------------------------------------------

_CELL_NAMES = {
    "adults.single": ("ensamstående", "single adult"),
    "adults.couple": ("sammanboende", "couple"),
}


def _cell_label(name: str, lang: str) -> str:
    # name: riksnorm.YEAR.group.key[, …]
    first = name.split(",")[0].strip()
    _, _, group, key = first.split(".", 3)
    sv_en = _CELL_NAMES.get(f"{group}.{key}")
    if sv_en:
        return sv_en[lang == "en"]
    if group == "children":
        return ("barn " if lang != "en" else "child ") + bracket_words(key, "en" if lang == "en" else "sv")
    if group == "children_without_lunch":
        sv, en = bracket_words(key, "sv"), bracket_words(key, "en")
        return f"barn {sv} ej lunch" if lang != "en" else f"child {en} without lunch"
    if "," in name:
        return "gemensamma kostnader 6 och 7 personer" if lang != "en" else "common costs 6 and 7 people"
    return f"gemensamma kostnader {key} personer" if lang != "en" else f"common costs {key} people"


_WARNING_CACHE: dict[tuple[str, int, tuple[str, ...], str], str] = {}


def _unverified_warning(table: NormTable, unverified: tuple[str, ...], lang: str) -> str:
    """The warning for unverified amounts; the same few texts recur, so they are made once."""
    key = (table.origin, table.year, unverified, lang)
    text = _WARNING_CACHE.get(key)
    if text is None:
        cells = table.cell_map
        by_tag: dict[str, list[str]] = {}  # each source's reason, with the amounts it covers
        for name in unverified:
            tag = cells[name.split(",")[0].strip()].source_tag
            label = _cell_label(name, lang)
            if label not in by_tag.setdefault(tag, []):
                by_tag[tag].append(label)
        reasons = " ".join(
            f"{message(f'reason_{tag}', lang).rstrip('.')}: {', '.join(labels)}."
            for tag, labels in sorted(by_tag.items(), key=lambda item: "ABC?D".index(item[0]))
        )
        text = message("unverified_norm", lang, year=table.year, reasons=reasons)
        if len(_WARNING_CACHE) > 10_000:
            _WARNING_CACHE.clear()
        _WARNING_CACHE[key] = text
    return text


def _child_earns(household: Household) -> bool:
    """Whether a child has a salary: the one case where the exemption (and its amounts) are used."""
    children = {m.id for m in household.members if m.role == "child"}
    return any(income.type == "salary" and income.member in children for income in household.incomes)


def _warnings(household: Household, mp: MonthParameters, unverified: list[str], lang: str) -> list[str]:
    warnings = [message(code, lang, **params) for code, params in household.notices]
    if unverified:
        warnings.append(_unverified_warning(mp.table, tuple(unverified), lang))
    pbb_verified = mp.prisbasbelopp is None or mp.prisbasbelopp.verified
    if not (pbb_verified and mp.child_exemption.verified) and _child_earns(household):
        for name, record in (
            ("Prisbasbeloppet", mp.prisbasbelopp),
            ("Regeln om barns lön", mp.child_exemption),
        ):
            if record is not None and not record.verified:
                shown = (
                    name
                    if lang != "en"
                    else {"Prisbasbeloppet": "The prisbasbelopp"}.get(name, "The rule on children's salary")
                )
                warnings.append(
                    message(
                        "unverified_record",
                        lang,
                        name=shown,
                        date=record.valid_from.isoformat(),
                        note=(record.note or "").strip(),
                    )
                )
    return warnings
