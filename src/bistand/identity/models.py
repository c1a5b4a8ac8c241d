"""Who is who: municipalities, units, the people a case is about, and the accounts that sign in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """A municipality (kommun) running Bistånd; every case belongs to one."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    # Social services' number for someone in acute need; shown on the receipt of an emergency application.
    phone = models.CharField(_("socialtjänstens telefonnummer"), max_length=20, blank=True)

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit (enhet) of caseworkers; caseworkers see their own unit's cases."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("namn"), max_length=100)
    # New applications in the municipality go to its intake unit.
    handles_intake = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.municipality} – {self.name}"


class Person(models.Model):
    """A person the system holds data about: an applicant, a co-applicant or a child."""

    class Protection(models.TextChoices):
        NONE = "none", _("Ingen")
        # Sekretessmarkering: a warning flag; assess before any disclosure.
        SEKRETESSMARKERING = "sekretessmarkering", _("Sekretessmarkering")
        # Skyddad folkbokföring: the real address is never shown anywhere.
        SKYDDAD_FOLKBOKFORING = "skyddad_folkbokforing", _("Skyddad folkbokföring")

    personnummer = models.CharField(_("personnummer"), max_length=12, unique=True)
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True)
    protection = models.CharField(max_length=32, choices=Protection.choices, default=Protection.NONE)

    def __str__(self) -> str:
        # Never the personnummer: __str__ ends up in logs and admin lists.
        return f"Person {self.pk}"

    @property
    def is_protected(self) -> bool:
        return self.protection != self.Protection.NONE

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class User(AbstractUser):
    """An account: a citizen signing in with eID, or a member of staff with username and password."""

    class Role(models.TextChoices):
        CITIZEN = "citizen", _("Medborgare")
        CASEWORKER = "caseworker", _("Handläggare")
        TEAM_LEAD = "team_lead", _("Gruppledare")
        FINANCE = "finance", _("Ekonomi")
        AUDITOR = "auditor", _("Granskare")
        ADMIN = "admin", _("Administratör")

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CITIZEN)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="account"
    )

    @property
    def is_citizen(self) -> bool:
        return self.role == self.Role.CITIZEN

    @property
    def is_caseworker(self) -> bool:
        return self.role in {self.Role.CASEWORKER, self.Role.TEAM_LEAD}

    @property
    def is_finance(self) -> bool:
        return self.role == self.Role.FINANCE


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # Issued by the development sign-in (demo mode only): worthless once demo mode is off.
    demo = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"API token {self.pk}"
