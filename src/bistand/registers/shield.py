"""What a register answer must not hold once it is stored: the address of a protected person.

Navet sends the folkbokföring address for a person with sekretessmarkering (only skyddad folkbokföring
replaces it), and for everyone living at the same address. Bistånd never needs a protected person's
address, and a raw answer is kept in several places — the run's register snapshot, the register cache,
the Art. 15 extract — so the address is removed from the raw text as it arrives, before anything keeps it.
The parser applies the same rule (``navet.address_shielded``) to the facts.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from bistand.registers.navet import NAV, address_shielded
from bistand.registers.soap import body_child
from bistand.registers.sources import Source

__all__ = ["shielded"]


def shielded(source: Source, raw: str) -> str:
    """The raw answer as it may be stored: for Navet, without a shielded address.

    An answer that cannot be read cannot be checked, so a Navet answer of that kind is not kept at all (it
    is an error anyway, and its text might hold an address)."""
    if source is not Source.NAVET or not raw:
        return raw
    if raw.lstrip().startswith("{"):
        return _shielded_json(raw)
    try:
        body = body_child(raw)
    except Exception:
        return ""
    post = body.find(f"{{{NAV}}}Personpost")
    if post is None or not address_shielded(post):
        return raw
    for addresses in post.findall(f"{{{NAV}}}Adresser"):
        post.remove(addresses)
    return etree.tostring(body.getroottree(), xml_declaration=True, encoding="UTF-8").decode()


# The simulator's JSON format, in which answers were stored before the switch to SOAP (issue 23): the
# stored-answers rewrite (`security.stored_answers`) still passes them through here.
_JSON_ADDRESS_FIELDS = ("Folkbokforingsadress", "Sarskild_postadress", "Utlandsadress", "Kontaktadress")


def _shielded_json(raw: str) -> str:
    try:
        doc = json.loads(raw)
    except ValueError:
        return ""
    post = doc.get("Personpost") if isinstance(doc, dict) else None
    if not isinstance(post, dict) or not _json_protected(post):
        return raw
    for field in _JSON_ADDRESS_FIELDS:
        post.pop(field, None)
    return json.dumps(doc, ensure_ascii=False)


def _json_protected(post: dict[str, Any]) -> bool:
    if post.get("Skyddsmarkering") is not None:
        return True
    residents = post.get("PersonerPaAdressen")
    return isinstance(residents, list) and any(
        isinstance(m, dict) and m.get("Skyddsmarkering") is not None for m in residents
    )
