"""Live key statistics against a real HTTP server on 127.0.0.1 answering like Wikimedia's APIs
(siteinfo and pageviews): values read and summed, history kept only on change, failures that keep
the last good value and say why, backoff, and claiming so two workers never refresh one at once."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commsdesk.materials import live, presets
from commsdesk.materials.models import KeyStatistic, StatisticValue, Status
from tests.servers import Route

pytestmark = pytest.mark.django_db

SITEINFO_PATH = "/es.wikipedia.org/w/api.php"


def siteinfo(articles: int = 2_012_345) -> bytes:
    """The shape of https://es.wikipedia.org/w/api.php?action=query&meta=siteinfo&siprop=statistics."""
    return json.dumps(
        {
            "batchcomplete": "",
            "query": {
                "statistics": {
                    "pages": 8_123_456,
                    "articles": articles,
                    "edits": 123_456_789,
                    "images": 41_234,
                    "users": 7_654_321,
                    "activeusers": 14_567,
                    "admins": 62,
                    "jobs": 0,
                }
            },
        }
    ).encode()


def pageviews(views: list[int], project: str = "en.wikipedia") -> bytes:
    """The shape of the AQS aggregate endpoint (../shared/corpus/pageviews: its OpenAPI schema)."""
    items = [
        {
            "project": project,
            "access": "all-access",
            "agent": "user",
            "granularity": "daily",
            "timestamp": f"202611{day + 1:02d}00",
            "views": count,
        }
        for day, count in enumerate(views)
    ]
    return json.dumps({"items": items}).encode()


def json_route(body: bytes, status: int = 200) -> Route:
    return Route(body, status, {"Content-Type": "application/json"})


def statistic(team, url: str, path: str = "$.query.statistics.articles", **fields) -> KeyStatistic:
    defaults = {
        "name": "Articles in Spanish Wikipedia",
        "slug": "articles-es",
        "value": Decimal("2000000"),
        "unit": "articles",
        "as_of": timezone.localdate() - timedelta(days=3),
        "live_url": url,
        "live_path": path,
    }
    return KeyStatistic.objects.create(team=team, **(defaults | fields))


def test_a_siteinfo_statistic_is_read_and_recorded(team, server):
    url = server.add(SITEINFO_PATH, json_route(siteinfo(2_012_345)))
    stat = statistic(team, url + "?action=query&meta=siteinfo&siprop=statistics&format=json")

    outcome = live.refresh(stat)

    stat.refresh_from_db()
    assert outcome.ok and outcome.changed
    assert stat.value == Decimal("2012345") and stat.as_of == timezone.localdate()
    assert stat.last_refreshed_at is not None and stat.last_error == ""
    assert stat.next_refresh_at > timezone.now() + timedelta(hours=23)
    entry = stat.history.get()
    assert (entry.value, entry.origin) == (Decimal("2012345"), StatisticValue.Origin.LIVE)


def test_it_asks_for_json_with_the_projects_user_agent_and_ignores_robots_txt(
    team, server, settings
):
    """Wikipedia's robots.txt disallows /w/ for crawlers; one API call a person chose is not a
    crawl, so the statistic is still read."""
    settings.COMMSDESK_RESPECT_ROBOTS = True
    server.add("/robots.txt", Route(b"User-agent: *\nDisallow: /\n", 200))
    url = server.add(SITEINFO_PATH, json_route(siteinfo()))

    assert live.refresh(statistic(team, url)).ok

    (request,) = server.requests
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == settings.COMMSDESK_USER_AGENT


