"""Which persons a member of staff may see: the one place every staff view of a person goes through.

Staff see persons of their own municipality only — a person it has a case, an application or a
registration for — and a person with protected personal data only when they belong to the restricted
group "Skyddade personuppgifter". Accounts without a unit (a system administrator at the command line) are
not bound to a municipality, but still to the restricted group.

Views that find a person by personnummer (the register extract, the access-log search) ask here and answer
"we hold no data about that person" when the answer is no, so a number is never confirmed either.

Cases likewise: `cases_visible_to` is the one rule for which cases a member of staff may open — their own
unit's, and a protected one only in the restricted group. Every staff view that takes a case (or something
of a case: a scan, a random check, a power of attorney) finds it through `visible_case` or filters by
`cases_visible_to`, and answers 404 otherwise, as for a case that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from bistand.cases.models import Case
from bistand.cases.protection import may_handle_protected, protected_cases
from bistand.identity.models import Person


def without_protected(user, queryset: QuerySet, *person_fields: str) -> QuerySet:
    """`queryset` without the rows that name a protected person (in `person_fields`, or the rows themselves
    when they are persons), unless this member of staff is in the restricted group."""
    if may_handle_protected(user):
        return queryset
    none = Person.Protection.NONE
    if not person_fields:
        return queryset.filter(protection=none)
    return queryset.filter(**{f"{field}__protection": none for field in person_fields})


def persons_visible_to(user) -> QuerySet[Person]:
    """The persons this member of staff may see (none for citizens and anonymous users)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.is_citizen:
        return Person.objects.none()
    persons = without_protected(user, Person.objects.all())
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


def _is_unit_staff(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_caseworker", False)
        and user.unit_id is not None
    )


def cases_visible_to(user):
    """The cases this member of staff may open: caseworkers and team leads, their own unit's; a case about
    a protected person only in the restricted group. None for anyone else."""

    if not _is_unit_staff(user):
        return Case.objects.none()
    cases = Case.objects.filter(unit_id=user.unit_id)
    if not may_handle_protected(user):
        cases = cases.exclude(pk__in=protected_cases().values("pk"))
    return cases


def visible_case(user, case_id: int, queryset=None):
    """The case with this id if this member of staff may open it; otherwise 404, as if it did not exist."""
    cases = cases_visible_to(user)
    if queryset is not None:
        cases = queryset.filter(pk__in=cases.values("pk"))
    case = cases.filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case
