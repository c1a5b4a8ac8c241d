"""The automation policy: explicit, versioned configuration of what the robot may decide.

The robot decides only under the nämnd's delegation to an automated decision function (kommunallagen
6 kap. 37 §), recorded as data on the municipality's policy: which body decided, when, its reference, what
it covers and from when. Without one the robot proposes and a person decides. Within a delegation the safe
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

from bistand.casework.models import AutomationPolicy
from bistand.rules.money import format_sek as kr

DEFAULT_FILE = Path(__file__).parent / "policies" / "default.yaml"
SEVERITIES = ("info", "notice", "warning", "high")
NORM_RELIABILITY_SV = {
    "official": "officiella",
    "secondary": "hämtade ur en andrahandskälla",
    "derived": "framräknade",
}
# What a delegation decision must name; ``demo`` (true for demonstration data) is optional.
DELEGATION_FIELDS = ("body", "date", "reference", "scope", "valid_from")
DELEGATION_LAW = "kommunallagen (2017:725) 6 kap. 37 §"


def delegation_errors(delegation: Any) -> list[tuple[str, str]]:
    """What is wrong with a recorded delegation, as (field, message in Swedish); empty when it is whole."""
    if not isinstance(delegation, dict):
        return [("delegation", "ska vara ett objekt med " + ", ".join(DELEGATION_FIELDS))]
    errors = [
        (f"delegation.{key}", "saknas")
        for key in DELEGATION_FIELDS
        if not isinstance(delegation.get(key), str) or not delegation[key].strip()
    ]
    errors += [
        (f"delegation.{key}", "okänt fält") for key in delegation if key not in (*DELEGATION_FIELDS, "demo")
    ]
    for key in ("date", "valid_from"):
        if isinstance(delegation.get(key), str) and delegation[key].strip():
            try:
                datetime.date.fromisoformat(delegation[key])
            except ValueError:
                errors.append((f"delegation.{key}", "ska vara ett datum ÅÅÅÅ-MM-DD"))
    return errors


def delegation_in_force(delegation: dict[str, Any] | None, day: datetime.date) -> dict[str, Any] | None:
    """The delegation if it names every field and is valid on ``day``; otherwise None (no authority)."""
    if not delegation or delegation_errors(delegation):
        return None
    return delegation if datetime.date.fromisoformat(delegation["valid_from"]) <= day else None


@dataclass(frozen=True)
class Policy:
    version: str
    delegation: dict[str, Any] | None  # the nämnd's decision, or None: a person decides everything
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
    """The default rules, with no delegation: only a nämnd's own decision gives the robot authority."""
    data = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    return Policy(version=data["version"], delegation=None, config=data)


def policy_for(municipality, day: datetime.date) -> Policy:
    """The policy in force for a municipality on a day: its newest version, else the default.

    The delegation is kept only when it is complete and already valid on the day.
    """
    row = (
        AutomationPolicy.objects.filter(municipality=municipality, valid_from__lte=day)
        .order_by("-valid_from", "-created_at")
        .first()
    )
    if row is None:
        return default_policy()
    config = {**default_policy().config, **row.config}
    return Policy(version=row.version, delegation=delegation_in_force(row.delegation, day), config=config)


def describe(policy: Policy) -> list[str]:
    """The policy in plain Swedish, one sentence a line (for the transparency page and the caseworker)."""
    d = policy.delegation
    if d is None:
        return [
            "Nämnden har inte gett datorn rätt att besluta (ingen delegation enligt kommunallagen 6 kap. 37 §). "
            "Datorn räknar fram ett förslag, och en handläggare fattar varje beslut."
        ]
    rules = policy.rules
    demo = (
        " Det här är ett påhittat exempel för demonstration, inte ett verkligt beslut."
        if d.get("demo")
        else ""
    )
    lines = [
        f"{d['body']} har den {d['date']} beslutat att vissa beslut om försörjningsstöd får fattas automatiskt "
        f"({d['reference']}, enligt {DELEGATION_LAW}). Beslutet gäller från {d['valid_from']} och omfattar: "
        f"{d['scope']}.{demo}",
        "Datorn beslutar bara när allt detta gäller:",
        "– Hushållet har fått försörjningsstöd månaden före." if rules["returning_household"] else "",
        "– Den som söker har intygat att inget har ändrats, och registren visar samma sak."
        if rules["nothing_changed"]
        else "",
        "– Registeruppgifterna har kommit in fullständigt och visar samma belopp som ansökan, på kronan.",
        "– Jämförelsen med registren har inte hittat några skillnader som behöver bedömas.",
        "– Boendekostnaden ligger inom kommunens riktlinje.",
        "– Efter tre månader i följd med försörjningsstöd har varje vuxen ett undantag från aktivitetskravet "
        "eller en plan med timmar och tid för jobbsökande"
        + (
            ". En plan som en handläggare har godtagit gäller hela planens tid, så länge Arbetsförmedlingen "
            "inte visar något nytt."
            if policy.config.get("aktivitetskrav", {}).get("accepted_plan_carries_over", False)
            else ", och Arbetsförmedlingen visar att aktivitetsrapporten är inlämnad."
        ),
        "– Riksnormens belopp för hushållet är "
        + " eller ".join(NORM_RELIABILITY_SV[r] for r in NORM_RELIABILITY_SV if policy.accepts_norm(r))
        + ".",
        "– Ingen söker för något utöver det vanliga, till exempel tandvård, läkarvård eller glasögon."
        if not rules["allow_extra_needs"]
        else "",
        "– Det är inte en ansökan om nödbistånd." if not rules["allow_emergency"] else "",
        "– Ingen i hushållet har skyddade personuppgifter." if not rules["allow_protected_identity"] else "",
        f"– Beslutet blir att hela det sökta beloppet beviljas, högst {kr(rules['max_amount'])} i månaden.",
        "I alla andra fall beslutar en handläggare. Datorn avslår aldrig en ansökan, beviljar aldrig mindre än "
        "det du har sökt och kräver aldrig tillbaka pengar. Skälen till att ett ärende går till en handläggare "
        "sparas och visas.",
    ]
    return [line for line in lines if line]
