"""The payout account as the citizen types it, checked with the bank rules of `bistand.bank.accounts`.

That library knows every Swedish bank's clearing series and check digits; its messages are sentences a
citizen can act on, so they are shown as they are, in the citizen's language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bistand.bank.accounts import AccountError, parse_bank_account, parse_bankgiro


def check_account(clearing: str, account: str) -> tuple[str, str] | None:
    """None when the account can be paid to; else (field name, message saying what to do)."""
    if not (clearing or "").strip():
        return "clearing_number", _("Skriv clearingnumret, de fyra första siffrorna i ditt kontonummer.")
    if not (account or "").strip():
        return "account_number", _("Skriv ditt kontonummer. Det finns i din internetbank eller på kortet.")
    try:
        parse_bank_account(clearing, account)
    except AccountError as error:
        field = (
            "clearing_number" if error.code in {"clearing_format", "unknown_clearing"} else "account_number"
        )
        return field, error.message_in(_)
    return None


def check_bankgiro(number: str) -> str | None:
    """None for a valid Bankgiro number; else a message saying what to do."""
    if not (number or "").strip():
        return _("Skriv bankgironumret, 7 eller 8 siffror.")
    try:
        parse_bankgiro(number)
    except AccountError as error:
        return error.message_in(_)
    return None
