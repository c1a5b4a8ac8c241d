"""Read what the bank says about our payments: pain.002 status reports and camt.054 debit notifications.

Both are ISO 20022 and come in several versions; we read them by element name whatever the namespace, and
only the few elements we need, so a newer version or a bank's extra elements do not break the import.

* pain.002 (Customer Payment Status Report): a status for the whole file (`GrpSts`), for a payment block
  (`PmtInfSts`) or for one transaction (`TxInfAndSts/TxSts`). `ACSC` means settled (paid), `RJCT` rejected;
  `ACCP`, `ACTC`, `ACSP`, `PDNG`, `RCVD` are stages on the way and change nothing but the recorded status.
* camt.054 (Bank To Customer Debit Credit Notification): booked entries. A booked debit naming our
  end-to-end id is a payment made; a credit with return information (`RtrInf`), or a reversal, is a payment
  that came back.

This module only parses; `services.import_bank_status` applies the result, idempotently.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

PAID_CODES = {"ACSC", "ACCC"}
REJECTED_CODES = {"RJCT"}


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"
    PAID = "paid"
    RETURNED = "returned"
    REJECTED = "rejected"


class BankStatusError(ValueError):
    """A file that is not a pain.002 or camt.054 we can read."""


@dataclass(frozen=True)
class StatusReport:
    """What the bank said about one transaction (by end-to-end id) or one payment block."""

    outcome: Outcome
    code: str
    end_to_end_id: str = ""
    payment_information_id: str = ""
    reason: str = ""
    amount: Decimal | None = None
    booked_on: date | None = None


@dataclass
class StatusFile:
    kind: str
    original_message_id: str = ""
    group_status: str = ""
    group_reason: str = ""
    reports: list[StatusReport] = field(default_factory=list)


def _text(element: etree._Element | None, path: str) -> str:
    if element is None:
        return ""
    return (element.findtext(path) or "").strip()


def _outcome(code: str) -> Outcome:
    if code in PAID_CODES:
        return Outcome.PAID
    if code in REJECTED_CODES:
        return Outcome.REJECTED
    return Outcome.ACCEPTED


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def parse(content: bytes) -> StatusFile:
    """Parse a pain.002 or camt.054 file; raises `BankStatusError` for anything else."""
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise BankStatusError(f"not well-formed XML: {error}") from None
    namespace = etree.QName(root).namespace or ""
    if root.find("{*}CstmrPmtStsRpt") is not None:
        return _pain002(root.find("{*}CstmrPmtStsRpt"))
    if root.find("{*}BkToCstmrDbtCdtNtfctn") is not None:
        return _camt054(root.find("{*}BkToCstmrDbtCdtNtfctn"))
    raise BankStatusError(f"neither pain.002 nor camt.054: {namespace or etree.QName(root).localname}")


def _reason(element: etree._Element | None) -> str:
    return _text(element, "{*}StsRsnInf/{*}Rsn/{*}Cd") or _text(element, "{*}StsRsnInf/{*}Rsn/{*}Prtry")


def _pain002(report: etree._Element) -> StatusFile:
    group = report.find("{*}OrgnlGrpInfAndSts")
    result = StatusFile(
        kind="pain.002",
        original_message_id=_text(group, "{*}OrgnlMsgId"),
        group_status=_text(group, "{*}GrpSts"),
        group_reason=_reason(group),
    )
    # Older versions put the transaction statuses directly under the report; newer ones per payment block.
    blocks = report.findall("{*}OrgnlPmtInfAndSts")
    for block in blocks:
        block_id = _text(block, "{*}OrgnlPmtInfId")
        block_status = _text(block, "{*}PmtInfSts")
        transactions = block.findall("{*}TxInfAndSts")
        if block_status and not transactions:
            result.reports.append(
                StatusReport(
                    outcome=_outcome(block_status),
                    code=block_status,
                    payment_information_id=block_id,
                    reason=_reason(block),
                )
            )
        for tx in transactions:
            code = _text(tx, "{*}TxSts") or block_status
            if not code:
                continue
            result.reports.append(
                StatusReport(
                    outcome=_outcome(code),
                    code=code,
                    end_to_end_id=_text(tx, "{*}OrgnlEndToEndId"),
                    payment_information_id=block_id,
                    reason=_reason(tx) or _reason(block),
                    amount=_decimal(_text(tx, "{*}OrgnlTxRef/{*}Amt/{*}InstdAmt")),
                )
            )
    return result


def _camt054(notification_root: etree._Element) -> StatusFile:
    result = StatusFile(kind="camt.054")
    for entry in notification_root.iter("{*}Ntry"):
        # Sts is plain text up to version 6 and <Sts><Cd>…</Cd></Sts> from version 7.
        status = _text(entry, "{*}Sts/{*}Cd") or _text(entry, "{*}Sts")
        if status != "BOOK":
            continue
        direction = _text(entry, "{*}CdtDbtInd")
        reversal = _text(entry, "{*}RvslInd").lower() == "true"
        booked_on = _date(_text(entry, "{*}BookgDt/{*}Dt") or _text(entry, "{*}BookgDt/{*}DtTm"))
        details = entry.findall("{*}NtryDtls/{*}TxDtls")
        entry_amount = _decimal(_text(entry, "{*}Amt"))
        for tx in details:
            end_to_end = _text(tx, "{*}Refs/{*}EndToEndId")
            if not end_to_end or end_to_end == "NOTPROVIDED":
                continue
            amount = (
                _decimal(_text(tx, "{*}Amt"))
                or _decimal(_text(tx, "{*}AmtDtls/{*}TxAmt/{*}Amt"))
                or (entry_amount if len(details) == 1 else None)
            )
            returned = tx.find("{*}RtrInf")
            if returned is not None or reversal or direction == "CRDT":
                reason = _text(returned, "{*}Rsn/{*}Cd") or _text(returned, "{*}Rsn/{*}Prtry")
                result.reports.append(
                    StatusReport(
                        outcome=Outcome.RETURNED,
                        code="RTRN" if returned is not None else ("RVSL" if reversal else "CRDT"),
                        end_to_end_id=end_to_end,
                        reason=reason,
                        amount=amount,
                        booked_on=booked_on,
                    )
                )
            elif direction == "DBIT":
                result.reports.append(
                    StatusReport(
                        outcome=Outcome.PAID,
                        code="BOOK",
                        end_to_end_id=end_to_end,
                        amount=amount,
                        booked_on=booked_on,
                    )
                )
    return result
