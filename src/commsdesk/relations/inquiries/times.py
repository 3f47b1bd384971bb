"""Deadlines in people's time zones: a wall-clock time in a named zone to UTC and back.

Only conversions and the list of zones; where a zone comes from (profile, form) is the caller's.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from functools import cache


class NotALocalTime(ValueError):
    """The wall-clock time does not exist in that zone (clocks went forward) or the zone is
    unknown; the message says which, for the person who typed it."""


@cache
def zone_names() -> tuple[str, ...]:
    """IANA zone names, sorted, for a choice list."""
    return tuple(sorted(zoneinfo.available_timezones()))


def to_utc(local: datetime, zone: str) -> datetime:
    """`local` (naive, as on the wall clock in `zone`) as an aware UTC datetime.

    An ambiguous time (clocks went back) is read as the first of the two; a time skipped by
    the clocks going forward is refused rather than silently moved by an hour.
    """
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise NotALocalTime(f"“{zone}” is not a time zone name such as Europe/Paris.") from exc
    aware = local.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NotALocalTime(
            f"{local:%d %b %Y %H:%M} does not exist in {zone}: the clocks go forward then."
        )
    return aware.astimezone(UTC)


def to_local(moment: datetime, zone: str) -> datetime:
    """An aware datetime as the wall clock in `zone` shows it (UTC for an unknown zone)."""
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return moment.astimezone(tz)
