"""The OpenAPI 3.1 document for the public calculation, written by hand from docs/calculation.md.

The lists of cost and income types come from the rules package, so the document cannot drift from what
the engine accepts.
"""

from __future__ import annotations

from typing import Any

from bistand.api import openapi_intake
from bistand.rules.model import COST_TYPES, INCOME_TYPES, ROLES

_AMOUNT = {
    "type": "number",
    "minimum": 0,
    "multipleOf": 0.01,
    "description": "Kronor per month; at most two decimals (öre).",
}
_SIGNED_AMOUNT = {
    "type": "number",
    "description": "Kronor; a whole-krona amount is written as an integer, an öre amount with two decimals.",
}
EXAMPLE_ERROR = "Ange födelsedatum som ÅÅÅÅ-MM-DD, till exempel 2016-05-01."
_MONTH = {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "examples": ["2021-03"]}

EXAMPLE_INPUT: dict[str, Any] = {
    "month": "2021-03",
    "municipality": "1287",
    "members": [
        {"id": "a", "role": "applicant", "birth_date": "1985-02-11"},
        {"id": "b", "role": "co_applicant", "birth_date": "1987-07-30"},
        {"id": "c", "role": "child", "birth_date": "2016-05-01", "lunch_at_home": False},
        {"id": "d", "role": "child", "birth_date": "2012-01-20"},
    ],
    "household_size": 4,
    "costs": [{"type": "rent", "amount": 7800}, {"type": "electricity", "amount": 350}],
    "incomes": [
        {"member": "a", "type": "salary", "amount": 4000},
        {"member": "a", "type": "child_allowance", "amount": 1250},
        {"member": "d", "type": "salary", "amount": 1500, "earned_earlier_this_year": 12000},
    ],
    "assistance_months": ["2020-08", "2020-09", "2020-10", "2020-11", "2020-12", "2021-01", "2021-02"],
}


