"""Reading the bank's answers: pain.002 statuses and camt.054 bookings, parsed without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bistand.bank import bankstatus
from tests.bank.status_files import camt054, pain002, pain002_file_rejected


def test_pain002_statuses_per_transaction():
    parsed = bankstatus.parse(pain002("BST1", [("E2E-1", "ACSC", ""), ("E2E-2", "RJCT", "AC04")]))
    assert parsed.kind == "pain.002"
    assert parsed.original_message_id == "BST1"
    outcomes = {r.end_to_end_id: (r.outcome, r.reason) for r in parsed.reports}
    assert outcomes["E2E-1"][0] == bankstatus.Outcome.PAID
    assert outcomes["E2E-2"][0] == bankstatus.Outcome.REJECTED
    assert "AC04" in outcomes["E2E-2"][1]


def test_a_whole_file_rejected_says_so_for_the_group():
    parsed = bankstatus.parse(pain002_file_rejected("BST2"))
    assert parsed.group_status == "RJCT"
    assert "FF01" in parsed.group_reason


@pytest.mark.parametrize("version", ["02", "08"])
def test_camt054_booked_debit_is_paid_and_a_credit_with_return_is_returned(version):
    parsed = bankstatus.parse(
        camt054([("E2E-1", "7800.00", "DBIT", False), ("E2E-2", "100.50", "CRDT", True)], version=version)
    )
    paid, returned = parsed.reports
    assert (paid.outcome, paid.amount, paid.booked_on) == (
        bankstatus.Outcome.PAID,
        Decimal("7800.00"),
        date(2030, 11, 25),
    )
    assert returned.outcome == bankstatus.Outcome.RETURNED


def test_not_a_status_file():
    with pytest.raises(bankstatus.BankStatusError):
        bankstatus.parse(b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.001.001.09'/>")
    with pytest.raises(bankstatus.BankStatusError):
        bankstatus.parse(b"not xml")
