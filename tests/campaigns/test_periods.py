"""Report periods: presets, the previous period and clear errors for dates that cannot be used."""

from __future__ import annotations

from datetime import date

import pytest

from commsdesk.campaigns.periods import Period, PeriodError, parse, preset

TODAY = date(2026, 11, 25)  # a Wednesday


def _parse(start=None, end=None, name=None):
    return parse(
        start,
        end,
        preset_name=name,
        today=TODAY,
        campaign_start=date(2026, 9, 1),
        campaign_end=None,
    )


def test_presets_run_from_the_start_of_the_week_month_quarter_or_campaign_to_today():
    start = date(2026, 9, 1)
    assert preset("week", today=TODAY, campaign_start=start) == Period(date(2026, 11, 23), TODAY)
    assert preset("month", today=TODAY, campaign_start=start) == Period(date(2026, 11, 1), TODAY)
    assert preset("quarter", today=TODAY, campaign_start=start) == Period(date(2026, 10, 1), TODAY)
    assert preset("campaign", today=TODAY, campaign_start=start) == Period(start, TODAY)


def test_a_whole_month_is_compared_with_the_month_before():
    assert Period(date(2026, 3, 1), date(2026, 3, 31)).previous() == Period(
        date(2026, 2, 1), date(2026, 2, 28)
    )


def test_other_periods_are_compared_with_as_many_days_before():
    assert Period(date(2026, 3, 10), date(2026, 3, 16)).previous() == Period(
        date(2026, 3, 3), date(2026, 3, 9)
    )


def test_without_dates_the_report_covers_the_campaign_to_date():
    assert _parse() == Period(date(2026, 9, 1), TODAY)


@pytest.mark.parametrize(
    ("start", "end", "name", "message"),
    [
        ("2026-13-01", "2026-12-31", None, "not a date like"),
        ("2026-03-31", "2026-03-01", None, "before the start"),
        (None, "2026-03-01", None, "Give a start date"),
        ("2020-01-01", "2026-01-01", None, "at most"),
        (None, None, "fortnight", "not a period we know"),
    ],
)
def test_it_says_why_a_period_cannot_be_used(start, end, name, message):
    with pytest.raises(PeriodError, match=message):
        _parse(start, end, name)