def openapi_document() -> dict[str, Any]:
    """The document served at /api/v1/openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Bistånd — public calculation of försörjningsstöd",
            "version": "1.1.0",
            "description": (
                "Calculates försörjningsstöd (income support) for one household and month, with every amount "
                "traced to its rule, parameter and law. The same calculation is available as `bistand calc` "
                "and as the Python function `bistand.rules.calculate`. Messages are in Swedish, or English "
                "with `Accept-Language: en`. A field the contract does not know is refused (422), never "
                "ignored. The contract, every field and every error: docs/calculation.md in the repository."
            ),
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "externalDocs": {
            "description": "The calculation contract (docs/calculation.md)",
            "url": "docs/calculation.md",
        },
        "paths": {
            "/api/v1/calculate": {
                "post": {
                    "operationId": "calculate",
                    "summary": "Calculate försörjningsstöd for a household",
                    "parameters": [
                        {
                            "name": "explain",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": ["1", "true", "yes"]},
                            "description": "Add `explanation`: the calculation as plain text.",
                        },
                        {
                            "name": "Accept-Language",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "examples": ["sv", "en"]},
                            "description": "Language of messages and explanation: sv (default) or en.",
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Household"},
                                "example": EXAMPLE_INPUT,
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The calculation.",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Result"}}
                            },
                        },
                        "400": {
                            "description": "The body is not JSON.",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}
                            },
                        },
                        "405": {
                            "description": "Only POST is allowed.",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}
                            },
                        },
                        "422": {
                            "description": "The input cannot be calculated; every wrong field is named.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"},
                                    "example": {
                                        "errors": [
                                            {
                                                "field": "members[2].birth_date",
                                                "message": EXAMPLE_ERROR,
                                            }
                                        ]
                                    },
                                }
                            },
                        },
                    },
                }
            },
            **openapi_intake.paths(),
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {"description": "The OpenAPI document.", "content": {"application/json": {}}}
                    },
                }
            },
        },
        "components": {
            "schemas": {**_schemas(), **openapi_intake.schemas()},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _schemas() -> dict[str, Any]:
    return {
        "Household": {
            "type": "object",
            "required": ["month", "members"],
            "properties": {
                "month": {
                    **_MONTH,
                    "description": "The month of the assistance; selects the norm table in force.",
                },
                "municipality": {
                    "type": "string",
                    "pattern": r"^\d{4}$",
                    "description": "Four-digit municipality code.",
                },
                "members": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Member"}},
                "household_size": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 99,
                    "description": (
                        "People in the shared household (hushållsgemenskap), the case's members and "
                        "anyone else; default the number of members. When larger, the case carries "
                        "common(size) × members / size."
                    ),
                },
                "costs": {"type": "array", "items": {"$ref": "#/components/schemas/Cost"}},
                "incomes": {"type": "array", "items": {"$ref": "#/components/schemas/Income"}},
                "assistance_months": {
                    "type": "array",
                    "items": _MONTH,
                    "deprecated": True,
                    "description": (
                        "Deprecated (kept for one version): the household's months before `month` with "
                        "försörjningsstöd, used for an adult without `members[].assistance_months`."
                    ),
                },
            },
            "additionalProperties": False,
        },
        "Member": {
            "type": "object",
            "required": ["id", "role", "birth_date"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "role": {
                    "type": "string",
                    "enum": list(ROLES),
                    "description": (
                        "applicant; co_applicant (spouse, registered partner or cohabitant: the "
                        "couple norm); "
                        "child (under 21; 19–20 only while in upper-secondary school)."
                    ),
                },
                "birth_date": {
                    "type": "string",
                    "format": "date",
                    "description": "Age is taken on the month's first day.",
                },
                "lunch_at_home": {"type": "boolean", "default": True, "description": "Children 0–6 only."},
                "days_in_household": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 31,
                    "description": "A child living part of the month elsewhere: personal cost by days.",
                },
                "in_school": {
                    "type": "boolean",
                    "description": (
                        "Required for a child aged 18–20: true (in upper-secondary school). false is refused: "
                        "a young adult not in school applies in a case of their own."
                    ),
                },
                "assistance_months": {
                    "type": "array",
                    "items": _MONTH,
                    "description": (
                        "An adult's own months before `month` with försörjningsstöd, in any case "
                        "(jobbstimulans, SoL 12 kap. 8 §)."
                    ),
                },
            },
            "additionalProperties": False,
        },
        "Cost": {
            "type": "object",
            "required": ["type", "amount"],
            "properties": {"type": {"type": "string", "enum": list(COST_TYPES)}, "amount": _AMOUNT},
            "additionalProperties": False,
        },
        "Income": {
            "type": "object",
            "required": ["member", "type", "amount"],
            "properties": {
                "member": {"type": "string", "description": "The id of the member who has the income."},
                "type": {"type": "string", "enum": list(INCOME_TYPES)},
                "amount": {**_AMOUNT, "description": "Net kronor per month."},
                "earned_earlier_this_year": {
                    **_AMOUNT,
                    "description": "A child's salary only: earned earlier in the calendar year.",
                },
            },
            "additionalProperties": False,
        },
        "Result": {
            "type": "object",
            "required": [
                "month",
                "norm_table",
                "norm_total",
                "costs_total",
                "income_total",
                "deficit",
                "entitlement",
                "lines",
                "warnings",
            ],
            "properties": {
                "month": _MONTH,
                "norm_table": {
                    "type": "object",
                    "required": ["id", "source", "verified"],
                    "properties": {
                        "id": {"type": "string", "examples": ["riksnorm-2021"]},
                        "source": {"type": "string", "examples": ["SFS 2020:1013"]},
                        "verified": {
                            "type": "boolean",
                            "description": "False when an amount used is not confirmed against the SFS text.",
                        },
                        "table_verified": {
                            "type": "boolean",
                            "description": "Every amount of the table is confirmed.",
                        },
                        "reliability": {
                            "type": "string",
                            "enum": ["official", "secondary", "derived"],
                            "description": "The least reliable source among the norm amounts used.",
                        },
                        "valid_from": {"type": "string", "format": "date"},
                        "source_url": {"type": "string"},
                    },
                },
                "norm_total": _SIGNED_AMOUNT,
                "costs_total": _SIGNED_AMOUNT,
                "income_total": {**_SIGNED_AMOUNT, "description": "Income that counts, after exemptions."},
                "deficit": {
                    **_SIGNED_AMOUNT,
                    "description": "norm_total + costs_total − income_total; negative = surplus.",
                },
                "entitlement": {
                    **_SIGNED_AMOUNT,
                    "description": "max(0, deficit) rounded half up to whole kronor.",
                },
                "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
                "warnings": {"type": "array", "items": {"type": "string"}},
                "jobbstimulans": {
                    "type": "object",
                    "properties": {
                        "applies": {"type": "boolean"},
                        "qualifying_months": {"type": "object", "properties": {"from": _MONTH, "to": _MONTH}},
                        "period": {"type": "object", "properties": {"from": _MONTH, "to": _MONTH}},
                        "members": {
                            "type": "object",
                            "description": "Each adult's own status by member id (the top level: the applicant).",
                        },
                    },
                },
                "explanation": {"type": "string", "description": "Only with ?explain=1."},
            },
        },
        "Line": {
            "type": "object",
            "required": ["section", "member", "label", "amount", "rule", "reference"],
            "properties": {
                "section": {"type": "string", "enum": ["norm", "costs", "income"]},
                "member": {
                    "type": "string",
                    "description": "A member id, `a+b` for a couple, or `household`.",
                },
                "label": {"type": "string", "description": "Swedish label."},
                "label_en": {"type": "string"},
                "amount": {
                    **_SIGNED_AMOUNT,
                    "description": "Negative: a part of an income not counted. Lines sum to their total.",
                },
                "rule": {"type": "string", "examples": ["riksnorm.adults.couple", "income.jobbstimulans"]},
                "reference": {"type": "string", "examples": ["SoF (2001:937) 2 kap. 1 §"]},
                "parameter": {"type": ["string", "null"], "examples": ["riksnorm.2021.children.7-10"]},
                "verified": {"type": "boolean"},
                "details": {"type": "object"},
            },
        },
        "Errors": {
            "type": "object",
            "required": ["errors"],
            "properties": {
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {
                            "field": {"type": "string", "examples": ["members[2].birth_date"]},
                            "message": {"type": "string"},
                        },
                    },
                }
            },
        },
    }
