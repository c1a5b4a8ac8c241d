"""The intake API: applications from other channels, and a case's status, decision and timeline.

- `POST /api/v1/applications` (bearer token of the citizen): stores the application durably, and only then
  answers 201 with the case's reference. The robot then works on it in the background.
- `GET /api/v1/cases/{id}`: status, decision and timeline, for the citizen it concerns or a caseworker of
  its unit.
- `POST /api/v1/dev/token` (demo mode only): a bearer token for a Skatteverket test personnummer.
"""

from __future__ import annotations

import datetime
import json
import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from bistand.cases.models import Case
from bistand.cases.scope import cases_visible_to
from bistand.casework import pipeline
from bistand.casework.models import PipelineRun
from bistand.identity.models import Municipality, Person, User
from bistand.identity.personnummer import PersonnummerError, parse
from bistand.identity.tokens import issue_token, user_from_request
from bistand.identity.views import account_for
from bistand.intake import signing
from bistand.intake.drafts import open_application
from bistand.intake.models import Application, MonthTaken
from bistand.intake.schema import ApplicationInvalid, month_not_open, validate_application, with_provenance
from bistand.testdata import is_test_identity

logger = logging.getLogger(__name__)


def _errors(status: int, errors: list[dict[str, str]]) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status, json_dumps_params={"ensure_ascii": False})


