"""Wikipedia attention against a local server speaking the Wikimedia pageviews API: days stored
once, only missing days asked for, failures kept visible with backoff, top pages fetched once,
coverage lined up with attention; and the pages, as members, viewers, outsiders and anonymous."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from commsdesk.accounts.models import Membership
from commsdesk.ingest.fetching import make_api_client
from commsdesk.monitoring import attention
from commsdesk.monitoring.models import PageviewDay, TopArticlesDay, WatchedPage
from commsdesk.pipeline.pageviews import WikiPage
from tests.fixtures.alerts import mention, placement, saved_search
from tests.servers import Route

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
API = "/api/rest_v1/metrics/pageviews"


def daily_answer(article: str, start: date, views: list[int]) -> bytes:
    """The per-article endpoint's exact shape."""
    items = [
        {
            "project": "en.wikipedia",
            "article": article,
            "granularity": "daily",
            "timestamp": f"{start + timedelta(days=i):%Y%m%d}00",
            "access": "all-access",
            "agent": "user",
            "views": n,
        }
        for i, n in enumerate(views)
    ]
    return json.dumps({"items": items}).encode()


@pytest.fixture
def api(server, settings):
    settings.COMMSDESK_PAGEVIEWS_API = server.url(API)
    settings.COMMSDESK_PAGEVIEWS_DAYS = 5
    return server


@pytest.fixture
def watched(team, member):
    return attention.watch(WikiPage("en.wikipedia", "Edit-a-thon"), team=team, user=member)


def per_article(start: date, end: date, article: str = "Edit-a-thon") -> str:
    days = f"{start:%Y%m%d}/{end:%Y%m%d}"
    return f"{API}/per-article/en.wikipedia/all-access/user/{article}/daily/{days}"


def test_it_stores_each_day_once_and_then_asks_only_for_new_days(api, watched):
    api.add(per_article(date(2026, 11, 20), date(2026, 11, 24)),
            Route(daily_answer("Edit-a-thon", date(2026, 11, 20), [5, 6, 7, 80, 9])))  # fmt: skip
    api.add(per_article(date(2026, 11, 25), date(2026, 11, 25)),
            Route(daily_answer("Edit-a-thon", date(2026, 11, 25), [11])))  # fmt: skip
    with make_api_client() as client:
        assert attention.refresh(watched, fetcher=client, today=TODAY)
        assert attention.refresh(watched, fetcher=client, today=TODAY)  # nothing new to ask
        assert attention.refresh(watched, fetcher=client, today=TODAY + timedelta(days=1))

    assert list(watched.days.values_list("views", flat=True)) == [5, 6, 7, 80, 9, 11]
    assert [r.path for r in api.requests] == [
        per_article(date(2026, 11, 20), date(2026, 11, 24)),
        per_article(date(2026, 11, 25), date(2026, 11, 25)),
    ]
    assert "commsdesk" in api.requests[0].headers["user-agent"]
    watched.refresh_from_db()
    assert watched.last_error == "" and watched.next_fetch_at > datetime.now(UTC)


def test_a_page_without_data_shows_why_keeps_what_it_had_and_backs_off(api, watched):
    PageviewDay.objects.create(page=watched, day=date(2026, 11, 19), views=3)
    problem = json.dumps({"type": "not_found", "title": "Not found.", "detail": "no data"})
    api.add(per_article(date(2026, 11, 20), date(2026, 11, 24)),
            Route(problem.encode(), 404, {"Content-Type": "application/problem+json"}))  # fmt: skip
    with make_api_client() as client:
        assert not attention.refresh(watched, fetcher=client, today=TODAY)

    watched.refresh_from_db()
    assert "no pageviews for this page" in watched.last_error
    assert watched.failures == 1
    assert watched.next_fetch_at > datetime.now(UTC) + timedelta(minutes=30)
    assert watched.days.count() == 1


def test_too_many_requests_waits_at_least_as_long_as_asked(api, watched):
    api.add(per_article(date(2026, 11, 20), date(2026, 11, 24)),
            Route(b"slow down", 429, {"Retry-After": "7200"}))  # fmt: skip
    with make_api_client() as client:
        attention.refresh(watched, fetcher=client, today=TODAY)
    watched.refresh_from_db()
    assert watched.next_fetch_at >= datetime.now(UTC) + timedelta(hours=1, minutes=59)
    assert "429" in watched.last_error


def test_a_malformed_answer_is_an_error_not_a_zero(api, watched):
    api.add(per_article(date(2026, 11, 20), date(2026, 11, 24)), Route(b'{"items": [{"views": '))
    with make_api_client() as client:
        assert not attention.refresh(watched, fetcher=client, today=TODAY)
    watched.refresh_from_db()
    assert "not JSON" in watched.last_error and not watched.days.exists()


def test_the_scheduler_task_claims_due_pages_once(api, watched, settings):
    settings.COMMSDESK_PAGEVIEWS_DAYS = 1
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    api.add(per_article(yesterday, yesterday),
            Route(daily_answer("Edit-a-thon", yesterday, [42])))  # fmt: skip
    assert attention.any_due()
    assert attention.refresh_due() == 1
    assert not attention.any_due()
    assert attention.refresh_due() == 0
    assert list(watched.days.values_list("views", flat=True)) == [42]


