"""The simulator's answers in the published formats: SSBTEK v10 SOAP (with LEFI's base64 JSON and CSN's
base64 XML inside) and Navet's personpost, written from the answer documents of ``answers.py``.

``answers.py`` decides *what* a register says about a person in a month; this module decides only how it
is written, following the same mapping the adapters (``registers.ssbtek``, ``registers.lefi``,
``registers.navet``) read.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from lxml import etree

from bistand.identity.personnummer import parse
from bistand.registers.codes import CSN_KINDS, NO_END
from bistand.registers.lefi import ARENDE_LISTS, BENEFIT_LABELS, SGI
from bistand.registers.navet import NAV
from bistand.registers.simulator.answers import answer_for
from bistand.registers.soap import body_child, envelope, fault_envelope
from bistand.registers.sources import Source
from bistand.registers.ssbtek import AGENCY, NS, SSBT

__all__ = [
    "Question",
    "agency_error",
    "merged",
    "navet_answer",
    "not_entitled",
    "shapeless",
    "ssbtek_answer",
    "ssbtek_fault",
    "wire_answer",
]

CSN_NS = {
    "csngem": "http://schema.csn.se/v4.0/csntyper",
    "STUDIEMEDEL": "http://schema.csn.se/v4.0/studiemedel",
    "STUDIEHJALP": "http://schema.csn.se/v4.0/studiehjalp",
    "HEMUTRUSTNINGSLAN": "http://schema.csn.se/v4.0/hemutrustningslan",
    "STUDIESTARTSSTOD": "http://schema.csn.se/v4.0/studiestartsstod",
    "OMSTALLNINGSSTUDIESTOD": "http://schema.csn.se/v4.0/omstallningsstudiestod",
}
CSN_CODES = {
    "STUDIEMEDEL": "SM",
    "STUDIEHJALP": "SH",
    "HEMUTRUSTNINGSLAN": "HUL",
    "STUDIESTARTSSTOD": "SSS",
    "OMSTALLNINGSSTUDIESTOD": "OSS",
}


class Question(dict):
    """What the simulator read from a question and echoes in the answer (Ingivare, reference, period)."""


def _el(parent: etree._Element, ns: str | None, tag: str, text: Any = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}" if ns else tag)
    if text is not None:
        element.text = str(text).lower() if isinstance(text, bool) else str(text)
    return element


def _response(question: Question, source: Source) -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{SSBT}}}hamtaBastjanstInformationResponse", nsmap={"ssbt": SSBT})
    if question.get("reference"):
        _el(root, SSBT, "korrelationsid", question["reference"])
    part = _el(_el(root, SSBT, "svarsdata"), SSBT, AGENCY[source])
    return root, part


def ssbtek_fault(felkod: str, text: str, *, client: bool = False) -> bytes:
    """The composite service's own failure (SSBT for the whole call)."""
    detail = etree.Element(f"{{{SSBT}}}hamtaBastjanstInformationFault", nsmap={"ssbt": SSBT})
    _el(detail, SSBT, "felkod", felkod)
    _el(detail, SSBT, "felmeddelande", text)
    return fault_envelope("Client" if client else "Server", text, detail)


def agency_error(question: Question, source: Source, kalla: str, felkod: str, text: str) -> bytes:
    """One agency's error inside an otherwise normal answer (``kalla`` SSBT or BT)."""
    root, part = _response(question, source)
    error = _el(part, SSBT, "error")
    _el(error, SSBT, "kalla", kalla)
    _el(error, SSBT, "felkod", felkod)
    _el(error, SSBT, "felmeddelande", text)
    return envelope(root)


def not_entitled(question: Question, source: Source) -> bytes:
    """SSBTEK's answer when the agreement does not cover the agency: the agency is left out."""
    root, part = _response(question, source)
    part.getparent().remove(part)
    return envelope(root)


def shapeless(question: Question, source: Source) -> bytes:
    """A broken agency part (fault injection): the agency's element with neither data nor error."""
    root, _part = _response(question, source)
    return envelope(root)


def merged(answers: list[bytes]) -> bytes:
    """One SSBTEK answer holding the agency parts of several one-agency answers, in schema order (what the
    composite service sends for a question including several agencies)."""
    first = body_child(answers[0])
    data = first.find(f"{{{SSBT}}}svarsdata")
    for other in answers[1:]:
        data.extend(list(body_child(other).find(f"{{{SSBT}}}svarsdata")))
    order = list(AGENCY.values())
    data[:] = sorted(data, key=lambda e: order.index(etree.QName(e).localname))
    return envelope(first)


