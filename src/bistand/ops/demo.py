"""Demo data: one municipality, one unit, its staff and a few citizens with Skatteverket test personnummer.

Loaded once by `bistand run` in demo mode. Staff passwords are generated on first load and kept in the
data folder (`demo-logins.txt`), so no password is ever committed.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bistand.cases.protection import grant_protected
from bistand.casework import pipeline
from bistand.casework.deciding import decide_by_person
from bistand.casework.models import AutomationPolicy
from bistand.decisions.models import Decision
from bistand.identity.models import Municipality, Person, Unit, User
from bistand.intake.models import Application, PowerOfAttorney
from bistand.intake.schema import validate_application, with_provenance
from bistand.payments.models import PayoutSchedule
from bistand.registers.simulator.population import generate

MUNICIPALITY = ("1287", "Trelleborgs kommun (demo)")
UNIT = "Försörjningsstöd"
# The demo's delegation says that it is one: no letter or page may pass it off as a nämnd's decision.
DEMO_DELEGATION = {
    "body": "Socialnämnden i demokommunen (påhittad)",
    "date": "2020-01-01",
    "reference": "Demodelegation, inget verkligt beslut",
    "scope": "beslut om försörjningsstöd som beviljar hela det sökta beloppet för hushåll som fick stöd "
    "förra månaden och där inget har ändrats (demonstration)",
    "valid_from": "2020-01-01",
    "demo": True,
}

# (username, role, first name, last name)
STAFF = [
    ("handlaggare1", User.Role.CASEWORKER, "Kim", "Handläggare"),
    ("handlaggare2", User.Role.CASEWORKER, "Sam", "Handläggare"),
    ("gruppledare", User.Role.TEAM_LEAD, "Alex", "Gruppledare"),
    ("ekonomi1", User.Role.FINANCE, "Mika", "Ekonom"),
    ("ekonomi2", User.Role.FINANCE, "Nour", "Ekonom"),
    ("admin", User.Role.ADMIN, "Robin", "Administratör"),
    ("granskare", User.Role.AUDITOR, "Lo", "Granskare"),
]
# Staff in the restricted group who may open cases of persons with protected identity (docs/security.md).
PROTECTED_STAFF = ("handlaggare1", "gruppledare")

# Citizens are taken from the registers simulator's synthetic population (built on Skatteverket's test
# personnummer), so that the robot finds them in the registers: (label, what to try, predicate).
DEMO_HOUSEHOLDS = [
    (
        "returning",
        "fick försörjningsstöd förra månaden; en ny ansökan utan ändringar beslutas automatiskt",
        lambda p, h: (
            h.kind == "single"
            and p.situation == "no_income"
            and not p.vehicles
            and p.capital_base == 0
            and h.bostadsbidrag is None
        ),
    ),
    (
        "undeclared",
        "fick stöd förra månaden men har aktivitetsstöd som inte står i ansökan: går till handläggare",
        lambda p, h: (
            h.kind == "single"
            and p.situation == "programme"
            and not p.vehicles
            and p.capital_base == 0
            and h.bostadsbidrag is None
        ),
    ),
    (
        "new",
        "ny sökande: första ansökan prövas av en handläggare",
        lambda p, h: h.kind == "single" and p.situation == "jobseeker" and not p.vehicles,
    ),
    (
        "protected",
        "skyddad folkbokföring: adressen visas aldrig",
        lambda p, h: p.protection == "skyddad_folkbokforing" and h.kind == "single",
    ),
]
# The answers the demo households gave last month (docs/examples/returning-household.json repeats them).
DEMO_ANSWERS = {
    "costs": [{"type": "rent", "amount": "5900"}, {"type": "electricity", "amount": "300"}],
    "incomes": [],
    "nothing_changed": True,
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


# A number from PTS's series reserved for fiction (070-174 06 05 to 070-174 06 99): never anyone's phone.
DEMO_PHONE = "070-174 06 50"


def logins_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.txt"


def read_logins() -> list[DemoLogin]:
    """The staff logins written when the demo data was loaded."""
    path = logins_file()
    if not path.exists():
        return []
    rows = [line.split("\t") for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return [DemoLogin(*row) for row in rows if len(row) == 3]


def demo_citizens() -> list[tuple[str, str, str, dict]]:
    """(label, hint, personnummer, Person fields) for each demo household, from the simulator's population."""

    population = generate()
    chosen = []
    for label, hint, wanted in DEMO_HOUSEHOLDS:
        person = next(
            p
            for h in population.households
            for p in population.members(h)
            if p.registered
            and p.role == "applicant"
            and wanted(p, h)
            and (label == "protected" or p.protection == "none")
        )
        protection = {"skyddad_folkbokforing": Person.Protection.SKYDDAD_FOLKBOKFORING}.get(
            person.protection, Person.Protection.NONE
        )
        fields = {"first_name": person.given_name, "last_name": person.surname, "protection": protection}
        chosen.append((label, hint, person.pnr, fields))
    return chosen


