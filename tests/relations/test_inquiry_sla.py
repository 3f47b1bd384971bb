"""Response-time figures: nearest-rank percentiles, medians and the on-time share, per month
in the viewer's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from commsdesk.relations.inquiries import sla
from commsdesk.relations.models import Inquiry

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def hours(*values: float) -> list[timedelta]:
    return [timedelta(hours=v) for v in values]


def test_the_90th_percentile_is_the_nearest_rank():
    assert sla.percentile(hours(*range(1, 11)), 0.9) == timedelta(hours=9)
    assert sla.percentile(hours(*range(1, 12)), 0.9) == timedelta(hours=10)
    assert sla.percentile(hours(5), 0.9) == timedelta(hours=5)
    assert sla.percentile([], 0.9) is None


def test_the_median_of_an_even_count_is_halfway():
    assert sla.median(hours(1, 2, 4, 10)) == timedelta(hours=3)


def test_durations_read_as_hours_and_minutes():
    assert sla.spoken(timedelta(minutes=125)) == "2 h 05 min"
    assert sla.spoken(timedelta(minutes=12)) == "12 min"
    assert sla.spoken(timedelta(days=3, hours=4)) == "3 d 4 h"
    assert sla.spoken(None) == "—"


@pytest.mark.django_db
def test_monthly_figures_count_first_responses_and_answers_before_the_deadline(team):
    def inquiry(received, *, wait=None, deadline=None, closed=None, status="new"):
        return Inquiry.objects.create(
            team=team,
            topic="q",
            received_at=received,
            first_response_at=received + wait if wait else None,
            deadline=deadline,
            closed_at=closed,
            status=status,
        )

    march = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    inquiry(
        march,
        wait=timedelta(hours=1),
        deadline=march + timedelta(hours=5),
        closed=march + timedelta(hours=4),
        status="answered",
    )  # on time
    inquiry(
        march,
        wait=timedelta(hours=3),
        deadline=march + timedelta(hours=5),
        closed=march + timedelta(hours=6),
        status="answered",
    )  # late
    inquiry(
        march, wait=timedelta(hours=2), deadline=march + timedelta(hours=5), status="drafting"
    )  # deadline passed, unanswered: late
    inquiry(
        march,
        wait=timedelta(hours=1),
        deadline=march + timedelta(hours=5),
        closed=march + timedelta(hours=2),
        status="declined",
    )  # left out of on-time
    inquiry(NOW - timedelta(hours=1), deadline=NOW + timedelta(days=1))  # not due yet: left out
    # 23:30 UTC on 28 February is already March in Paris.
    inquiry(datetime(2026, 2, 28, 23, 30, tzinfo=UTC), wait=timedelta(hours=10))
    inquiry(datetime(2026, 2, 10, 9, 0, tzinfo=UTC), wait=timedelta(hours=8))

    months = sla.monthly(Inquiry.objects.all(), zone="Europe/Paris", now=NOW, months=3)

    assert [m.month for m in months] == [date(2026, 3, 1), date(2026, 2, 1), date(2026, 1, 1)]
    march_figures, february, january = months
    assert (march_figures.received, march_figures.responded) == (6, 5)
    assert march_figures.median == timedelta(hours=2)  # of 1, 1, 2, 3, 10
    assert march_figures.p90 == timedelta(hours=10)
    assert (march_figures.on_time, march_figures.settled) == (1, 3)
    assert february.received == 1 and february.median == timedelta(hours=8)
    assert january.received == 0 and january.median is None and january.share_on_time is None