def test_top_pages_of_a_day_are_fetched_once(api):
    top = {"items": [{"project": "es.wikipedia", "access": "all-access", "year": "2026",
                      "month": "11", "day": "24", "articles": [
                          {"article": "Wikipedia:Portada", "views": 700000, "rank": 1},
                          {"article": "Edit-a-thon", "views": 1200, "rank": 2}]}]}  # fmt: skip
    api.add(f"{API}/top/es.wikipedia/all-access/2026/11/24", Route(json.dumps(top).encode()))
    first = attention.top_articles("es.wikipedia", date(2026, 11, 24))
    again = attention.top_articles("es.wikipedia", date(2026, 11, 24))
    assert first == again and first[1].title == "Edit-a-thon"
    assert len(api.requests) == 1 and TopArticlesDay.objects.count() == 1


def test_coverage_is_lined_up_with_attention_day_by_day(team, member):
    search = saved_search(team)
    page = attention.watch(
        WikiPage("en.wikipedia", "Wikipedia"), team=team, user=member, saved_search=search
    )
    days = [TODAY - timedelta(days=n) for n in range(20, 0, -1)]
    coverage = [0, 1, 5, 2, 0, 0, 8, 3, 1, 0, 0, 4, 9, 2, 0, 1, 0, 6, 2, 0]
    for day, count in zip(days, coverage, strict=True):
        for i in range(count):
            noon = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
            mention(search, placement(f"{day}-{i}", f"Story {day} {i}", at=noon), at=noon)
    for day, count in zip(days[1:], coverage[:-1], strict=True):  # readers come a day later
        PageviewDay.objects.create(page=page, day=day, views=1000 + 300 * count)

    found = attention.compare(page, days=20, today=TODAY)

    assert found.coverage == tuple(coverage)
    assert found.strongest is not None and found.strongest.lag == 1
    assert found.strongest.r > 0.95


# --- pages ------------------------------------------------------------------------------------


def test_a_member_watches_a_page_by_its_address(member_client, team):
    search = saved_search(team)
    answer = member_client.post(
        reverse("monitoring:attention"),
        {"page": "https://en.wikipedia.org/wiki/Edit-a-thon", "search": search.pk},
    )
    page = WatchedPage.objects.get()
    assert answer.url == reverse("monitoring:attention_page", args=[page.pk])
    assert (page.project, page.title, page.saved_search) == ("en.wikipedia", "Edit-a-thon", search)
    listing = member_client.get(reverse("monitoring:attention")).content.decode()
    assert "Edit-a-thon" in listing and "waiting for its first read" in listing


def test_an_address_that_is_not_a_wikimedia_page_is_explained(member_client):
    answer = member_client.post(
        reverse("monitoring:attention"), {"page": "https://example.com/x"}, follow=True
    )
    assert "not the address of a page on a Wikimedia project" in answer.content.decode()
    assert not WatchedPage.objects.exists()


def test_the_page_shows_the_lag_in_words_and_a_failing_read(member_client, watched):
    WatchedPage.objects.filter(pk=watched.pk).update(last_error="429 Too Many Requests")
    html = member_client.get(reverse("monitoring:attention_page", args=[watched.pk])).content
    assert b"429 Too Many Requests" in html and b"<svg" in html


def test_a_viewer_reads_but_cannot_watch_or_unwatch(client, team, watched, django_user_model):
    viewer = django_user_model.objects.create_user("vi", "vi@example.org", "a-long-password-1")
    Membership.objects.create(user=viewer, team=team, role=Membership.Role.VIEWER)
    client.force_login(viewer)
    assert client.get(reverse("monitoring:attention_page", args=[watched.pk])).status_code == 200
    assert (
        client.post(reverse("monitoring:attention"), {"page": "en.wikipedia:X"}).status_code == 403
    )
    unwatch = reverse("monitoring:attention_unwatch", args=[watched.pk])
    assert client.post(unwatch).status_code == 403
    assert WatchedPage.objects.count() == 1


def test_another_teams_page_is_not_found_and_anonymous_must_sign_in(client, watched, outsider):
    page_url = reverse("monitoring:attention_page", args=[watched.pk])
    assert client.get(page_url).status_code == 302
    assert client.get(reverse("monitoring:attention_top")).status_code == 302
    client.force_login(outsider)
    assert client.get(page_url).status_code == 404
    unwatch = reverse("monitoring:attention_unwatch", args=[watched.pk])
    assert client.post(unwatch).status_code == 404
    assert "Edit-a-thon" not in client.get(reverse("monitoring:attention")).content.decode()


def test_the_top_page_says_when_wikimedia_cannot_answer(member_client, api):
    html = member_client.get(
        reverse("monitoring:attention_top"), {"project": "xx.wikipedia", "day": "2026-11-24"}
    ).content.decode()
    assert "Wikimedia could not list the top pages" in html and "404" in html


def test_coverage_and_attention_share_one_chart_with_an_axis_each(member_client, team, member):
    search = saved_search(team)
    page = attention.watch(
        WikiPage("en.wikipedia", "Wikipedia"), team=team, user=member, saved_search=search
    )
    PageviewDay.objects.create(page=page, day=datetime.now(UTC).date() - timedelta(days=2), views=9)
    html = member_client.get(reverse("monitoring:attention_page", args=[page.pk])).content.decode()
    assert html.count("<svg") == 1
    assert "Articles per day" in html and "Pageviews per day" in html
