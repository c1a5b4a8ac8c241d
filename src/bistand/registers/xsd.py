"""The published interface files, and checks of documents against them.

``schemas/v10`` is a copy of the SSBTEK v10 files (see ``schemas/README.md`` for where they come from):
the composite service's XSD with the agencies' XSDs it imports, CSN's XSDs (CSN's answer travels base64
inside the SOAP answer) and Försäkringskassan's LEFI OpenAPI (LEFI's JSON does too).
``schemas/navet/personpost.xsd`` is Bistånd's own model of a Navet answer (docs/registers.md says what in
it is documented and what is assumed). The simulator checks every request it receives, and in the tests
every answer it sends, against these files.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema
import yaml
from lxml import etree

__all__ = [
    "SchemaViolation",
    "preload",
    "validate_csn",
    "validate_lefi_answer",
    "validate_lefi_question",
    "validate_navet",
    "validate_ssbtek",
]

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SSBTEK_XSD = SCHEMAS / "v10/se/forsakringskassan/schema/integration/ssbt/_10/sammansatt_bastjanst_v10.xsd"
CSN_XSD = SCHEMAS / "v10/se/csn/schema/v4_0/kommunfraga/kommunfraga.xsd"
LEFI_OPENAPI = SCHEMAS / "v10/se/forsakringskassan/schema/lefi/lefi-formansinformation-v9.openapi.yaml"
NAVET_XSD = SCHEMAS / "navet/personpost.xsd"


class SchemaViolation(ValueError):
    """A document does not follow its published schema; the message names the first place it breaks."""


@cache
def _xsd(path: Path) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(path))


def _validate(path: Path, element: etree._Element) -> None:
    error = next(_xsd(path).iter_errors(element), None)
    if error is not None:
        raise SchemaViolation(f"{error.path or element.tag}: {error.reason}")


def preload(*, answers: bool = True) -> None:
    """Load the schemas now (a few seconds) rather than at the first document checked."""
    _xsd(SSBTEK_XSD)
    _xsd(NAVET_XSD)
    if answers:
        _xsd(CSN_XSD)
        _lefi_components()


def validate_ssbtek(element: etree._Element) -> None:
    """Check a SOAP body element (question, answer or fault detail) against the SSBTEK v10 XSD."""
    _validate(SSBTEK_XSD, element)


def validate_csn(element: etree._Element) -> None:
    """Check CSN's answer (``CSNSvar``, decoded from base64) against CSN's v4.0 XSD."""
    _validate(CSN_XSD, element)


def validate_navet(element: etree._Element) -> None:
    """Check a Navet question or answer against Bistånd's personpost model."""
    _validate(NAVET_XSD, element)


# --- LEFI (JSON, described by an OpenAPI 3 document) ----------------------------------------------------


@cache
def _lefi_components() -> dict[str, Any]:
    return yaml.safe_load(LEFI_OPENAPI.read_text(encoding="utf-8"))["components"]["schemas"]


def validate_lefi_question(document: Any) -> None:
    """Check a LEFI question against ``LefiExternFormansinformationFraga``."""
    _check(document, {"$ref": "#/components/schemas/LefiExternFormansinformationFraga"}, "$")


def validate_lefi_answer(document: Any) -> None:
    """Check a LEFI answer against ``LefiExternFormansinformationSvar``."""
    _check(document, {"$ref": "#/components/schemas/LefiExternFormansinformationSvar"}, "$")


_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
}


def _check(value: Any, schema: dict[str, Any], where: str) -> None:
    """The OpenAPI 3.0 keywords LEFI uses: $ref, type, properties, required, items, enum, pattern,
    format: date, uniqueItems, minItems/maxItems, allOf. Unknown properties are refused: a misspelt field
    is a finding, not an extension."""
    if "$ref" in schema:
        _check(value, _lefi_components()[schema["$ref"].rsplit("/", 1)[-1]], where)
        return
    for part in schema.get("allOf", []):
        _check(value, part, where)
    kind = schema.get("type")
    if kind is not None:
        expected = _TYPES[kind]
        if not isinstance(value, expected) or (kind in ("integer", "number") and isinstance(value, bool)):
            raise SchemaViolation(f"{where}: expected {kind}, found {type(value).__name__}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaViolation(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise SchemaViolation(f"{where}: {value!r} does not match {schema['pattern']}")
        if schema.get("format") == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                raise SchemaViolation(f"{where}: {value!r} is not a date") from None
    if isinstance(value, dict):
        properties = schema.get("properties")
        for name in schema.get("required", []):
            if name not in value:
                raise SchemaViolation(f"{where}: missing {name!r}")
        if properties is not None:
            for name, item in value.items():
                if name not in properties:
                    raise SchemaViolation(f"{where}: unknown field {name!r}")
                _check(item, properties[name], f"{where}.{name}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            raise SchemaViolation(f"{where}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise SchemaViolation(f"{where}: more than {schema['maxItems']} items")
        if schema.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
            raise SchemaViolation(f"{where}: items are not unique")
        for index, item in enumerate(value):
            _check(item, schema.get("items", {}), f"{where}[{index}]")
