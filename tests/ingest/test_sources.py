"""Polling a source: health, conditional GET, failures with their real reason, backoff."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commsdesk.ingest.fetching import make_fetcher
from commsdesk.ingest.sources import SourceDiscoveryError, discover_feed, poll_source
from commsdesk.monitoring.models import FetchLog, Source
from tests.fixtures.site import RSS, rss
from tests.servers import Route

pytestmark = pytest.mark.django_db


def poll(source: Source) -> FetchLog:
    with make_fetcher() as fetcher:
        log = poll_source(source, fetcher)
    source.refresh_from_db()
    return log


def test_it_sends_the_etag_back_and_counts_not_modified(server):
    def feed(request):
        if request.headers.get("if-none-match") == '"v1"':
            return Route(b"", 304, {"ETag": '"v1"'})
        return Route(rss(server, [("/a.html", "A")]), 200, {**RSS, "ETag": '"v1"'})

    source = Source.objects.create(name="Etag feed", url=server.add("/feed.xml", feed))
    assert poll(source).status == FetchLog.Status.OK
    assert source.etag == '"v1"'
    assert poll(source).status == FetchLog.Status.NOT_MODIFIED
    assert source.consecutive_failures == 0 and source.last_ok_at is not None


def test_a_malformed_feed_is_a_visible_failure_with_its_reason(server):
    url = server.add("/feed.xml", Route(b"<rss><channel><item><title>x", 200, RSS))
    source = Source.objects.create(name="Broken", url=url, interval_minutes=10)

    log = poll(source)

    assert log.status == FetchLog.Status.FAILED and log.reason
    assert source.consecutive_failures == 1 and source.last_error == log.reason
    assert source.status == "failing"


def test_failures_back_off_exponentially(server):
    url = server.add("/feed.xml", Route(b"down", 503, {"Content-Type": "text/plain"}))
    source = Source.objects.create(name="Down", url=url, interval_minutes=10)

    poll(source)
    first_wait = source.next_fetch_at - timezone.now()
    poll(source)
    second_wait = source.next_fetch_at - timezone.now()

    assert "503" in source.last_error
    assert source.consecutive_failures == 2
    assert second_wait.total_seconds() > 1.8 * first_wait.total_seconds()


def test_an_unreachable_host_is_a_failure_not_an_empty_source():
    source = Source.objects.create(name="Nobody home", url="http://127.0.0.1:9/feed.xml")

    log = poll(source)

    assert log.status == FetchLog.Status.FAILED
    assert source.status == "failing" and source.last_error


def test_an_empty_feed_is_healthy_with_no_coverage(server):
    url = server.add("/feed.xml", Route(rss(server, []), 200, RSS))
    source = Source.objects.create(name="Quiet", url=url)

    assert poll(source).status == FetchLog.Status.OK
    assert source.status == "ok" and source.items.count() == 0


def test_it_discovers_the_feed_linked_from_a_web_page(server):
    feed_url = server.add("/feed.xml", Route(rss(server, [("/a.html", "A story")]), 200, RSS))
    page = (
        b"<html><head><title>Gazette</title>"
        b"<link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
        b"</head><body>Hi</body></html>"
    )
    home = server.add("/", Route(page, 200, {"Content-Type": "text/html"}))

    with make_fetcher() as fetcher:
        found, feed, others = discover_feed(home, fetcher)

    assert found == feed_url and feed.title == "Test Gazette" and others == []


def test_a_page_without_a_feed_gets_a_clear_error(server):
    home = server.add(
        "/", Route(b"<html><body>No feed here</body></html>", 200, {"Content-Type": "text/html"})
    )
    with make_fetcher() as fetcher, pytest.raises(SourceDiscoveryError, match="does not link"):
        discover_feed(home, fetcher)
