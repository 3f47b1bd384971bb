"""Feed to articles through the real pipeline, against a real local HTTP server."""

from __future__ import annotations

import pytest

from commsdesk.ingest import schedule
from commsdesk.ingest.fetching import make_fetcher
from commsdesk.ingest.items import clip, process_pending
from commsdesk.ingest.sources import poll_source
from commsdesk.monitoring.models import Article, FetchLog, Item, Source
from tests.fixtures.site import HTML, RSS, rss, serve_gazette
from tests.servers import Route

pytestmark = pytest.mark.django_db


@pytest.fixture
def gazette(server):
    url = serve_gazette(server)
    return Source.objects.create(name="Test Gazette", url=url)


def ingest(source: Source) -> None:
    with make_fetcher() as fetcher:
        poll_source(source, fetcher)
        process_pending(fetcher, source_id=source.pk)


def outcomes(source: Source) -> dict[str, str]:
    return {item.url.rsplit("/", 1)[-1]: item.state for item in source.items.all()}


def test_every_link_in_a_feed_ends_with_exactly_one_outcome(gazette):
    ingest(gazette)

    assert outcomes(gazette) == {
        "volunteers.html": "stored",
        "elecciones.html": "stored",
        "volunteers-copy.html": "duplicate",
        "report.pdf": "filtered",
        "gone.html": "quarantined",
        "broken.html": "retry",
    }


def test_outcomes_carry_a_reason_a_person_can_read(gazette):
    ingest(gazette)

    reasons = {i.url.rsplit("/", 1)[-1]: i.reason for i in gazette.items.all()}
    assert "404" in reasons["gone.html"]
    assert "500" in reasons["broken.html"]
    assert "PDF" in reasons["report.pdf"]
    assert "canonical" in reasons["volunteers-copy.html"]


def test_stored_articles_have_text_language_and_outlet(gazette):
    ingest(gazette)

    english = Article.objects.get(canonical_url__endswith="/news/volunteers.html")
    spanish = Article.objects.get(canonical_url__endswith="/es/elecciones.html")
    assert "two thousand new articles" in english.text
    assert english.language == "en" and spanish.language == "es"
    assert english.title == "Volunteers write local history"
    assert english.authors == ["Jane Reporter"]
    assert english.published_at is not None and english.published_at.year == 2026
    assert english.outlet is not None and english.story is not None
    assert english.html.startswith(b"<!doctype html>")


def test_fetching_the_same_feed_twice_creates_no_new_items_or_articles(gazette):
    ingest(gazette)
    Source.objects.filter(pk=gazette.pk).update(next_fetch_at=gazette.next_fetch_at)
    ingest(Source.objects.get(pk=gazette.pk))

    assert gazette.items.count() == 6
    assert Article.objects.count() == 2
    assert FetchLog.objects.filter(source=gazette).first().new_items == 0


def test_a_retry_is_retried_later_and_given_up_after_the_last_attempt(gazette):
    ingest(gazette)
    broken = gazette.items.get(url__endswith="/broken.html")
    assert broken.state == Item.State.RETRY and broken.next_attempt_at > broken.decided_at

    for _ in range(schedule.MAX_ITEM_ATTEMPTS):
        Item.objects.filter(pk=broken.pk).update(next_attempt_at=broken.decided_at)
        with make_fetcher() as fetcher:
            process_pending(fetcher, source_id=gazette.pk)

    broken.refresh_from_db()
    assert broken.state == Item.State.QUARANTINED
    assert broken.reason.startswith(f"gave up after {schedule.MAX_ITEM_ATTEMPTS} attempts")


def test_a_manual_clip_is_stored_once_and_a_second_clip_finds_it(server):
    serve_gazette(server)
    url = server.url("/news/volunteers.html")
    with make_fetcher() as fetcher:
        first, article = clip(url, fetcher)
        second, again = clip(url + "?utm_source=newsletter", fetcher)

    assert first.state == "stored" and second.state == "duplicate"
    assert article == again and Article.objects.count() == 1


def test_hostile_links_are_quarantined_with_reasons_and_the_rest_still_arrives(server, settings):
    """A binary, an oversized page, a redirect loop and a dead host among good links."""
    settings.COMMSDESK_FETCH_MAX_BYTES = 1_000_000
    serve_gazette(server)
    server.add("/binary.html", Route(bytes(range(256)) * 64, 200, HTML))
    server.add("/huge.html", Route(b"<html><body>" + b"<p>spam</p>" * 200_000, 200, HTML))
    server.add("/loop-a.html", Route(b"", 302, {"Location": "/loop-b.html"}))
    server.add("/loop-b.html", Route(b"", 302, {"Location": "/loop-a.html"}))
    links = [
        ("/binary.html", "Binary"),
        ("/huge.html", "Huge"),
        ("/loop-a.html", "Loop"),
        ("/news/volunteers.html", "Good"),
    ]
    feed = rss(server, links).replace(
        b"</channel>",
        b"<item><title>Dead</title><link>http://127.0.0.1:9/dead.html</link></item></channel>",
    )
    source = Source.objects.create(
        name="Hostile", url=server.add("/hostile.xml", Route(feed, 200, RSS))
    )

    ingest(source)

    items = {i.url.rsplit("/", 1)[-1]: i for i in source.items.all()}
    assert items["volunteers.html"].state == "stored"
    assert items["binary.html"].state == "quarantined"
    assert items["huge.html"].state == "quarantined" and "cap" in items["huge.html"].reason
    assert items["loop-a.html"].state == "quarantined" and "loop" in items["loop-a.html"].reason
    assert items["dead.html"].state == "retry" and items["dead.html"].reason
    assert all(item.reason for name, item in items.items() if name != "volunteers.html")
