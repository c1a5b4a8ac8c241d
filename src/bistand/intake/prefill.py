"""Prefill from the registers: the household from Navet and the incomes the registers know.

The result is plain JSON kept on the draft, each value with its source, so the citizen sees where it came
from and can change it. A register that does not answer gives no values and is named in ``failed``: the
form then says so plainly and the citizen fills in the values; nothing is ever made up.

Only the applicant is asked about (and the children Navet registers as theirs at their address, for a
name and whether an 18–20-year-old is in school): a spouse is named by the applicant's own record but not
looked up until they have signed. Addresses are never read from the answers: a protected person's address must not reach a page, a letter
or a log, and nobody else's address is needed here either.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from bistand.identity.personnummer import PersonnummerError, parse
from bistand.registers import ClientSettings, RegisterError, Source, http_gateway, income
from bistand.rules.ages import CHILD_AGE_LIMIT, SCHOOL_AGE

logger = logging.getLogger(__name__)

ADULT_SOURCES = (Source.NAVET, Source.FK, Source.SO, Source.CSN)

# The gateway is created per look-up; tests swap this factory for one with a canned answer.
GatewayFactory = Callable[[], AbstractContextManager]


def default_gateway() -> AbstractContextManager:
    """A short-tempered gateway: a citizen waits for this page, so one quick attempt per source."""
    return http_gateway(
        settings.REGISTERS_URL,
        ClientSettings(timeout=3.0, retries=0, breaker_threshold=1000),
    )


gateway_factory: GatewayFactory = default_gateway


def _amount(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _gets_studiehjalp(facts: Any) -> bool:
    """Whether CSN pays studiehjälp (upper-secondary school) in the month: then the youth is in school."""
    return facts is not None and any(p.kind == "STUDIEHJALP" for p in facts.payments)


def _age_on(pnr: str, day: datetime.date) -> int | None:
    try:
        return parse(pnr).age_on(day)
    except PersonnummerError:
        return None


def _incomes(answer, person: str, month: str, failed: set[str]) -> list[dict[str, Any]]:
    """Income rows for one adult: what FK, Pensionsmyndigheten, the a-kassa and CSN pay in ``month``.

    One row per benefit, at the amount that counts in the month (registers.income decides both the type
    and the month); a preliminary payment for a later month is never a row.
    """
    sources = income.INCOME_SOURCES
    facts = [answer[s].facts for s in sources]
    rows = [
        {
            "person": person,
            "type": row.type,
            "code": row.code,
            "amount": _amount(row.amount),
            "source": f"register:{row.source}",
            "month": row.month,
            "preliminary": row.preliminary,
        }
        for row in income.for_month(income.incomes(facts), month)
        if row.amount > 0
    ]
    for source in sources:
        if answer[source].error is not None:
            failed.add(source.value)
    return rows


def fetch(personnummer: str, month: str, factory: GatewayFactory | None = None) -> dict[str, Any]:
    """Look the applicant's household up for ``month`` (YYYY-MM) and return the prefill as JSON."""
    factory = factory or gateway_factory
    first_day = datetime.date.fromisoformat(f"{month}-01")
    failed: set[str] = set()
    result: dict[str, Any] = {
        "fetched_at": timezone.now().isoformat(),
        "month": month,
        "failed": [],
        "protection": None,
        "name": None,
        "co_applicant": None,
        "children": [],
        "incomes": [],
    }
    try:
        with factory() as gateway:
            answer = gateway.lookup(personnummer, month, sources=ADULT_SOURCES)
            navet = answer[Source.NAVET]
            if navet.facts is None:
                failed.add("navet")
            else:
                facts = navet.facts
                if navet.error is not None:
                    failed.add("navet")
                result["protection"] = facts.protection.value
                result["name"] = {"first": facts.given_name, "last": facts.surname}
                at_address = {m.personnummer for m in facts.household}
                spouse = next(
                    (
                        r.personnummer
                        for r in facts.relations
                        if r.kind == "MAKE_MAKA" and r.personnummer in at_address
                    ),
                    None,
                )
                children = [
                    r.personnummer
                    for r in facts.relations
                    if r.kind == "BARN"
                    and r.personnummer in at_address
                    and (_age_on(r.personnummer, first_day) or 0) < CHILD_AGE_LIMIT
                ]
                if spouse:
                    result["co_applicant"] = {"personnummer": spouse, "name": "", "source": "register:navet"}
                result["children"] = [
                    {"personnummer": pnr, "name": "", "source": "register:navet"} for pnr in children
                ]
            result["incomes"] = _incomes(answer, "applicant", month, failed)

            # The spouse is named by the applicant's own Navet record, and nothing more is asked about
            # them here: nobody is looked up in the registers before they have signed themselves. The
            # robot fetches the co-applicant's facts after their signature (`Application.confirmed_co_applicant`).
            for child in result["children"]:
                young_adult = (_age_on(child["personnummer"], first_day) or 0) >= SCHOOL_AGE
                sources = (Source.NAVET, Source.CSN) if young_adult else (Source.NAVET,)
                child_answer = gateway.lookup(child["personnummer"], month, sources=sources)
                child_facts = child_answer[Source.NAVET].facts
                if child_facts is not None:
                    child["name"] = child_facts.given_name
                if young_adult and _gets_studiehjalp(child_answer[Source.CSN].facts):
                    child["in_school"] = True
    except (RegisterError, OSError, ValueError) as error:
        # The registers as a whole did not answer: the citizen fills everything in.
        logger.warning("register prefill failed", extra={"error": type(error).__name__})
        failed.update(s.value for s in ADULT_SOURCES)
    result["failed"] = sorted(failed)
    return result