def ssbtek_answer(question: Question, source: Source, doc: dict[str, Any], *, partial: bool = False) -> bytes:
    """The SOAP answer of one agency for the answer document ``doc``."""
    root, part = _response(question, source)
    data = _el(part, SSBT, "data")
    _WRITERS[source](data, question, doc, partial)
    return envelope(root)


# --- per agency -----------------------------------------------------------------------------------------


def _lefi_amount(value: Any) -> dict[str, Any]:
    return {"summa": int(value), "valuta": "SEK"}


def _fk(data: etree._Element, question: Question, doc: dict[str, Any], partial: bool) -> None:
    info: dict[str, list] = {"utbetalningsuppgift": [], "preliminarautbetalningar": []}
    answer: dict[str, Any] = {
        "utlamnare": [
            {
                "utlamnare": {"kod": kod, "namn": namn},
                "tillstand": {"kod": "OK", "beskrivning": "Tillgänglig"},
            }
            for kod, namn in (("FK", "Försäkringskassan"), ("PM", "Pensionsmyndigheten"))
        ],
        "avvikelser": {},
        "formansinformation": info,
        "ansprak": [],
        "beslut": [],
        "preliminaraUtbetalningar": [],
        "utbetalningar": [],
    }
    if doc.get("_not_entitled"):
        answer["avvikelser"]["utbetalningar"] = [
            {
                "avvikelse": {"kod": "OBEHORIG", "beskrivning": "Ej behörig"},
                "formansgrupp": {"kod": code, "beskrivning": label},
            }
            for code, label in BENEFIT_LABELS.items()
        ]
        doc = {"Formaner": [], "OvrigInformation": []}
    for dropped in doc.get("_dropped", []):
        answer["avvikelser"].setdefault("utbetalningar", []).append(
            {
                "avvikelse": {"kod": "INTERNT_FEL", "beskrivning": "Delsystemet svarade inte"},
                "formansgrupp": {"kod": dropped, "beskrivning": BENEFIT_LABELS[dropped]},
            }
        )
    for benefit in doc["Formaner"]:
        code, label = benefit["Formanskod"], benefit["Benamning"]
        group = {"kod": code, "beskrivning": label}
        for key, preliminary in (("Utbetalningar", False), ("PreliminaraUtbetalningar", True)):
            for p in benefit[key]:
                if code.startswith("PM:"):
                    item = {
                        "utbetalningsdatum": p["Utbetalningsdatum"],
                        "utbetalningsperiod": {"from": p["AvserFrom"], "tom": p["AvserTom"]},
                        "bruttobelopp": int(p["Bruttobelopp"]),
                        "nettobelopp": int(p["Nettobelopp"]),
                        "utbetalningsrader": [{"formansgrupp": group, "belopp": int(p["Bruttobelopp"])}],
                    }
                    answer["preliminaraUtbetalningar" if preliminary else "utbetalningar"].append(item)
                    continue
                item = {
                    "typ": {"id": 1, "beskrivning": "Månad"},
                    "foretag": {"id": 1001, "beskrivning": "Försäkringskassan"},
                    "formansfamilj": {"id": code.split(":", 1)[1], "beskrivning": label},
                    "datum": p["Utbetalningsdatum"],
                    "period": {"fran": p["AvserFrom"], "till": p["AvserTom"]},
                    "bruttobelopp": _lefi_amount(p["Bruttobelopp"]),
                    "skattebelopp": _lefi_amount(p["Skatteavdrag"]),
                    "avdragsbelopp": _lefi_amount(p["Skatteavdrag"]),
                    "nettobelopp": _lefi_amount(p["Nettobelopp"]),
                    "utbetalningsdetalj": [
                        {
                            "beloppstyp": {"id": line["Typ"], "beskrivning": line["Typ"]},
                            "bruttobelopp": _lefi_amount(line["Belopp"]),
                        }
                        for line in p.get("Specifikation", [])
                    ],
                }
                info["preliminarautbetalningar" if preliminary else "utbetalningsuppgift"].append(item)
        for d in benefit["Beslut"]:
            if code.startswith("PM:"):
                period = {"from": d["GallerFrom"], **({"tom": d["GallerTom"]} if d["GallerTom"] else {})}
                granted: dict[str, Any] = {"period": period}
                if d["BeloppPerManad"] is not None:
                    granted["beslutatBelopp"] = {"belopp": int(d["BeloppPerManad"])}
                answer["beslut"].append(
                    {
                        "beslutsdatum": d["Beslutsdatum"],
                        "formansgrupp": group,
                        "beslutadErsattning": [granted],
                    }
                )
            else:
                decision: dict[str, Any] = {
                    "fattades": d["Beslutsdatum"],
                    "definitivt": True,
                    "period": {
                        "fran": d["GallerFrom"],
                        **({"till": d["GallerTom"]} if d["GallerTom"] else {}),
                    },
                }
                if d["BeloppPerManad"] is not None and code not in ("FK:SJP", "FK:FP"):
                    decision["beslutatBruttobelopp"] = _lefi_amount(d["BeloppPerManad"])
                info.setdefault(ARENDE_LISTS[code], []).append({"beslut": [decision]})
        for c in benefit["Ansprak"]:
            if code.startswith("PM:"):
                answer["ansprak"].append({"ankomstdatum": c["Inkommen"], "formansgrupp": group})
            else:
                # A claim is an ärende without a decision (only benefits whose ärende has a start date).
                info.setdefault(ARENDE_LISTS[code], []).append({"startades": c["Inkommen"], "aktivt": True})
    for other in doc["OvrigInformation"]:
        if other["Kod"] == SGI:
            info.setdefault("sjukpenninggrundandeInkomstuppgift", []).append(
                {"anstallning": _lefi_amount(other["Varde"])}
            )
    encoded = base64.b64encode(json.dumps(answer, ensure_ascii=False).encode()).decode()
    _el(data, SSBT, "lefiJsonSvar", encoded)


