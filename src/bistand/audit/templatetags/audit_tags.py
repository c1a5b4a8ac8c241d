"""`{% who_opened_my_case person %}`: the citizen's list of staff who opened their case (Mina sidor)."""

from __future__ import annotations

from django import template
from django.db.models import Q

from bistand.accesslog.models import AccessLogEntry
from bistand.cases.models import Case
from bistand.identity.models import Unit, User

register = template.Library()
SHOWN = 50


@register.inclusion_tag("audit/who_opened_list.html")
def who_opened_my_case(person) -> dict:
    """The latest staff reads of the person's data: when, the role and the unit — not the name.

    Names are left out on purpose: a citizen who is a danger to staff should not learn who they are from
    here. The municipality can give the names on request, after the usual secrecy assessment.
    """
    if person is None:
        return {"rows": []}

    case_ids = list(Case.objects.filter(applicant=person).values_list("pk", flat=True))
    entries = list(
        AccessLogEntry.objects.filter(Q(person_id=person.pk) | Q(case_id__in=case_ids))
        .exclude(role__in=["", User.Role.CITIZEN])
        .order_by("-seq")[:SHOWN]
    )
    units = {u.pk: u.name for u in Unit.objects.filter(pk__in={e.unit_id for e in entries if e.unit_id})}
    roles = dict(User.Role.choices)
    actions = dict(AccessLogEntry.Action.choices)
    return {
        "rows": [
            {
                "at": e.at,
                "role": roles.get(e.role, e.role),
                "unit": units.get(e.unit_id, ""),
                "action": actions.get(e.action, e.action),
            }
            for e in entries
        ]
    }
