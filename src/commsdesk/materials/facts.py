"""How a key statistic reads and whether it may still be quoted: formatting its value for a
sentence and deciding when it is stale (older than its maximum age, or retired). A failing live
source is shown beside the value; it makes the value stale only once it is too old.

Used by the statistics pages, drafts (stale-number checker) and briefings; it fetches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from commsdesk.materials.models import KeyStatistic, Status


@dataclass(frozen=True, slots=True)
class Freshness:
    stale: bool
    reason: str  # why it is stale, in words for the page; empty when fresh


def number(value: Decimal) -> str:
    """A value as people write it: thousands separated, no trailing zeros (6,912,345; 0.35)."""
    normalised = value.normalize()
    if normalised == normalised.to_integral_value():
        return f"{int(normalised):,}"
    return f"{normalised:,f}".rstrip("0").rstrip(".")


def display(statistic: KeyStatistic) -> str:
    """The value with its unit, as inserted into a draft: "6,912,345 articles", "35%"."""
    text = number(statistic.value)
    unit = statistic.unit.strip()
    if not unit:
        return text
    return f"{text}{unit}" if unit in {"%", "‰"} else f"{text} {unit}"


def freshness(statistic: KeyStatistic, *, today: date) -> Freshness:
    if statistic.status == Status.RETIRED:
        return Freshness(True, "retired")
    if (
        statistic.max_age_days is not None
        and statistic.as_of + timedelta(days=statistic.max_age_days) < today
    ):
        return Freshness(
            True, f"older than {statistic.max_age_days} days (as of {statistic.as_of})"
        )
    return Freshness(False, "")