def _af(data: etree._Element, question: Question, doc: dict[str, Any], partial: bool) -> None:
    af = NS["af"]
    body = doc["Arbetssokande"]
    fraga = _el(data, af, "Fraga")
    for tag, key in (
        ("OrganisationsnummerForIngivare", "orgnr"),
        ("NamnPaIngivare", "namn"),
        ("KontonamnForHandlaggare", "handlaggare"),
        ("Referensnummer", "reference"),
        ("From", "from"),
        ("Tom", "tom"),
        ("SyfteMedFraga", "syfte"),
        ("LagParagraf", "lagtext"),
        ("IdentitetsbeteckningFysiskPerson", "person"),
    ):
        _el(fraga, af, tag, question[key])
    svar = _el(data, af, "Svar")
    _el(svar, af, "Schemaversion", "2")
    _el(svar, af, "Referensnummer", question["reference"])
    _el(svar, af, "LagParagraf", question["lagtext"])
    _el(svar, af, "IdentitetsbeteckningFysiskPerson", question["person"])
    if "Fornamn" in body:
        _el(svar, af, "Fornamn", body["Fornamn"])
        _el(svar, af, "Efternamn", body["Efternamn"])
    _el(svar, af, "Sekretessmarkering", body["Sekretessmarkering"])
    info = _el(svar, af, "ArbetssokandeInfo")
    _el(info, af, "Arbetssokande", body["Arbetssokande"])
    if body["Inskrivningsdatum"] is not None:
        if body["ArbetssokandeSKAT"]:
            _el(info, af, "ArbetssokandeSKAT", body["ArbetssokandeSKAT"])
        _el(info, af, "ArbetssokandeRegistrerad", body["Inskrivningsdatum"])
        if body["Omfattning"] is not None:
            _el(info, af, "ArbetssokandeOmfattning", body["Omfattning"])
        if body.get("AvaktualiseradDatum"):
            _el(info, af, "ArbetssokandeAvaktualiserad", body["AvaktualiseradDatum"])
    reports = _el(info, af, "AktivetetsRapportDatum")
    latest = max(body["Aktivitetsrapporter"], key=lambda r: r["Inlamnad"], default=None)
    _el(
        reports,
        af,
        "AktivitetsRapportMeddelande",
        latest["Meddelande"] if latest else "Ingen aktivitetsrapport",
    )
    if latest:
        _el(reports, af, "SenasteAktivitetsRapportDatum", latest["Inlamnad"])
    if body["EkonomiskaBeslut"]:
        decisions = _el(_el(svar, af, "BeslutInfo"), af, "EkonomiskaBeslut")
        for d in body["EkonomiskaBeslut"]:
            item = _el(decisions, af, "Beslut")
            _el(item, af, "ErsattningTyp", d["ErsattningTyp"])
            _el(item, af, "Omfattning", d["Omfattning"])
            _el(item, af, "BeslutFrom", d["BeslutFrom"])
            _el(item, af, "BeslutTom", d["BeslutTom"] or NO_END.isoformat())
    if body["Akassetillhorighet"]:
        _el(svar, af, "Akassetillhorighet", body["Akassetillhorighet"])
    _el(svar, af, "StatusSokandeinformationKod", 1 if partial else 0)
    _el(svar, af, "StatusSokandeinformationKodText", "Delvis svar" if partial else "OK")


