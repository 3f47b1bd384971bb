"""Real publishers' pages (the AEB corpus) served over HTTP, through the whole ingest path."""

from __future__ import annotations

import gzip
import json

import pytest

from commsdesk.ingest.fetching import make_fetcher
from commsdesk.ingest.items import process_pending
from commsdesk.ingest.sources import poll_source
from commsdesk.monitoring.models import Article, Source
from tests.fixtures.site import HTML, RSS, rss
from tests.servers import Route

pytestmark = pytest.mark.django_db


def test_real_news_pages_arrive_with_their_text_and_language(server, corpus):
    aeb = corpus / "extraction" / "aeb"
    truth = json.loads((aeb / "ground-truth.json").read_text())
    ids = sorted(truth)[:8]
    links = []
    for i, page_id in enumerate(ids):
        page = gzip.decompress((aeb / "html" / f"{page_id}.html.gz").read_bytes())
        # Served under our own paths: the pages' canonical links point at their real sites,
        # which is fine, since nothing is fetched from there.
        server.add(f"/p{i}.html", Route(page, 200, HTML))
        links.append(f"/p{i}.html")
    feed_url = server.add("/feed.xml", Route(rss(server, [(p, p) for p in links]), 200, RSS))
    source = Source.objects.create(name="Real pages", url=feed_url)

    with make_fetcher() as fetcher:
        poll_source(source, fetcher)
        process_pending(fetcher, source_id=source.pk)

    states = list(source.items.values_list("state", flat=True))
    assert len(states) == len(ids) and set(states) <= {"stored", "duplicate"}
    stored = Article.objects.filter(source=source)
    assert stored.count() >= len(ids) - 1
    by_path = {f"/p{i}.html": truth[page_id]["articleBody"] for i, page_id in enumerate(ids)}
    for article in stored:
        expected = by_path[article.url.removeprefix(server.url(""))]
        words = set(expected.split())
        found = words & set(article.text.split())
        assert len(found) >= 0.8 * len(words), article.url  # the body arrived, not the chrome
        assert article.language not in ("", "und") and article.title
