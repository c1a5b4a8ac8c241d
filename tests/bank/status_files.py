"""pain.002 and camt.054 files as a bank sends them, for tests (ids and amounts are the caller's)."""

from __future__ import annotations


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
