"""ISO 20022 pain.001 (Customer Credit Transfer Initiation): build a file and check it.

The file follows the Swedish common interpretation of ISO 20022 for domestic SEK payments:

* a bank account is `CdtrAcct/Id/Othr/Id` = clearing + account number with scheme code `BBAN`, and the
  bank is named by its clearing number (`CdtrAgt/.../ClrSysMmbId`, clearing system `SESBA`);
* a Bankgiro number is `CdtrAcct/Id/Othr/Id` with the proprietary scheme `BGNR`, routed under clearing 9900;
* an OCR number goes in `RmtInf/Strd/CdtrRefInf` with type `SCOR`, anything else in `RmtInf/Ustrd`.

`validate` checks a file against the official XSD of its version (the files shipped with the `sepaxml`
package; no network) and then against what the XSD cannot say: SEK only, two decimals, control sums that
add up, end-to-end ids that are unique. A file with any error is never released.

No address is ever written, for anyone: nothing in a payment needs one, and a protected person's address
must not leave the system.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from lxml import etree

from bistand.bank.accounts import BANKGIRO_CLEARING, BankAccount, Bankgiro

DEFAULT_VERSION = "pain.001.001.09"
SUPPORTED_VERSIONS = ("pain.001.001.03", "pain.001.001.09", "pain.001.001.10", "pain.001.001.11")
CURRENCY = "SEK"
# Category purpose: social security benefit for the citizen's own money, supplier payment for a landlord.
PURPOSE_BENEFIT = "SSBE"
PURPOSE_THIRD_PARTY = "SUPP"


class Pain001Error(ValueError):
    """A batch that cannot be written as a valid file."""


@dataclass(frozen=True)
class Payer:
    """The paying municipality: its name, organisation number and account."""

    name: str
    organisation_number: str
    account: BankAccount | None = None
    iban: str = ""
    bic: str = ""


@dataclass(frozen=True)
class Transfer:
    """One credit transfer: who gets how much, on which account, with which text or OCR."""

    end_to_end_id: str
    amount: Decimal
    account: BankAccount | Bankgiro
    creditor_name: str = ""
    reference: str = ""
    reference_is_ocr: bool = False
    purpose: str = PURPOSE_BENEFIT


@dataclass
class Batch:
    """Everything in one file: one payout day, one payer, many transfers."""

    message_id: str
    created_at: datetime
    payout_date: date
    payer: Payer
    transfers: list[Transfer] = field(default_factory=list)


def namespace(version: str) -> str:
    return f"urn:iso:std:iso:20022:tech:xsd:{version}"


def money(amount: Decimal) -> str:
    """An amount as the file writes it: two decimals, a point, no grouping."""
    return str(Decimal(amount).quantize(Decimal("0.01")))


def build(batch: Batch, version: str = DEFAULT_VERSION) -> bytes:
    """Write the batch as a pain.001 document of the given version (UTF-8 bytes)."""
    if version not in SUPPORTED_VERSIONS:
        raise Pain001Error(f"unsupported pain.001 version {version}")
    if not batch.transfers:
        raise Pain001Error("a payment file needs at least one transfer")
    ns = namespace(version)
    legacy = version == "pain.001.001.03"

    def el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
        child = etree.SubElement(parent, f"{{{ns}}}{tag}", **attrs)
        if text is not None:
            child.text = text
        return child

    def organisation(parent: etree._Element, tag: str) -> None:
        party = el(parent, tag)
        el(party, "Nm", batch.payer.name[:70])
        other = el(el(el(party, "Id"), "OrgId"), "Othr")
        el(other, "Id", batch.payer.organisation_number)
        # BANK: the identifier the bank knows the customer by; banks' guides ask for the organisation number.
        el(el(other, "SchmeNm"), "Cd", "BANK")

    def clearing_agent(parent: etree._Element, tag: str, clearing: str) -> None:
        member = el(el(el(parent, tag), "FinInstnId"), "ClrSysMmbId")
        el(el(member, "ClrSysId"), "Cd", "SESBA")
        el(member, "MmbId", clearing)

    total = sum((t.amount for t in batch.transfers), Decimal("0"))
    root = etree.Element(f"{{{ns}}}Document", nsmap={None: ns})
    initiation = el(root, "CstmrCdtTrfInitn")
    header = el(initiation, "GrpHdr")
    el(header, "MsgId", batch.message_id)
    el(header, "CreDtTm", batch.created_at.replace(microsecond=0).isoformat())
    el(header, "NbOfTxs", str(len(batch.transfers)))
    el(header, "CtrlSum", money(total))
    organisation(header, "InitgPty")

    # One payment-information block per purpose, so the bank can treat benefits and bills each their way.
    groups: dict[str, list[Transfer]] = {}
    for transfer in batch.transfers:
        groups.setdefault(transfer.purpose, []).append(transfer)
    for number, (purpose, transfers) in enumerate(sorted(groups.items()), start=1):
        info = el(initiation, "PmtInf")
        el(info, "PmtInfId", f"{batch.message_id}-{number}"[:35])
        el(info, "PmtMtd", "TRF")
        el(info, "BtchBookg", "false")
        el(info, "NbOfTxs", str(len(transfers)))
        el(info, "CtrlSum", money(sum((t.amount for t in transfers), Decimal("0"))))
        payment_type = el(info, "PmtTpInf")
        el(el(payment_type, "SvcLvl"), "Cd", "NURG")
        el(el(payment_type, "CtgyPurp"), "Cd", purpose)
        if legacy:
            el(info, "ReqdExctnDt", batch.payout_date.isoformat())
        else:
            el(el(info, "ReqdExctnDt"), "Dt", batch.payout_date.isoformat())
        organisation(info, "Dbtr")
        debtor_account = el(info, "DbtrAcct")
        if batch.payer.iban:
            el(el(debtor_account, "Id"), "IBAN", batch.payer.iban)
        elif batch.payer.account is not None:
            other = el(el(debtor_account, "Id"), "Othr")
            el(other, "Id", batch.payer.account.bban)
            el(el(other, "SchmeNm"), "Cd", "BBAN")
        else:
            raise Pain001Error("the payer has no account")
        el(debtor_account, "Ccy", CURRENCY)
        agent = el(el(info, "DbtrAgt"), "FinInstnId")
        if batch.payer.bic:
            el(agent, "BIC" if legacy else "BICFI", batch.payer.bic)
        if batch.payer.account is not None and not batch.payer.iban:
            member = el(agent, "ClrSysMmbId")
            el(el(member, "ClrSysId"), "Cd", "SESBA")
            el(member, "MmbId", batch.payer.account.clearing_member_id)
        for transfer in transfers:
            _transfer(el, info, transfer, clearing_agent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _transfer(el, info: etree._Element, transfer: Transfer, clearing_agent) -> None:
    if transfer.amount <= 0:
        raise Pain001Error(f"transfer {transfer.end_to_end_id} has no positive amount")
    tx = el(info, "CdtTrfTxInf")
    ids = el(tx, "PmtId")
    el(ids, "InstrId", transfer.end_to_end_id)
    el(ids, "EndToEndId", transfer.end_to_end_id)
    el(el(tx, "Amt"), "InstdAmt", money(transfer.amount), Ccy=CURRENCY)
    account = transfer.account
    if isinstance(account, Bankgiro):
        clearing_agent(tx, "CdtrAgt", BANKGIRO_CLEARING)
    else:
        clearing_agent(tx, "CdtrAgt", account.clearing_member_id)
    if transfer.creditor_name:
        el(el(tx, "Cdtr"), "Nm", transfer.creditor_name[:70])
    other = el(el(el(tx, "CdtrAcct"), "Id"), "Othr")
    if isinstance(account, Bankgiro):
        el(other, "Id", account.number)
        el(el(other, "SchmeNm"), "Prtry", "BGNR")
    else:
        el(other, "Id", account.bban)
        el(el(other, "SchmeNm"), "Cd", "BBAN")
    if transfer.reference:
        remittance = el(tx, "RmtInf")
        if transfer.reference_is_ocr:
            reference = el(el(remittance, "Strd"), "CdtrRefInf")
            el(el(el(reference, "Tp"), "CdOrPrtry"), "Cd", "SCOR")
            el(reference, "Ref", transfer.reference[:35])
        else:
            el(remittance, "Ustrd", transfer.reference[:140])


@lru_cache(maxsize=8)
def schema(version: str) -> etree.XMLSchema:
    """The official XSD for a pain.001 version, read from the sepaxml package (no network)."""
    if version not in SUPPORTED_VERSIONS:
        raise Pain001Error(f"unsupported pain.001 version {version}")
    source = resources.files("sepaxml") / "schemas" / f"{version}.xsd"
    with source.open("rb") as handle:
        return etree.XMLSchema(etree.parse(handle))


def detect_version(document: etree._Element) -> str:
    """The pain.001 version a document declares in its namespace."""
    ns = etree.QName(document).namespace or ""
    version = ns.rsplit(":", 1)[-1]
    if version not in SUPPORTED_VERSIONS:
        raise Pain001Error(f"not a supported pain.001 document: {ns or 'no namespace'}")
    return version


def validate(xml: bytes | str, version: str | None = None) -> list[str]:
    """Every reason the file must not go to the bank; an empty list for a good file."""
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    try:
        # No network, no entities: a payment file has no business pulling anything in.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        document = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    try:
        found = detect_version(document)
    except Pain001Error as error:
        return [str(error)]
    if version is not None and found != version:
        return [f"expected {version}, the file says {found}"]
    xsd = schema(found)
    if not xsd.validate(document):
        return [f"XSD line {e.line}: {e.message}" for e in xsd.error_log]
    return _business_rules(document, namespace(found))


def _business_rules(document: etree._Element, ns: str) -> list[str]:
    """What the schema allows but a Swedish benefit file must not contain."""
    q = {"p": ns}
    errors: list[str] = []
    amounts = document.findall(".//p:InstdAmt", q)
    for amount in amounts:
        if amount.get("Ccy") != CURRENCY:
            errors.append(f"currency {amount.get('Ccy')} is not {CURRENCY}")
        _whole, _point, cents = amount.text.partition(".")
        if Decimal(amount.text) <= 0 or len(cents) != 2:
            errors.append(f"amount {amount.text} must be positive with two decimals")
    header_count = document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=q)
    header_sum = document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=q)
    total = sum((Decimal(a.text) for a in amounts), Decimal("0"))
    if header_count != str(len(amounts)):
        errors.append(f"NbOfTxs {header_count} but {len(amounts)} transactions")
    if header_sum is None or Decimal(header_sum) != total:
        errors.append(f"CtrlSum {header_sum} but the amounts add up to {money(total)}")
    for info in document.findall(".//p:PmtInf", q):
        block = [Decimal(a.text) for a in info.findall(".//p:InstdAmt", q)]
        if info.findtext("p:NbOfTxs", namespaces=q) != str(len(block)):
            errors.append(f"{info.findtext('p:PmtInfId', namespaces=q)}: NbOfTxs does not match")
        block_sum = info.findtext("p:CtrlSum", namespaces=q)
        if block_sum is None or Decimal(block_sum) != sum(block, Decimal("0")):
            errors.append(f"{info.findtext('p:PmtInfId', namespaces=q)}: CtrlSum does not match")
    ids = Counter(e.text for e in document.findall(".//p:EndToEndId", q))
    errors.extend(f"EndToEndId {value} appears {n} times" for value, n in ids.items() if n > 1)
    if document.findall(".//p:PstlAdr", q):
        errors.append("the file carries a postal address; payments never need one")
    return errors


def end_to_end_ids(xml: bytes | str) -> list[str]:
    """The end-to-end ids in a file, in order (for tests and reconciliation)."""
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    document = etree.fromstring(xml)
    ns = etree.QName(document).namespace
    return [e.text for e in document.iter(f"{{{ns}}}EndToEndId")]
