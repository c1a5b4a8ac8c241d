"""Tilläggsansökan: a new need on a month that is already decided (a bill, a child's glasses).

It is an application of its own (`Application.Kind.SUPPLEMENT`) beside the month's regular one: it claims no
month (`MonthClaim`), it is decided by a person on that one need (its own decision, legal basis, letter and
payment, `casework/workspace.decide_supplement`), and `decisions/needs.py` keeps any need from being granted
twice in a month. The citizen applies on Mina sidor or through the API; a caseworker registers one from a
call or a visit. The needs are the rules engine's own cost types: one table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q

from bistand.identity.models import Person
from bistand.intake.models import Application, MonthClaim
from bistand.intake.signals import application_submitted
from bistand.rules.arabic import LABELS as ARABIC_LABELS
from bistand.rules.model import COST_TYPES

MAX_AMOUNT = Decimal(50000)


class SupplementInvalid(ValueError):
    """A tilläggsansökan that cannot be made; `field` names the form field, `message` says why in Swedish."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def need_label(need: str, lang: str = "sv") -> str:
    """The need as the citizen reads it, from the rules engine's cost types."""
    sv, en, _statutory = COST_TYPES[need]
    if lang == "ar":
        return ARABIC_LABELS.get(f"costs.{need}", en)
    return en if lang == "en" else sv


def need_choices(lang: str = "sv") -> list[tuple[str, str]]:
    """Every need a tilläggsansökan may name, labelled in `lang`."""
    return [(need, need_label(need, lang)) for need in COST_TYPES]


@dataclass(frozen=True)
class SupplementRequest:
    """What the tilläggsansökan asks for: one need, its amount in kronor and the citizen's own words."""

    month: datetime.date
    need: str
    amount: Decimal
    description: str


def read_request(data: dict) -> SupplementRequest:
    """Check the fields of a tilläggsansökan (from a form, the API or the CLI); the first error names its field."""
    raw_month = str(data.get("month") or "").strip()
    try:
        month = datetime.date.fromisoformat(raw_month[:7] + "-01")
    except ValueError:
        raise SupplementInvalid("month", "Månad: skriv månaden som ÅÅÅÅ-MM, till exempel 2026-12.") from None
    need = str(data.get("need") or "").strip()
    if need not in COST_TYPES:
        raise SupplementInvalid("need", "Behov: välj vad tillägget gäller.")
    try:
        amount = Decimal(str(data.get("amount") or "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise SupplementInvalid("amount", "Belopp: skriv beloppet i kronor, till exempel 1800.") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise SupplementInvalid("amount", "Belopp: skriv ett belopp över 0 och högst 50 000 kronor.")
    if amount != amount.quantize(Decimal("0.01")):
        raise SupplementInvalid("amount", "Belopp: högst två decimaler.")
    raw_description = data.get("description") or ""
    description = raw_description.strip() if isinstance(raw_description, str) else ""
    if not description:
        raise SupplementInvalid(
            "description", "Beskrivning: skriv vad kostnaden gäller och varför den behövs."
        )
    if len(description) > 2000:
        raise SupplementInvalid("description", "Beskrivning: högst 2 000 tecken.")
    return SupplementRequest(month=month, need=need, amount=amount, description=description)


def regular_application(person: Person, month: datetime.date) -> Application | None:
    """The household's regular application for the month (the one that claimed it), if any."""
    claim = MonthClaim.objects.filter(person=person, month=month).select_related("application").first()
    return claim.application if claim else None


def decided_months(person: Person) -> list[datetime.date]:
    """The months the person's household has a regular decision for: the months a tillägg can be sought for."""
    return sorted(
        {
            claim.month
            for claim in MonthClaim.objects.filter(person=person, application__decisions__isnull=False)
        },
        reverse=True,
    )


def open_supplement(person: Person, month: datetime.date, need: str) -> Application | None:
    """A tilläggsansökan for the same need and month, not yet decided or granted and in force."""
    for application in Application.objects.filter(
        Q(applicant=person) | Q(co_applicant=person),
        kind=Application.Kind.SUPPLEMENT,
        month=month,
        status=Application.Status.SUBMITTED,
    ):
        if (application.answers.get("supplement") or {}).get("value", {}).get("need") != need:
            continue
        latest = application.decisions.order_by("-version").first()
        if latest is None or latest.outcome != "reject":
            return application
    return None


def apply_for_supplement(
    person: Person, data: dict, *, channel: str = Application.Channel.E_SERVICE, registered_by: str = ""
) -> Application:
    """Store a submitted tilläggsansökan and say so (`application_submitted`): the robot, which reacts,
    begins its run in the same transaction (it always goes to a person).

    The month must have a regular decision; the household's payout and household answers are taken from
    the month's regular application, so the money goes where the month's money goes.
    """
    request = read_request(data)
    regular = regular_application(person, request.month)
    if regular is None or not regular.decisions.exists():
        raise SupplementInvalid(
            "month",
            "Månad: det finns inget beslut för den månaden än. Skriv behovet i månadens ansökan i stället.",
        )
    if open_supplement(person, request.month, request.need) is not None:
        raise SupplementInvalid(
            "need", "Behov: du har redan sökt tillägg för det behovet den här månaden. Vänta på beslutet."
        )
    source = "caseworker" if registered_by else "citizen"
    answers = {key: value for key, value in regular.answers.items() if key != "registered_by"}
    answers["emergency"] = {"value": False, "source": source}
    answers["supplement"] = {
        "value": {"need": request.need, "amount": str(request.amount), "description": request.description},
        "source": source,
    }
    if registered_by:
        answers["registered_by"] = {"value": registered_by, "source": "caseworker"}
    application = Application(
        applicant=regular.applicant,
        co_applicant=regular.co_applicant,
        municipality=regular.municipality,
        month=request.month,
        channel=channel,
        kind=Application.Kind.SUPPLEMENT,
        previous=regular,
        answers=answers,
    )
    with transaction.atomic():
        # Stored submitted at once (never a draft), so an open draft of the month's wizard does not block it.
        application.submit()
        application_submitted.send(sender=Application, application=application)
    return application


def supplement_of(application: Application) -> SupplementRequest | None:
    """The need a tilläggsansökan asks for; None for any other application."""
    if application.kind != Application.Kind.SUPPLEMENT:
        return None
    value = (application.answers.get("supplement") or {}).get("value") or {}
    return SupplementRequest(
        month=application.month,
        need=value["need"],
        amount=Decimal(value["amount"]),
        description=value.get("description", ""),
    )
