"""Service figures for press inquiries, per month: median and 90th percentile time to first
response, and the share answered before the deadline. Definitions are in docs/metrics.md.

Computed in Python over one month's rows (a team receives tens to hundreds a month).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet

from commsdesk.relations.inquiries.times import to_local
from commsdesk.relations.models import Inquiry


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: date  # the first day of the month, in the viewer's time zone
    received: int
    responded: int  # left "new" (someone took it up)
    median: timedelta | None  # time to first response
    p90: timedelta | None
    on_time: int  # answered no later than the deadline
    settled: int  # had a deadline and were answered, or their deadline passed (declined left out)

    @property
    def share_on_time(self) -> float | None:
        return self.on_time / self.settled if self.settled else None

    @property
    def median_text(self) -> str:
        return spoken(self.median)

    @property
    def p90_text(self) -> str:
        return spoken(self.p90)


def spoken(delta: timedelta | None) -> str:
    """ "2 h 05 min", "3 d 4 h", "12 min"; "—" when there is nothing to show."""
    if delta is None:
        return "—"
    minutes = round(delta.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def percentile(values: list[timedelta], share: float) -> timedelta | None:
    """Nearest-rank percentile: the smallest value with at least `share` of values at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def median(values: list[timedelta]) -> timedelta | None:
    return statistics.median(values) if values else None  # type: ignore[type-var]


def monthly(
    inquiries: QuerySet[Inquiry], *, zone: str, now: datetime, months: int = 6
) -> list[MonthFigures]:
    """The last `months` calendar months (newest first), bucketed by when inquiries arrived."""
    local_now = to_local(now, zone)
    first = _month_start(local_now.date(), back=months - 1)
    since = to_local(now, zone).replace(
        year=first.year, month=first.month, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    rows = inquiries.filter(received_at__gte=since).values_list(
        "received_at", "first_response_at", "deadline", "closed_at", "status"
    )
    buckets: dict[date, list[tuple]] = {_month_start(first, back=-i): [] for i in range(months)}
    for row in rows:
        key = to_local(row[0], zone).date().replace(day=1)
        if key in buckets:
            buckets[key].append(row)
    return [_figures(month, buckets[month], now) for month in sorted(buckets, reverse=True)]


def _figures(month: date, rows: list[tuple], now: datetime) -> MonthFigures:
    waits = [first - received for received, first, *_ in rows if first is not None]
    on_time = settled = 0
    for _received, _first, deadline, closed_at, status in rows:
        if deadline is None or status == Inquiry.Status.DECLINED:
            continue
        answered = status == Inquiry.Status.ANSWERED and closed_at is not None
        if answered or deadline < now:
            settled += 1
            on_time += answered and closed_at <= deadline
    return MonthFigures(
        month=month,
        received=len(rows),
        responded=len(waits),
        median=median(waits),
        p90=percentile(waits, 0.9),
        on_time=on_time,
        settled=settled,
    )


def _month_start(day: date, *, back: int) -> date:
    """The first day of the month `back` months before `day`'s (negative: after)."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)
