"""Which persons a member of staff may see: the one place every staff view of a person goes through.

Staff see persons of their own municipality only — a person it has a case, an application or a
registration for — and a person with protected personal data only when they belong to the restricted
group "Skyddade personuppgifter". Accounts without a unit (a system administrator at the command line) are
not bound to a municipality, but still to the restricted group.

Views that find a person by personnummer (the register extract, the access-log search) ask here and answer
"we hold no data about that person" when the answer is no, so a number is never confirmed either.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bistand.cases.protection import may_handle_protected
from bistand.identity.models import Person


def persons_visible_to(user) -> QuerySet[Person]:
    """The persons this member of staff may see (none for citizens and anonymous users)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.is_citizen:
        return Person.objects.none()
    persons = Person.objects.all()
    if not may_handle_protected(user):
        persons = persons.filter(protection=Person.Protection.NONE)
    if user.unit_id is not None:
        municipality = user.unit.municipality_id
        persons = persons.filter(
            Q(municipality_id=municipality)
            | Q(cases__unit__municipality_id=municipality)
            | Q(applications__municipality_id=municipality)
            | Q(co_applications__municipality_id=municipality)
        ).distinct()
    return persons


def may_see_person(user, person: Person) -> bool:
    """Whether this member of staff may see this person's data."""
    return persons_visible_to(user).filter(pk=person.pk).exists()


def visible_person(user, personnummer: str) -> Person | None:
    """The person with this number if this member of staff may see them; otherwise None, as if unknown."""
    return persons_visible_to(user).filter(personnummer=personnummer).first()
