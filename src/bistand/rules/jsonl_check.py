"""The contract's rules over many decoded lines at once, as columns, for `jsonl.read`.

What msgspec checks while decoding (`plain_shape.LineHousehold`: types, required and unknown fields, a real birth date,
amounts from 0 to MAX_AMOUNT, days 1–31, a household size 1–MAX_HOUSEHOLD) is not checked again. The rules
that span fields — one applicant, ages by role, school from 18, days against the month, who earns an
income — are checked here with NumPy over every member, cost and income of a run of lines, so the
Python work per line is a few list comprehensions. A household breaking any rule is left out and
reported invalid; `validation.validate` words its errors when they are shown (the one definition of the
errors). Only the rare lines with assistance months (jobbstimulans) take a Python pass of their own.
"""

from __future__ import annotations

from datetime import date
from itertools import chain, compress, repeat
from operator import attrgetter, eq
from typing import get_args, get_origin

import msgspec
import numpy as np

from bistand.rules.ages import years_between
from bistand.rules.batch import KIND_ADULT_SALARY, KIND_CHILD_SALARY, KIND_OTHER, ColumnBuilder
from bistand.rules.engine import jobbstimulans_status
from bistand.rules.model import INCOME_TYPES
from bistand.rules.parameters import ParameterSet
from bistand.rules.plain_shape import (
    JsonHousehold,
    LineHousehold,
    MonthInfo,
    member_refused,
    month_info,
    months_before,
)

_ROLE = {"applicant": 0, "co_applicant": 1, "child": 2}
_TRI = {None: -1, False: 0, True: 1}
_SALARY = {kind: kind == "salary" for kind in INCOME_TYPES}
_MEMBERS, _COSTS, _INCOMES = attrgetter("members"), attrgetter("costs"), attrgetter("incomes")
_ID, _ROLE_OF, _BIRTH = attrgetter("id"), attrgetter("role"), attrgetter("birth_date")
_OPTIONAL = attrgetter("lunch_at_home", "days_in_household", "in_school", "assistance_months")
_NOTHING_OPTIONAL = (None, None, None, None)
_MEMBER = attrgetter("member")
_AMOUNT, _TYPE, _EARLIER = attrgetter("amount"), attrgetter("type"), attrgetter("earned_earlier_this_year")
_MONTH, _MUNICIPALITY = attrgetter("month"), attrgetter("municipality")
_SIZE, _HISTORY = attrgetter("household_size"), attrgetter("assistance_months")
_EPOCH = date(1970, 1, 1).toordinal()


