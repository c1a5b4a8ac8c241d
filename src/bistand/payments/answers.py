"""Where the money goes, read from the application's answers. This is the contract with the e-application.

Every answer has the shape `{"value": ..., "source": "citizen" | "caseworker" | <register>}`. The payment
module reads these keys of `Application.answers`:

``payout_account`` (required for a payout to the applicant)
    ``{"value": {"clearing_number": "8327-9", "account_number": "123 456 789-7"}, "source": "citizen"}``
    or ``{"value": {"bankgiro": "5050-1055"}, "source": "citizen"}``, or, for someone without a bank account,
    ``{"value": {"route": "cash"}}`` (or ``"card"``): handed out at the counter where the municipality offers it. Spaces, hyphens and dots are allowed;
    for Swedbank's 8xxx-x accounts the clearing number may be given with four or five digits.

``split_between_partners`` (optional)
    ``{"value": true, "source": "citizen"}``: the household's own money is paid half to each partner.

``co_applicant_payout_account`` (needed when split)
    Same shape as ``payout_account``; the value may carry ``"holder_name": "Anna Demosson"`` for the file
    (otherwise ``co_applicant.value.name`` is used when present).

``third_party_payments`` (optional)
    ``{"value": [{"cost_type": "rent", "amount": "7800", "bankgiro": "5050-1055",
    "reference": "OCR or text", "payee_name": "Bostadsbolaget AB"}], "source": "caseworker"}``.
    ``cost_type`` is one of rent, electricity, home_insurance, other. Instead of ``bankgiro`` a bank account
    (``clearing_number`` and ``account_number``) may be given. ``amount`` is a string in kronor ("7800" or
    "7800.50"). The payee gets the amount, the reference and their own name, nothing about the case.

Nothing is guessed: a missing or unusable account makes the order `held` with the reason, for a person to
fix. Third-party payments that add up to more than the decision grants hold the whole decision's payment.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from bistand.payments.accounts import (
    AccountError,
    BankAccount,
    Bankgiro,
    ocr_reference_valid,
    parse_bank_account,
    parse_bankgiro,
)
from bistand.payments.counter import CounterPayout, parse_route

THIRD_PARTY_COST_TYPES = ("rent", "electricity", "home_insurance", "other")


@dataclass(frozen=True)
class AccountAnswer:
    """A payout account from the answers: the account, or why there is none (code and Swedish sentence)."""

    account: BankAccount | Bankgiro | CounterPayout | None = None
    problem: str = ""
    message: str = ""
    holder_name: str = ""


@dataclass(frozen=True)
class ThirdPartyAnswer:
    """One payment to a landlord, an electricity company or the like."""

    cost_type: str
    amount: Decimal
    account: AccountAnswer
    payee_name: str
    reference: str
    reference_is_ocr: bool


@dataclass(frozen=True)
class PayoutData:
    """Everything planning needs from the answers. `problem` stops the whole payment (held, never guessed)."""

    citizen: AccountAnswer
    split: bool = False
    partner: AccountAnswer | None = None
    third_parties: list[ThirdPartyAnswer] = field(default_factory=list)
    problem: str = ""
    message: str = ""


def _value(answers: dict, key: str):
    answer = answers.get(key)
    if isinstance(answer, dict) and "value" in answer:
        return answer["value"]
    return None


def read_account(value: object) -> AccountAnswer:
    """An account given as `{"bankgiro": ...}` or `{"clearing_number": ..., "account_number": ...}`, or the
    counter (`{"route": "cash"}` / `{"route": "card"}`, payments/counter.py) for someone without an account."""
    counter = parse_route(value)
    if counter is not None:
        return AccountAnswer(account=counter)
    if not isinstance(value, dict) or not any(
        value.get(k) for k in ("bankgiro", "clearing_number", "account_number")
    ):
        return AccountAnswer(problem="missing_account", message=_("Kontonummer för utbetalning saknas."))
    holder = str(value.get("holder_name") or "")[:70]
    try:
        if value.get("bankgiro"):
            return AccountAnswer(account=parse_bankgiro(value["bankgiro"]), holder_name=holder)
        account = parse_bank_account(value.get("clearing_number"), value.get("account_number"))
        return AccountAnswer(account=account, holder_name=holder)
    except AccountError as error:
        return AccountAnswer(problem="invalid_account", message=error.message, holder_name=holder)


def _amount(raw: object) -> Decimal | None:
    try:
        amount = Decimal(str(raw).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        return None
    return amount.quantize(Decimal("0.01"))


def read_third_party(entry: object) -> ThirdPartyAnswer | None:
    """One third-party entry, or None when it is too broken to pay at all (no amount, no payee)."""
    if not isinstance(entry, dict):
        return None
    amount = _amount(entry.get("amount"))
    payee = str(entry.get("payee_name") or "").strip()[:70]
    if amount is None or not payee:
        return None
    cost_type = entry.get("cost_type") if entry.get("cost_type") in THIRD_PARTY_COST_TYPES else "other"
    reference = str(entry.get("reference") or "").strip()
    compact = reference.replace(" ", "")
    is_ocr = ocr_reference_valid(compact)
    return ThirdPartyAnswer(
        cost_type=cost_type,
        amount=amount,
        account=read_account(entry),
        payee_name=payee,
        reference=compact if is_ocr else reference[:140],
        reference_is_ocr=is_ocr,
    )


def read_payout_data(answers: dict) -> PayoutData:
    """Read the payout answers; see the module docstring for the shapes."""
    answers = answers if isinstance(answers, dict) else {}
    citizen = read_account(_value(answers, "payout_account"))
    split = _value(answers, "split_between_partners") is True
    partner = read_account(_value(answers, "co_applicant_payout_account")) if split else None
    co_applicant = _value(answers, "co_applicant")
    if partner is not None and not partner.holder_name and isinstance(co_applicant, dict):
        # The partner's name for the file, from the co-applicant answer when the account does not carry it.
        partner = replace(partner, holder_name=str(co_applicant.get("name") or "")[:70])
    raw = _value(answers, "third_party_payments") or []
    if not isinstance(raw, list):
        raw = [raw]
    third_parties = []
    for entry in raw:
        parsed = read_third_party(entry)
        if parsed is None:
            return PayoutData(
                citizen=citizen,
                split=split,
                partner=partner,
                problem="invalid_third_party",
                message=_("En betalning till tredje part saknar belopp eller mottagare."),
            )
        third_parties.append(parsed)
    return PayoutData(citizen=citizen, split=split, partner=partner, third_parties=third_parties)