def load_history(month: datetime.date, caseworker: User) -> int:
    """Last month's granted applications for the returning demo households. Needs the registers running."""

    made = 0
    for label in ("returning", "undeclared"):
        person = Person.objects.get(account__username=f"demo-{label}")
        if Application.objects.filter(applicant=person, month=month, status="submitted").exists():
            continue  # an earlier start stopped half-way: the month is claimed already
        values = validate_application({"month": month.isoformat()[:7], **DEMO_ANSWERS})
        application = Application.objects.create(
            applicant=person, municipality=person.municipality, month=month, answers=with_provenance(values)
        )
        application.submit()
        run = pipeline.start(application)
        pipeline.advance(run.pk)
        run.refresh_from_db()
        decide_by_person(run, caseworker)
        made += 1
    return made


def _load_powers_of_attorney(municipality: Municipality) -> None:
    """The ombud demo: an elderly parent living alone, and an adult who holds her registered fullmakt."""

    population = generate()
    taken = set(Person.objects.values_list("personnummer", flat=True))

    def first(predicate):
        return next(
            p
            for h in population.households
            for p in population.members(h)
            if p.registered and p.protection == "none" and p.pnr not in taken and predicate(p, h)
        )

    parent = first(lambda p, h: h.kind == "single_senior" and p.situation == "pensioner")
    child = first(lambda p, h: h.kind == "single" and p.situation == "low_wage")
    people = {}
    for label, member in (("parent", parent), ("ombud", child)):
        person = Person.objects.create(
            personnummer=member.pnr,
            first_name=member.given_name,
            last_name=member.surname,
            municipality=municipality,
        )
        user = User(username=f"demo-{label}", role=User.Role.CITIZEN, person=person)
        user.set_unusable_password()
        user.save()
        people[label] = person
    PowerOfAttorney.objects.create(
        principal=people["parent"],
        agent=people["ombud"],
        valid_from=timezone.localdate(),
        note="Demo: fullmakt för ansökan om ekonomiskt bistånd",
    )


@transaction.atomic
def load_demo_data() -> bool:
    """Create the demo data unless it exists. Returns True when it was created now."""
    code, name = MUNICIPALITY
    municipality, created = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "phone": DEMO_PHONE}
    )
    if not created:
        return False
    unit = Unit.objects.create(municipality=municipality, name=UNIT, handles_intake=True)
    logins = []
    for username, role, first, last in STAFF:
        password = secrets.token_urlsafe(9)
        user = User(
            username=username,
            role=role,
            first_name=first,
            last_name=last,
            unit=None if role == User.Role.ADMIN else unit,
            is_staff=role == User.Role.ADMIN,
            is_superuser=role == User.Role.ADMIN,
        )
        user.set_password(password)
        user.save()
        if username in PROTECTED_STAFF:
            grant_protected(user)
        logins.append(DemoLogin(username, password, role))
    for label, _hint, pnr, person_data in demo_citizens():
        person = Person.objects.create(personnummer=pnr, municipality=municipality, **person_data)
        user = User(username=f"demo-{label}", role=User.Role.CITIZEN, person=person)
        user.set_unusable_password()
        user.save()
    _load_powers_of_attorney(municipality)
    AutomationPolicy.objects.create(
        municipality=municipality,
        version="demo-2026.1",
        valid_from=datetime.date(2020, 1, 1),
        delegation=DEMO_DELEGATION,
        config={},
    )
    # Payouts on the 25th from a demo account (SEB clearing 5000; constructed to pass the check, not real).
    PayoutSchedule.objects.create(
        municipality=municipality,
        payer_name=name,
        payer_organisation_number="2120001165",
        payer_clearing_number="5000",
        payer_account_number="1001000",
        payer_bic="ESSESESS",
        cost_codes={"livelihood": "4711", "rent": "4712"},
    )
    path = logins_file()
    path.write_text(
        "# Demo staff logins, generated on first run. Not for production.\n"
        + "".join(f"{x.username}\t{x.password}\t{x.role}\n" for x in logins)
    )
    path.chmod(0o600)
    return True


def load_demo_history() -> None:
    """Give the returning demo households last month's decision (once), so this month's can be automatic."""

    if Decision.objects.exists():
        return
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    caseworker = User.objects.get(username="handlaggare1")
    load_history(last_month, caseworker)
