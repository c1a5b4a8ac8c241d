"""Protected identity (skyddade personuppgifter): only a named group of staff may open such a case.

A case is protected when its applicant, or a co-applicant on any of its applications, has
sekretessmarkering or skyddad folkbokföring. Members of the group "Skyddade personuppgifter" (given by an
administrator, as a municipality's routine for protected persons would name them) may open it; anyone else
is refused, whatever their unit. Lists still show that such a case exists, as "Skyddad person", so the
work is not lost — but never a name or an address.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Q

from bistand.cases.models import Case
from bistand.identity.models import Person
from bistand.registers.snapshot import RegisterSnapshot
from bistand.registers.sources import Source

PROTECTED_GROUP = "Skyddade personuppgifter"


def may_handle_protected(user) -> bool:
    """Whether this account belongs to the restricted group (cached on the user for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_may_handle_protected", None)
    if cached is None:
        cached = user.groups.filter(name=PROTECTED_GROUP).exists()
        user._may_handle_protected = cached
    return cached


def protected_cases():
    """The cases about someone with protected personal data: the applicant or any co-applicant."""

    protected = Person.objects.filter(~Q(protection=Person.Protection.NONE))
    return Case.objects.filter(
        Q(applicant__in=protected) | Q(pipeline_runs__application__co_applicant__in=protected)
    )


def case_is_protected(case_id: int) -> bool:
    """Whether anyone the case is about has protected personal data."""
    return protected_cases().filter(pk=case_id).exists()


def may_open_case(user, case_id: int) -> bool:
    """False only for a protected case and an account outside the restricted group."""
    return may_handle_protected(user) or not case_is_protected(case_id)


_LEVELS = [
    Person.Protection.NONE,
    Person.Protection.SEKRETESSMARKERING,
    Person.Protection.SKYDDAD_FOLKBOKFORING,
]


def learn_from_registers(persons: dict[str, str], snapshot: dict[str, Any]) -> None:
    """Raise each person's protection to what the registers answered — never lower it.

    An application can arrive without the wizard's prefill (the API, paper): the robot's register answers
    are then the first to say a person is protected, and every screen that hides a name or an address reads
    `Person.protection`. Lowering is left to a person who has checked (a register can be wrong).
    """
    registers = RegisterSnapshot.from_json(snapshot)
    for role, personnummer in persons.items():
        answer = registers.roles.get(role)
        if answer is None or answer.protected is not True:
            continue
        navet = answer.facts(Source.NAVET)
        level = navet.protection.value if navet is not None else None
        if level not in _LEVELS[1:]:
            level = Person.Protection.SEKRETESSMARKERING  # Arbetsförmedlingen's flag, or an unknown code
        lower = _LEVELS[: _LEVELS.index(level)]
        Person.objects.filter(personnummer=personnummer, protection__in=lower).update(protection=level)


def grant_protected(user) -> None:
    """Put a member of staff in the restricted group."""

    group, _ = Group.objects.get_or_create(name=PROTECTED_GROUP)
    user.groups.add(group)
    user.__dict__.pop("_may_handle_protected", None)