def _body(request: HttpRequest):
    """The JSON body, or None. Its size is bounded before it is read (`security.bodysize`: a 413),
    and nesting deep enough to exhaust the parser's recursion is refused like any other bad JSON."""
    try:
        data = json.loads(request.body.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return None if _deeper_than(data, MAX_DEPTH) else data


MAX_DEPTH = 16  # an application is three levels deep; the limit only keeps hostile bodies out


def _deeper_than(value, limit: int) -> bool:
    """Whether `value` nests lists and objects more than `limit` levels (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _unauthorised() -> JsonResponse:
    response = _errors(
        401, [{"field": "", "message": "Logga in: skicka en giltig token i Authorization: Bearer."}]
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@csrf_exempt
@require_http_methods(["POST"])
def create_application(request: HttpRequest) -> HttpResponse:
    user = user_from_request(request)
    if user is None:
        return _unauthorised()
    if not user.is_citizen or user.person is None:
        return _errors(
            403, [{"field": "", "message": "Bara den sökande själv kan skicka in en ansökan här."}]
        )
    data = _body(request)
    if data is None:
        return _errors(400, [{"field": "", "message": "Innehållet är inte giltig JSON."}])
    try:
        values = validate_application(data)
    except ApplicationInvalid as invalid:
        return _errors(422, [e.to_dict() for e in invalid.errors])
    person: Person = user.person
    municipality = person.municipality or Municipality.objects.order_by("pk").first()
    if municipality is None or not municipality.units.filter(handles_intake=True).exists():
        return _errors(422, [{"field": "", "message": "Din kommun tar inte emot ansökningar här ännu."}])
    closed = month_not_open(values["month"], timezone.localdate())
    if closed is not None:
        return _errors(422, [closed.to_dict()])
    month = datetime.date.fromisoformat(values["month"] + "-01")
    answers = with_provenance(_jsonable(values))
    if values["co_applicant"] == person.personnummer:
        return _errors(422, [{"field": "co_applicant", "message": "Medsökande kan inte vara du själv."}])
    if open_application(person) is not None:
        # The database allows one open application per person; say so instead of failing on it.
        return _errors(
            409,
            [
                {
                    "field": "",
                    "message": "Du har en påbörjad ansökan i e-tjänsten. Skicka in eller ta bort den först.",
                }
            ],
        )
    try:
        # Stored with its task in one transaction: once we answer 201, the application cannot be lost.
        with transaction.atomic():
            application = Application.objects.create(
                applicant=person,
                municipality=municipality,
                month=month,
                channel=Application.Channel.E_SERVICE,
                answers=answers,
            )
            # The bearer token is the applicant's own eID; a co-applicant signs with theirs, in the e-service.
            signing.sign_complete(application, person, method="api")
            run = pipeline.begin(application) if application.is_submitted else None
    except MonthTaken as taken:
        # One regular application per household and month: a replay must not become a second payment.
        return _errors(
            409,
            [
                {
                    "field": "month",
                    "message": "Ni har redan ansökt för den månaden. Ändringar skickar du som meddelande.",
                    **({"application": str(taken.earlier.reference)} if taken.earlier else {}),
                }
            ],
        )
    except IntegrityError:
        return _errors(409, [{"field": "", "message": "Ansökan skickades redan. Försök inte igen."}])
    if run is None:
        logger.info(
            "application awaits the co-applicant's signature", extra={"application_id": application.pk}
        )
        return JsonResponse(
            {"application": str(application.reference), "status": "awaiting_co_applicant_signature"},
            status=202,
        )
    logger.info(
        "application submitted via API", extra={"application_id": application.pk, "case_id": run.case_id}
    )
    return JsonResponse(
        {"application": str(application.reference), "case_id": run.case_id, "status": "received"}, status=201
    )


def _jsonable(values: dict) -> dict:
    return json.loads(json.dumps(values, default=str))


@require_http_methods(["GET"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = user_from_request(request, allow_session=True)
    if user is None:
        return _unauthorised()
    cases = Case.objects.select_related("applicant", "unit")
    if user.is_citizen:
        case = cases.filter(pk=case_id, applicant_id=user.person_id).first()
    else:  # staff: the one rule of which cases they may open (`cases.scope`)
        case = cases.filter(pk=case_id, pk__in=cases_visible_to(user).values("pk")).first()
    if case is None:
        # The same answer whether the case does not exist or is someone else's: ids are not confirmed.
        raise Http404
    runs = PipelineRun.objects.filter(case=case).select_related("application").order_by("-created_at")
    decisions = case.decisions.order_by("-decided_at", "-version")
    staff = user.is_caseworker
    body = {
        "id": case.pk,
        "applications": [
            {
                "application": str(run.application.reference),
                "month": run.application.month.isoformat()[:7],
                "status": run.status,
                "step": run.step,
                "urgent": run.urgent,
                **({"routing_reasons": run.routing_reasons} if staff else {}),
            }
            for run in runs
        ],
        "decisions": [
            {
                "id": d.pk,
                "version": d.version,
                "month": d.month.isoformat()[:7],
                "outcome": d.outcome,
                "ground": d.ground,
                "amount": str(d.amount_granted),
                "automated": d.automated,
                "decided_at": d.decided_at.isoformat(),
                "in_force": d.is_in_force,
                "motivation": d.motivation,
                "letter": d.letters.exists(),
            }
            for d in decisions
        ],
        "timeline": [
            {
                "kind": e.kind,
                "actor": e.actor,
                "occurred_at": e.occurred_at.isoformat(),
                "data": e.data if staff else e.citizen_data,
            }
            for e in case.events.all()
            if staff or e.visible_to_citizen
        ],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_http_methods(["POST"])
def dev_token(request: HttpRequest) -> HttpResponse:
    if not settings.DEMO_MODE:
        raise Http404
    data = _body(request)
    if not isinstance(data, dict):
        return _errors(400, [{"field": "", "message": "Innehållet är inte giltig JSON."}])
    try:
        number = parse(str(data.get("personnummer", ""))).digits
    except PersonnummerError:
        return _errors(
            422, [{"field": "personnummer", "message": "Det här är inte ett giltigt personnummer."}]
        )
    if not is_test_identity(number):
        return _errors(
            422,
            [{"field": "personnummer", "message": "Utvecklingsinloggningen tar bara emot testpersonnummer."}],
        )
    with transaction.atomic():
        user: User = account_for(number)
        token = issue_token(user, demo=True)
    return JsonResponse({"token": token, "token_type": "Bearer"}, status=201)
