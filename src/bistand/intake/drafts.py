"""Finding a citizen's application in progress, the month to apply for next, and expiring old drafts."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from bistand.identity.models import Municipality, Person
from bistand.intake import wizard
from bistand.intake.forms import month_choices
from bistand.intake.models import Application


def purge_expired(person: Person | None = None) -> int:
    """Delete drafts (and applications waiting for a signature) whose time is up."""
    expired = Application.objects.filter(
        status__in=[Application.Status.DRAFT, Application.Status.SIGNING], expires_at__lte=timezone.now()
    )
    if person is not None:
        expired = expired.filter(applicant=person)
    count = 0
    for application in expired:
        application.delete()
        count += 1
    return count


def municipality_for(person: Person) -> Municipality | None:
    """The municipality the person applies to (their own; in a one-municipality install, that one)."""
    return person.municipality or Municipality.objects.order_by("pk").first()


def open_application(person: Person) -> Application | None:
    """The person's draft or application waiting for a signature, once expired ones are gone."""
    purge_expired(person)
    return Application.objects.filter(
        applicant=person, status__in=[Application.Status.DRAFT, Application.Status.SIGNING]
    ).first()


def last_submitted(person: Person) -> Application | None:
    """The person's most recent submitted regular application (the one a re-application repeats).

    An application for nödbistånd or a tilläggsansökan does not count: neither uses up its month, so the
    regular application for that month can still be made.
    """
    return (
        Application.objects.filter(applicant=person, status=Application.Status.SUBMITTED, emergency=False)
        .exclude(kind=Application.Kind.SUPPLEMENT)
        .order_by("-month", "-submitted_at")
        .first()
    )


def next_month(person: Person) -> str | None:
    """The month to apply for: the first month open for applications after the last one applied for."""
    last = last_submitted(person)
    last_month = last.month.isoformat()[:7] if last else ""
    for value, _label in month_choices():
        if value > last_month:
            return value
    return None


def resume_url(application: Application) -> str:
    """Where a returning citizen continues: the waiting page, the short re-application or the next step."""
    if application.status == Application.Status.SIGNING:
        return reverse("intake:waiting", args=[application.reference])
    if application.kind == Application.Kind.RENEWAL and not application.draft.get("changed"):
        return reverse("intake:renewal", args=[application.reference])
    step = application.draft.get("resume_step") or wizard.STEP_NAMES[0]
    if step == "review":
        return reverse("intake:review", args=[application.reference])
    return reverse("intake:step", args=[application.reference, step])
