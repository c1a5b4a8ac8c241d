"""Typed facts per register source.

Every class is a frozen dataclass; money is :class:`~decimal.Decimal` in kronor, dates are
:class:`~datetime.date`. Field names are English; each docstring gives the register's own field name so
that the adapters (``ssbtek.py``, ``lefi.py``, ``navet.py``) and the simulator's writer map onto the same facts.

An empty tuple here means the register *answered* and had no records (for instance no payments in the
period). A register that did not answer gives no facts at all but a typed error (see ``errors.py``), so
"no income" can never be confused with "no answer".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from bistand.registers.sources import Source

__all__ = [
    "ActivityReport",
    "Address",
    "AfFacts",
    "BenefitClaim",
    "BenefitDecision",
    "BenefitPayment",
    "CapitalIncome",
    "CsnFacts",
    "EconomicDecision",
    "FkFacts",
    "HouseholdMember",
    "MivFacts",
    "NavetFacts",
    "OtherInformation",
    "PaymentLine",
    "Protection",
    "Relation",
    "ResidencePermit",
    "SkvFacts",
    "SoFacts",
    "SourceFacts",
    "StudyPayment",
    "TnsFacts",
    "UnemploymentPayment",
    "Vehicle",
]

ZERO = Decimal(0)


class Protection(StrEnum):
    """Protected personal data (skyddade personuppgifter), lowest to highest."""

    NONE = "none"
    SEKRETESSMARKERING = "sekretessmarkering"  # warning flag: assess before disclosing anything
    SKYDDAD_FOLKBOKFORING = "skyddad_folkbokforing"  # registered elsewhere; the real address is never spread

    @property
    def is_protected(self) -> bool:
        return self is not Protection.NONE


# --- Försäkringskassan and Pensionsmyndigheten ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaymentLine:
    """One line of a payment's specification (``Specifikation``: ``Typ``, ``Belopp``)."""

    kind: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class BenefitPayment:
    """A payment of one benefit (``Utbetalningar`` or ``PreliminaraUtbetalningar``).

    ``code`` is the LEFI benefit code, for example ``FK:ABB`` (barnbidrag) or ``PM:AP`` (allmän pension).
    ``preliminary`` is true for a planned payment that has not been made yet.
    """

    code: str
    label: str
    paid_on: date  # Utbetalningsdatum
    covers_from: date  # AvserFrom
    covers_to: date  # AvserTom
    gross: Decimal  # Bruttobelopp
    tax: Decimal  # Skatteavdrag
    net: Decimal  # Nettobelopp
    preliminary: bool = False
    lines: tuple[PaymentLine, ...] = ()  # Specifikation


@dataclass(frozen=True, slots=True)
class BenefitDecision:
    """A decision on a benefit (``Beslut``): when it was taken, what period, how much a month."""

    code: str
    label: str
    decided_on: date  # Beslutsdatum
    valid_from: date  # GallerFrom
    valid_to: date | None  # GallerTom (None: until further notice)
    monthly_amount: Decimal | None  # BeloppPerManad


@dataclass(frozen=True, slots=True)
class BenefitClaim:
    """A claim not yet decided (``Ansprak``): the person has applied and is waiting."""

    code: str
    label: str
    received_on: date  # Inkommen
    status: str  # Status, e.g. UNDER_UTREDNING


@dataclass(frozen=True, slots=True)
class OtherInformation:
    """Other information (``OvrigInformation``), e.g. ``FK:SGI`` sjukpenninggrundande inkomst."""

    code: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class FkFacts:
    """Benefits from Försäkringskassan and Pensionsmyndigheten in the period (LEFI via SSBTEK)."""

    source: ClassVar[Source] = Source.FK

    payments: tuple[BenefitPayment, ...]
    decisions: tuple[BenefitDecision, ...]
    claims: tuple[BenefitClaim, ...]
    other: tuple[OtherInformation, ...] = ()
    # Benefit codes the municipality is not entitled to see (LEFI avvikelse OBEHORIG): *not available*,
    # which is not the same as "no payments".
    unavailable: tuple[str, ...] = ()

    def paid(self, code: str | None = None) -> tuple[BenefitPayment, ...]:
        """Payments made (not preliminary), of one benefit code or of all."""
        return tuple(p for p in self.payments if not p.preliminary and (code is None or p.code == code))

    def net_paid(self, code: str | None = None) -> Decimal:
        """Sum of the net amounts paid, of one benefit code or of all."""
        return sum((p.net for p in self.paid(code)), ZERO)


# --- Arbetsförmedlingen ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityReport:
    """An activity report (``Aktivitetsrapporter``): submitted on, for which month, message."""

    submitted_on: date  # Inlamnad
    covers_month: str  # AvserManad, YYYY-MM
    message: str  # Meddelande


@dataclass(frozen=True, slots=True)
class EconomicDecision:
    """A decision on compensation (``EkonomiskaBeslut``), e.g. aktivitetsstöd."""

    compensation_type: str  # ErsattningTyp
    extent_percent: int  # Omfattning
    valid_from: date  # BeslutFrom
    valid_to: date | None  # BeslutTom