def _so(data: etree._Element, question: Question, doc: dict[str, Any], partial: bool) -> None:
    so = NS["so"]
    for tag, key in (
        ("OrganisationsnummerIngivare", "orgnr"),
        ("NamnIngivare", "namn"),
        ("KontonamnHandlaggare", "handlaggare"),
        ("Referensnummer", "reference"),
        ("From", "from"),
        ("Tom", "tom"),
        ("Syfte", "syfte"),
        ("Paragraf", "lagtext"),
        ("IdentificationNumber", "person"),
    ):
        _el(data, so, tag, question[key])
    funds = _el(data, so, "ArbetsloshetsersattningLista")
    listed = doc["Arbetsloshetskassor"] or (
        [{"Kassa": "Akademikernas a-kassa", "Utbetalningar": []}] if partial else []
    )
    for fund in listed:
        item = _el(funds, so, "Arbetsloshetsersattning")
        _el(item, so, "SvarandeOrganisation", fund["Kassa"])
        _el(item, so, "StatusSvarandeOrganisation", "EJ_SVAR" if partial else "OK")
        for p in fund["Utbetalningar"]:
            paid = _el(item, so, "Utbetalningar")
            for tag in (
                "Utbetalningsdatum",
                "NettoEfterSkatt",
                "NettoEfterAvdrag",
                "Ersattningsdagar",
                "AvserFrom",
                "AvserTom",
            ):
                _el(paid, so, tag, p[tag])


def _csn_date(text: str) -> str:
    return text.replace("-", "")


def _csn(data: etree._Element, question: Question, doc: dict[str, Any], partial: bool) -> None:
    kf, pers, gem = NS["csn"], NS["csnpers"], CSN_NS["csngem"]
    root = etree.Element(f"{{{kf}}}CSNSvar", nsmap={"csn": kf, "csnpers": pers, "csngem": gem})
    root.set("schemaVersion", "4.0")
    result = _el(_el(root, kf, "GemensamtSvarEkbistand"), kf, "Resultat")
    _el(result, kf, "ResultatKod", "1" if partial else "0")
    _el(result, kf, "ResultatText", "Delvis svar" if partial else "OK")
    _el(root, kf, "GemensamtFragaEkbistand")
    people = _el(root, kf, "Personer")
    if _is_samordningsnummer(question["person"]):
        # CSN's person number type has no room for a samordningsnummer: CSN cannot say (our reading), so
        # the answer names no person and a result code other than 0: "not available", never "none".
        result.find(f"{{{kf}}}ResultatKod").text = "SAMORDNINGSNUMMER"
        result.find(f"{{{kf}}}ResultatText").text = "Samordningsnummer kan inte sökas hos CSN"
        _el(data, SSBT, "svar", base64.b64encode(etree.tostring(root, encoding="UTF-8")).decode())
        return
    person = _el(people, kf, "Person")
    person.set("personnummer", question["person"][2:])
    person.set("sekel", question["person"][:2])
    listing = _el(person, pers, "Studiestodstypforteckning")
    for tag in (
        "studiemedel",
        "studiehjalp",
        "hemutrustningslan",
        "studiestartsstod",
        "omstallningsstudiestod",
    ):
        _el(listing, gem, tag, tag)
    for container, kind in CSN_KINDS.items():
        holder = _el(person, pers, container)
        payments = [p for p in doc["Utbetalningar"] if p["Stodform"] == kind]
        if not payments:
            continue
        case = _el(_el(holder, pers, "Arenden"), pers, "Arende")
        case.set("lopnummer", "1")
        ns = CSN_NS[kind]
        _el(case, ns, "stodform", CSN_CODES[kind])
        _el(case, ns, "klartext", payments[0]["Benamning"][:40])
        _el(case, ns, "status", "BESLUTAD")
        if kind != "HEMUTRUSTNINGSLAN":
            _el(case, ns, "soktaTider")
            _el(case, ns, "BeviljadeTider")
        plan = _el(case, ns, "UtbetalningsPlan")
        for p in payments:
            paid = _el(plan, ns, "Utbetalning")
            _el(paid, gem, "utbetdatum", _csn_date(p["Utbetalningsdatum"]))
            _el(paid, gem, "utbetstatus", "Utbetald")
            span = _el(_el(paid, gem, "Utbetaldatider"), gem, "Utbetaldtid")
            _el(span, gem, "startvecka", _csn_date(p["AvserFrom"]))
            _el(span, gem, "slutvecka", _csn_date(p["AvserTom"]))
            amounts = _el(span, gem, "Beloppen")
            total = int(p["Bidrag"]) + int(p["Lan"])
            for typ, text, value in (("BIDRAG", "Bidrag", p["Bidrag"]), ("LAN", "Lån", p["Lan"])):
                if int(value):
                    belopp = _el(amounts, gem, "Belopp")
                    _el(belopp, gem, "beloppstyp", typ)
                    _el(belopp, gem, "klartext", text)
                    _el(belopp, gem, "belopp", int(value))
                    _el(belopp, gem, "totbelopp", int(value))
            _el(span, gem, "totbelopp", total)
            _el(paid, gem, "totbelopp", total)
    encoded = base64.b64encode(etree.tostring(root, xml_declaration=True, encoding="UTF-8")).decode()
    _el(data, SSBT, "svar", encoded)