def append(
    run: list[LineHousehold],
    builder: ColumnBuilder,
    params: ParameterSet,
    months: dict[str, MonthInfo | None],
    bare: bool = False,
) -> np.ndarray:
    """Append the valid households of `run` to `builder`, in order; returns which ones were valid.

    `bare`: the lines were decoded as `BareHousehold`, so none gives an optional field (and the passes
    that look for them are left out)."""
    n = len(run)
    everyone = np.arange(n)
    valid = np.ones(n, dtype=bool)

    # The month: a few distinct ones, looked up once each.
    texts = list(map(_MONTH, run))
    if texts.count(texts[0]) == n:  # one month (compared in C, without hashing every text)
        slots = {texts[0]: 0}
    else:
        slots = {text: k for k, text in enumerate(dict.fromkeys(texts))}
    for text in slots.keys() - months.keys():
        months[text] = month_info(text, params)
    infos = [months[text] for text in slots]
    if len(slots) == 1:
        slot = np.zeros(n, dtype=np.int64)
    else:
        slot = np.fromiter(map(slots.__getitem__, texts), np.int64, n)
    known = np.array([info is not None for info in infos])
    valid &= known[slot]
    some = next((info for info in infos if info is not None), None)
    if some is None:
        return valid
    infos_or_some = [info or some for info in infos]
    year = np.array([i.month.year for i in infos_or_some])
    month_no = np.array([i.month.month for i in infos_or_some])
    days_in = np.array([i.days for i in infos_or_some])
    last = np.array([i.last for i in infos_or_some])
    has_pbb = np.array([i.params.prisbasbelopp is not None for i in infos_or_some])

    municipalities = [] if bare else list(map(_MUNICIPALITY, run))
    if municipalities.count(None) < len(municipalities):  # given by some
        for k, text in enumerate(municipalities):
            if text is not None and not (len(text) == 4 and text.isdigit()):
                valid[k] = False

    # Members: role, age on the first of the month, and the fields each role may or must have.
    lists = list(map(_MEMBERS, run))
    counts = np.fromiter(map(len, lists), np.int64, n)
    valid &= counts > 0
    members = list(chain.from_iterable(lists))
    total = len(members)
    mh = np.repeat(everyone, counts)
    ms = slot[mh]
    # Each column is taken and mapped in C (attrgetter, dict look-ups), not by a Python loop per member.
    roles = np.fromiter(map(_ROLE.__getitem__, map(_ROLE_OF, members)), np.int8, total)
    born = np.fromiter(map(date.toordinal, map(_BIRTH, members)), np.int64, total)
    # Most members give none of the optional fields: one pass finds those who do.
    if bare:
        some = np.zeros(0, dtype=np.int64)
    else:
        some = np.fromiter(map(_NOTHING_OPTIONAL.__ne__, map(_OPTIONAL, members)), bool, total).nonzero()[0]
    given = [members[k] for k in some.tolist()]
    school = np.full(total, -1, dtype=np.int8)
    school[some] = [_TRI[m.in_school] for m in given]
    days = np.zeros(total, dtype=np.int64)  # 0: not given
    days[some] = [m.days_in_household or 0 for m in given]
    away = np.zeros(total, dtype=bool)
    away[some] = [m.lunch_at_home is False for m in given]
    has_own = np.zeros(total, dtype=bool)
    has_own[some] = [m.assistance_months is not None for m in given]

    day = (born - _EPOCH).astype("datetime64[D]")
    first_of_month = day.astype("datetime64[M]")
    age = years_between(
        day.astype("datetime64[Y]").astype(np.int64) + 1970,
        first_of_month.astype(np.int64) % 12 + 1,
        (day - first_of_month).astype(np.int64) + 1,
        year[ms],
        month_no[ms],
        1,
    )
    age = np.maximum(age, 0)  # born during the month: "under 1 år" from its start
    child = roles == 2
    dim = days_in[ms]
    valid[mh[member_refused(roles, born, last[ms], age, school, days, dim, has_own)]] = False

    first_member = np.cumsum(counts) - counts
    ids = list(map(_ID, members))
    valid[mh[np.fromiter(map(str.isspace, ids), bool, total)]] = False  # msgspec refused empty ones
    keyed = _Ids(ids, mh)
    for k in keyed.households_to_recheck():  # an id twice, or two ids sharing a key: compare the texts
        group = ids[first_member[k] : first_member[k] + counts[k]]
        if len(set(group)) != len(group):
            valid[k] = False
    applicants = np.bincount(mh[roles == 0], minlength=n)
    co_applicants = np.bincount(mh[roles == 1], minlength=n)
    valid &= (applicants == 1) & (co_applicants <= 1)

    sizes = [] if bare else list(map(_SIZE, run))
    if sizes.count(None) < len(sizes):  # given by some
        given = np.array([size or 0 for size in sizes], dtype=np.int64)
        size = np.where(given > 0, given, counts)
        valid &= size >= counts
    else:
        size = counts

    # Costs: msgspec already held the type to the known ones and the amount to the range.
    lists = list(map(_COSTS, run))
    cost_counts = np.fromiter(map(len, lists), np.int64, n)
    costs = list(chain.from_iterable(lists))
    cost_total = _sums(np.fromiter(map(_AMOUNT, costs), np.int64, len(costs)) * 100, cost_counts)

    # Incomes: earned by a member of the household; a child's salary needs the year's prisbasbelopp.
    lists = list(map(_INCOMES, run))
    income_counts = np.fromiter(map(len, lists), np.int64, n)
    incomes = list(chain.from_iterable(lists))
    count = len(incomes)
    ih = np.repeat(everyone, income_counts)
    earner = keyed.find(list(map(_MEMBER, incomes)), ih)  # who earns it; -1: nobody of that id
    salary = np.fromiter(map(_SALARY.__getitem__, map(_TYPE, incomes)), bool, count)
    earlier_given = [] if bare else list(map(_EARLIER, incomes))
    if earlier_given.count(None) < len(earlier_given):  # given by some
        earlier = np.array([-1 if e is None else e for e in earlier_given], dtype=np.int64)
    else:
        earlier = np.full(count, -1, dtype=np.int64)
    earner_role = roles[np.maximum(earner, 0)] if total else np.full(len(incomes), -1, dtype=np.int8)
    kind = np.where(salary, np.where(earner_role == 2, KIND_CHILD_SALARY, KIND_ADULT_SALARY), KIND_OTHER)
    bad = (earner < 0) | ((kind == KIND_CHILD_SALARY) & ~has_pbb[slot[ih]])
    bad |= (earlier >= 0) & (kind != KIND_CHILD_SALARY)
    valid[ih[bad]] = False

    # Assistance months (rare): checked, and jobbstimulans worked out, household by household.
    jobb = np.zeros(total, dtype=bool)
    history = [] if bare else list(map(_HISTORY, run))
    with_history = {k for k, months in enumerate(history) if months is not None}
    for k in sorted(with_history | set(mh[has_own].tolist())):
        if valid[k] and not _jobbstimulans(run[k], infos[slot[k]], jobb, int(first_member[k])):
            valid[k] = False

    # Append the valid households, counted on from those already in the builder.
    kept = valid[mh]
    new = np.cumsum(valid) - 1 + len(builder)
    used = np.zeros(len(infos), dtype=bool)
    used[slot[valid]] = True
    month_key = np.array([builder.month_key(info.month) if used[s] else -1 for s, info in enumerate(infos)])
    sel = child & kept
    child_days = np.where(days == dim, 0, days)[sel]
    isel = valid[ih]
    adult_salary = kind == KIND_ADULT_SALARY
    builder.extend(
        {
            "month": month_key[slot[valid]],
            "couple": (co_applicants == 1)[valid],
            "size": size[valid],
            "members": counts[valid],
            "costs": cost_total[valid],
            "ch_hh": new[mh[sel]],
            "ch_age": age[sel],
            "ch_away": away[sel],
            "ch_days": child_days,
            "ch_dim": np.where(child_days > 0, dim[sel], 1),
            "in_hh": new[ih[isel]],
            "in_amount": np.fromiter(map(_AMOUNT, incomes), np.int64, count)[isel] * 100,
            "in_kind": kind[isel],
            "in_earlier": np.maximum(earlier, 0)[isel] * 100,
            "in_child": np.where(kind == KIND_CHILD_SALARY, builder.next_child_key + earner, -1)[isel],
            "in_jobb": (adult_salary & jobb[np.maximum(earner, 0)] if total else adult_salary)[isel],
        }
    )
    builder.next_child_key += total  # a child's key is its member number: unique in the run
    return valid


