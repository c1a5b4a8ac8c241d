"""The automation policy: explicit, versioned configuration of what the robot may decide.

It rests on the nämnd's delegation to an automated decision function (kommunallagen 6 kap.). The safe
default decides only full grants for returning households where nothing changed; everything else goes to a
person with every reason named.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_FILE = Path(__file__).parent / "policies" / "default.yaml"
SEVERITIES = ("info", "notice", "warning", "high")
NORM_RELIABILITY_SV = {
    "official": "officiella",
    "secondary": "hämtade ur en andrahandskälla",
    "derived": "framräknade",
}


@dataclass(frozen=True)
class Policy:
    version: str
    delegation: dict[str, str]
    config: dict[str, Any]

    @property
    def rules(self) -> dict[str, Any]:
        return self.config["decides_automatically"]

    def severity_allowed(self, severity: str) -> bool:
        return SEVERITIES.index(severity) <= SEVERITIES.index(self.rules["max_finding_severity"])

    def accepts_norm(self, reliability: str) -> bool:
        """Whether the robot may decide with riksnorm amounts of this reliability (official/secondary/derived)."""
        accepted = self.rules.get("norm_reliability_accepted")
        if accepted is None:  # a municipality's version recorded before the key existed: the default
            accepted = default_policy().rules["norm_reliability_accepted"]
        return reliability in accepted

    def rent_guidance(self, adults: int, children: int) -> int:
        rent = self.config["housing_guidance"]["rent"]
        return (rent["adults_2"] if adults >= 2 else rent["adults_1"]) + rent["per_child"] * children

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "delegation": self.delegation, "config": self.config}


@cache
def default_policy() -> Policy:
    data = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    return Policy(version=data["version"], delegation=data["delegation"], config=data)


def policy_for(municipality, day: datetime.date) -> Policy:
    """The policy in force for a municipality on a day: its newest version, else the default."""
    from bistand.casework.models import AutomationPolicy

    row = (
        AutomationPolicy.objects.filter(municipality=municipality, valid_from__lte=day)
        .order_by("-valid_from", "-created_at")
        .first()
    )
    if row is None:
        return default_policy()
    config = {**default_policy().config, **row.config}
    return Policy(version=row.version, delegation=row.delegation, config=config)


def describe(policy: Policy) -> list[str]:
    """The policy in plain Swedish, one sentence a line (for the transparency page and the caseworker)."""
    rules = policy.rules
    d = policy.delegation
    lines = [
        f"{d['body']} har beslutat att vissa beslut om försörjningsstöd får fattas automatiskt "
        f"({d['decision']}, {d['date']}, enligt {d['reference']}).",
        "Datorn beslutar bara när allt detta gäller:",
        "– Hushållet har fått försörjningsstöd månaden före.",
    ]
    if rules["nothing_changed"]:
        lines.append("– Den som söker har intygat att inget har ändrats, och registren visar samma sak.")
    lines += [
        "– Registeruppgifterna har kommit in fullständigt."
        if not rules["allow_incomplete_registers"]
        else "– Registeruppgifterna kan vara ofullständiga.",
        "– Jämförelsen med registren har inte hittat några skillnader som behöver bedömas.",
        "– Boendekostnaden ligger inom kommunens riktlinje.",
        "– Riksnormens belopp för hushållet är "
        + " eller ".join(NORM_RELIABILITY_SV[r] for r in NORM_RELIABILITY_SV if policy.accepts_norm(r))
        + ".",
        "– Ingen söker för något utöver det vanliga, till exempel tandvård, läkarvård eller glasögon."
        if not rules["allow_extra_needs"]
        else "",
        "– Det är inte en ansökan om nödbistånd." if not rules["allow_emergency"] else "",
        "– Ingen i hushållet har skyddade personuppgifter." if not rules["allow_protected_identity"] else "",
        f"– Beslutet blir att hela det sökta beloppet beviljas, högst {rules['max_amount']} kronor i månaden."
        if rules["outcomes"] == ["grant"]
        else f"– Beloppet är högst {rules['max_amount']} kronor i månaden.",
        "I alla andra fall beslutar en handläggare. Datorn avslår aldrig en ansökan och kräver aldrig tillbaka "
        "pengar. Skälen till att ett ärende går till en handläggare sparas och visas."
        if rules["outcomes"] == ["grant"]
        else "I alla andra fall beslutar en handläggare. Datorn kräver aldrig tillbaka pengar. Skälen till att "
        "ett ärende går till en handläggare sparas och visas.",
    ]
    return [line for line in lines if line]
