"""Social sources under the real task and concurrently: the scheduled task polls through the API
client (robots.txt is not asked), and two sources polled at once store a shared post once."""

from __future__ import annotations

import json

import pytest

from commsdesk.ingest import schedule
from commsdesk.ingest.fetching import make_api_client
from commsdesk.ingest.sources import poll_source
from commsdesk.ingest.tasks import fetch_source
from commsdesk.monitoring.models import Article, Item, Source
from commsdesk.pipeline.social import reddit
from tests.ingest.test_concurrency import in_threads
from tests.servers import Route

pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"Content-Type": "application/json"}


def statuses(server, *ids: str) -> bytes:
    return json.dumps(
        [
            {
                "id": sid,
                "created_at": "2026-11-20T10:00:00Z",
                "url": server.url(f"/@ana/{sid}"),
                "content": f"<p>Shared post {sid}</p>",
                "account": {"acct": "ana"},
                "favourites_count": 1,
            }
            for sid in ids
        ]
    ).encode()


def test_the_scheduled_task_reads_reddit_even_where_robots_txt_forbids_crawlers(server, settings):
    settings.COMMSDESK_REDDIT_API = server.url("").rstrip("/")
    settings.COMMSDESK_RESPECT_ROBOTS = True
    server.add("/robots.txt", Route(b"User-agent: *\nDisallow: /\n", 200, {}))
    child = {
        "kind": "t3",
        "data": {
            "id": "z",
            "name": "t3_z",
            "permalink": "/r/wikipedia/comments/z/t/",
            "title": "Via the task",
            "author": "ana",
            "created_utc": 1_763_600_000,
        },
    }
    body = json.dumps({"data": {"children": [child]}}).encode()
    server.add("/r/wikipedia/new.json", Route(body, 200, JSON))
    url = reddit.source_url(reddit.make_target("subreddit", "wikipedia"))
    source = Source.objects.create(name="r", kind=Source.Kind.REDDIT, url=url)

    assert schedule.claim_source(source.pk)
    assert fetch_source.call(source.pk) == 1
    assert Article.objects.get().title == "Via the task"
    assert all(not r.path.startswith("/robots.txt") for r in server.requests)


def test_two_sources_polled_at_once_store_a_shared_post_once(server):
    server.add("/api/v1/timelines/tag/a", Route(statuses(server, "11", "12"), 200, JSON))
    server.add("/api/v1/timelines/tag/b", Route(statuses(server, "12", "11"), 200, JSON))
    sources = [
        Source.objects.create(name=tag, kind=Source.Kind.MASTODON, url=server.url(f"/tags/{tag}"))
        for tag in ("a", "b")
    ]
    turn = iter(sources)

    def poll():
        with make_api_client() as client:
            return poll_source(next(turn), client).new_items

    results = in_threads(poll)

    assert Article.objects.count() == 2 and sum(results) == 2
    assert Item.objects.count() == 4
    assert Item.objects.filter(state=Item.State.STORED).count() == 2
    assert Item.objects.filter(state=Item.State.DUPLICATE).count() == 2
