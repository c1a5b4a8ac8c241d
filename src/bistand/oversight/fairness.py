"""Fairness monitoring: routing and outcome rates by household type, channel and application language.

Each group's rate is compared with the rate of everyone else (not with the overall rate, which contains
the group itself). A group is flagged when the difference is at least the municipality's threshold in
percentage points and both the group and the rest have at least the minimum number of cases; smaller
groups are shown but never flagged, because a few cases make a large difference by chance.

A flag is a question for a person to look into, not a finding of unfair treatment: groups differ for
legitimate reasons too (a first application always goes to a person, and new households are more often in
some groups than others).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from bistand.intake.models import Application
from bistand.oversight import records as rec
from bistand.oversight.statistics import Share

DIMENSIONS = {
    "household_type": _("Hushållstyp"),
    "channel": _("Kanal"),
    "language": _("Ansökans språk"),
}
HOUSEHOLD_LABELS = {
    rec.SINGLE: _("Ensamstående utan barn"),
    rec.SINGLE_CHILDREN: _("Ensamstående med barn"),
    rec.COUPLE: _("Sammanboende utan barn"),
    rec.COUPLE_CHILDREN: _("Sammanboende med barn"),
}
LANGUAGE_LABELS = {"sv": "Svenska", "en": "English", "ar": "العربية"}
RATES = {
    "routed": _("Skickas till handläggare"),
    "automated": _("Beslutas automatiskt"),
    "rejected": _("Avslag"),
}


def group_label(dimension: str, value: str) -> str:
    if dimension == "household_type":
        return str(HOUSEHOLD_LABELS.get(value, value))
    if dimension == "channel":
        return str(dict(Application.Channel.choices).get(value, value))
    return LANGUAGE_LABELS.get(value, value)


def _rate(rate: str) -> tuple[Callable[[rec.AppRecord], bool], Callable[[rec.AppRecord], bool]]:
    """(which records count towards the rate's total, which of those count as a hit)."""
    if rate == "routed":
        return (lambda r: r.run_status in ("decided", "routed")), (lambda r: r.run_status == "routed")
    if rate == "automated":
        return (lambda r: r.decision is not None), (lambda r: r.decision.automated)
    return (lambda r: r.decision is not None), (lambda r: r.decision.outcome == "reject")


@dataclass(frozen=True)
class GroupRate:
    dimension: str
    group: str
    label: str
    rate: str
    share: Share  # the group's
    rest: Share  # everyone else's
    flagged: bool

    @property
    def dimension_label(self) -> str:
        return str(DIMENSIONS[self.dimension])

    @property
    def rate_label(self) -> str:
        return str(RATES[self.rate])

    @property
    def difference(self) -> float | None:
        """Percentage points the group is above (+) or below (−) everyone else."""
        if self.share.percent is None or self.rest.percent is None:
            return None
        return self.share.percent - self.rest.percent


def _key(record: rec.AppRecord, dimension: str) -> str:
    return getattr(record, dimension)


def group_rates(records: list[rec.AppRecord], threshold: float, min_group: int) -> list[GroupRate]:
    """Every group's rate for every dimension and rate, with its flag."""
    out: list[GroupRate] = []
    for rate in RATES:
        counts, hit = _rate(rate)
        eligible = [r for r in records if counts(r)]
        total, total_hits = len(eligible), sum(1 for r in eligible if hit(r))
        for dimension in DIMENSIONS:
            groups = sorted({_key(r, dimension) for r in eligible})
            for group in groups:
                members = [r for r in eligible if _key(r, dimension) == group]
                hits = sum(1 for r in members if hit(r))
                share = Share(hits, len(members))
                rest = Share(total_hits - hits, total - len(members))
                flagged = (
                    share.total >= min_group
                    and rest.total >= min_group
                    and abs(share.percent - rest.percent) >= threshold
                )
                out.append(
                    GroupRate(dimension, group, group_label(dimension, group), rate, share, rest, flagged)
                )
    return out


def alerts(rates: list[GroupRate]) -> list[GroupRate]:
    """The flagged groups, largest difference first."""
    return sorted((r for r in rates if r.flagged), key=lambda r: -abs(r.difference or 0))
