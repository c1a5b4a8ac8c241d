"""The public calculation over HTTP: `POST /api/v1/calculate` and its OpenAPI document.

Stateless and anonymous: anyone — a citizen, a journalist, a court — may run the calculation, so the
endpoint is CSRF-exempt (no cookies or session are used). The answer is the calculation contract's JSON;
errors are always `{"errors": [{"field": ..., "message": ...}]}`, in Swedish or, by Accept-Language, English.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from bistand.api.openapi import openapi_document
from bistand.rules.engine import calculate
from bistand.rules.explain import explain
from bistand.rules.messages import message, pick_language
from bistand.rules.money import dumps
from bistand.rules.validation import InvalidInput

JSON = "application/json; charset=utf-8"


def _json(data: object, status: int, lang: str) -> HttpResponse:
    response = HttpResponse(dumps(data, indent=None), status=status, content_type=JSON)
    response["Content-Language"] = lang
    response["Vary"] = "Accept-Language"
    return response


def _error(field: str, text: str, status: int, lang: str) -> HttpResponse:
    return _json({"errors": [{"field": field, "message": text}]}, status, lang)


@csrf_exempt
def calculate_view(request: HttpRequest) -> HttpResponse:
    """Calculate försörjningsstöd for the household in the JSON body.

    200 the result; 400 the body is not JSON; 422 the input is not valid (field-level errors);
    405 any method but POST. `?explain=1` adds the plain-language explanation as `explanation`.
    """
    lang = pick_language(request.headers.get("Accept-Language"))
    if request.method != "POST":
        response = _error(
            "",
            "Använd POST med hushållet som JSON." if lang != "en" else "Use POST with the household as JSON.",
            405,
            lang,
        )
        response["Allow"] = "POST"
        return response
    try:
        data = json.loads(request.body.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        return _error("", message("not_json", lang, detail="not UTF-8"), 400, lang)
    except ValueError as exc:
        return _error("", message("not_json", lang, detail=str(exc)), 400, lang)
    try:
        result = calculate(data, lang=lang)
    except InvalidInput as exc:
        return _json({"errors": exc.as_list(lang)}, 422, lang)
    body = result.to_dict()
    if request.GET.get("explain") in {"1", "true", "yes"}:
        body["explanation"] = explain(result, lang)
    return _json(body, 200, lang)


@csrf_exempt  # read-only and public: a POST gets 405, not a CSRF page
@require_safe
def openapi_view(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 document describing the calculation endpoint."""
    response = HttpResponse(json.dumps(openapi_document(), ensure_ascii=False, indent=2), content_type=JSON)
    response["Access-Control-Allow-Origin"] = "*"
    return response