def _skv(data: etree._Element, question: Question, doc: dict[str, Any], partial: bool) -> None:
    inner = etree.Element("Beskattningsuppgifter")
    for k in doc["Kapitaluppgifter"]:
        record = etree.SubElement(inner, "Kapitaluppgift")
        for key in ("Taxeringsar", "SummaIntakterPaKapital", "OverskottPaKapital"):
            record.set(key, str(k[key]))
    _el(data, None, "svar", etree.tostring(inner, encoding="unicode"))


def _tns(data: etree._Element, question: Question, doc: dict[str, Any], partial: bool) -> None:
    tns, frdn = NS["tns"], NS["frdn"]
    _el(data, tns, "resultat", "FEL" if partial else "OK")
    holdings = _el(data, tns, "fordonsinnehav")
    for v in doc["Fordonsinnehav"]:
        vehicle = _el(holdings, frdn, "fordon")
        for tag, key in (
            ("regnr", "Regnr"),
            ("fabrikat", "Fabrikat"),
            ("fordonsar", "Fordonsar"),
            ("fordonsslag", "Fordonsslag"),
            ("handelsbeteckning", "Handelsbeteckning"),
        ):
            _el(vehicle, frdn, tag, v[key])
    if partial:
        error = _el(data, tns, "felresultat")
        _el(error, tns, "felkod", 9)
        _el(error, tns, "feltext", "Uppgifter om fordonsinnehav kunde inte hämtas i sin helhet")


def _miv(data: etree._Element, question: Question, doc: dict[str, Any], partial: bool) -> None:
    response = _el(data, None, "response")
    _el(response, None, "korrelationsid", question["reference"])
    _el(response, None, "correlationid", question["reference"])
    if doc["Hemland"] is None and not doc["Arenden"]:
        return
    _el(response, None, "hemland", doc["Hemland"])
    _el(response, None, "inresedatum", doc["Inresedatum"])
    _el(response, None, "personnummer", question["person"])
    collection = _el(response, None, "svarCollection")
    for case in doc["Arenden"]:
        svar = _el(collection, None, "svar")
        _el(svar, None, "ansokningsdatum", case["Ansokningsdatum"])
        _el(svar, None, "arendeTyp", case["Arendetyp"])
        for tag, key in (
            ("beslutsKod", "Beslutskod"),
            ("beslutsTyp", "Beslutstyp"),
            ("beslutsdatum", "Beslutsdatum"),
            ("fromDatum", "GiltigFrom"),
        ):
            if case[key] is not None:
                _el(svar, None, tag, case[key])
        if case["Beslutsdatum"] is not None:
            _el(svar, None, "giltighetstid", "TIDBEGRANSAT" if case["GiltigTom"] else "PERMANENT")
        if case["GiltigTom"] is not None:
            _el(svar, None, "tomDatum", case["GiltigTom"])


