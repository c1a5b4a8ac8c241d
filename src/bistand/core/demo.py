"""Demo data: one municipality, one unit, its staff and a few citizens with Skatteverket test personnummer.

Loaded once by `bistand run` in demo mode. Staff passwords are generated on first load and kept in the
data folder (`demo-logins.txt`), so no password is ever committed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from bistand.identity.models import Municipality, Person, Unit, User

MUNICIPALITY = ("1287", "Trelleborgs kommun (demo)")
UNIT = "Försörjningsstöd"

# (username, role, first name, last name)
STAFF = [
    ("handlaggare1", User.Role.CASEWORKER, "Kim", "Handläggare"),
    ("handlaggare2", User.Role.CASEWORKER, "Sam", "Handläggare"),
    ("gruppledare", User.Role.TEAM_LEAD, "Alex", "Gruppledare"),
    ("admin", User.Role.ADMIN, "Robin", "Administratör"),
]

# Skatteverket's test personnummer only (src/bistand/testdata/); the names are invented.
CITIZENS = [
    ("198001139297", "Erik", "Demosson", Person.Protection.NONE),
    ("198001249286", "Anna", "Demosson", Person.Protection.NONE),
    ("199001012385", "Fatima", "Exempel", Person.Protection.NONE),
    ("198502069993", "Johan", "Skyddad", Person.Protection.SKYDDAD_FOLKBOKFORING),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


def logins_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.txt"


def read_logins() -> list[DemoLogin]:
    """The staff logins written when the demo data was loaded."""
    path = logins_file()
    if not path.exists():
        return []
    rows = [line.split("\t") for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return [DemoLogin(*row) for row in rows if len(row) == 3]


@transaction.atomic
def load_demo_data() -> bool:
    """Create the demo data unless it exists. Returns True when it was created now."""
    code, name = MUNICIPALITY
    municipality, created = Municipality.objects.get_or_create(code=code, defaults={"name": name})
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
        logins.append(DemoLogin(username, password, role))
    for personnummer, first, last, protection in CITIZENS:
        person = Person.objects.create(
            personnummer=personnummer,
            first_name=first,
            last_name=last,
            municipality=municipality,
            protection=protection,
        )
        user = User(username=f"demo-citizen-{person.pk}", role=User.Role.CITIZEN, person=person)
        user.set_unusable_password()
        user.save()
    path = logins_file()
    path.write_text(
        "# Demo staff logins, generated on first run. Not for production.\n"
        + "".join(f"{x.username}\t{x.password}\t{x.role}\n" for x in logins)
    )
    path.chmod(0o600)
    return True
