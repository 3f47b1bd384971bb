"""Bluesky sources against a local server speaking the AppView XRPC API: search and author feeds
stored as posts, resume from the newest indexedAt, reposts folded, rate limits and gone accounts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from commsdesk.ingest.fetching import make_api_client
from commsdesk.ingest.sources import poll_source
from commsdesk.monitoring.models import Article, FetchLog, Item, Source
from commsdesk.pipeline.social import bluesky
from tests.servers import Request, Route

pytestmark = pytest.mark.django_db
JSON = {"Content-Type": "application/json"}
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
AUTHOR = "/xrpc/app.bsky.feed.getAuthorFeed"


def post(rkey: str, text: str, *, minute: int, handle: str = "ana.bsky.social", likes: int = 0):
    return {
        "uri": f"at://did:plc:{handle.split('.')[0]}/app.bsky.feed.post/{rkey}",
        "cid": f"bafy{rkey}",
        "author": {
            "did": f"did:plc:{handle.split('.')[0]}",
            "handle": handle,
            "displayName": "Ana",
        },
        "record": {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": f"2026-11-20T10:{minute:02d}:00.000Z",
            "langs": ["en"],
        },
        "replyCount": 1,
        "repostCount": 2,
        "likeCount": likes,
        "quoteCount": 0,
        "indexedAt": f"2026-11-20T10:{minute:02d}:01.000Z",
    }


@pytest.fixture
def api(server, settings):
    settings.COMMSDESK_BLUESKY_API = server.url("").rstrip("/")
    return server


def source_for(mode: str, value: str, **fields) -> Source:
    url = bluesky.source_url(bluesky.make_target(mode, value))
    return Source.objects.create(name=value, kind=Source.Kind.BLUESKY, url=url, **fields)


def poll(source: Source) -> FetchLog:
    with make_api_client() as client:
        log = poll_source(source, client)
    source.refresh_from_db()
    return log


def test_a_search_stores_posts_with_handle_engagement_and_a_stable_address(api):
    body = {"posts": [post("3k1", "Wikipedia editors gather", minute=5, likes=12)], "cursor": "25"}
    api.add(SEARCH, Route(json.dumps(body).encode(), 200, JSON))
    source = source_for("search", "wikipedia")

    log = poll(source)

    assert log.new_items == 1
    article = Article.objects.get()
    assert article.canonical_url == "https://bsky.app/profile/did:plc:ana/post/3k1"
    assert article.post["handle"] == "ana.bsky.social" and article.post["name"] == "Ana"
    assert article.post["engagement"] == {"replies": 1, "reposts": 2, "likes": 12, "quotes": 0}
    assert article.published_at == datetime(2026, 11, 20, 10, 5, tzinfo=UTC)
    assert "q=wikipedia" in api.requests[0].path and "sort=latest" in api.requests[0].path


def test_the_second_search_asks_since_the_newest_post_and_stores_only_new_ones(api):
    def search(request: Request) -> Route:
        older = [post("3k2", "Two", minute=2), post("3k1", "One", minute=1)]
        if "since=" in request.path:
            return Route(
                json.dumps({"posts": [post("3k3", "Three", minute=3), *older]}).encode(), 200, JSON
            )
        return Route(json.dumps({"posts": older}).encode(), 200, JSON)

    api.add(SEARCH, search)
    source = source_for("search", "open knowledge")

    poll(source)
    second = poll(source)

    assert "since=2026-11-20T10%3A02%3A01Z" in api.requests[1].path
    assert second.new_items == 1 and second.entries == 1
    assert Article.objects.count() == 3 and Item.objects.count() == 3
    assert source.cursor == "2026-11-20T10:03:01Z"


def test_a_repost_in_an_author_feed_folds_into_the_original(api):
    original = post("3kx", "Original by Bob", minute=7, handle="bob.example.org")
    feed = {
        "feed": [
            {
                "post": original,
                "reason": {
                    "$type": "app.bsky.feed.defs#reasonRepost",
                    "by": {"handle": "wikimedia.org"},
                    "indexedAt": "2026-11-20T11:00:00.000Z",
                },
            },
            {"post": post("3ky", "Own post", minute=6, handle="wikimedia.org")},
        ],
        "cursor": "older",
    }
    api.add(AUTHOR, Route(json.dumps(feed).encode(), 200, JSON))
    source = source_for("author", "@wikimedia.org")

    poll(source)

    reposted = Article.objects.get(title="Original by Bob")
    assert reposted.post["handle"] == "bob.example.org"
    assert reposted.post["reposted_by"] == ["wikimedia.org"]
    assert Article.objects.count() == 2 and source.cursor == "2026-11-20T11:00:00Z"
    assert "actor=wikimedia.org" in api.requests[0].path


def test_an_unknown_account_is_shown_as_not_found(api):
    api.add(AUTHOR, Route(b'{"error":"InvalidRequest","message":"Profile not found"}', 400, JSON))
    source = source_for("author", "gone.bsky.social")

    log = poll(source)

    assert log.status == FetchLog.Status.FAILED
    assert source.last_error == (
        "account gone.bsky.social not found on Bluesky (deleted, suspended or renamed?)"
    )


def test_a_429_waits_until_the_ratelimit_reset(api):
    reset = int((datetime.now(UTC) + timedelta(minutes=90)).timestamp())
    api.add(
        SEARCH,
        Route(
            b'{"error":"RateLimitExceeded"}',
            429,
            {**JSON, "ratelimit-remaining": "0", "ratelimit-reset": str(reset)},
        ),
    )
    source = source_for("search", "busy")

    poll(source)

    assert source.last_error.startswith("rate limited by 127.0.0.1")
    assert abs(source.next_fetch_at.timestamp() - reset) < 2


def test_an_answer_without_posts_is_a_failure_not_an_empty_source(api):
    api.add(SEARCH, Route(b'{"unexpected": true}', 200, JSON))
    source = source_for("search", "odd")

    log = poll(source)

    assert log.status == FetchLog.Status.FAILED and "without `posts` or `feed`" in log.reason


def test_a_search_follows_the_cursor_back_to_the_resume_point(api):
    pages = {
        None: (
            {
                "posts": [post("3k9", "Nine", minute=9), post("3k8", "Eight", minute=8)],
                "cursor": "p2",
            }
        ),
        "p2": (
            {
                "posts": [post("3k7", "Seven", minute=7), post("3k5", "Five", minute=5)],
                "cursor": "p3",
            }
        ),
    }

    def search(request: Request) -> Route:
        page = request.path.split("cursor=")[1] if "cursor=" in request.path else None
        return Route(json.dumps(pages[page]).encode(), 200, JSON)

    api.add(SEARCH, search)
    source = source_for("search", "wiki", cursor="2026-11-20T10:06:01Z")

    log = poll(source)

    assert len(api.requests) == 2 and "cursor=p2" in api.requests[1].path
    assert log.new_items == 3 and source.cursor == "2026-11-20T10:09:01Z"


def test_truncated_json_and_a_5xx_are_failures_that_back_off_and_keep_the_cursor(api):
    api.add(SEARCH, Route(b'{"posts": [{"uri": ', 200, JSON))
    source = source_for("search", "cut", cursor="2026-11-20T10:00:00Z", interval_minutes=10)

    poll(source)
    assert "not JSON" in source.last_error and source.cursor == "2026-11-20T10:00:00Z"

    api.add(SEARCH, Route(b"upstream down", 503, {"Content-Type": "text/plain"}))
    poll(source)
    assert "503" in source.last_error and source.consecutive_failures == 2
    assert source.next_fetch_at - source.last_error_at >= timedelta(minutes=39)