@dataclass(frozen=True, slots=True)
class AfFacts:
    """The person's standing at Arbetsförmedlingen (``ers_stod``)."""

    source: ClassVar[Source] = Source.AF

    sekretessmarkering: bool  # Sekretessmarkering
    registered: bool  # Arbetssokande
    category: str | None  # ArbetssokandeSKAT (sökandekategori)
    category_text: str | None
    registered_on: date | None  # Inskrivningsdatum
    extent_percent: int | None  # Omfattning
    deregistered: bool  # Avaktualiserad
    activity_reports: tuple[ActivityReport, ...]
    unemployment_fund: str | None  # Akassetillhorighet
    economic_decisions: tuple[EconomicDecision, ...]


# --- Sveriges a-kassor ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnemploymentPayment:
    """An a-kassa payment (``Utbetalningar`` per a-kassa)."""

    fund: str  # the a-kassa
    paid_on: date  # Utbetalningsdatum
    net_after_tax: Decimal  # NettoEfterSkatt
    net_after_deductions: Decimal  # NettoEfterAvdrag
    days: int  # Ersattningsdagar
    covers_from: date  # AvserFrom
    covers_to: date  # AvserTom


@dataclass(frozen=True, slots=True)
class SoFacts:
    """Payments from the unemployment funds in the period."""

    source: ClassVar[Source] = Source.SO

    payments: tuple[UnemploymentPayment, ...]

    @property
    def net_after_tax(self) -> Decimal:
        """Sum of NettoEfterSkatt over the period."""
        return sum((p.net_after_tax for p in self.payments), ZERO)


# --- CSN ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudyPayment:
    """A CSN payment: ``kind`` is STUDIEMEDEL, STUDIEHJALP, HEMUTRUSTNINGSLAN, STUDIESTARTSSTOD or
    OMSTALLNINGSSTUDIESTOD; grant (bidrag) and loan (lån) are kept apart because they count differently."""

    kind: str  # Stodform
    label: str
    paid_on: date
    covers_from: date
    covers_to: date
    grant: Decimal  # Bidrag
    loan: Decimal  # Lan


@dataclass(frozen=True, slots=True)
class CsnFacts:
    """Study support paid in the period."""

    source: ClassVar[Source] = Source.CSN

    payments: tuple[StudyPayment, ...]


# --- Skatteverket (taxation) ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CapitalIncome:
    """Capital income for one assessment year (``Kapitaluppgift``)."""

    assessment_year: int  # Taxeringsar
    total_income: Decimal  # SummaIntakterPaKapital
    surplus: Decimal  # OverskottPaKapital


@dataclass(frozen=True, slots=True)
class SkvFacts:
    """Capital income as taxed; the robot reads it as a sign of assets."""

    source: ClassVar[Source] = Source.SKV

    capital: tuple[CapitalIncome, ...]


# --- Transportstyrelsen ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Vehicle:
    """A vehicle the person owns (``Fordonsinnehav``)."""

    registration: str  # Regnr
    make: str  # Fabrikat
    model_year: int  # Fordonsar
    vehicle_type: str  # Fordonsslag: PERSONBIL, MOTORCYKEL, SLAPVAGN …
    trade_name: str  # Handelsbeteckning


@dataclass(frozen=True, slots=True)
class TnsFacts:
    source: ClassVar[Source] = Source.TNS

    vehicles: tuple[Vehicle, ...]


# --- Migrationsverket -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResidencePermit:
    """A case at Migrationsverket (``Arenden``); the decision fields are None while it is pending."""

    applied_on: date  # Ansokningsdatum
    case_type: str  # Arendetyp, e.g. UAT
    decision_code: str | None  # Beslutskod, e.g. BEV
    decision_type: str | None  # Beslutstyp, e.g. PUT, TUT
    decided_on: date | None  # Beslutsdatum
    valid_from: date | None  # GiltigFrom
    valid_to: date | None  # GiltigTom (None: permanent)


@dataclass(frozen=True, slots=True)
class MivFacts:
    source: ClassVar[Source] = Source.MIV

    permits: tuple[ResidencePermit, ...]
    home_country: str | None  # Hemland (ISO 3166 alpha-3)
    entry_date: date | None  # Inresedatum


# --- Navet (population register) ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Address:
    """A registered address (``Folkbokforingsadress``). Never present for a protected person."""

    street: str  # Utdelningsadress
    postal_code: str  # Postnummer
    city: str  # Postort
    apartment: str | None  # Lagenhetsnummer
    municipality: str  # Kommun


@dataclass(frozen=True, slots=True)
class Relation:
    """A family relation (``Relationer``): BARN, VARDNADSHAVARE, MAKE_MAKA."""

    personnummer: str
    kind: str


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    """Another person registered at the same address (``PersonerPaAdressen``)."""

    personnummer: str
    protection: Protection


@dataclass(frozen=True, slots=True)
class NavetFacts:
    """The person's entry in the population register."""

    source: ClassVar[Source] = Source.NAVET

    personnummer: str
    is_samordningsnummer: bool
    given_name: str
    surname: str
    registered: bool  # Folkbokford
    protection: Protection  # Skyddsmarkering
    address: Address | None
    civil_status: str | None  # Civilstand: OG, G, S, Ä
    relations: tuple[Relation, ...]
    household: tuple[HouseholdMember, ...]


SourceFacts = FkFacts | AfFacts | SoFacts | CsnFacts | SkvFacts | TnsFacts | MivFacts | NavetFacts
