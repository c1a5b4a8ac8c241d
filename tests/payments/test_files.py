"""Payment files: ISO 20022 pain.001 validated against the official XSD, released by two people."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from lxml import etree

from bistand.bank import pain001
from bistand.identity.models import User
from bistand.payments.models import PaymentFile, PaymentOrder
from bistand.payments.services import (
    NothingToPay,
    PaymentError,
    ReleaseRefused,
    create_payment_file,
    mark_sent,
    plan_payments,
    release,
    void_file,
)
from tests.conftest import make_staff
from tests.payments.conftest import LANDLORD_BANKGIRO, PARTNER_ACCOUNT, PAYOUT_DAY, answers, make_decision

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


@pytest.fixture
def planned(citizen, unit, schedule):
    third = [{"cost_type": "rent", "amount": "5200", "bankgiro": LANDLORD_BANKGIRO, "reference": "4321000129",
              "payee_name": "Bostadsbolaget AB"}]  # fmt: skip
    extra = {"split_between_partners": True, "co_applicant_payout_account": PARTNER_ACCOUNT}
    decision = make_decision(
        citizen.person, unit, "9000", answers_=answers(third_party_payments=third, **extra)
    )
    return plan_payments(decision)


def test_a_generated_file_validates_against_the_official_xsd(planned, finance):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    assert payment_file.status == "created"
    assert payment_file.version == "pain.001.001.09"
    xml = payment_file.xml.encode()
    # The schema shipped with sepaxml is ISO 20022's own pain.001.001.09.xsd; check with it directly too.
    assert pain001.schema("pain.001.001.09").validate(etree.fromstring(xml))
    assert pain001.validate(xml) == []
    assert payment_file.sha256 == hashlib.sha256(xml).hexdigest()
    assert (payment_file.number_of_transactions, payment_file.control_sum) == (3, Decimal("9000.00"))
    document = etree.fromstring(xml)
    assert document.findtext(".//p:ReqdExctnDt/p:Dt", namespaces=NS) == "2030-11-25"
    assert {a.get("Ccy") for a in document.iterfind(".//p:InstdAmt", NS)} == {"SEK"}
    assert sorted(a.text for a in document.iterfind(".//p:InstdAmt", NS)) == ["1900.00", "1900.00", "5200.00"]
    # The landlord: Bankgiro with an OCR reference; nothing about the citizen or the case.
    rent = next(
        t
        for t in document.iterfind(".//p:CdtTrfTxInf", NS)
        if t.findtext(".//p:Nm", namespaces=NS) == "Bostadsbolaget AB"
    )
    assert rent.findtext(".//p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == "50501055"
    assert rent.findtext(".//p:CdtrAcct//p:Prtry", namespaces=NS) == "BGNR"
    assert rent.findtext(".//p:CdtrRefInf/p:Ref", namespaces=NS) == "4321000129"
    assert "Erik" not in etree.tostring(rent, encoding="unicode") and "bistånd" not in etree.tostring(
        rent, encoding="unicode"
    )
    assert document.find(".//p:PstlAdr", NS) is None
    assert all(o.payment_file == payment_file for o in PaymentOrder.objects.all())


@pytest.mark.parametrize("version", pain001.SUPPORTED_VERSIONS)
def test_every_supported_version_validates(planned, finance, schedule, version):
    schedule.pain001_version = version
    schedule.save()
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    assert payment_file.version == version and payment_file.status == "created"
    assert pain001.validate(payment_file.xml, version) == []


def _break(xml: str, old: str, new: str) -> str:
    assert old in xml
    return xml.replace(old, new, 1)


@pytest.mark.parametrize(
    "old, new, expect",
    [
        ("<PmtMtd>TRF</PmtMtd>", "", "XSD"),  # a required element missing
        ("<PmtMtd>TRF</PmtMtd>", "<PmtMtd>CASH</PmtMtd>", "XSD"),  # not a payment method
        ('Ccy="SEK">1900.00', 'Ccy="EUR">1900.00', "currency"),  # not SEK
        ('Ccy="SEK">1900.00', 'Ccy="SEK">1900.001', "two decimals"),
        ("<NbOfTxs>3</NbOfTxs>", "<NbOfTxs>4</NbOfTxs>", "NbOfTxs"),
        ("<CtrlSum>9000.00</CtrlSum>", "<CtrlSum>9100.00</CtrlSum>", "CtrlSum"),
        ("pain.001.001.09", "pain.001.001.08", "not a supported"),
        ("</Document>", "", "well-formed"),
    ],
)
def test_a_broken_file_is_rejected(planned, finance, old, new, expect):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    errors = pain001.validate(_break(payment_file.xml, old, new))
    assert errors and any(expect in e for e in errors), errors


def test_a_file_changed_after_it_was_made_can_never_be_released(planned, finance, finance2):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    PaymentFile.objects.filter(pk=payment_file.pk).update(
        xml=_break(payment_file.xml, "<PmtMtd>TRF</PmtMtd>", "")
    )
    with pytest.raises(ReleaseRefused, match="XSD"):
        release(payment_file, finance)
    payment_file.refresh_from_db()
    assert payment_file.status == "invalid" and payment_file.validation_errors
    # Its orders go back to the pool for a good file.
    assert PaymentOrder.objects.filter(payment_file__isnull=True).count() == 3
    with pytest.raises(ReleaseRefused):
        release(payment_file, finance2)


def test_a_tampered_file_that_still_validates_is_refused_by_its_hash(planned, finance):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    tampered = payment_file.xml.replace("50501055", "9912346")  # another (valid) Bankgiro number
    assert pain001.validate(tampered) == []
    PaymentFile.objects.filter(pk=payment_file.pk).update(xml=tampered)
    with pytest.raises(ReleaseRefused):
        release(payment_file, finance)
    payment_file.refresh_from_db()
    assert payment_file.status == "invalid"
    assert "SHA-256" in payment_file.validation_errors[0]


def test_release_needs_two_different_finance_users(planned, finance, finance2):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    assert release(payment_file, finance).status == "approved"
    with pytest.raises(ReleaseRefused, match="annan person"):
        release(payment_file, finance)
    with pytest.raises(PaymentError, match="två personer"):
        mark_sent(payment_file, finance)
    released = release(payment_file, finance2)
    assert released.status == "released"
    assert (released.released_by_1, released.released_by_2) == (finance, finance2)
    with pytest.raises(ReleaseRefused):
        release(payment_file, make_staff("ekonomi3", finance.unit, role=User.Role.FINANCE))
    sent = mark_sent(payment_file, finance)
    assert sent.status == "sent"
    assert set(PaymentOrder.objects.values_list("status", flat=True)) == {"sent"}
    assert mark_sent(payment_file, finance2).status == "sent"  # idempotent


def test_the_database_refuses_the_same_person_twice(planned, finance):
    from django.db import IntegrityError, transaction

    payment_file = create_payment_file(PAYOUT_DAY, finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFile.objects.filter(pk=payment_file.pk).update(released_by_1=finance, released_by_2=finance)


def test_only_finance_of_the_municipality_may_create_or_release(planned, finance, caseworker, other_unit):
    with pytest.raises(PermissionDenied):
        create_payment_file(PAYOUT_DAY, caseworker)
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    with pytest.raises(PermissionDenied):
        release(payment_file, caseworker)
    with pytest.raises(PermissionDenied):
        release(payment_file, make_staff("malmo-ekonomi", other_unit, role=User.Role.FINANCE))


def test_an_order_is_never_in_two_files(planned, finance):
    create_payment_file(PAYOUT_DAY, finance)
    with pytest.raises(NothingToPay):
        create_payment_file(PAYOUT_DAY, finance)


def test_held_orders_stay_out_of_the_file(citizen, unit, schedule, finance):
    plan_payments(make_decision(citizen.person, unit, answers_=answers(split_between_partners=True)))
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    assert payment_file.number_of_transactions == 1
    assert PaymentOrder.objects.get(status="held").payment_file is None


def test_a_voided_file_returns_its_orders_for_the_next_file(planned, finance):
    payment_file = create_payment_file(PAYOUT_DAY, finance)
    void_file(payment_file, finance, "Fel dag")
    assert PaymentOrder.objects.filter(payment_file__isnull=True).count() == 3
    assert create_payment_file(PAYOUT_DAY, finance).number_of_transactions == 3


def test_file_days_must_be_bank_days_and_not_past(planned, finance):
    with pytest.raises(PaymentError, match="bankdag"):
        create_payment_file(date(2030, 12, 25), finance)
    with pytest.raises(PaymentError, match="passerat"):
        create_payment_file(date(2020, 1, 2), finance)


def test_no_file_without_the_municipalitys_account(citizen, unit, finance):
    plan_payments(make_decision(citizen.person, unit))
    with pytest.raises(PaymentError, match="betalkonto"):
        create_payment_file(PAYOUT_DAY, finance)
