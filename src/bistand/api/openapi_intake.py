"""OpenAPI description of the intake API (applications, cases, the development token)."""

from __future__ import annotations

from typing import Any

ERRORS = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}

APPLICATION_EXAMPLE = {
    "month": "2026-12",
    "co_applicant": None,
    "children": [{"personnummer": "201501012395", "lunch_at_home": True}],
    "costs": [{"type": "rent", "amount": "6900"}, {"type": "electricity", "amount": "350"}],
    "incomes": [{"person": "applicant", "type": "child_allowance", "amount": "1250"}],
    "assets": [],
    "extra_needs": [],
    "emergency": False,
    "nothing_changed": True,
    "payout_account": {"clearing_number": "8327", "account_number": "9 123 456 789"},
    "language": "sv",
}


def _money() -> dict[str, Any]:
    return {"type": "string", "pattern": r"^\d+(\.\d{1,2})?$", "description": "kronor, at most two decimals"}


def schemas() -> dict[str, Any]:
    return {
        "Application": {
            "type": "object",
            "description": "A field not listed here is refused (422) with its name, never ignored.",
            "required": ["month"],
            "properties": {
                "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                "co_applicant": {
                    "type": ["string", "null"],
                    "description": "personnummer, 12 digits. The co-applicant signs in the e-service before the "
                    "application is submitted (202 until then).",
                },
                "children": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["personnummer"],
                        "properties": {
                            "personnummer": {"type": "string"},
                            "lunch_at_home": {"type": "boolean"},
                            "days_in_household": {"type": "integer", "minimum": 1, "maximum": 31},
                            "in_school": {
                                "type": ["boolean", "null"],
                                "description": (
                                    "A child aged 18–20: in upper-secondary school. Not given: a caseworker "
                                    "finds out (docs/calculation.md)."
                                ),
                            },
                        },
                        "additionalProperties": False,
                    },
                },
                "household_size": {"type": ["integer", "null"], "minimum": 1, "maximum": 30},
                "costs": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "type": {
                                "enum": [
                                    "rent",
                                    "electricity",
                                    "home_insurance",
                                    "work_travel",
                                    "union_fee",
                                    "unemployment_fund_fee",
                                ]
                            },
                            "amount": _money(),
                        },
                    },
                },
                "incomes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "person": {
                                "type": "string",
                                "description": "applicant, co_applicant or a personnummer",
                            },
                            "type": {"type": "string"},
                            "amount": _money(),
                        },
                    },
                },
                "assets": {"type": "array", "items": {"type": "object"}},
                "extra_needs": {"type": "array", "items": {"type": "object"}},
                "emergency": {"type": "boolean"},
                "nothing_changed": {"type": "boolean"},
                "housing": {
                    "type": ["object", "null"],
                    "description": "A second-hand lease and whether the sublet has consent or permission "
                    "(bidragsreform, from 2027).",
                    "properties": {
                        "second_hand_lease": {"type": "boolean"},
                        "sublet_consent": {"type": ["boolean", "null"]},
                    },
                    "additionalProperties": False,
                },
                "illness": {
                    "type": ["object", "null"],
                    "description": "Illness keeps the applicant from the labour market; the läkarintyg's period "
                    "(from 1 July 2026).",
                    "properties": {
                        "not_at_disposal": {"type": "boolean"},
                        "certificate_from": {"type": ["string", "null"], "format": "date"},
                        "certificate_to": {"type": ["string", "null"], "format": "date"},
                    },
                    "additionalProperties": False,
                },
                "payout_account": {"type": ["object", "null"]},
                "language": {"enum": ["sv", "en", "ar"]},
            },
        },
        "Received": {
            "type": "object",
            "properties": {
                "application": {"type": "string", "format": "uuid"},
                "case_id": {"type": "integer"},
                "status": {"const": "received"},
            },
        },
        "Case": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "applications": {"type": "array", "items": {"type": "object"}},
                "decisions": {"type": "array", "items": {"type": "object"}},
                "timeline": {"type": "array", "items": {"type": "object"}},
            },
        },
    }


def paths() -> dict[str, Any]:
    """The intake API's paths; the development token only in demo mode, where it exists."""
    from django.conf import settings

    found = _paths()
    if not settings.DEMO_MODE:
        found.pop("/api/v1/dev/token")
    return found


def _paths() -> dict[str, Any]:
    bearer = [{"bearer": []}]
    return {
        "/api/v1/applications": {
            "post": {
                "operationId": "createApplication",
                "summary": "Submit an application (the citizen's own bearer token)",
                "security": bearer,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Application"},
                            "example": APPLICATION_EXAMPLE,
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "Stored durably; the robot works on it in the background.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Received"}}
                        },
                    },
                    "202": {
                        "description": "Stored, waiting for the co-applicant to sign with their own eID in "
                        "the e-service; nobody is looked up before that.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": {"description": "The body is not JSON, or nested too deeply.", "content": ERRORS},
                    "401": {"description": "No valid token.", "content": ERRORS},
                    "403": {"description": "Not a citizen's token.", "content": ERRORS},
                    "409": {
                        "description": "The household already applied for that month (nödbistånd excepted), "
                        "or an application is open in the e-service.",
                        "content": ERRORS,
                    },
                    "422": {"description": "Field-level errors.", "content": ERRORS},
                },
            }
        },
        "/api/v1/supplements": {
            "post": {
                "operationId": "createSupplement",
                "summary": "Apply for a supplement (tillägg) on a month already decided",
                "security": bearer,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["month", "need", "amount", "description"],
                                "additionalProperties": False,
                                "properties": {
                                    "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                                    "need": {"type": "string", "description": "A cost type, e.g. glasses."},
                                    "amount": _money(),
                                    "description": {"type": "string", "maxLength": 2000},
                                },
                            },
                            "example": {
                                "month": "2026-12",
                                "need": "glasses",
                                "amount": "1800",
                                "description": "Glasögon till vårt barn.",
                            },
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "Stored; a caseworker decides it as its own decision and payment.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Received"}}
                        },
                    },
                    "400": {"description": "The body is not a JSON object.", "content": ERRORS},
                    "401": {"description": "No valid token.", "content": ERRORS},
                    "403": {"description": "Not a citizen's token.", "content": ERRORS},
                    "422": {
                        "description": "Field-level errors: no decision for the month, the need already "
                        "sought, a bad amount, an unknown field.",
                        "content": ERRORS,
                    },
                },
            }
        },
        "/api/v1/cases/{id}": {
            "get": {
                "operationId": "getCase",
                "summary": "A case's status, decisions and timeline",
                "security": bearer,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "The case.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}},
                    },
                    "401": {"description": "No valid token.", "content": ERRORS},
                    "404": {"description": "No such case, or not yours to see."},
                },
            }
        },
        "/api/v1/dev/token": {
            "post": {
                "operationId": "devToken",
                "summary": "Demo mode only: a bearer token for a Skatteverket test personnummer",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["personnummer"],
                                "properties": {"personnummer": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {
                    "201": {"description": "The token.", "content": {"application/json": {}}},
                    "404": {"description": "Not in demo mode."},
                    "422": {"description": "Not a test personnummer.", "content": ERRORS},
                },
            }
        },
    }