_WRITERS = {
    Source.FK: _fk,
    Source.AF: _af,
    Source.SO: _so,
    Source.CSN: _csn,
    Source.SKV: _skv,
    Source.TNS: _tns,
    Source.MIV: _miv,
}


# --- Navet ----------------------------------------------------------------------------------------------


def _yes(flag: bool) -> str:
    return "J" if flag else "N"


def _is_samordningsnummer(pnr: str) -> bool:
    return parse(pnr).is_samordningsnummer


def _person_id(parent: etree._Element, pnr: str) -> None:
    person_id = _el(parent, NAV, "PersonId")
    _el(person_id, NAV, "Samordningsnummer" if _is_samordningsnummer(pnr) else "PersonNr", pnr)


def navet_answer(doc: dict[str, Any] | None) -> bytes:
    """Navet's answer for the person's ``Personpost`` document (None: Navet does not know them)."""
    root = etree.Element(f"{{{NAV}}}HamtaPersonpostSvar", nsmap={"nav": NAV})
    if doc is None:
        return envelope(root)
    p = doc["Personpost"]
    post = _el(root, NAV, "Personpost")
    _person_id(post, p["Personidentitet"])
    _el(post, NAV, "Sekretessmarkering", _yes(p["Skyddsmarkering"] == "SEKRETESSMARKERING"))
    _el(post, NAV, "SkyddadFolkbokforing", _yes(p["Skyddsmarkering"] == "SKYDDAD_FOLKBOKFORING"))
    name = _el(post, NAV, "Namn")
    _el(name, NAV, "Fornamn", p["Fornamn"])
    _el(name, NAV, "Efternamn", p["Efternamn"])
    _el(post, NAV, "Fodelsedatum", p["Fodelsedatum"])
    _el(post, NAV, "Kon", p["Kon"])
    _el(_el(post, NAV, "Folkbokforing"), NAV, "Folkbokford", _yes(p["Folkbokford"]))
    address = p.get("Folkbokforingsadress")
    if address:
        found = _el(_el(post, NAV, "Adresser"), NAV, "Folkbokforingsadress")
        _el(found, NAV, "Utdelningsadress2", address["Utdelningsadress"])
        _el(found, NAV, "PostNr", address["Postnummer"])
        _el(found, NAV, "Postort", address["Postort"])
        if address["Lagenhetsnummer"]:
            _el(found, NAV, "Lagenhetsnummer", address["Lagenhetsnummer"])
        _el(found, NAV, "Kommun", address["Kommun"])
    if p["Civilstand"]:
        _el(_el(post, NAV, "Civilstand"), NAV, "CivilstandKod", p["Civilstand"])
    relations = _el(post, NAV, "Relationer")
    for r in p["Relationer"]:
        relation = _el(relations, NAV, "Relation")
        _person_id(relation, r["Personidentitet"])
        _el(relation, NAV, "Relationstyp", r["Relationstyp"])
    residents = _el(post, NAV, "PersonerPaAdressen")
    for m in p["PersonerPaAdressen"]:
        resident = _el(residents, NAV, "Person")
        _person_id(resident, m["Personidentitet"])
        skydd = _el(resident, NAV, "Skydd")
        _el(skydd, NAV, "Sekretessmarkering", _yes(m["Skyddsmarkering"] == "SEKRETESSMARKERING"))
        _el(skydd, NAV, "SkyddadFolkbokforing", _yes(m["Skyddsmarkering"] == "SKYDDAD_FOLKBOKFORING"))
    return envelope(root)


def wire_answer(population: Any, source: Source, person: Any, period: Any, reference: str = "req-1") -> str:
    """The simulator's answer for ``person`` and ``period`` as it goes on the wire (in process, no HTTP):
    what the contract tests record and the in-process gateways read."""
    document = answer_for(population, source, person, period)
    if source is Source.NAVET:
        return navet_answer(document).decode()
    question = Question(
        person=person.pnr,
        reference=reference,
        orgnr="162120000000",
        namn="Exempelkommun",
        handlaggare="bistand-robot",
        syfte="Handläggning av ekonomiskt bistånd",
        lagtext="11 kap. 11 § socialtjänstlagen (2001:453)",
        tom=period.last_day.isoformat(),
        **{"from": period.first_day.isoformat()},
    )
    return ssbtek_answer(question, source, document).decode()
