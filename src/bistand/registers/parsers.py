"""Read the simulator's JSON answers (``wire.py``) into typed facts.

Strict on purpose: a field of the wrong type, a missing field or an answer from the wrong source is a
:class:`MalformedAnswer`, never a guess. Numbers are read as :class:`~decimal.Decimal` (``parse_float``),
so no amount passes through a float.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from bistand.registers.errors import MalformedAnswer, PartialAnswer
from bistand.registers.facts import (
    ActivityReport,
    Address,
    AfFacts,
    BenefitClaim,
    BenefitDecision,
    BenefitPayment,
    CapitalIncome,
    CsnFacts,
    EconomicDecision,
    FkFacts,
    HouseholdMember,
    MivFacts,
    NavetFacts,
    OtherInformation,
    PaymentLine,
    Protection,
    Relation,
    ResidencePermit,
    SkvFacts,
    SoFacts,
    SourceFacts,
    StudyPayment,
    TnsFacts,
    UnemploymentPayment,
    Vehicle,
)
from bistand.registers.interface import Parsed
from bistand.registers.shield import address_shielded
from bistand.registers.sources import Source
from bistand.registers.wire import SOURCE_CODES, count_records

__all__ = ["parse_answer"]


class _Shape(Exception):
    """A field is missing or has the wrong type (turned into MalformedAnswer with the source)."""


# --- strict field readers -------------------------------------------------------------------------------


def _get(obj: Any, key: str) -> Any:
    if not isinstance(obj, dict):
        raise _Shape(f"expected an object holding {key!r}")
    if key not in obj:
        raise _Shape(f"missing field {key!r}")
    return obj[key]


def _obj(obj: Any, key: str) -> dict[str, Any]:
    value = _get(obj, key)
    if not isinstance(value, dict):
        raise _Shape(f"{key!r} must be an object")
    return value


def _list(obj: Any, key: str) -> list[Any]:
    value = _get(obj, key)
    if not isinstance(value, list):
        raise _Shape(f"{key!r} must be a list")
    return value


def _str(obj: Any, key: str) -> str:
    value = _get(obj, key)
    if not isinstance(value, str):
        raise _Shape(f"{key!r} must be a string")
    return value


def _opt_str(obj: Any, key: str) -> str | None:
    value = _get(obj, key)
    if value is not None and not isinstance(value, str):
        raise _Shape(f"{key!r} must be a string or null")
    return value


def _bool(obj: Any, key: str) -> bool:
    value = _get(obj, key)
    if not isinstance(value, bool):
        raise _Shape(f"{key!r} must be true or false")
    return value


def _int(obj: Any, key: str) -> int:
    value = _get(obj, key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Shape(f"{key!r} must be a whole number")
    return value


def _opt_int(obj: Any, key: str) -> int | None:
    return None if _get(obj, key) is None else _int(obj, key)


def _money(obj: Any, key: str) -> Decimal:
    value = _get(obj, key)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _Shape(f"{key!r} must be an amount")
    return Decimal(value)


def _opt_money(obj: Any, key: str) -> Decimal | None:
    return None if _get(obj, key) is None else _money(obj, key)


def _date(obj: Any, key: str) -> date:
    value = _str(obj, key)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Shape(f"{key!r} must be a date (YYYY-MM-DD)") from None


def _opt_date(obj: Any, key: str) -> date | None:
    return None if _get(obj, key) is None else _date(obj, key)


# --- per source -----------------------------------------------------------------------------------------


def _payment(code: str, label: str, item: Any, *, preliminary: bool) -> BenefitPayment:
    lines = tuple(PaymentLine(_str(x, "Typ"), _money(x, "Belopp")) for x in item.get("Specifikation", []))
    return BenefitPayment(
        code=code,
        label=label,
        paid_on=_date(item, "Utbetalningsdatum"),
        covers_from=_date(item, "AvserFrom"),
        covers_to=_date(item, "AvserTom"),
        gross=_money(item, "Bruttobelopp"),
        tax=_money(item, "Skatteavdrag"),
        net=_money(item, "Nettobelopp"),
        preliminary=preliminary,
        lines=lines,
    )


def _fk(doc: dict[str, Any]) -> FkFacts:
    payments: list[BenefitPayment] = []
    decisions: list[BenefitDecision] = []
    claims: list[BenefitClaim] = []
    for benefit in _list(doc, "Formaner"):
        code, label = _str(benefit, "Formanskod"), _str(benefit, "Benamning")
        payments += [_payment(code, label, p, preliminary=False) for p in _list(benefit, "Utbetalningar")]
        payments += [
            _payment(code, label, p, preliminary=True) for p in _list(benefit, "PreliminaraUtbetalningar")
        ]
        decisions += [
            BenefitDecision(
                code,
                label,
                _date(d, "Beslutsdatum"),
                _date(d, "GallerFrom"),
                _opt_date(d, "GallerTom"),
                _opt_money(d, "BeloppPerManad"),
            )
            for d in _list(benefit, "Beslut")
        ]
        claims += [
            BenefitClaim(code, label, _date(c, "Inkommen"), _str(c, "Status"))
            for c in _list(benefit, "Ansprak")
        ]
    other = tuple(
        OtherInformation(_str(o, "Kod"), _str(o, "Benamning"), _str(o, "Varde"))
        for o in _list(doc, "OvrigInformation")
    )
    return FkFacts(tuple(payments), tuple(decisions), tuple(claims), other)


def _af(doc: dict[str, Any]) -> AfFacts:
    body = _obj(doc, "Arbetssokande")
    return AfFacts(
        sekretessmarkering=_bool(body, "Sekretessmarkering"),
        registered=_bool(body, "Arbetssokande"),
        category=_opt_str(body, "ArbetssokandeSKAT"),
        category_text=_opt_str(body, "ArbetssokandeSKATText"),
        registered_on=_opt_date(body, "Inskrivningsdatum"),
        extent_percent=_opt_int(body, "Omfattning"),
        deregistered=_bool(body, "Avaktualiserad"),
        activity_reports=tuple(
            ActivityReport(_date(r, "Inlamnad"), _str(r, "AvserManad"), _str(r, "Meddelande"))
            for r in _list(body, "Aktivitetsrapporter")
        ),
        unemployment_fund=_opt_str(body, "Akassetillhorighet"),
        economic_decisions=tuple(
            EconomicDecision(
                _str(d, "ErsattningTyp"),
                _int(d, "Omfattning"),
                _date(d, "BeslutFrom"),
                _opt_date(d, "BeslutTom"),
            )
            for d in _list(body, "EkonomiskaBeslut")
        ),
    )


def _so(doc: dict[str, Any]) -> SoFacts:
    payments = []
    for fund in _list(doc, "Arbetsloshetskassor"):
        name = _str(fund, "Kassa")
        for p in _list(fund, "Utbetalningar"):
            payments.append(
                UnemploymentPayment(
                    fund=name,
                    paid_on=_date(p, "Utbetalningsdatum"),
                    net_after_tax=_money(p, "NettoEfterSkatt"),
                    net_after_deductions=_money(p, "NettoEfterAvdrag"),
                    days=_int(p, "Ersattningsdagar"),
                    covers_from=_date(p, "AvserFrom"),
                    covers_to=_date(p, "AvserTom"),
                )
            )
    return SoFacts(tuple(payments))


def _csn(doc: dict[str, Any]) -> CsnFacts:
    return CsnFacts(
        tuple(
            StudyPayment(
                kind=_str(p, "Stodform"),
                label=_str(p, "Benamning"),
                paid_on=_date(p, "Utbetalningsdatum"),
                covers_from=_date(p, "AvserFrom"),
                covers_to=_date(p, "AvserTom"),
                grant=_money(p, "Bidrag"),
                loan=_money(p, "Lan"),
            )
            for p in _list(doc, "Utbetalningar")
        )
    )


def _skv(doc: dict[str, Any]) -> SkvFacts:
    return SkvFacts(
        tuple(
            CapitalIncome(
                _int(k, "Taxeringsar"), _money(k, "SummaIntakterPaKapital"), _money(k, "OverskottPaKapital")
            )
            for k in _list(doc, "Kapitaluppgifter")
        )
    )


def _tns(doc: dict[str, Any]) -> TnsFacts:
    return TnsFacts(
        tuple(
            Vehicle(
                _str(v, "Regnr"),
                _str(v, "Fabrikat"),
                _int(v, "Fordonsar"),
                _str(v, "Fordonsslag"),
                _str(v, "Handelsbeteckning"),
            )
            for v in _list(doc, "Fordonsinnehav")
        )
    )


def _miv(doc: dict[str, Any]) -> MivFacts:
    return MivFacts(
        permits=tuple(
            ResidencePermit(
                applied_on=_date(a, "Ansokningsdatum"),
                case_type=_str(a, "Arendetyp"),
                decision_code=_opt_str(a, "Beslutskod"),
                decision_type=_opt_str(a, "Beslutstyp"),
                decided_on=_opt_date(a, "Beslutsdatum"),
                valid_from=_opt_date(a, "GiltigFrom"),
                valid_to=_opt_date(a, "GiltigTom"),
            )
            for a in _list(doc, "Arenden")
        ),
        home_country=_opt_str(doc, "Hemland"),
        entry_date=_opt_date(doc, "Inresedatum"),
    )


_PROTECTIONS = {
    None: Protection.NONE,
    "SEKRETESSMARKERING": Protection.SEKRETESSMARKERING,
    "SKYDDAD_FOLKBOKFORING": Protection.SKYDDAD_FOLKBOKFORING,
}


def _protection(obj: Any) -> Protection:
    value = _opt_str(obj, "Skyddsmarkering")
    if value not in _PROTECTIONS:
        raise _Shape(f"unknown Skyddsmarkering {value!r}")
    return _PROTECTIONS[value]


def _navet(doc: dict[str, Any]) -> NavetFacts:
    post = _obj(doc, "Personpost")
    protection = _protection(post)
    address = None
    raw_address = post.get("Folkbokforingsadress")
    if raw_address is not None and not address_shielded(post):
        address = Address(
            street=_str(raw_address, "Utdelningsadress"),
            postal_code=_str(raw_address, "Postnummer"),
            city=_str(raw_address, "Postort"),
            apartment=_opt_str(raw_address, "Lagenhetsnummer"),
            municipality=_str(raw_address, "Kommun"),
        )
    identity = _str(post, "Identitetstyp")
    if identity not in ("PERSONNUMMER", "SAMORDNINGSNUMMER"):
        raise _Shape(f"unknown Identitetstyp {identity!r}")
    return NavetFacts(
        personnummer=_str(post, "Personidentitet"),
        is_samordningsnummer=identity == "SAMORDNINGSNUMMER",
        given_name=_str(post, "Fornamn"),
        surname=_str(post, "Efternamn"),
        registered=_bool(post, "Folkbokford"),
        protection=protection,
        address=address,
        civil_status=_opt_str(post, "Civilstand"),
        relations=tuple(
            Relation(_str(r, "Personidentitet"), _str(r, "Relationstyp")) for r in _list(post, "Relationer")
        ),
        household=tuple(
            HouseholdMember(_str(m, "Personidentitet"), _protection(m))
            for m in _list(post, "PersonerPaAdressen")
        ),
    )


_READERS: dict[Source, Callable[[dict[str, Any]], SourceFacts]] = {
    Source.FK: _fk,
    Source.AF: _af,
    Source.SO: _so,
    Source.CSN: _csn,
    Source.SKV: _skv,
    Source.TNS: _tns,
    Source.MIV: _miv,
    Source.NAVET: _navet,
}


def parse_answer(source: Source, raw: str) -> Parsed:
    """Parse a raw JSON answer from ``source``.

    Returns the facts, with a :class:`PartialAnswer` when the source flagged the answer as partial
    (``Partiellt``) or sent fewer records than it announced (``AntalPoster``). Raises
    :class:`MalformedAnswer` for invalid JSON or an unexpected shape.
    """
    try:
        doc = json.loads(raw, parse_float=Decimal)
    except ValueError as exc:
        raise MalformedAnswer(source, f"the answer is not valid JSON ({exc.msg})") from None
    try:
        if not isinstance(doc, dict):
            raise _Shape("the answer must be a JSON object")
        if _str(doc, "Kalla") != SOURCE_CODES[source]:
            raise _Shape(f"the answer is from {doc['Kalla']!r}, not {SOURCE_CODES[source]!r}")
        upstream_id = _str(doc, "SvarId")
        flagged = _bool(doc, "Partiellt")
        messages = _list(doc, "Felmeddelanden")
        announced = _int(doc, "AntalPoster")
        facts = _READERS[source](doc)
    except _Shape as exc:
        raise MalformedAnswer(source, f"unexpected answer shape: {exc}") from None
    partial = None
    if flagged:
        missing = tuple(str(m) for msg in messages if isinstance(msg, dict) for m in msg.get("Saknas", []))
        codes = [f"{m.get('Tagg')}:{m.get('Kod')}" for m in messages if isinstance(m, dict)]
        partial = PartialAnswer(
            source,
            "the source says part of the answer is missing",
            missing=missing,
            code=",".join(codes) or None,
        )
    else:
        received = count_records(doc, source)
        if received != announced:
            partial = PartialAnswer(
                source, f"the source announced {announced} records but sent {received}", missing=("records",)
            )
    return Parsed(facts, partial, upstream_id)
