"""What a register answer must not hold once it is stored: the address of a protected person.

Navet sends the folkbokföring address for a person with sekretessmarkering (only skyddad folkbokföring
replaces it), and for everyone living at the same address. Bistånd never needs a protected person's
address, and a raw answer is kept in several places — the run's register snapshot, the register cache,
the Art. 15 extract — so the address is removed from the raw text as it arrives, before anything keeps it.
The parser applies the same rule (`address_shielded`) to the facts.
"""

from __future__ import annotations

import json
from typing import Any

from bistand.registers.sources import Source

# The parts of a Navet person record that say where someone lives.
NAVET_ADDRESS_FIELDS = ("Folkbokforingsadress", "Sarskild_postadress", "Utlandsadress", "Kontaktadress")


def address_shielded(post: dict[str, Any]) -> bool:
    """Whether a Navet person record's address must not be kept: the person, or anyone at the address,
    is protected (a co-resident's answer would give the protected person's home away)."""
    if post.get("Skyddsmarkering") is not None:
        return True
    residents = post.get("PersonerPaAdressen")
    return isinstance(residents, list) and any(
        isinstance(m, dict) and m.get("Skyddsmarkering") is not None for m in residents
    )


def shielded(source: Source, raw: str) -> str:
    """The raw answer as it may be stored: for Navet, without a shielded address.

    An answer that cannot be read as JSON cannot be checked, so a Navet answer of that kind is not kept
    at all (it is an error anyway, and its text might hold an address)."""
    if source is not Source.NAVET or not raw:
        return raw
    try:
        doc = json.loads(raw)
    except ValueError:
        return ""
    post = doc.get("Personpost") if isinstance(doc, dict) else None
    if not isinstance(post, dict) or not address_shielded(post):
        return raw
    for field in NAVET_ADDRESS_FIELDS:
        post.pop(field, None)
    return json.dumps(doc, ensure_ascii=False)
