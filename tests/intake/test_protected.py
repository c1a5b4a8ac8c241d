"""Protected identity: the applicant applies digitally like anyone else, and their address appears on no
page, in no letter and in no log — even when a register answer carries one."""

from __future__ import annotations

import datetime
import logging
import shutil
import subprocess
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.urls import reverse

from bistand.conversation import services
from bistand.identity.models import Person
from bistand.intake import prefill
from bistand.intake.models import Application
from bistand.registers import Source
from bistand.registers.facts import Address, FkFacts, NavetFacts, Protection
from tests.conftest import PROTECTED_PNR, make_citizen
from tests.intake.helpers import fill_first_application
from tests.portal.conftest import make_decision

pytestmark = pytest.mark.django_db

STREET, POSTAL_CODE, CITY = "Hemliga gatan 7", "999 99", "Gömstad"


class LeakyAnswer:
    """A register answer that (against the rules) carries the protected person's address."""

    def __init__(self, pnr: str) -> None:
        navet = NavetFacts(
            personnummer=pnr,
            is_samordningsnummer=False,
            given_name="Johan",
            surname="Skyddad",
            registered=True,
            protection=Protection.SKYDDAD_FOLKBOKFORING,
            address=Address(STREET, POSTAL_CODE, CITY, "1101", "Gömstad"),
            civil_status="OG",
            relations=(),
            household=(),
        )
        self.results = {
            Source.NAVET: SimpleNamespace(facts=navet, error=None),
            Source.FK: SimpleNamespace(facts=FkFacts(payments=(), decisions=(), claims=()), error=None),
            Source.SO: SimpleNamespace(facts=None, error=RuntimeError("down")),
            Source.CSN: SimpleNamespace(facts=None, error=RuntimeError("down")),
        }

    def __getitem__(self, source):
        return self.results[source]


@contextmanager
def leaky_gateway():
    yield SimpleNamespace(lookup=lambda pnr, month, sources=None: LeakyAnswer(pnr))


def test_no_page_letter_or_log_shows_a_protected_address(client, municipality, unit, monkeypatch, caplog):
    monkeypatch.setattr(prefill, "gateway_factory", leaky_gateway)
    caplog.set_level(logging.DEBUG)
    citizen = make_citizen(PROTECTED_PNR, municipality, first_name="Testperson")
    client.force_login(citizen)
    pages = [client.get(reverse("intake:apply"))]
    client.post(reverse("intake:start"))
    application = Application.objects.get()
    citizen.person.refresh_from_db()
    assert citizen.person.protection == Person.Protection.SKYDDAD_FOLKBOKFORING  # learnt from Navet
    for step in ("month", "household", "housing", "income", "assets", "needs", "payout"):
        pages.append(client.get(reverse("intake:step", args=[application.reference, step])))
    fill_first_application(client, application)
    pages.append(client.get(reverse("intake:review", args=[application.reference])))
    client.post(reverse("intake:sign", args=[application.reference]))
    application.refresh_from_db()
    assert application.is_submitted

    from bistand.cases.models import Case

    case = Case.objects.create(applicant=citizen.person, unit=unit)
    decision = make_decision(case, application)
    request = services.request_documents(case, "Kontoutdrag.", datetime.date(2026, 12, 10))
    services.send_message(case, "Hej!", citizen)
    for url in (
        reverse("intake:received", args=[application.reference]),
        reverse("portal:home"),
        reverse("portal:application", args=[application.reference]),
        reverse("portal:decision", args=[decision.pk]),
        reverse("portal:appeal", args=[decision.pk]),
        reverse("portal:request", args=[request.pk]),
        reverse("portal:messages", args=[case.pk]),
    ):
        pages.append(client.get(url))
    for response in pages:
        assert response.status_code == 200, response
        html = response.content.decode()
        assert STREET not in html and POSTAL_CODE not in html and CITY not in html
    assert "Dina personuppgifter är skyddade" in pages[-6].content.decode()
    stored = str(application.answers) + str(application.draft)
    assert STREET not in stored and CITY not in stored
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert STREET not in logged and POSTAL_CODE not in logged

    # The decision letter the decisions app renders for this person.
    if shutil.which("pdftotext"):
        from bistand.decisions.letters import render_letter

        pdf = render_letter(decision, "sv")
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "Skyddad" in text or "försörjningsstöd" in text.lower()
        assert STREET not in text and POSTAL_CODE not in text
