"""What each simulated source answers for a person and a month.

Pure functions of (population, person, period): the same inputs give the same JSON, byte for byte, so a
seed pins every answer. Field names follow the real services as described in the domain brief (§5.1);
amounts are whole kronor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bistand.registers.facts import Protection
from bistand.registers.lefi import BENEFIT_LABELS
from bistand.registers.simulator import amounts
from bistand.registers.simulator.population import (
    Household,
    Person,
    Population,
    Role,
    Stream,
    child_benefit_counts,
    study_support_paid,
    underhallsstod_children,
)
from bistand.registers.simulator.records import count_records
from bistand.registers.sources import Period, Source

__all__ = ["answer_for"]

# Day of the month each benefit is paid (simulator convention; moved to the Friday before a weekend).
PAYDAYS = {
    "FK:ABB": 20,
    "FK:BOB": 20,
    "FK:US": 20,
    "FK:SJP": 24,
    "FK:FP": 25,
    "FK:SA": 19,
    "FK:AS": 23,
    "FK:ET": 23,
    "PM:AP": 19,
    "PM:BTI": 19,
}
CSN_LABELS = {
    "STUDIEMEDEL": "Studiemedel",
    "STUDIEHJALP": "Studiehjälp (studiebidrag)",
    "STUDIESTARTSSTOD": "Studiestartsstöd",
    "HEMUTRUSTNINGSLAN": "Hemutrustningslån",
    "OMSTALLNINGSSTUDIESTOD": "Omställningsstudiestöd",
}
MUNICIPALITY = "Exempelkommun"
# Försäkringskassan answers with this many months of payments (the asked month and the ones before).
HISTORY_MONTHS = 3


def _stable(*parts: object) -> int:
    """A stable number from the parts (not Python's salted hash), for per-answer variation."""
    text = "|".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def _payday(period: Period, day: int) -> date:
    paid = date(period.year, period.month, min(day, period.last_day.day))
    while paid.weekday() >= 5:  # Saturday, Sunday → the Friday before
        paid -= timedelta(days=1)
    return paid


def _kr(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _envelope(seed: int, source: Source, person_id: str, period: Period) -> dict[str, Any]:
    return {
        "Kalla": source.value.upper(),
        "SvarId": f"{source.value}-{_stable(seed, source.value, person_id, period):016x}",
        "Personidentitet": person_id,
        "Period": {"FromDatum": period.first_day.isoformat(), "TomDatum": period.last_day.isoformat()},
        "Partiellt": False,
        "Felmeddelanden": [],
    }


# --- Försäkringskassan and Pensionsmyndigheten ----------------------------------------------------------


def _payment(code: str, period: Period, gross: Decimal, tax_rate: Decimal, lines: list | None = None) -> dict:
    gross_kr = _kr(gross)
    tax = _kr(gross * tax_rate)
    payment = {
        "Utbetalningsdatum": _payday(period, PAYDAYS[code]).isoformat(),
        "AvserFrom": period.first_day.isoformat(),
        "AvserTom": period.last_day.isoformat(),
        "Bruttobelopp": gross_kr,
        "Skatteavdrag": tax,
        "Nettobelopp": gross_kr - tax,
    }
    if lines:
        payment["Specifikation"] = lines
    return payment


def _fk_payments(population: Population, person: Person, period: Period) -> dict[str, dict]:
    """This person's FK/PM payments in ``period``, by benefit code."""
    household = population.household_of(person)
    payments: dict[str, dict] = {}
    for stream in _streams_of(person, household):
        if stream.active(period):
            payments[stream.code] = _payment(stream.code, period, stream.monthly_gross, stream.tax_rate)
    if person.pnr in household.child_benefit_to:
        with_bb, with_sb = child_benefit_counts(population, household, period)
        if with_bb:
            share = len(household.child_benefit_to)
            base = amounts.BARNBIDRAG_PER_CHILD * with_bb / share
            extra = amounts.flerbarnstillagg(with_bb + with_sb) / share
            lines = [{"Typ": "Barnbidrag", "Belopp": _kr(base)}]
            if extra:
                lines.append({"Typ": "Flerbarnstillagg", "Belopp": _kr(extra)})
            payments["FK:ABB"] = _payment("FK:ABB", period, base + extra, Decimal(0), lines)
    if person.pnr == household.applicant:
        children = underhallsstod_children(population, household, period)
        if children:
            payments["FK:US"] = _payment(
                "FK:US", period, amounts.UNDERHALLSSTOD_PER_CHILD * children, Decimal(0)
            )
    return payments


def _streams_of(person: Person, household: Household) -> list[Stream]:
    streams = list(person.streams)
    if household.bostadsbidrag is not None and person.pnr == household.applicant:
        streams.append(household.bostadsbidrag)
    return streams


def _decision(stream: Stream) -> dict:
    end = Period.containing(stream.end).last_day.isoformat() if stream.end else None
    return {
        "Beslutsdatum": (stream.start - timedelta(days=12)).isoformat(),
        "GallerFrom": stream.start.isoformat(),
        "GallerTom": end,
        "BeloppPerManad": _kr(stream.monthly_gross),
    }


def _fk(population: Population, person: Person, period: Period) -> dict[str, Any]:
    household = population.household_of(person)
    # Like the real service: the payments of the last months up to the one asked for, and the next month's
    # preliminary payment. Only the asked month's payments count for it (registers.income).
    paid = [
        (code, payment)
        for months_back in range(HISTORY_MONTHS - 1, -1, -1)
        for code, payment in _fk_payments(population, person, period.shifted(-months_back)).items()
    ]
    planned = _fk_payments(population, person, period.shifted(1))
    benefits: dict[str, dict] = {}

    def benefit(code: str) -> dict:
        if code not in benefits:
            benefits[code] = {
                "Formanskod": code,
                "Benamning": BENEFIT_LABELS[code],
                "Beslut": [],
                "Ansprak": [],
                "PreliminaraUtbetalningar": [],
                "Utbetalningar": [],
            }
        return benefits[code]

    for stream in _streams_of(person, household):
        if stream.start <= period.last_day and (stream.end is None or stream.end >= period.first_day):
            benefit(stream.code)["Beslut"].append(_decision(stream))
    for code, payment in paid:
        benefit(code)["Utbetalningar"].append(payment)
    for code, payment in planned.items():
        benefit(code)["PreliminaraUtbetalningar"].append(payment)
    claims = list(person.claims)
    if household.bostadsbidrag_claim and person.pnr == household.applicant:
        claims.append(("FK:BOB", household.bostadsbidrag_claim))
    for code, received in claims:
        if received <= period.last_day:
            benefit(code)["Ansprak"].append({"Inkommen": received.isoformat(), "Status": "UNDER_UTREDNING"})
    other = [
        {"Kod": code, "Benamning": label, "Varde": value}
        for code, label, value in person.other_info
        if any(s.active(period) for s in person.streams)
    ]
    return {"Formaner": [benefits[c] for c in sorted(benefits)], "OvrigInformation": other}


# --- Arbetsförmedlingen ---------------------------------------------------------------------------------


def _af(population: Population, person: Person, period: Period) -> dict[str, Any]:
    protected = person.protection is not Protection.NONE
    profile = person.af
    body: dict[str, Any] = {} if protected else {"Fornamn": person.given_name, "Efternamn": person.surname}
    body["Sekretessmarkering"] = protected
    registered = profile is not None and profile.registered_on <= period.last_day
    if not registered or profile is None:
        body.update(
            {
                "Arbetssokande": False,
                "ArbetssokandeSKAT": None,
                "ArbetssokandeSKATText": None,
                "Inskrivningsdatum": None,
                "Omfattning": None,
                "Avaktualiserad": False,
                "Aktivitetsrapporter": [],
                "Akassetillhorighet": None,
                "EkonomiskaBeslut": [],
            }
        )
        return {"Arbetssokande": body}
    deregistered = profile.deregistered_on is not None and profile.deregistered_on <= period.last_day
    reports = []
    reporting = (
        profile.registered_on < period.first_day
        and not (profile.deregistered_on is not None and profile.deregistered_on < period.first_day)
        and not (profile.reports_stop is not None and period.first_day >= profile.reports_stop)
    )
    if reporting:
        day = 1 + _stable(person.pnr, "rapport", period) % 13
        reports.append(
            {
                "Inlamnad": date(period.year, period.month, day).isoformat(),
                "AvserManad": str(period.shifted(-1)),
                "Meddelande": "Aktivitetsrapport inlämnad",
            }
        )
    decisions = [
        {
            "ErsattningTyp": kind,
            "Omfattning": extent,
            "BeslutFrom": start.isoformat(),
            "BeslutTom": Period.containing(end).last_day.isoformat() if end else None,
        }
        for kind, extent, start, end in profile.decisions
        if start <= period.last_day and (end is None or end >= period.first_day)
    ]
    body.update(
        {
            "Arbetssokande": not deregistered,
            "ArbetssokandeSKAT": profile.category,
            "ArbetssokandeSKATText": profile.category_text,
            "Inskrivningsdatum": profile.registered_on.isoformat(),
            "Omfattning": profile.extent_percent,
            "Avaktualiserad": deregistered,
            "AvaktualiseradDatum": profile.deregistered_on.isoformat()
            if deregistered and profile.deregistered_on
            else None,
            "Aktivitetsrapporter": reports,
            "Akassetillhorighet": profile.akassa,
            "EkonomiskaBeslut": decisions,
        }
    )
    return {"Arbetssokande": body}


# --- Sveriges a-kassor ----------------------------------------------------------------------------------


def _weekdays(first: date, last: date) -> int:
    days, current = 0, first
    while current <= last:
        days += current.weekday() < 5
        current += timedelta(days=1)
    return days


def _so(population: Population, person: Person, period: Period) -> dict[str, Any]:
    profile = person.akassa
    if profile is None:
        return {"Arbetsloshetskassor": []}
    end = Period.containing(profile.end).last_day if profile.end else date.max
    previous = period.shifted(-1)
    # Paid twice a month, after the fact: early in the month for the second half of the month before,
    # mid-month for the first half of this month.
    spans = [
        (_payday(period, 5), date(previous.year, previous.month, 16), previous.last_day),
        (_payday(period, 20), period.first_day, date(period.year, period.month, 15)),
    ]
    payments = []
    for paid_on, first, last in spans:
        first, last = max(first, profile.start), min(last, end)
        if first > last:
            continue
        days = _weekdays(first, last)
        if not days:
            continue
        gross = Decimal(profile.daily_gross * days)
        net = _kr(gross * (1 - profile.tax_rate))
        deduction = _kr(profile.monthly_deduction / 2)
        payments.append(
            {
                "Utbetalningsdatum": paid_on.isoformat(),
                "NettoEfterSkatt": net,
                "NettoEfterAvdrag": max(net - deduction, 0),
                "Ersattningsdagar": days,
                "AvserFrom": first.isoformat(),
                "AvserTom": last.isoformat(),
            }
        )
    if not payments:
        return {"Arbetsloshetskassor": []}
    return {"Arbetsloshetskassor": [{"Kassa": profile.fund, "Utbetalningar": payments}]}


# --- CSN ------------------------------------------------------------------------------------------------


def _csn(population: Population, person: Person, period: Period) -> dict[str, Any]:
    study = person.study
    payments = []
    if study is not None:
        if study.kind == "HEMUTRUSTNINGSLAN":
            pay = Period.containing(study.start) == period
        else:
            pay = study_support_paid(study, period, person.birth_date)
        if pay:
            payments.append(
                {
                    "Stodform": study.kind,
                    "Benamning": CSN_LABELS[study.kind],
                    "Utbetalningsdatum": _payday(
                        period, 20 if study.kind == "STUDIEHJALP" else 25
                    ).isoformat(),
                    "AvserFrom": period.first_day.isoformat(),
                    "AvserTom": period.last_day.isoformat(),
                    "Bidrag": _kr(study.grant),
                    "Lan": _kr(study.loan),
                }
            )
    return {"Utbetalningar": payments}


# --- Skatteverket, Transportstyrelsen, Migrationsverket -------------------------------------------------


def _skv(population: Population, person: Person, period: Period) -> dict[str, Any]:
    records = []
    if person.capital_base:
        for year in (period.year - 1, period.year - 2):
            factor = 70 + _stable(person.pnr, "kapital", year) % 61  # 70–130 % of the person's level
            income = max(1, person.capital_base * factor // 100)
            costs = income * (_stable(person.pnr, "avdrag", year) % 11) // 100
            records.append(
                {"Taxeringsar": year, "SummaIntakterPaKapital": income, "OverskottPaKapital": income - costs}
            )
    return {"Kapitaluppgifter": records}


def _tns(population: Population, person: Person, period: Period) -> dict[str, Any]:
    return {
        "Fordonsinnehav": [
            {
                "Regnr": v.registration,
                "Fabrikat": v.make,
                "Fordonsar": v.model_year,
                "Fordonsslag": v.vehicle_type,
                "Handelsbeteckning": v.trade_name,
            }
            for v in person.vehicles
        ]
    }


def _miv(population: Population, person: Person, period: Period) -> dict[str, Any]:
    migration = person.migration
    if migration is None or migration.entry_date > period.last_day:
        return {"Hemland": None, "Inresedatum": None, "Arenden": []}
    cases = []
    for case in migration.cases:
        if case.applied_on > period.last_day:
            continue
        decided = case.decided_on is not None and case.decided_on <= period.last_day
        cases.append(
            {
                "Ansokningsdatum": case.applied_on.isoformat(),
                "Arendetyp": case.case_type,
                "Beslutskod": case.decision_code if decided else None,
                "Beslutstyp": case.decision_type if decided else None,
                "Beslutsdatum": case.decided_on.isoformat() if decided and case.decided_on else None,
                "GiltigFrom": case.valid_from.isoformat() if decided and case.valid_from else None,
                "GiltigTom": case.valid_to.isoformat() if decided and case.valid_to else None,
            }
        )
    return {
        "Hemland": migration.home_country,
        "Inresedatum": migration.entry_date.isoformat(),
        "Arenden": cases,
    }


# --- Navet ----------------------------------------------------------------------------------------------

_PROTECTION_CODES = {
    Protection.NONE: None,
    Protection.SEKRETESSMARKERING: "SEKRETESSMARKERING",
    Protection.SKYDDAD_FOLKBOKFORING: "SKYDDAD_FOLKBOKFORING",
}


def _navet(population: Population, person: Person, period: Period) -> dict[str, Any]:
    number = person.number
    post: dict[str, Any] = {
        "Personidentitet": person.pnr,
        "Identitetstyp": "SAMORDNINGSNUMMER" if number.is_samordningsnummer else "PERSONNUMMER",
        "Fornamn": person.given_name,
        "Efternamn": person.surname,
        "Kon": "K" if number.sex == "F" else "M",
        "Fodelsedatum": number.birth_date.isoformat(),
        "Folkbokford": person.registered,
        "Skyddsmarkering": _PROTECTION_CODES[person.protection],
        "Civilstand": person.civil_status if person.registered else None,
        "Relationer": [],
        "PersonerPaAdressen": [],
    }
    if not person.registered:
        return {"Personpost": post}
    household = population.household_of(person)
    # As the real Navet: sekretessmarkering is a flag beside the address, which is still sent (for the
    # person and their co-residents); only skyddad folkbokföring replaces it. Bistånd must drop it itself.
    if population.household_protection(household) is not Protection.SKYDDAD_FOLKBOKFORING:
        address = household.address
        post["Folkbokforingsadress"] = {
            "Utdelningsadress": address.street,
            "Postnummer": address.postal_code,
            "Postort": address.city,
            "Lagenhetsnummer": address.apartment,
            "Kommun": MUNICIPALITY,
        }
    members = [m for m in population.members(household) if m.registered and m.pnr != person.pnr]
    relations = []
    for other in members:
        if person.role in (Role.CHILD, Role.ADULT_CHILD) and other.role in (Role.APPLICANT, Role.PARTNER):
            relations.append({"Personidentitet": other.pnr, "Relationstyp": "VARDNADSHAVARE"})
        elif person.role in (Role.APPLICANT, Role.PARTNER) and other.role in (Role.CHILD, Role.ADULT_CHILD):
            relations.append({"Personidentitet": other.pnr, "Relationstyp": "BARN"})
        elif (
            person.civil_status == "G"
            and other.civil_status == "G"
            and {person.role, other.role} == {Role.APPLICANT, Role.PARTNER}
        ):
            relations.append({"Personidentitet": other.pnr, "Relationstyp": "MAKE_MAKA"})
    post["Relationer"] = relations
    post["PersonerPaAdressen"] = [
        {"Personidentitet": m.pnr, "Skyddsmarkering": _PROTECTION_CODES[m.protection]} for m in members
    ]
    return {"Personpost": post}


_RENDERERS: dict[Source, Callable[[Population, Person, Period], dict[str, Any]]] = {
    Source.FK: _fk,
    Source.AF: _af,
    Source.SO: _so,
    Source.CSN: _csn,
    Source.SKV: _skv,
    Source.TNS: _tns,
    Source.MIV: _miv,
    Source.NAVET: _navet,
}


def answer_for(population: Population, source: Source, person: Person, period: Period) -> dict[str, Any]:
    """The full JSON answer of ``source`` for ``person`` in ``period``."""
    document = _envelope(population.seed, source, person.pnr, period)
    document.update(_RENDERERS[source](population, person, period))
    document["AntalPoster"] = count_records(document, source)
    return document