class _Ids:
    """Members' ids by (household, id) in one dict of integer keys made in C: the id's hash mixed with the
    household's number. A key does not prove the id (two ids may share one), so every match is confirmed
    on the text, and the rare household where keys repeat is judged on its texts by the caller."""

    def __init__(self, ids: list[str], household: np.ndarray) -> None:
        self.ids = ids
        self.household = household
        # Common case: no id is given twice in the whole run (each household numbering its members apart
        # from the others'). Then the id alone finds the member, and the household is compared after.
        self.by_id: dict[str, int] | None = dict(zip(ids, range(len(ids)), strict=True))
        if len(self.by_id) == len(ids):
            return
        self.by_id = None
        self.keys = _keys(ids, household)
        self.index = dict(zip(self.keys, range(len(ids)), strict=True))  # a repeated key keeps the last

    def households_to_recheck(self) -> list[int]:
        """Households where a key repeats: an id given twice, or (rarely) two ids with one key."""
        if self.by_id is not None or len(self.index) == len(self.ids):
            return []
        last = np.fromiter(map(self.index.__getitem__, self.keys), np.int64, len(self.ids))
        return np.unique(self.household[last != np.arange(len(self.ids))]).tolist()

    def find(self, wanted: list[str], household: np.ndarray) -> np.ndarray:
        """The member with id `wanted[i]` in household `household[i]`, or -1."""
        if self.by_id is not None:
            found = np.fromiter(map(self.by_id.get, wanted, repeat(-1)), np.int64, len(wanted))
            if len(self.ids):
                found[self.household[np.maximum(found, 0)] != household] = -1  # another household's member
            return found
        found = np.fromiter(map(self.index.get, _keys(wanted, household), repeat(-1)), np.int64, len(wanted))
        hit = found >= 0
        confirmed = np.fromiter(
            map(eq, map(self.ids.__getitem__, found[hit].tolist()), compress(wanted, hit)),
            bool,
            int(hit.sum()),
        )
        for i in np.flatnonzero(hit)[~confirmed].tolist():  # another id with the same key: look it up
            found[i] = next(
                (
                    j
                    for j in np.flatnonzero(self.household == household[i]).tolist()
                    if self.ids[j] == wanted[i]
                ),
                -1,
            )
        return found


