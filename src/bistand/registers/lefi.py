"""LEFI: Försäkringskassan's and Pensionsmyndigheten's benefit information, as JSON inside SSBTEK.

SSBTEK v10 carries LEFI's question (``lefiJsonFraga``) and answer (``lefiJsonSvar``) base64-encoded; their
shapes are LEFI's OpenAPI (``schemas/v10/.../lefi-formansinformation-v9.openapi.yaml``). How Bistånd reads
the answer (the same mapping the simulator writes):

* Försäkringskassan's payments are in ``formansinformation``: ``utbetalningsuppgift`` (made) and
  ``preliminarautbetalningar`` (decided, not yet made) — two lists, never merged. Each has ``datum``
  (Utbetalningsdatum), ``period.fran``/``period.till`` (the period it is for), brutto, skatt and netto,
  ``foretag`` (1001 Försäkringskassan, 1003 Pensionsmyndigheten) and ``formansfamilj.id``: the benefit
  code is ``FK:``/``PM:`` + that id (``formansfamilj.id`` holding the part after the colon is our reading).
* Pensionsmyndigheten's payments are in the top-level ``utbetalningar`` and ``preliminaraUtbetalningar``
  (Pensionsmyndigheten's model: ``utbetalningsdatum``, ``utbetalningsperiod``, brutto and netto in whole
  kronor, ``utbetalningsrader[].formansgrupp.kod``); its decisions and claims in ``beslut`` and ``ansprak``.
* Försäkringskassan's decisions and claims are the benefit's ärende list (``sjukpenningarende`` …): each
  ``beslut`` (``fattades``, ``period``, ``beslutatBruttobelopp``) is a decision; an ärende without one is a
  claim under investigation (``startades``). Per-benefit details beyond those are not read.
* ``avvikelser`` with ``OBEHORIG`` is information the municipality is not entitled to: it is *not
  available* (``FkFacts.unavailable``), never "none". Any other avvikelse (``INTERNT_FEL``: a subsystem did
  not answer) makes the answer partial.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from bistand.registers.facts import (
    BenefitClaim,
    BenefitDecision,
    BenefitPayment,
    FkFacts,
    OtherInformation,
    PaymentLine,
)

__all__ = ["ARENDE_LISTS", "BENEFIT_LABELS", "LefiShape", "question", "read_answer"]

# The benefits Bistånd asks about, with LEFI's Swedish names.
BENEFIT_LABELS: dict[str, str] = {
    "FK:ABB": "Barnbidrag",
    "FK:BOB": "Bostadsbidrag",
    "FK:US": "Underhållsstöd",
    "FK:SJP": "Sjukpenning",
    "FK:FP": "Föräldrapenning",
    "FK:SA": "Sjukersättning",
    "FK:AS": "Aktivitetsstöd",
    "FK:ET": "Etableringsersättning",
    "PM:AP": "Allmän pension",
    "PM:BTI": "Bostadstillägg",
}
# Försäkringskassan's ärende list for each benefit (LefiFormansinformation).
ARENDE_LISTS: dict[str, str] = {
    "FK:ABB": "barnbidragsarende",
    "FK:BOB": "bostadsbidragsarende",
    "FK:US": "underhallsstodsmottag",
    "FK:SJP": "sjukpenningarende",
    "FK:FP": "foraldrapenningarende",
    "FK:SA": "sjukOchAktivitetsersattningsarende",
    "FK:AS": "aktivitetsstodsarende",
    "FK:ET": "programersattningsarende",
}
COMPANIES = {1001: "FK", 1003: "PM"}
SGI = "FK:SGI"


class LefiShape(ValueError):
    """A LEFI answer that does not have the shape Bistånd reads (turned into MalformedAnswer)."""


def question(person_digits: str, first: date, last: date) -> dict[str, Any]:
    """The LEFI question for one person and month: every benefit Bistånd reads, made and preliminary."""
    fk = [c for c in BENEFIT_LABELS if c.startswith("FK:")]
    pm = [c for c in BENEFIT_LABELS if c.startswith("PM:")]
    return {
        "personnummer": person_digits,
        "period": {"from": first.isoformat(), "tom": last.isoformat()},
        "formansinformation": fk,
        "ansprak": pm,
        "beslut": pm,
        "preliminaraUtbetalningar": list(BENEFIT_LABELS),
        "utbetalningar": list(BENEFIT_LABELS),
        "ovrigInformation": [SGI],
    }


# --- reading --------------------------------------------------------------------------------------------


def _get(obj: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise LefiShape(f"missing {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise LefiShape(f"{key!r} has the wrong type")
    return value


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise LefiShape(f"{key!r} must be a list")
    return value


def _day(text: Any, key: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise LefiShape(f"{key!r} must be a date") from None


def _amount(obj: Any, key: str) -> Decimal:
    value = obj.get(key) if isinstance(obj, dict) else None
    if isinstance(value, dict):  # LefiBelopp: {"summa": …, "valuta": "SEK"}
        value = value.get("summa")
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise LefiShape(f"{key!r} must be an amount")
    return Decimal(value)


def _fk_payment(item: Any, *, preliminary: bool) -> BenefitPayment:
    company = _get(_get(item, "foretag", dict), "id", int)
    family = _get(item, "formansfamilj", dict)
    if company not in COMPANIES:
        raise LefiShape(f"unknown foretag {company}")
    code = f"{COMPANIES[company]}:{_get(family, 'id', str)}"
    period = _get(item, "period", dict)
    gross = _amount(item, "bruttobelopp")
    lines = tuple(
        PaymentLine(_get(_get(d, "beloppstyp", dict), "beskrivning", str), _amount(d, "bruttobelopp"))
        for d in _list(item, "utbetalningsdetalj")
    )
    return BenefitPayment(
        code=code,
        label=family.get("beskrivning") or BENEFIT_LABELS.get(code, code),
        paid_on=_day(_get(item, "datum", str), "datum"),
        covers_from=_day(period.get("fran"), "period.fran"),
        covers_to=_day(period.get("till"), "period.till"),
        gross=gross,
        tax=_amount(item, "skattebelopp"),
        net=_amount(item, "nettobelopp"),
        preliminary=preliminary,
        lines=lines,
    )


def _pm_group(item: Any) -> tuple[str, str]:
    group = _get(item, "formansgrupp", dict)
    return _get(group, "kod", str), _get(group, "beskrivning", str)


def _pm_payment(item: Any, *, preliminary: bool) -> BenefitPayment:
    rows = _list(item, "utbetalningsrader")
    if not rows:
        raise LefiShape("a payment without utbetalningsrader")
    code, label = _pm_group(rows[0])
    period = _get(item, "utbetalningsperiod", dict)
    gross, net = _amount(item, "bruttobelopp"), _amount(item, "nettobelopp")
    return BenefitPayment(
        code=code,
        label=label,
        paid_on=_day(_get(item, "utbetalningsdatum", str), "utbetalningsdatum"),
        covers_from=_day(period.get("from"), "utbetalningsperiod.from"),
        covers_to=_day(period.get("tom"), "utbetalningsperiod.tom"),
        gross=gross,
        tax=gross - net,
        net=net,
        preliminary=preliminary,
        lines=tuple(PaymentLine(_pm_group(r)[1], _amount(r, "belopp")) for r in rows),
    )


def _deviations(answer: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """(avvikelse code, benefit code) for every deviation in the answer."""
    deviations = answer.get("avvikelser") or {}
    if not isinstance(deviations, dict):
        raise LefiShape("'avvikelser' must be an object")
    for items in deviations.values():
        for item in items if isinstance(items, list) else []:
            kind = _get(_get(item, "avvikelse", dict), "kod", str)
            group = item.get("formansgrupp") or item.get("informationstyp") or {}
            yield kind, str(group.get("kod", "?"))


def read_answer(answer: Any) -> tuple[FkFacts, tuple[str, ...]]:
    """Read a LEFI answer (JSON already parsed, numbers as Decimal) into :class:`FkFacts`.

    Returns the facts and the benefit codes a subsystem could not deliver (``INTERNT_FEL``): when that is
    not empty the answer is partial. Raises :class:`LefiShape` for an answer of another shape.
    """
    if not isinstance(answer, dict):
        raise LefiShape("the LEFI answer must be an object")
    info = answer.get("formansinformation") or {}
    if not isinstance(info, dict):
        raise LefiShape("'formansinformation' must be an object")
    payments = [_fk_payment(p, preliminary=False) for p in _list(info, "utbetalningsuppgift")]
    payments += [_fk_payment(p, preliminary=True) for p in _list(info, "preliminarautbetalningar")]
    payments += [_pm_payment(p, preliminary=False) for p in _list(answer, "utbetalningar")]
    payments += [_pm_payment(p, preliminary=True) for p in _list(answer, "preliminaraUtbetalningar")]
    decisions: list[BenefitDecision] = []
    claims: list[BenefitClaim] = []
    for code, key in ARENDE_LISTS.items():
        for case in _list(info, key):
            decided = _list(case, "beslut")
            if not decided:  # an ärende without a decision: a claim under investigation
                started = _day(_get(case, "startades", str), f"{key}.startades")
                claims.append(BenefitClaim(code, BENEFIT_LABELS[code], started, "UNDER_UTREDNING"))
            for d in decided:
                period = _get(d, "period", dict)
                amount = d.get("beslutatBruttobelopp")
                decisions.append(
                    BenefitDecision(
                        code,
                        BENEFIT_LABELS[code],
                        _day(d.get("fattades"), "beslut.fattades"),
                        _day(period.get("fran"), "beslut.period.fran"),
                        _day(period["till"], "beslut.period.till") if period.get("till") else None,
                        _amount(d, "beslutatBruttobelopp") if amount is not None else None,
                    )
                )
    for item in _list(answer, "beslut"):
        code, label = _pm_group(item)
        decided = _day(_get(item, "beslutsdatum", str), "beslutsdatum")
        for granted in _list(item, "beslutadErsattning") or [{}]:
            period = granted.get("period") or {}
            amount = (granted.get("beslutatBelopp") or {}).get("belopp")
            decisions.append(
                BenefitDecision(
                    code,
                    label,
                    decided,
                    _day(period.get("from"), "period.from") if period else decided,
                    _day(period["tom"], "period.tom") if period.get("tom") else None,
                    Decimal(amount) if isinstance(amount, int) else None,
                )
            )
    for item in _list(answer, "ansprak"):
        code, label = _pm_group(item)
        claims.append(
            BenefitClaim(
                code, label, _day(_get(item, "ankomstdatum", str), "ankomstdatum"), "UNDER_UTREDNING"
            )
        )
    other = tuple(
        OtherInformation(SGI, "Sjukpenninggrundande inkomst", str(_amount(s, "anstallning")))
        for s in _list(info, "sjukpenninggrundandeInkomstuppgift")
    )
    unavailable, missing = [], []
    for kind, code in _deviations(answer):
        (unavailable if kind == "OBEHORIG" else missing).append(code)
    facts = FkFacts(
        tuple(payments), tuple(decisions), tuple(claims), other, unavailable=tuple(dict.fromkeys(unavailable))
    )
    return facts, tuple(dict.fromkeys(missing))