def test_pageviews_are_summed_over_the_last_n_full_days(team, server, settings):
    settings.COMMSDESK_PAGEVIEWS_API = server.url("/api/rest_v1/metrics/pageviews")
    url, stored = presets.expand("pageviews-project", {"project": "en.wikipedia", "days": 7})
    assert presets.parameters_of(stored, url) == (
        "pageviews-project",
        {"project": "en.wikipedia", "days": "7"},
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    start = (yesterday - timedelta(days=6)).strftime("%Y%m%d00")
    path = (
        "/api/rest_v1/metrics/pageviews/aggregate/en.wikipedia/all-access/user/"
        f"daily/{start}/{yesterday:%Y%m%d}00"
    )
    server.add(path, json_route(pageviews([100, 200, 300, 400, 500, 600, 700])))
    stat = statistic(
        team, url, "$.items[*].views", live_preset=stored, live_combine=KeyStatistic.Combine.SUM
    )

    outcome = live.refresh(stat)

    assert outcome.ok, outcome.error
    stat.refresh_from_db()
    assert stat.value == Decimal("2800")


def test_history_is_appended_only_when_the_value_or_date_changes(team, server):
    answers = iter([siteinfo(2_000_100), siteinfo(2_000_100), siteinfo(2_000_200)])
    url = server.add(SITEINFO_PATH, lambda request: json_route(next(answers)))
    stat = statistic(team, url)

    for _ in range(3):
        assert live.refresh(KeyStatistic.objects.get(pk=stat.pk)).ok

    values = list(stat.history.order_by("recorded_at", "id").values_list("value", flat=True))
    assert values == [Decimal("2000100"), Decimal("2000200")]


@pytest.mark.parametrize(
    ("route", "path", "reason"),
    [
        (Route(b"oops", 500, {"Content-Type": "text/plain"}), None, "500"),
        (json_route(b'{"query": {"statistics": '), None, "did not answer with JSON"),
        (Route(b"<html>Maintenance</html>", 200, {"Content-Type": "text/html"}), None, "JSON"),
        (json_route(siteinfo()), "$.query.statistics.nonexistent", "matches nothing"),
        (json_route(b"[" * 100_000 + b"]" * 100_000), None, "did not answer with JSON"),
        (json_route(b'{"query": {"statistics": {"articles": "lots"}}}'), None, "not a number"),
        (json_route(b'{"query": {"statistics": {"articles": true}}}'), None, "not a number"),
        (json_route(b'{"query": {"statistics": {"articles": {"n": 1}}}}'), None, "not a number"),
    ],
    ids=[
        "http-500",
        "malformed-json",
        "html",
        "path-missing",
        "too-deep",
        "text",
        "boolean",
        "object",
    ],
)
def test_a_failing_source_keeps_the_last_value_and_records_why(team, server, route, path, reason):
    url = server.add(SITEINFO_PATH, route)
    stat = statistic(team, url, **({"live_path": path} if path else {}))
    before = (stat.value, stat.as_of)

    outcome = live.refresh(stat)

    stat.refresh_from_db()
    assert not outcome.ok and reason in outcome.error
    assert (stat.value, stat.as_of) == before and not stat.history.exists()
    assert reason in stat.last_error and stat.last_error_at is not None
    # Not hammered: the next attempt waits.
    assert stat.next_refresh_at >= timezone.now() + timedelta(minutes=14)


def test_an_unreachable_source_keeps_the_last_value(team):
    import socket

    with socket.socket() as probe:  # a port nobody listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stat = statistic(team, f"http://127.0.0.1:{port}/w/api.php")

    outcome = live.refresh(stat)

    stat.refresh_from_db()
    assert not outcome.ok and "Could not fetch the source" in stat.last_error
    assert stat.value == Decimal("2000000")


def test_a_private_address_is_refused_by_the_ssrf_guard(team, server, settings):
    settings.COMMSDESK_ALLOW_PRIVATE_NETWORKS = False
    url = server.add(SITEINFO_PATH, json_route(siteinfo()))
    stat = statistic(team, url)

    outcome = live.refresh(stat)

    stat.refresh_from_db()
    assert not outcome.ok and stat.last_error.startswith("Refused for safety")
    assert server.requests == [] and stat.value == Decimal("2000000")


def test_a_success_after_a_failure_clears_the_error(team, server):
    answers = iter([Route(b"down", 503), json_route(siteinfo(2_100_000))])
    url = server.add(SITEINFO_PATH, lambda request: next(answers))
    stat = statistic(team, url)
    assert not live.refresh(stat).ok

    assert live.refresh(KeyStatistic.objects.get(pk=stat.pk)).ok

    stat.refresh_from_db()
    assert stat.last_error == "" and stat.last_error_at is None and stat.value == 2_100_000


def test_repeated_failures_wait_longer_each_time_up_to_the_refresh_interval(team):
    now = timezone.now()
    stat = KeyStatistic(refresh_hours=6)
    assert live.retry_wait(stat, now) == timedelta(minutes=15)
    stat.last_error, stat.last_error_at = "down", now - timedelta(minutes=15)
    assert live.retry_wait(stat, now) == timedelta(minutes=30)
    stat.last_error_at = now - timedelta(minutes=30)
    assert live.retry_wait(stat, now) == timedelta(hours=1)
    stat.last_error_at = now - timedelta(hours=5)
    assert live.retry_wait(stat, now) == timedelta(hours=6)


def test_only_due_live_statistics_that_are_not_retired_are_refreshed(team, server):
    url = server.add(SITEINFO_PATH, json_route(siteinfo(2_222_222)))
    due = statistic(team, url, slug="due")
    later = statistic(team, url, slug="later", next_refresh_at=timezone.now() + timedelta(hours=1))
    retired = statistic(team, url, slug="retired", status=Status.RETIRED)
    by_hand = statistic(team, "", slug="by-hand", live_path="")
    assert live.any_due()

    assert live.refresh_due() == 1

    values = dict(KeyStatistic.objects.values_list("slug", "value"))
    assert values[due.slug] == 2_222_222
    assert values[later.slug] == values[retired.slug] == values[by_hand.slug] == 2_000_000
    assert not live.any_due() and len(server.requests) == 1


def test_a_statistic_claimed_by_one_worker_is_not_refreshed_by_another(team, server):
    url = server.add(SITEINFO_PATH, json_route(siteinfo()))
    stat = statistic(team, url)
    now = timezone.now()
    assert live._claim(KeyStatistic.objects.filter(pk=stat.pk, next_refresh_at=None), now)

    assert live.refresh_due() == 0
    assert not live.any_due() and server.requests == []


def test_two_people_pressing_refresh_at_once_read_the_source_once(team, server):
    url = server.add(SITEINFO_PATH, json_route(siteinfo()))
    stat = statistic(team, url)
    first, second = KeyStatistic.objects.get(pk=stat.pk), KeyStatistic.objects.get(pk=stat.pk)

    assert live.refresh(first).ok
    outcome = live.refresh(second)

    assert outcome.skipped and "being refreshed" in outcome.error
    assert len(server.requests) == 1


def test_the_scheduler_task_refreshes_due_statistics(team, server, immediate_tasks):
    from commsdesk.materials import tasks

    url = server.add(SITEINFO_PATH, json_route(siteinfo(2_300_000)))
    stat = statistic(team, url)

    tasks.refresh_statistics.enqueue()

    stat.refresh_from_db()
    assert stat.value == 2_300_000


@pytest.mark.parametrize(
    ("data", "path", "combine", "expected"),
    [
        ({"a": 1.5}, "$.a", "first", Decimal("1.5")),
        ({"a": 10**23 + 1}, "$.a", "first", Decimal(10**23 + 1)),
        ({"a": "6912345"}, "$.a", "first", Decimal("6912345")),
        ({"items": [{"v": 1}, {"v": 2}, {"v": 3}]}, "$.items[*].v", "sum", Decimal("6")),
        ({"items": [{"v": 4}, {"v": "x"}]}, "$.items[*].v", "first", Decimal("4")),
        (
            {"items": [{"k": "a", "v": 1}, {"k": "b", "v": 2}]},
            "$.items[?(@.k == 'b')].v",
            "first",
            Decimal("2"),
        ),
    ],
)
def test_numbers_are_read_from_json(data, path, combine, expected):
    assert live.extract(data, path, combine) == expected


@pytest.mark.parametrize(
    ("data", "path", "reason"),
    [
        ({"a": "NaN"}, "$.a", "not a number"),
        ({"a": 1e30}, "$.a", "too large"),
        ({"a": 1}, "$.a[", "cannot be read"),
    ],
)
def test_unusable_numbers_are_refused_with_a_reason(data, path, reason):
    with pytest.raises(live.SourceError, match=reason):
        live.extract(data, path, "first")
