"""The calculation in words a citizen can follow, in Swedish (default) or English.

The same text is meant for decisions and for Mina sidor: what each amount is, why it applies and which
law says so. Short sentences; every term of art is explained where it first appears. All wording is in
the `PHRASES` catalogue below, one entry per sentence, so a translation touches one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from bistand.rules import arabic
from bistand.rules.ages import BRACKET_WORDS
from bistand.rules.messages import month_name
from bistand.rules.model import Line, Member, Result
from bistand.rules.money import format_sek

_LAW_NAMES = {
    "SoL": ("socialtjänstlagen", "the Social Services Act"),
    "SoF": ("socialtjänstförordningen", "the Social Services Ordinance"),
    "SFB": ("socialförsäkringsbalken", "the Social Insurance Code"),
}
_REF = re.compile(r"^(SoL|SoF|SFB) \((\d{4}:\d+)\) (.+)$")
_PLACE = re.compile(r"^(\d+) kap\. (\d+(?: [a-z])?)(?:–(\d+))? §§?(?: första stycket (\d+))?$")

# (Swedish, English). Placeholders are filled with already formatted amounts, dates and words.
PHRASES: dict[str, tuple[str, str]] = {
    "title": ("Försörjningsstöd för {month}", "Income support (försörjningsstöd) for {month}"),
    "entitled": (
        "{You} har rätt till {amount} i försörjningsstöd för {month}.",
        "{You} are entitled to {amount} in income support for {month}.",
    ),
    "not_entitled": (
        "{You} har inte rätt till försörjningsstöd för {month}.",
        "{You} are not entitled to income support for {month}.",
    ),
    "intro": (
        "Försörjningsstöd är pengar till det som hushållet behöver för att leva, när de egna pengarna "
        "inte räcker. Vi räknar ut vad hushållet behöver. Sedan drar vi av hushållets inkomster.",
        "Income support is money for what the household needs to live on, when its own money is not "
        "enough. We work out what the household needs. Then we subtract the household's income.",
    ),
    "how": ("Så här har vi räknat:", "This is how we calculated it:"),
    "row_norm": ("Riksnormen", "The national norm"),
    "row_costs": ("Andra kostnader", "Other costs"),
    "row_income": ("Inkomster", "Income"),
    "row_result": ("Resultat", "Result"),
    # 1. the norm
    "norm_head": ("1. Riksnormen: {amount}", "1. The national norm (riksnorm): {amount}"),
    "norm_intro": (
        "Riksnormen är ett belopp som regeringen bestämmer för varje år. Den ska räcka till mat, kläder "
        "och skor, fritid och lek, hygien, telefon, dagstidning och förbrukningsvaror. Beloppet beror på "
        "hur många ni är i hushållet, hur gamla barnen är och om de äter lunch hemma.",
        "The national norm (riksnorm) is an amount the government sets for each year. It is meant to cover "
        "food, clothes and shoes, leisure and play, hygiene, phone, a daily newspaper and household "
        "supplies. The amount depends on how many people live in the household, how old the children are "
        "and whether they eat lunch at home.",
    ),
    "couple": ("Två vuxna som bor tillsammans: {amount}.", "Two adults living together: {amount}."),
    "single": ("En vuxen: {amount}.", "One adult: {amount}."),
    "child": ("Barnet {id}: {amount}.", "Child {id}: {amount}."),
    "child_age": (
        "Barnet är {age} år {day}. Därför gäller beloppet för barn {bracket}.",
        "The child is {age} years old on {day}. So the amount for children {bracket_en} applies.",
    ),
    "child_born": (
        "Barnet föddes {day} och räknas som under 1 år.",
        "The child was born on {day} and counts as under 1.",
    ),
    "birthday": (
        "Barnet fyller {next} år {day}. Men åldern räknas den första dagen i månaden, så beloppet gäller "
        "hela månaden.",
        "The child turns {next} on {day}. But age is counted on the first day of the month, so this "
        "amount applies to the whole month.",
    ),
    "youth": (
        "Ungdomar som är 19 eller 20 år räknas med här bara om de bor hemma och går i gymnasiet.",
        "Young people aged 19 or 20 are included here only if they live at home and attend upper "
        "secondary school.",
    ),
    "no_lunch": (
        "Barnet äter inte lunch hemma på vardagar, till exempel för att det äter i förskolan. Därför "
        "gäller det lägre beloppet för barn som inte äter lunch hemma.",
        "The child does not eat lunch at home on weekdays, for example because it eats at preschool. So "
        "the lower amount for children who do not eat lunch at home applies.",
    ),
    "part_month": (
        "Barnet bor i hushållet {days} av månadens {in_month} dagar. Därför räknar vi med "
        "{days}/{in_month} av {full}.",
        "The child lives in the household {days} of the month's {in_month} days. So we count "
        "{days}/{in_month} of {full}.",
    ),
    "common": (
        "Gemensamma kostnader för ett hushåll med {persons} personer: {amount}.",
        "Common costs for a household of {persons} people: {amount}.",
    ),
    "common_one": (
        "Gemensamma kostnader för ett hushåll med en person: {amount}.",
        "Common costs for a household of one person: {amount}.",
    ),
    "common_what": (
        "Det är sådant som hela hushållet delar, till exempel telefon, dagstidning och förbrukningsvaror.",
        "These are things the whole household shares, such as phone, newspaper and household supplies.",
    ),
    "common_large": (
        "För hushåll med fler än 7 personer lägger vi till {step} för varje person utöver sju. Det är "
        "skillnaden mellan hushåll med 6 och 7 personer: {seven} + {extra} × {step} = {full}.",
        "For households of more than 7 people we add {step} for each person above seven. That is the "
        "difference between households of 6 and 7 people: {seven} + {extra} × {step} = {full}.",
    ),
    "common_share": (
        "Hushållet har {persons} personer, och {members} av dem ingår i den här beräkningen. Därför "
        "räknar vi med {members}/{persons} av de gemensamma kostnaderna: {amount}.",
        "The household has {persons} people, and {members} of them are in this calculation. So we count "
        "{members}/{persons} of the common costs: {amount}.",
    ),
    "norm_rule": (
        "Regel: {law}, med beloppen för {year}{source}.",
        "Rule: {law}, with the amounts for {year}{source}.",
    ),
    # 2. costs
    "costs_head": ("2. Andra kostnader: {amount}", "2. Other costs: {amount}"),
    "costs_intro": (
        "Det här är kostnader som inte ingår i riksnormen. Vi har bedömt att de är rimliga och räknar "
        "med dem.",
        "These are costs that the national norm does not cover. We have found them reasonable and count "
        "them.",
    ),
    "costs_none": (
        "Vi räknar inte med några andra kostnader den här månaden.",
        "We count no other costs this month.",
    ),
    "rule": ("Regel: {law}.", "Rule: {law}."),
    # 3. incomes
    "income_head": ("3. Inkomster: {amount}", "3. Income: {amount}"),
    "income_intro": (
        "Försörjningsstöd betalas för det som hushållets egna pengar inte räcker till. Därför drar vi av "
        "hushållets inkomster efter skatt. Ibland räknas en del av en lön inte. Då står det nedan.",
        "Income support pays for what the household's own money does not cover. So we subtract the "
        "household's income after tax. Sometimes part of a salary is not counted. If so, it says so below.",
    ),
    "income_none": (
        "Hushållet har inga inkomster den här månaden.",
        "The household has no income this month.",
    ),
    "income": ("{label} ({who} {id}): {amount}.", "{label} ({who} {id}): {amount}."),
    "jobb_head": (
        "Jobbstimulans: {amount} av lönen räknas inte.",
        "Jobbstimulans (work incentive): {amount} of the salary is not counted.",
    ),
    "jobb_why": (
        "Hushållet fick försörjningsstöd sex månader i följd, från {run_from} till {run_to}. Därför "
        "räknar vi inte med {percent} procent av lönen under två år, från {from_} till {to}. Regeln finns "
        "för att det ska löna sig att arbeta. Vi räknar med {counted} av lönen.",
        "The household received income support for six months in a row, from {run_from} to {run_to}. So "
        "we do not count {percent} percent of the salary for two years, from {from_} to {to}. The rule is "
        "there so that working pays. We count {counted} of the salary.",
    ),
    "child_pay_head": (
        "Barnets egen lön: {amount} räknas inte.",
        "The child's own salary: {amount} is not counted.",
    ),
    "child_pay_why": (
        "Ett barn som bor hemma får tjäna upp till ett prisbasbelopp per år utan att stödet minskar. "
        "Prisbasbeloppet är ett belopp som regeringen bestämmer varje år. För {year} är gränsen {limit}.",
        "A child living at home may earn up to one prisbasbelopp a year without the support going down. "
        "The prisbasbelopp is an amount the government sets each year. For {year} the limit is {limit}.",
    ),
    "child_pay_earlier": (
        "Barnet har tjänat {earlier} tidigare i år. Det som är kvar av gränsen är {left}.",
        "The child has earned {earlier} earlier this year. What is left of the limit is {left}.",
    ),
    "child_pay_counted": (
        "Det som är över gränsen räknas som inkomst: {counted}.",
        "The part above the limit counts as income: {counted}.",
    ),
    # 4. result
    "result_head": ("4. Resultat", "4. Result"),
    "rounded": ("Vi avrundar till hela kronor: {amount}.", "We round to whole kronor: {amount}."),
    "exactly": (
        "Inkomsterna räcker precis till det som {you} behöver. Därför blir det inget försörjningsstöd.",
        "The income covers exactly what {you} need. So there is no income support.",
    ),
    "surplus": (
        "Inkomsterna är {amount} mer än det som {you} behöver. Därför har {you} inte rätt till "
        "försörjningsstöd för {month}.",
        "The income is {amount} more than {you} need. So {you} are not entitled to income support for "
        "{month}.",
    ),
    "note_head": ("Att tänka på:", "Please note:"),
    "who_applicant": ("sökande", "applicant"),
    "who_co_applicant": ("medsökande", "co-applicant"),
    "who_child": ("barnet", "child"),
}


def law(reference: str, lang: str = "sv") -> str:
    """A legal reference written out the way a reader meets it.

    `SoL (2025:400) 12 kap. 8 §` → `12 kap. 8 § socialtjänstlagen (2025:400)` (the usual Swedish order), or
    in English `chapter 12, section 8 of the Social Services Act (socialtjänstlagen, 2025:400)`.
    """
    match = _REF.match(reference)
    if not match:
        return reference
    short, number, place = match.groups()
    sv, en = _LAW_NAMES[short]
    if lang != "en":
        return f"{place} {sv} ({number})"
    parts = _PLACE.match(place)
    if not parts:
        return f"{en} ({sv}, {number}), {place}"
    chapter, section, section_to, point = parts.groups()
    where = f"chapter {chapter}, section{'s' if section_to else ''} {section}"
    if section_to:
        where += f"–{section_to}"
    if point:
        where += f", first paragraph, point {point}"
    return f"{where} of {en} ({sv}, {number})"


def _month_year(d: date, lang: str) -> str:
    return f"{month_name(d.month, lang)} {d.year}"


def _day(d: date, lang: str) -> str:
    if lang in ("en", "ar"):
        return f"{d.day} {month_name(d.month, lang)} {d.year}"
    return f"den {d.day} {month_name(d.month, lang)} {d.year}"


class _Writer:
    """Collects lines; `say` looks a phrase up in the catalogue and fills it in."""

    def __init__(self, lang: str, you: str) -> None:
        self.lang = lang
        self.lines: list[str] = []
        self.you = you

    def phrase(self, key: str, **values: Any) -> str:
        sv, en = PHRASES[key]
        values.setdefault("you", self.you)
        values.setdefault("You", self.you.capitalize())
        template = arabic.PHRASES[key] if self.lang == "ar" else en if self.lang == "en" else sv
        return template.format(**values)

    def say(self, key: str, indent: str = "", **values: Any) -> None:
        self.lines.append(indent + self.phrase(key, **values))

    def blank(self) -> None:
        self.lines.append("")


def explain(result: Result, lang: str | None = None) -> str:
    """The whole calculation as plain text in `lang` ("sv", "en" or "ar"; default the result's language)."""
    lang = lang or result.lang
    household = result.household
    couple = sum(1 for m in household.members if m.role != "child") == 2
    you = ("ni" if couple else "du") if lang != "en" else "you"
    w = _Writer(lang, you)

    def kr(amount: Decimal) -> str:
        return format_sek(amount, lang)

    month = _month_year(household.month, lang)
    w.say("title", month=month)
    w.blank()
    w.say(
        "entitled" if result.entitlement > 0 else "not_entitled", amount=kr(result.entitlement), month=month
    )
    w.say("intro")
    w.blank()
    w.say("how")
    rows = [
        (w.phrase("row_norm"), "  ", result.norm_total),
        (w.phrase("row_costs"), "+ ", result.costs_total),
        (w.phrase("row_income"), "− ", result.income_total),
        (w.phrase("row_result"), "= ", result.deficit),
    ]
    width = max(len(label) for label, _, _ in rows) + 4
    for label, sign, amount in rows:
        w.lines.append(f"  {sign}{label.ljust(width)}{kr(amount).rjust(14)}")
    w.blank()

    members = {m.id: m for m in household.members}
    by_section: dict[str, list[Line]] = {"norm": [], "costs": [], "income": []}
    for line in result.lines:
        by_section[line.section].append(line)

    # 1. the norm
    w.say("norm_head", amount=kr(result.norm_total))
    w.say("norm_intro")
    for line in by_section["norm"]:
        _norm_line(w, line, members, household.month, kr)
    table = result.norm_table
    w.say(
        "norm_rule",
        law=law(by_section["norm"][0].reference, lang),
        year=table["id"][-4:],
        source=f" ({table['source']})" if table["source"].startswith("SFS") else "",
    )
    w.blank()

    # 2. costs
    w.say("costs_head", amount=kr(result.costs_total))
    if by_section["costs"]:
        w.say("costs_intro")
        for line in by_section["costs"]:
            w.lines.append(f"  - {_label(line, lang)}: {kr(line.amount)}.")
        for ref in dict.fromkeys(line.reference for line in by_section["costs"]):
            w.say("rule", law=law(ref, lang))
    else:
        w.say("costs_none")
    w.blank()

    # 3. incomes
    w.say("income_head", amount=kr(result.income_total))
    if by_section["income"]:
        w.say("income_intro")
        for line in by_section["income"]:
            _income_line(w, line, result, members[line.member], kr)
        w.say("rule", law=law(by_section["income"][0].reference, lang))
    else:
        w.say("income_none")
    w.blank()

    # 4. result
    w.say("result_head")
    norm, costs, income = kr(result.norm_total), kr(result.costs_total), kr(result.income_total)
    w.lines.append(f"{norm} + {costs} − {income} = {kr(result.deficit)}.")
    if result.deficit > 0:
        if result.entitlement != result.deficit:
            w.say("rounded", amount=kr(result.entitlement))
        if result.entitlement > 0:
            w.say("entitled", amount=kr(result.entitlement), month=month)
        else:  # less than 50 öre rounds to nothing
            w.say("not_entitled", month=month)
    elif result.deficit == 0:
        w.say("exactly")
    else:
        w.say("surplus", amount=kr(-result.deficit), month=month)

    if result.warnings:
        w.blank()
        w.say("note_head")
        for warning in result.warnings:
            w.lines.append(f"  - {warning}")
    return "\n".join(w.lines) + "\n"


def _label(line: Line, lang: str) -> str:
    if lang == "ar":
        return arabic.LABELS.get(line.rule, line.label)
    return line.label_en if lang == "en" else line.label


def _norm_line(w: _Writer, line: Line, members: dict[str, Member], month: date, kr: Callable) -> None:
    lang = w.lang
    d = line.details
    if line.rule.startswith("riksnorm.adults"):
        w.say("couple" if line.rule.endswith("couple") else "single", "  - ", amount=kr(line.amount))
        return
    if line.rule.startswith("riksnorm.children"):
        member = members[line.member]
        age = d["age"]
        w.say("child", "  - ", id=member.id, amount=kr(line.amount))
        if member.birth_date > month:
            w.say("child_born", "    ", day=_day(member.birth_date, lang))
        else:
            words = BRACKET_WORDS[d["bracket"]]
            bracket = words["ar"] if lang == "ar" else words["sv"]
            w.say(
                "child_age", "    ", age=age, day=_day(month, lang), bracket=bracket, bracket_en=words["en"]
            )
            birthday = _birthday_in_month(member.birth_date, month)
            if birthday is not None:
                w.say("birthday", "    ", next=age + 1, age=age, day=_day(birthday, lang))
        if age >= 19:
            w.say("youth", "    ")
        if line.rule.endswith("without_lunch"):
            w.say("no_lunch", "    ")
        if "days" in d:
            w.say(
                "part_month", "    ", days=d["days"], in_month=d["days_in_month"], full=kr(d["full_amount"])
            )
        return
    persons = d["persons"]
    full = kr(d.get("full_amount", line.amount))
    w.say("common_one" if persons == 1 else "common", "  - ", persons=persons, amount=full)
    w.say("common_what", "    ")
    if "per_extra_person" in d:
        step = kr(d["per_extra_person"])
        w.say("common_large", "    ", step=step, seven=kr(d["common_7"]), extra=persons - 7, full=full)
    if "case_members" in d:
        w.say("common_share", "    ", persons=persons, members=d["case_members"], amount=kr(line.amount))


def _income_line(w: _Writer, line: Line, result: Result, member: Member, kr: Callable) -> None:
    lang = w.lang
    d = line.details
    if line.rule == "income.jobbstimulans":
        status = result.jobbstimulans_for(line.member)
        w.say("jobb_head", "    ", amount=kr(-line.amount))
        w.say(
            "jobb_why",
            "    ",
            run_from=_month_year(status.run_first, lang),
            run_to=_month_year(status.run_last, lang),
            percent=f"{d['percent'].normalize():f}",
            from_=_month_year(status.period_first, lang),
            to=_month_year(status.period_last, lang),
            counted=kr(d["salary"] + line.amount),
        )
        w.say("rule", "    ", law=law(line.reference, lang))
        return
    if line.rule == "income.child_salary_exemption":
        w.say("child_pay_head", "    ", amount=kr(-line.amount))
        w.say("child_pay_why", "    ", year=result.household.month.year, limit=kr(d["yearly_limit"]))
        if d["earned_earlier_this_year"] > 0:
            w.say(
                "child_pay_earlier",
                "    ",
                earlier=kr(d["earned_earlier_this_year"]),
                left=kr(d["remaining_before"]),
            )
        if d["counted"] > 0:
            w.say("child_pay_counted", "    ", counted=kr(d["counted"]))
        w.say("rule", "    ", law=law(line.reference, lang))
        return
    who = w.phrase(f"who_{member.role}")
    w.say("income", "  - ", label=_label(line, lang), who=who, id=member.id, amount=kr(line.amount))


def _birthday_in_month(birth: date, month: date) -> date | None:
    """The birthday inside `month` after its first day, if there is one (then the age changes mid-month)."""
    if birth.month != month.month or birth.day == 1 or birth.year >= month.year:
        return None
    try:
        return month.replace(day=birth.day)
    except ValueError:  # 29 February in a year without it: the birthday is 1 March
        return None
