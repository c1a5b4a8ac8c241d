"""Swedish bank account numbers and Bankgiro numbers: parsed, checked and masked.

The rules are those of Bankgirot's user manual "Bankernas kontonummer" (bankernaskontonummeruppbyggnad):
an account is a clearing number and an account number (räkningsnummer), and the clearing number says how
the account number is built and checked.

* Type 1: seven-digit account number; modulus 11 over clearing and account together.
  Comment 1 leaves out the clearing number's first digit (10 digits weighed 10..1),
  comment 2 takes all four (11 digits weighed 1, 10, 9 .. 1).
* Type 2: the account number alone carries the check.
  Comment 1: ten digits, modulus 10 (Danske Bank 918x, Nordea personkonto 3300/3782, Sparbanken Syd, …).
  Comment 2: nine digits, modulus 11 (Handelsbanken).
  Comment 3: up to ten digits, zero-filled, modulus 10 (Swedbank's 8xxx-x series, whose clearing number has
  a fifth digit that is itself a modulus-10 check digit; Nordea Plusgirot).

A Bankgiro number has seven or eight digits, the last a modulus-10 check digit.

The clearing table changes when banks come and go; it is data below, dated, so it is easy to update.
Error messages are Swedish sentences a citizen or a member of staff can act on. This module knows no Django:
an `AccountError` carries its Swedish `template` (the gettext msgid) and `params`, and the layer that shows
it translates it (`AccountError.message_in(gettext)`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# Clearing-number series as published by Bankgirot (checked against public copies, 2026).
TABLE_VERSION = "2026-11"


class Rule(enum.Enum):
    """How a bank's account numbers are built and checked (Bankgirot's type and comment)."""

    TYPE1_COMMENT1 = "1:1"
    TYPE1_COMMENT2 = "1:2"
    TYPE2_COMMENT1 = "2:1"
    TYPE2_COMMENT2 = "2:2"
    TYPE2_COMMENT3 = "2:3"


@dataclass(frozen=True)
class ClearingRange:
    first: int
    last: int
    bank: str
    rule: Rule


_R = Rule
CLEARING_RANGES: tuple[ClearingRange, ...] = tuple(
    ClearingRange(first, last, bank, rule)
    for first, last, bank, rule in [
        (1100, 1199, "Nordea", _R.TYPE1_COMMENT1),
        (1200, 1399, "Danske Bank", _R.TYPE1_COMMENT1),
        (1400, 2099, "Nordea", _R.TYPE1_COMMENT1),
        (2300, 2399, "Ålandsbanken", _R.TYPE1_COMMENT2),
        (2400, 2499, "Danske Bank", _R.TYPE1_COMMENT1),
        (3000, 3299, "Nordea", _R.TYPE1_COMMENT1),
        (3300, 3300, "Nordea (personkonto)", _R.TYPE2_COMMENT1),
        (3301, 3399, "Nordea", _R.TYPE1_COMMENT1),
        (3400, 3409, "Länsförsäkringar Bank", _R.TYPE1_COMMENT1),
        (3410, 3781, "Nordea", _R.TYPE1_COMMENT1),
        (3782, 3782, "Nordea (personkonto)", _R.TYPE2_COMMENT1),
        (3783, 3999, "Nordea", _R.TYPE1_COMMENT1),
        (4000, 4999, "Nordea", _R.TYPE1_COMMENT2),
        (5000, 5999, "SEB", _R.TYPE1_COMMENT1),
        (6000, 6999, "Handelsbanken", _R.TYPE2_COMMENT2),
        (7000, 7999, "Swedbank", _R.TYPE1_COMMENT1),
        (8000, 8999, "Swedbank", _R.TYPE2_COMMENT3),
        (9020, 9029, "Länsförsäkringar Bank", _R.TYPE1_COMMENT2),
        (9040, 9049, "Citibank", _R.TYPE1_COMMENT2),
        (9060, 9069, "Länsförsäkringar Bank", _R.TYPE1_COMMENT1),
        (9070, 9079, "Multitude Bank", _R.TYPE1_COMMENT1),
        (9100, 9109, "Nordnet Bank", _R.TYPE1_COMMENT2),
        (9120, 9124, "SEB", _R.TYPE1_COMMENT1),
        (9130, 9149, "SEB", _R.TYPE1_COMMENT1),
        (9150, 9169, "Skandiabanken", _R.TYPE1_COMMENT2),
        (9170, 9179, "Ikano Bank", _R.TYPE1_COMMENT1),
        (9180, 9189, "Danske Bank", _R.TYPE2_COMMENT1),
        (9190, 9199, "DNB Bank", _R.TYPE1_COMMENT2),
        (9230, 9239, "Marginalen Bank", _R.TYPE1_COMMENT1),
        (9250, 9259, "SBAB", _R.TYPE1_COMMENT1),
        (9260, 9269, "DNB Bank", _R.TYPE1_COMMENT2),
        (9270, 9279, "ICA Banken", _R.TYPE1_COMMENT1),
        (9280, 9289, "Resurs Bank", _R.TYPE1_COMMENT1),
        (9300, 9349, "Swedbank (fd. Sparbanken Öresund)", _R.TYPE2_COMMENT1),
        (9390, 9399, "Landshypotek", _R.TYPE1_COMMENT2),
        (9400, 9449, "Forex Bank", _R.TYPE1_COMMENT1),
        (9460, 9469, "Santander Consumer Bank", _R.TYPE1_COMMENT1),
        (9470, 9479, "BNP Paribas", _R.TYPE1_COMMENT2),
        (9500, 9549, "Nordea (Plusgirot)", _R.TYPE2_COMMENT3),
        (9550, 9569, "Avanza Bank", _R.TYPE1_COMMENT2),
        (9570, 9579, "Sparbanken Syd", _R.TYPE2_COMMENT1),
        (9580, 9589, "Aion Bank", _R.TYPE1_COMMENT1),
        (9590, 9599, "Erik Penser Bank", _R.TYPE1_COMMENT2),
        (9630, 9639, "Lån & Spar Bank Sverige", _R.TYPE1_COMMENT1),
        (9640, 9649, "NOBA Bank Group", _R.TYPE1_COMMENT2),
        (9650, 9659, "MedMera Bank", _R.TYPE1_COMMENT2),
        (9660, 9669, "Svea Bank", _R.TYPE1_COMMENT2),
        (9670, 9679, "JAK Medlemsbank", _R.TYPE1_COMMENT2),
        (9680, 9689, "Bluestep Finans", _R.TYPE1_COMMENT1),
        (9700, 9709, "Ekobanken", _R.TYPE1_COMMENT2),
        (9710, 9719, "Lunar Bank", _R.TYPE1_COMMENT2),
        (9750, 9759, "Northmill Bank", _R.TYPE1_COMMENT2),
        (9780, 9789, "Klarna Bank", _R.TYPE1_COMMENT2),
        (9880, 9889, "Riksgälden", _R.TYPE1_COMMENT2),
        (9890, 9899, "Riksgälden", _R.TYPE2_COMMENT1),
        (9960, 9969, "Nordea (Plusgirot)", _R.TYPE2_COMMENT3),
    ]
)

# The clearing number Bankgirot's payments are routed under in ISO 20022 files (SESBA member id).
BANKGIRO_CLEARING = "9900"


def _(template: str) -> str:
    """Marks a message for translation (gettext's extraction finds `_`); the text stays Swedish here."""
    return template


_SEPARATORS = re.compile(r"[\s\-.,/\u00a0]")


class AccountError(ValueError):
    """An account or Bankgiro number that cannot be used, with a Swedish message saying why.

    `template` is the message's gettext msgid and `params` fill it; `message` is the Swedish text.
    """

    def __init__(self, code: str, template: str, params: Mapping[str, object] | None = None) -> None:
        self.code = code
        self.template = template
        self.params = dict(params or {})
        self.message = self.message_in(str)
        super().__init__(self.message)

    def message_in(self, translate: Callable[[str], str]) -> str:
        """The message in the language `translate` (e.g. Django's gettext) gives the template."""
        text = translate(self.template)
        return text % self.params if self.params else text


def digits_only(value: object) -> str:
    """The digits typed, with the spaces, hyphens and dots people write between them removed."""
    text = _SEPARATORS.sub("", str(value or ""))
    if text and not text.isdigit():
        raise AccountError("format", _("Skriv bara siffror (mellanslag och bindestreck går bra)."))
    return text


def luhn_valid(digits: str) -> bool:
    """Modulus 10 (the Luhn rule, as in personnummer): the last digit checks the ones before it."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def luhn_check_digit(digits: str) -> str:
    """The modulus-10 check digit to append to `digits`."""
    return next(c for c in "0123456789" if luhn_valid(digits + c))


def mod11_valid(digits: str) -> bool:
    """Modulus 11 with the weights 1, 2, … 10, 1, … counted from the right."""
    total = sum(int(char) * (position % 10 + 1) for position, char in enumerate(reversed(digits)))
    return total % 11 == 0


def mask(digits: str) -> str:
    """Show only the last four digits: `****1234`. For screens and logs; never the whole number."""
    return f"****{digits[-4:]}" if digits else ""


@dataclass(frozen=True)
class BankAccount:
    """A checked Swedish bank account. `clearing` has five digits for Swedbank's 8xxx-x series."""

    clearing: str
    number: str
    bank: str
    rule: Rule

    @property
    def bban(self) -> str:
        """Clearing and account number written together, as Swedish payment files expect."""
        return self.clearing + self.number

    @property
    def clearing_member_id(self) -> str:
        """The four-digit clearing number that identifies the bank (SESBA member id)."""
        return self.clearing[:4]

    @property
    def masked(self) -> str:
        return mask(self.number)


@dataclass(frozen=True)
class Bankgiro:
    """A checked Bankgiro number."""

    number: str

    @property
    def formatted(self) -> str:
        """Written as Bankgirot does: 123-4567 or 1234-5678."""
        return f"{self.number[:-4]}-{self.number[-4:]}"

    @property
    def masked(self) -> str:
        return mask(self.number)


def find_clearing(clearing4: int) -> ClearingRange | None:
    """The bank series a four-digit clearing number belongs to, if any."""
    for entry in CLEARING_RANGES:
        if entry.first <= clearing4 <= entry.last:
            return entry
    return None


def parse_bank_account(clearing_number: object, account_number: object) -> BankAccount:
    """Check a clearing number and account number; return the account or raise `AccountError`."""
    clearing = digits_only(clearing_number)
    number = digits_only(account_number)
    if len(clearing) not in (4, 5):
        raise AccountError(
            "clearing_format",
            _("Clearingnumret ska ha fyra siffror (fem för vissa konton hos Swedbank och sparbankerna)."),
        )
    if not number:
        raise AccountError("missing", _("Kontonummer saknas."))
    entry = find_clearing(int(clearing[:4]))
    if entry is None:
        raise AccountError(
            "unknown_clearing",
            _("Clearingnumret %(clearing)s hör inte till någon bank vi känner till. Kontrollera numret."),
            {"clearing": clearing},
        )
    if entry.rule is Rule.TYPE2_COMMENT3 and entry.first == 8000:
        clearing = _swedbank_clearing(clearing)
    elif len(clearing) == 5:
        raise AccountError(
            "clearing_format",
            _("Clearingnumret hos %(bank)s har fyra siffror."),
            {"bank": entry.bank},
        )
    number = _check_account_number(entry, clearing, number)
    return BankAccount(clearing=clearing, number=number, bank=entry.bank, rule=entry.rule)


def _swedbank_clearing(clearing: str) -> str:
    """Swedbank's 8xxx-x: the fifth digit checks the first four. Given four digits, add it."""
    check = luhn_check_digit(clearing[:4])
    if len(clearing) == 4:
        return clearing + check
    if clearing[4] != check:
        raise AccountError(
            "clearing_check_digit",
            _("Den femte siffran i clearingnumret stämmer inte. Kontrollera numret."),
        )
    return clearing


def _check_account_number(entry: ClearingRange, clearing: str, number: str) -> str:
    """Length and check digit for the bank's rule; returns the number in its full (zero-filled) length."""
    rule = entry.rule
    if rule in (Rule.TYPE1_COMMENT1, Rule.TYPE1_COMMENT2):
        _require_length(entry, number, 7, 7)
        checked = (clearing[1:] if rule is Rule.TYPE1_COMMENT1 else clearing) + number
        valid = mod11_valid(checked)
    elif rule is Rule.TYPE2_COMMENT1:
        if entry.bank.startswith("Nordea (personkonto)") and len(number) == 12:
            # A personkonto number is the holder's personnummer; people often type the century too.
            number = number[2:]
        _require_length(entry, number, 10, 10)
        valid = luhn_valid(number)
    elif rule is Rule.TYPE2_COMMENT2:
        _require_length(entry, number, 8, 9)
        number = number.zfill(9)
        valid = mod11_valid(number)
    else:
        _require_length(entry, number, 1, 10)
        number = number.zfill(10)
        valid = luhn_valid(number)
    if int(number) == 0:
        raise AccountError("zeros", _("Kontonumret kan inte bestå av bara nollor."))
    if not valid:
        raise AccountError(
            "check_digit",
            _("Kontonumret stämmer inte med clearingnumret (fel kontrollsiffra). Kontrollera båda numren."),
        )
    return number


def _require_length(entry: ClearingRange, number: str, shortest: int, longest: int) -> None:
    if shortest <= len(number) <= longest:
        return
    if shortest == longest:
        template = _("Kontonumret hos %(bank)s ska ha %(count)d siffror (utan clearingnummer).")
    else:
        template = _("Kontonumret hos %(bank)s ska ha %(low)d till %(high)d siffror (utan clearingnummer).")
    raise AccountError(
        "length", template, {"bank": entry.bank, "count": longest, "low": shortest, "high": longest}
    )


def parse_bankgiro(value: object) -> Bankgiro:
    """Check a Bankgiro number (seven or eight digits, modulus 10); return it or raise `AccountError`."""
    number = digits_only(value)
    if len(number) not in (7, 8):
        raise AccountError("bankgiro_format", _("Ett bankgironummer har sju eller åtta siffror."))
    if not luhn_valid(number):
        raise AccountError(
            "bankgiro_check_digit",
            _("Bankgironumret stämmer inte (fel kontrollsiffra). Kontrollera numret."),
        )
    return Bankgiro(number=number)


def ocr_reference_valid(reference: str) -> bool:
    """True for an OCR reference (2–25 digits, modulus-10 check digit) that a Bankgiro payee can match."""
    return reference.isdigit() and 2 <= len(reference) <= 25 and luhn_valid(reference)
