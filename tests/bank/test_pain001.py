"""pain.001 built from plain values and checked against the official XSD, with no database behind it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from bistand.bank import pain001
from bistand.bank.accounts import parse_bank_account, parse_bankgiro

# Test accounts constructed to pass the check digits (see tests/payments/conftest.py), never anyone's.
PAYER = pain001.Payer(
    name="Demo kommun", organisation_number="2120000000", account=parse_bank_account("5000", "1001000")
)


def _batch() -> pain001.Batch:
    return pain001.Batch(
        message_id="BST-TEST-1",
        created_at=datetime(2030, 11, 20, 9, 30),
        payout_date=date(2030, 11, 25),
        payer=PAYER,
        transfers=[
            pain001.Transfer("E2E-1", Decimal("7800"), parse_bank_account("3300", "800113-9297"), "Demo"),
            pain001.Transfer(
                "E2E-2",
                Decimal("5900.50"),
                parse_bankgiro("5050-1055"),
                "Hyresvärden AB",
                purpose=pain001.PURPOSE_THIRD_PARTY,
            ),
        ],
    )


@pytest.mark.parametrize("version", pain001.SUPPORTED_VERSIONS)
def test_every_supported_version_validates(version):
    xml = pain001.build(_batch(), version)
    assert pain001.validate(xml, version) == []
    text = xml.decode()
    assert "<CtrlSum>13700.50</CtrlSum>" in text
    assert "BGNR" in text and "SESBA" in text


def test_a_file_without_transfers_is_refused():
    batch = _batch()
    batch.transfers = []
    with pytest.raises(pain001.Pain001Error):
        pain001.build(batch)
