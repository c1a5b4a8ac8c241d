"""Messages a person understands, in Swedish (default), English and Arabic (`rules/arabic.py`).

Validation errors, notices about ignored input and warnings share one catalogue so that the command line,
the API and the explanation say the same thing in the same words.
"""

from __future__ import annotations

from typing import Any

LANGS = ("sv", "en", "ar")

SV_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

MESSAGES: dict[str, tuple[str, str]] = {
    # shape
    "not_object": (
        'Uppgifterna ska vara ett JSON-objekt, till exempel {{"month": "2021-03", "members": [...]}}.',
        'The input must be a JSON object, for example {{"month": "2021-03", "members": [...]}}.',
    ),
    "not_json": (
        "Uppgifterna går inte att läsa som JSON: {detail}.",
        "The input cannot be read as JSON: {detail}.",
    ),
    "required": ("Uppgiften saknas.", "This field is required."),
    "must_be_object": ("Ska vara ett objekt med fält.", "Must be an object with fields."),
    "must_be_list": ("Ska vara en lista.", "Must be a list."),
    "must_be_text": ("Ska vara text.", "Must be text."),
    "must_be_bool": ("Ska vara true (ja) eller false (nej).", "Must be true or false."),
    # month
    "month_format": (
        "Ange månaden som ÅÅÅÅ-MM, till exempel 2021-03.",
        "Give the month as YYYY-MM, for example 2021-03.",
    ),
    "month_too_early": (
        "Det finns ingen riksnorm för {month} i Bistånd. Den första månaden som kan beräknas är {first}.",
        "Bistånd has no riksnorm (national norm) for {month}. The first month that can be calculated "
        "is {first}.",
    ),
    "month_too_late": (
        "Riksnormen för {year} finns inte i Bistånd ännu. Det senaste året är {last}. "
        "Regeringen beslutar om nästa års norm i november; kommunen lägger in den med "
        "kommandot bistand norm import.",
        "The riksnorm (national norm) for {year} is not in Bistånd yet. The latest year is {last}. "
        "The government sets next year's norm in November; the municipality loads it with "
        "the command bistand norm import.",
    ),
    "municipality_format": (
        "Kommunkoden ska vara fyra siffror, till exempel 1287.",
        "The municipality code must be four digits, for example 1287.",
    ),
    # members
    "members_empty": (
        "Hushållet måste ha minst en person: den som söker.",
        "The household must have at least one person: the applicant.",
    ),
    "member_id": (
        'Varje person behöver ett id, till exempel "a".',
        'Every person needs an id, for example "a".',
    ),
    "member_id_duplicate": (
        'Id "{id}" används redan för en annan person. Varje person ska ha ett eget id.',
        'The id "{id}" is already used for another person. Every person needs their own id.',
    ),
    "role_invalid": (
        "Rollen måste vara applicant (sökande), co_applicant (make, maka, registrerad partner eller sambo) "
        "eller child (barn).",
        "The role must be applicant, co_applicant (spouse, registered partner or cohabitant) or child.",
    ),
    "applicant_missing": (
        "Hushållet måste ha en sökande (role: applicant).",
        "The household must have an applicant (role: applicant).",
    ),
    "applicant_many": (
        "Det kan bara finnas en sökande. En make, maka, registrerad partner eller sambo anges som "
        "medsökande (co_applicant).",
        "There can be only one applicant. A spouse, registered partner or cohabitant is a co-applicant "
        "(co_applicant).",
    ),
    "co_applicant_many": (
        "Det kan bara finnas en medsökande (co_applicant).",
        "There can be only one co-applicant (co_applicant).",
    ),
    "birth_date_format": (
        "Ange födelsedatum som ÅÅÅÅ-MM-DD, till exempel 2016-05-01.",
        "Give the date of birth as YYYY-MM-DD, for example 2016-05-01.",
    ),
    "birth_date_future": (
        "Födelsedatumet är efter den månad som beräkningen gäller ({month}).",
        "The date of birth is after the month of the calculation ({month}).",
    ),
    "birth_date_too_early": (
        "Födelsedatumet {date} kan inte stämma. Ange ett datum från 1900-01-01.",
        "The date of birth {date} cannot be right. Give a date from 1900-01-01.",
    ),
    "adult_too_young": (
        "Den som söker eller är medsökande ska vara minst 18 år. Den här personen är {age} år. "
        "Ett barn finns med som barn (role: child) i vårdnadshavarens ansökan.",
        "The applicant or co-applicant must be at least 18. This person is {age}. "
        "A child is included as a child (role: child) in the guardian's application.",
    ),
    "in_school_not_young_adult": (
        "Uppgiften om gymnasiet gäller bara barn som har fyllt 18 men inte 21 år.",
        "School status applies only to a child aged 18 to 20.",
    ),
    "young_adult_own_case": (
        "En ungdom som fyllt 18 och inte går i gymnasiet räknas inte som barn i hushållets norm. "
        "Personen är {age} år och kan söka försörjningsstöd i ett eget ärende.",
        "A young person aged 18 or over who is not in upper-secondary school is not a child in the "
        "household's norm. This person is {age} and can apply for försörjningsstöd in a case of their own.",
    ),
    "assistance_months_adult": (
        "Månader med försörjningsstöd anges bara för vuxna (jobbstimulans gäller inte barns inkomster).",
        "Months with försörjningsstöd are given only for adults (jobbstimulans does not apply to children).",
    ),
    "school_unknown": (
        "Ange om ungdomen ({age} år) går i gymnasiet: in_school true eller false. Barnets norm och "
        "undantaget för barns lön gäller bara i gymnasiet. Är det inte känt tar en handläggare ställning.",
        "Say whether the young person (aged {age}) is in upper-secondary school: in_school true or false. "
        "The child's norm and the exemption of a child's salary apply only in school. If it is not known, "
        "a caseworker decides.",
    ),
    "child_too_old": (
        "Ett barn i beräkningen ska vara under 21 år den första dagen i månaden. "
        "Den här personen är {age} år. "
        "En vuxen är sökande, medsökande eller har ett eget ärende.",
        "A child in the calculation must be under 21 on the first day of the month. This person is {age}. "
        "An adult is the applicant, the co-applicant or has a case of their own.",
    ),
    "days_invalid": (
        "Ange antal dagar som ett heltal från 1 till {days} ({month_name} har {days} dagar).",
        "Give the number of days as a whole number from 1 to {days} ({month_name} has {days} days).",
    ),
    "days_not_child": (
        "Antal dagar i hushållet anges bara för barn som bor en del av månaden hos den andra föräldern.",
        "Days in the household apply only to a child who lives part of the month with the other parent.",
    ),
    # household size
    "household_size_int": (
        "Hushållets storlek ska vara ett heltal, till exempel 4.",
        "The household size must be a whole number, for example 4.",
    ),
    "household_size_small": (
        "Hushållet kan inte vara mindre än antalet personer i ärendet ({members}).",
        "The household cannot be smaller than the number of people in the case ({members}).",
    ),
    "household_size_large": (
        "Hushållets storlek kan vara högst {max} personer.",
        "The household size can be at most {max} people.",
    ),
    # costs and incomes
    "cost_type_unknown": (
        'Okänd kostnadstyp "{value}". Tillåtna typer: {allowed}.',
        'Unknown cost type "{value}". Allowed types: {allowed}.',
    ),
    "income_type_unknown": (
        'Okänd inkomsttyp "{value}". Tillåtna typer: {allowed}.',
        'Unknown income type "{value}". Allowed types: {allowed}.',
    ),
    "amount_number": (
        "Beloppet ska vara ett tal i kronor, till exempel 7800 eller 7800.50.",
        "The amount must be a number of kronor, for example 7800 or 7800.50.",
    ),
    "amount_negative": ("Beloppet kan inte vara negativt.", "The amount cannot be negative."),
    "amount_decimals": (
        "Beloppet kan ha högst två decimaler (ören).",
        "The amount can have at most two decimals (öre).",
    ),
    "amount_too_large": (
        "Beloppet är orimligt stort (mer än {max} kronor).",
        "The amount is implausibly large (more than {max} kronor).",
    ),
    "income_member_unknown": (
        'Det finns ingen person med id "{id}" i hushållet.',
        'There is no person with the id "{id}" in the household.',
    ),
    "earlier_not_child_salary": (
        "Tidigare inkomst i år används bara för ett barns egen lön (type: salary för ett barn).",
        "Earnings earlier this year are used only for a child's own salary (type: salary of a child).",
    ),
    "assistance_month_not_before": (
        "Ska vara en månad före {month}: listan gäller månader före den månad som beräknas.",
        "Must be a month before {month}: the list holds the months before the month being calculated.",
    ),
    "prisbasbelopp_missing": (
        "Prisbasbeloppet för {year} finns inte i Bistånd ännu. Det behövs för att räkna barns egen lön. "
        "Kommunen lägger in det med kommandot bistand norm import.",
        "The prisbasbelopp for {year} is not in Bistånd yet. It is needed for a child's own salary. "
        "The municipality loads it with the command bistand norm import.",
    ),
    # notices (input that was ignored) and warnings
    "unknown_field": (
        "Fältet {name} finns inte i beräkningens uppgifter och gissas inte. Tillåtna fält här: {allowed}.",
        "The field {name} is not part of the calculation's input and is not guessed at. "
        "Fields allowed here: {allowed}.",
    ),
    "lunch_ignored": (
        "{field} gäller bara barn 0–6 år. Barnet är {age} år, så uppgiften har inte använts.",
        "{field} applies only to children aged 0–6. The child is {age}, so it was not used.",
    ),
    "unverified_norm": (
        "Riksnormen för {year} är inte kontrollerad mot författningstexten (SFS). {reasons}",
        "The riksnorm for {year} has not been checked against the text of the ordinance (SFS). {reasons}",
    ),
    "unverified_record": (
        "{name} för {date} är inte kontrollerat mot den officiella texten: {note}",
        "{name} from {date} has not been checked against the official text: {note}",
    ),
    "reason_D": (
        "Beloppen är framräknade från tidigare års belopp med regeringens uppräkning.",
        "The amounts are derived from earlier years' amounts with the government's uprating.",
    ),
    "reason_C": (
        "Beloppen kommer från en sekundär källa, inte från författningen.",
        "The amounts come from a secondary source, not from the ordinance.",
    ),
    "reason_B": (
        "Beloppen kommer från en återgivning av den officiella tabellen i andra hand.",
        "The amounts come from a second-hand copy of the official table.",
    ),
    "reason_?": ("Källan är inte kontrollerad.", "The source has not been checked."),
    "reason_A": (
        "Beloppen kommer från myndighetens officiella uppgifter.",
        "The amounts come from the authority's official publication.",
    ),
}


