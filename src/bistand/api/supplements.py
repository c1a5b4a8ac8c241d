"""`POST /api/v1/supplements`: a tilläggsansökan for a month already decided (the citizen's own token).

Body: ``{"month": "2026-12", "need": "glasses", "amount": "1800", "description": "..."}``. The need is one
of the rules engine's cost types. Answers 201 with the application's reference once it is stored; 422 with
the field named when it cannot be made (no decided month, the same need already sought, a bad amount).
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from bistand.api.intake import _body, _errors, _unauthorised
from bistand.identity.tokens import user_from_request
from bistand.intake.supplement import SupplementInvalid, apply_for_supplement

logger = logging.getLogger(__name__)

FIELDS = frozenset({"month", "need", "amount", "description"})


@csrf_exempt
@require_http_methods(["POST"])
def create_supplement(request: HttpRequest) -> HttpResponse:
    user = user_from_request(request)
    if user is None:
        return _unauthorised()
    if not user.is_citizen or user.person is None:
        return _errors(403, [{"field": "", "message": "Bara den sökande själv kan söka tillägg här."}])
    data = _body(request)
    if not isinstance(data, dict):
        return _errors(400, [{"field": "", "message": "Innehållet är inte giltig JSON."}])
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        return _errors(422, [{"field": name, "message": "Okänt fält."} for name in unknown])
    try:
        application = apply_for_supplement(user.person, data)
    except SupplementInvalid as invalid:
        return _errors(422, [invalid.to_dict()])
    logger.info("supplement submitted via API", extra={"application_id": application.pk})
    return JsonResponse(
        {
            "application": str(application.reference),
            "case_id": application.pipeline.case_id,
            "status": "received",
        },
        status=201,
    )
