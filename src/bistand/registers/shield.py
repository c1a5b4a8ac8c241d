"""What a register answer must not hold once it is stored: the address of a protected person.

Navet sends the folkbokföring address for a person with sekretessmarkering (only skyddad folkbokföring
replaces it), and for everyone living at the same address. Bistånd never needs a protected person's
address, and a raw answer is kept in several places — the run's register snapshot, the register cache,
the Art. 15 extract — so the address is removed from the raw text as it arrives, before anything keeps it.
The parser applies the same rule (``navet.address_shielded``) to the facts.
"""

from __future__ import annotations

from lxml import etree

from bistand.registers.soap import body_child
from bistand.registers.sources import Source

__all__ = ["shielded"]


def shielded(source: Source, raw: str) -> str:
    """The raw answer as it may be stored: for Navet, without a shielded address.

    An answer that cannot be read cannot be checked, so a Navet answer of that kind is not kept at all (it
    is an error anyway, and its text might hold an address)."""
    from bistand.registers.navet import NAV, address_shielded

    if source is not Source.NAVET or not raw:
        return raw
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
