"""Ages in the riksnorm: the age brackets, the child age limit and how an age is counted. Written once.

The engine, the batch path, the explanation (Swedish, English, Arabic), input checking, the forms and the
register simulator all take ages and brackets from here; `parameters` names a table's rows by `BRACKETS`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

CHILD_AGE_LIMIT = 21  # "barn och ungdomar under 21 år" (SOSFS 2013:1); 18–20 only while in school
SCHOOL_AGE = 18  # from 18 the parents' duty of maintenance lasts only while in school (FB 7 kap. 1 §)
ADULT_AGE = 18  # an applicant or co-applicant younger than this applies through a guardian
LUNCH_AGE_LIMIT = 6  # the "ej lunch 5 dagar/vecka" row is for children up to 6 (SoF 2 kap. 1 §)

# (key, first age, last age, Swedish, English, Arabic), youngest first: the rows of SoF 2 kap. 1 §.
_BRACKET_ROWS: tuple[tuple[str, int, int, str, str, str], ...] = (
    ("0", 0, 0, "under 1 år", "under 1", "أقل من سنة"),
    ("1-2", 1, 2, "1–2 år", "aged 1–2", "من 1 إلى 2 سنة"),
    ("3", 3, 3, "3 år", "aged 3", "3 سنوات"),
    ("4-6", 4, 6, "4–6 år", "aged 4–6", "من 4 إلى 6 سنوات"),
    ("7-10", 7, 10, "7–10 år", "aged 7–10", "من 7 إلى 10 سنوات"),
    ("11-14", 11, 14, "11–14 år", "aged 11–14", "من 11 إلى 14 سنة"),
    ("15-18", 15, 18, "15–18 år", "aged 15–18", "من 15 إلى 18 سنة"),
    ("19-20", 19, 20, "19–20 år", "aged 19–20", "من 19 إلى 20 سنة"),
)

BRACKETS: tuple[str, ...] = tuple(row[0] for row in _BRACKET_ROWS)
# The brackets with an "ej lunch" amount: every age in them is at most LUNCH_AGE_LIMIT.
YOUNG_BRACKETS: tuple[str, ...] = tuple(row[0] for row in _BRACKET_ROWS if row[2] <= LUNCH_AGE_LIMIT)
# Index of the bracket for every child age 0 … CHILD_AGE_LIMIT − 1 (a list index, or a NumPy take).
BRACKET_INDEX_BY_AGE: tuple[int, ...] = tuple(
    index for index, row in enumerate(_BRACKET_ROWS) for _ in range(row[1], row[2] + 1)
)
BRACKET_BY_AGE: tuple[str, ...] = tuple(BRACKETS[i] for i in BRACKET_INDEX_BY_AGE)
BRACKET_WORDS: dict[str, dict[str, str]] = {
    row[0]: {"sv": row[3], "en": row[4], "ar": row[5]} for row in _BRACKET_ROWS
}
assert len(BRACKET_BY_AGE) == CHILD_AGE_LIMIT, "the brackets must cover every child age exactly once"


# Ages already counted, by (birth date, day). A month's population shares its birth dates (about ten
# people a day of birth in 100 000 households), and the robot counts one household several times, so this
# is read far more often than written; a dict lookup in C is a third of counting (issue 19: < 20 µs).
_AGES: dict[tuple[date, date], int] = {}


def age_on(birth: date, day: date) -> int:
    """Whole years of age on `day` (a child born on 29 February has its birthday on 1 March)."""
    key = (birth, day)
    age = _AGES.get(key)
    if age is None:
        age = years_between(birth.year, birth.month, birth.day, day.year, day.month, day.day)
        if len(_AGES) < 200_000:  # bounded: a few months of a large population's birth dates
            _AGES[key] = age
    return age


def years_between(born_year: Any, born_month: Any, born_day: Any, year: Any, month: Any, day: Any) -> Any:
    """Whole years from a birth date to a day, given as parts: plain integers (`age_on`) or NumPy integer
    arrays (the JSON-lines reader, many people at once). The birthday has come when (month, day) has
    reached (born_month, born_day); written with `< == & |` so both shapes take the same expression."""
    return year - born_year - ((month < born_month) | ((month == born_month) & (day < born_day)))


def bracket_of(age: int) -> str:
    """The riksnorm age bracket of a child's age on the first day of the month (0 … 20)."""
    return BRACKET_BY_AGE[age]


def bracket_words(bracket: str, lang: str = "sv") -> str:
    """The bracket as words in `lang` ("sv", "en" or "ar"), e.g. "7–10 år"."""
    return BRACKET_WORDS[bracket].get(lang) or BRACKET_WORDS[bracket]["sv"]