def _bare(kind: type, name: str) -> type:
    """`kind` without its optional fields (those whose default is None), in its lists' items too: the
    plain shape as most lines give it. Decoding with it succeeds exactly for the lines that give none
    of the optional fields, and then is the same as decoding with `kind`."""
    fields = []
    for info in msgspec.structs.fields(kind):
        if info.default is None:
            continue
        field_type = info.type
        item = get_args(field_type)[0] if get_origin(field_type) is list else None
        origin = get_origin(item) or item
        if isinstance(origin, type) and issubclass(origin, msgspec.Struct):
            field_type = list[_bare(item, "Bare" + origin.__name__.removeprefix("Line"))]
        if info.required:
            fields.append((info.name, field_type))
        else:
            fields.append((info.name, field_type, msgspec.field(default_factory=info.default_factory)))
    return msgspec.defstruct(name, fields, forbid_unknown_fields=True, gc=False)


BareHousehold = _bare(JsonHousehold, "BareHousehold")


def _sums(amounts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The sum of each run of `counts` consecutive amounts (whole öre: integers, exact)."""
    running = np.concatenate(([0], np.cumsum(amounts)))
    ends = np.cumsum(counts)
    return running[ends] - running[ends - counts]


def _keys(ids: list[str], household: np.ndarray) -> list[int]:
    hashes = np.fromiter(map(hash, ids), np.int64, len(ids)).view(np.uint64)
    return (hashes ^ (household.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))).tolist()


def _jobbstimulans(h: LineHousehold, info: MonthInfo | None, jobb: np.ndarray, first: int) -> bool:
    """Check a household's assistance months and mark its adults whose jobbstimulans period runs.

    False when a month is not a valid month before the household's month.
    """
    if info is None:
        return False
    month = info.month
    history = () if h.assistance_months is None else months_before(h.assistance_months, month)
    if history is None:
        return False
    for k, m in enumerate(h.members):
        if m.role == "child":
            continue
        months = history if m.assistance_months is None else months_before(m.assistance_months, month)
        if months is None:
            return False
        jobb[first + k] = bool(months) and jobbstimulans_status(month, months, info.params).applies
    return True
