"""Report periods: whole UTC days from a start to an inclusive end, the presets people pick
(this week, month, quarter, campaign to date) and the previous period of the same length.

It reads dates, not the database; bad input is a `PeriodError` with a sentence for the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

PRESETS = (
    ("week", "This week"),
    ("month", "This month"),
    ("quarter", "This quarter"),
    ("campaign", "Campaign to date"),
)
# A report over years of coverage is a mistake more often than a wish, and slow to draw.
MAX_DAYS = 3 * 366


class PeriodError(ValueError):
    """The period asked for cannot be used; the message says why, for the person."""


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (a calendar month is compared
        with the month before it, whatever its length)."""
        if self.start.day == 1 and (self.end + timedelta(days=1)).day == 1:
            months = _months_between(self.start, self.end + timedelta(days=1))
            start = _add_months(self.start, -months)
            return Period(start, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))


def preset(name: str, *, today: date, campaign_start: date) -> Period:
    """The period a preset names, ending today (periods are 'so far' until they close)."""
    if name == "week":
        return Period(today - timedelta(days=today.weekday()), today)
    if name == "month":
        return Period(today.replace(day=1), today)
    if name == "quarter":
        return Period(today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today)
    if name == "campaign":
        return Period(min(campaign_start, today), today)
    raise PeriodError(f"“{name}” is not a period we know: choose week, month, quarter or campaign.")


def parse(
    start: str | None,
    end: str | None,
    *,
    preset_name: str | None,
    today: date,
    campaign_start: date,
    campaign_end: date | None,
) -> Period:
    """The period from a request's start/end (ISO dates) or preset; campaign to date by default."""
    if preset_name:
        return preset(preset_name, today=today, campaign_start=campaign_start)
    if not start and not end:
        last = min(campaign_end or today, today) if campaign_start <= today else today
        return Period(min(campaign_start, last), last)
    first, last = _date(start, "start"), _date(end, "end") if end else today
    if first is None:
        raise PeriodError("Give a start date as well as an end date (YYYY-MM-DD).")
    if last < first:
        raise PeriodError(f"The end ({last:%d %b %Y}) is before the start ({first:%d %b %Y}).")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError(f"A report covers at most {MAX_DAYS} days; choose a shorter period.")
    return Period(first, last)


def _date(text: str | None, which: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"The {which} date “{text}” is not a date like 2026-03-31.") from None


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)
