"""Code lists the agencies use and Bistånd reads, written once for the adapters and the simulator."""

from __future__ import annotations

from datetime import date

__all__ = ["AF_CATEGORIES", "CSN_KINDS", "NO_END"]

# Arbetsförmedlingen's sökandekategorier (ArbetssokandeSKAT) the simulator uses, with what they stand for
# here; the answer carries the code only.
AF_CATEGORIES: dict[str, str] = {
    "11": "Öppet arbetslös",
    "21": "Deltidsarbetslös",
    "22": "Timanställd",
    "41": "Arbetssökande med förhinder",
    "68": "I program med aktivitetsstöd",
    "69": "I etableringsprogram",
}
# CSN's answer holds one list per kind of support (csnpers:Person): the element, and the kind in the facts.
CSN_KINDS: dict[str, str] = {
    "Studiemedel": "STUDIEMEDEL",
    "Studiehjalp": "STUDIEHJALP",
    "HemutrustningsLan": "HEMUTRUSTNINGSLAN",
    "Studiestartsstod": "STUDIESTARTSSTOD",
    "Omstallningsstudiestod": "OMSTALLNINGSSTUDIESTOD",
}
# A required end date for something that has none (AF's BeslutTom): read back as "no end".
NO_END = date(9999, 12, 31)
