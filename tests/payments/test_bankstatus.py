"""Bank status from pain.002 and camt.054: paid, returned, rejected — imported once, whatever happens."""

from decimal import Decimal

import pytest

from bistand.cases.models import TimelineEvent
from bistand.payments import bankstatus
from bistand.payments.models import BankStatusImport, PaymentOrder
from bistand.payments.services import (
    PaymentError,
    create_payment_file,
    import_bank_status,
    mark_sent,
    plan_payments,
    reissue,
    release,
)
from tests.conftest import OTHER_CITIZEN_PNR, make_citizen
from tests.payments.conftest import PAYOUT_DAY, make_decision

pytestmark = pytest.mark.django_db


def pain002(
    message_id: str, transactions: list[tuple[str, str, str]], group: str = "PART", version: str = "10"
) -> bytes:
    """A pain.002 status report as a bank sends it (statuses per transaction, optional reason)."""
    rows = "".join(
        f"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{status}</TxSts>"
        + (f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf>" if reason else "")
        + "</TxInfAndSts>"
        for e2e, status, reason in transactions
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.{version}"><CstmrPmtStsRpt>
<GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2030-11-25T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>{message_id}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
<GrpSts>{group}</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>{message_id}-1</OrgnlPmtInfId>{rows}</OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>""".encode()


def pain002_file_rejected(message_id: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>STS-2</MsgId><CreDtTm>2030-11-25T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>{message_id}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
<GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf></OrgnlGrpInfAndSts>
</CstmrPmtStsRpt></Document>""".encode()


def camt054(entries: list[tuple[str, str, str, bool]], version: str = "08") -> bytes:
    """Booked entries: (end-to-end id, amount, CRDT/DBIT, with return information)."""
    status = "<Sts><Cd>BOOK</Cd></Sts>" if version >= "07" else "<Sts>BOOK</Sts>"
    rows = "".join(
        f"""<Ntry><Amt Ccy="SEK">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>{status}
<BookgDt><Dt>2030-11-25</Dt></BookgDt><ValDt><Dt>2030-11-25</Dt></ValDt>
<NtryDtls><TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs>
<Amt Ccy="SEK">{amount}</Amt>{"<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>" if returned else ""}</TxDtls></NtryDtls></Ntry>"""
        for e2e, amount, direction, returned in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.{version}"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>NTF-1</MsgId><CreDtTm>2030-11-25T18:00:00</CreDtTm></GrpHdr>
<Ntfctn><Id>N1</Id><CreDtTm>2030-11-25T18:00:00</CreDtTm><Acct><Id><Othr><Id>50001001000</Id></Othr></Id></Acct>
{rows}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>""".encode()


@pytest.fixture
def sent(citizen, unit, schedule, finance, finance2, municipality):
    other = make_citizen(OTHER_CITIZEN_PNR, municipality, first_name="Anna")
    orders = plan_payments(make_decision(citizen.person, unit, "7800")) + plan_payments(
        make_decision(other.person, unit, "6100")
    )
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    release(payment_file, finance)
    release(payment_file, finance2)
    mark_sent(payment_file, finance)
    return payment_file, orders


def _status(order):
    order.refresh_from_db()
    return order.status


def test_camt054_booked_debits_mark_orders_paid_and_tell_the_citizen(sent, finance):
    _file, (first, second) = sent
    content = camt054(
        [(first.end_to_end_id, "7800.00", "DBIT", False), (second.end_to_end_id, "6100.00", "DBIT", False)]
    )
    record = import_bank_status(content, finance, "ntf.xml")
    assert record.summary["paid"] == 2 and record.summary["unmatched"] == []
    assert _status(first) == _status(second) == "paid"
    first.refresh_from_db()
    assert str(first.paid_on) == "2030-11-25"
    event = TimelineEvent.objects.filter(data__status="paid", data__order=first.pk).get()
    assert event.visible_to_citizen and event.data["paid_on"] == "2030-11-25"


def test_the_same_file_twice_changes_nothing(sent, finance):
    _file, (first, _second) = sent
    content = camt054([(first.end_to_end_id, "7800.00", "DBIT", False)])
    assert import_bank_status(content, finance) == import_bank_status(content, finance)
    assert BankStatusImport.objects.count() == 1
    # Another file saying the same thing: recorded, but the order is paid once, with one event.
    again = import_bank_status(
        camt054([(first.end_to_end_id, "7800.00", "DBIT", False)], version="02"), finance
    )
    assert again.summary["unchanged"] == 1
    assert TimelineEvent.objects.filter(data__status="paid").count() == 1


def test_a_returned_payment(sent, finance):
    _file, (first, _second) = sent
    import_bank_status(camt054([(first.end_to_end_id, "7800.00", "DBIT", False)]), finance)
    import_bank_status(camt054([(first.end_to_end_id, "7800.00", "CRDT", True)]), finance)
    first.refresh_from_db()
    assert (first.status, first.status_reason, first.bank_reason) == ("returned", "bank_returned", "AC04")
    assert TimelineEvent.objects.filter(data__status="returned", data__reason="AC04").exists()


def test_pain002_settled_rejected_and_accepted(sent, finance):
    payment_file, (first, second) = sent
    report = pain002(
        payment_file.message_id, [(first.end_to_end_id, "ACSC", ""), (second.end_to_end_id, "RJCT", "AC01")]
    )
    record = import_bank_status(report, finance)
    assert (record.kind, record.summary["paid"], record.summary["returned"]) == ("pain.002", 1, 1)
    second.refresh_from_db()
    assert (second.status, second.status_reason, second.bank_status, second.bank_reason) == (
        "returned", "bank_rejected", "RJCT", "AC01")  # fmt: skip
    assert _status(first) == "paid"


def test_pain002_acknowledgement_changes_only_the_recorded_status(sent, finance):
    payment_file, (first, _second) = sent
    import_bank_status(
        pain002(payment_file.message_id, [(first.end_to_end_id, "ACCP", "")], group="ACCP"), finance
    )
    first.refresh_from_db()
    assert (first.status, first.bank_status) == ("sent", "ACCP")


def test_a_whole_file_rejected(sent, finance):
    payment_file, orders = sent
    record = import_bank_status(pain002_file_rejected(payment_file.message_id), finance)
    assert record.summary["returned"] == 2
    assert {_status(o) for o in orders} == {"returned"}


def test_a_wrong_amount_is_not_taken_as_paid(sent, finance):
    _file, (first, _second) = sent
    record = import_bank_status(camt054([(first.end_to_end_id, "78.00", "DBIT", False)]), finance)
    assert record.summary["amount_mismatch"] == [first.end_to_end_id]
    first.refresh_from_db()
    assert first.status == "sent" and "78.00" in first.status_note


def test_unknown_ids_are_listed_not_guessed(sent, finance):
    record = import_bank_status(camt054([("SOMEONE-ELSE-1", "100.00", "DBIT", False)]), finance)
    assert record.summary["unmatched"] == ["SOMEONE-ELSE-1"]


def test_not_a_status_file():
    with pytest.raises(bankstatus.BankStatusError):
        bankstatus.parse(b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.001.001.09'/>")
    with pytest.raises(bankstatus.BankStatusError):
        bankstatus.parse(b"not xml")


def test_a_returned_payment_can_be_paid_again_once(sent, finance):
    _file, (first, _second) = sent
    import_bank_status(camt054([(first.end_to_end_id, "7800.00", "CRDT", True)]), finance)
    first.refresh_from_db()
    copy = reissue(first, finance, {"clearing_number": "8327", "account_number": "1234567897"})
    assert (copy.status, copy.amount, copy.line, copy.account_masked) == (
        "planned", Decimal("7800.00"), "citizen-r1", "****7897")  # fmt: skip
    with pytest.raises(PaymentError):
        reissue(first, finance)
    assert PaymentOrder.objects.filter(decision=first.decision).count() == 2