def message(code: str, lang: str = "sv", **params: Any) -> str:
    """The text for `code` in `lang` ("sv", "en" or "ar"; Swedish otherwise), with `params` filled in."""
    # lazy: no cycle; left as it is in the rules' own file (issue 19 owns it)
    from bistand.rules import arabic

    sv, en = MESSAGES[code]
    # A message without Arabic yet falls back to Swedish, the binding text.
    template = arabic.MESSAGES.get(code, sv) if lang == "ar" else en if lang == "en" else sv
    return template.format(**params) if params else template.replace("{{", "{").replace("}}", "}")


def month_name(month: int, lang: str = "sv") -> str:
    """The name of a month (1–12)."""
    # lazy: no cycle; left as it is in the rules' own file (issue 19 owns it)
    from bistand.rules import arabic

    return {"en": EN_MONTHS, "ar": arabic.MONTHS}.get(lang, SV_MONTHS)[month - 1]


def pick_language(value: str | None) -> str:
    """The language to answer in from an Accept-Language header or a `lang` option: "sv", "en" or "ar"."""
    if not value:
        return "sv"
    choices = []
    for index, part in enumerate(value.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, rest = piece.partition(";")
        quality = 1.0
        rest = rest.strip()
        if rest.startswith("q="):
            try:
                quality = float(rest[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        choices.append((-quality, index, primary))
    for _q, _i, primary in sorted(choices):
        if primary in LANGS and _q < 0:
            return primary
    return "sv"
