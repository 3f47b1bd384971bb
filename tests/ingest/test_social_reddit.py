"""Reddit sources against a local server speaking Reddit's public JSON listings: subreddit and
search stored as posts, resume from the newest created_utc, crossposts folded, rate limits, a
banned subreddit and a non-JSON answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from commsdesk.ingest.fetching import make_api_client
from commsdesk.ingest.sources import poll_source
from commsdesk.monitoring.models import Article, FetchLog, Item, Source
from commsdesk.pipeline.social import reddit
from tests.servers import Request, Route

pytestmark = pytest.mark.django_db
JSON = {"Content-Type": "application/json; charset=UTF-8"}
T0 = 1_763_600_000


def child(pid: str, title: str, *, at: int, sub: str = "wikipedia", **extra) -> dict:
    data = {
        "id": pid,
        "name": f"t3_{pid}",
        "permalink": f"/r/{sub}/comments/{pid}/{title.lower().replace(' ', '_')}/",
        "url": f"https://www.reddit.com/r/{sub}/comments/{pid}/",
        "title": title,
        "selftext": f"Body of {title}",
        "author": "ana",
        "created_utc": float(at),
        "score": 10,
        "num_comments": 3,
        "subreddit": sub,
        **extra,
    }
    return {"kind": "t3", "data": data}


def listing(*children: dict) -> bytes:
    return json.dumps(
        {"kind": "Listing", "data": {"after": None, "children": list(children)}}
    ).encode()


@pytest.fixture
def api(server, settings):
    settings.COMMSDESK_REDDIT_API = server.url("").rstrip("/")
    return server


def source_for(mode: str, value: str, **fields) -> Source:
    url = reddit.source_url(reddit.make_target(mode, value))
    return Source.objects.create(name=value, kind=Source.Kind.REDDIT, url=url, **fields)


def poll(source: Source) -> FetchLog:
    with make_api_client() as client:
        log = poll_source(source, client)
    source.refresh_from_db()
    return log


def test_a_subreddit_stores_its_newest_posts_with_title_author_and_engagement(api):
    api.add("/r/wikipedia/new.json", Route(listing(child("abc", "A new record", at=T0)), 200, JSON))
    source = source_for("subreddit", "r/wikipedia")

    log = poll(source)

    assert log.new_items == 1
    article = Article.objects.get()
    assert article.title == "A new record" and article.text == "Body of A new record"
    assert article.canonical_url == "https://www.reddit.com/r/wikipedia/comments/abc/a_new_record/"
    assert article.post["handle"] == "u/ana" and article.post["community"] == "wikipedia"
    assert article.post["engagement"]["likes"] == 10 and article.post["engagement"]["replies"] == 3
    assert "raw_json=1" in api.requests[0].path
    assert api.requests[0].headers["user-agent"].startswith("commsdesk")


def test_the_second_poll_stores_only_posts_newer_than_the_last_seen(api):
    def newest(request: Request) -> Route:
        old = [child("b", "Two", at=T0 + 2), child("a", "One", at=T0 + 1)]
        if len(api.requests) > 1:
            return Route(listing(child("c", "Three", at=T0 + 3), *old), 200, JSON)
        return Route(listing(*old), 200, JSON)

    api.add("/r/wikipedia/new.json", newest)
    source = source_for("subreddit", "wikipedia")

    poll(source)
    second = poll(source)

    assert second.new_items == 1 and second.entries == 1
    assert Article.objects.count() == 3 and source.cursor == str(T0 + 3)


def test_a_crosspost_folds_into_its_original_and_a_search_finds_it_once(api):
    original = child("orig", "Original find", at=T0, sub="science")["data"]
    cross = child("xp", "Original find", at=T0 + 5, crosspost_parent_list=[original], author="bob")
    api.add("/r/wikipedia/new.json", Route(listing(cross), 200, JSON))
    api.add(
        "/search.json",
        Route(listing(child("orig", "Original find", at=T0, sub="science")), 200, JSON),
    )
    sub = source_for("subreddit", "wikipedia")
    search = source_for("search", "original find")

    poll(sub)
    poll(search)

    article = Article.objects.get()
    assert article.post["community"] == "science" and article.post["reposted_by"] == ["u/bob"]
    assert Item.objects.get(source=search).state == Item.State.DUPLICATE
    assert "sort=new" in api.requests[-1].path and "q=original+find" in api.requests[-1].path


def test_a_banned_subreddit_is_shown_as_not_found(api):
    api.add("/r/gone/new.json", Route(b'{"reason": "banned", "error": 404}', 404, JSON))
    source = source_for("subreddit", "gone")

    poll(source)

    assert source.last_error == "r/gone not found (banned or never existed?)"


def test_a_429_backs_off_for_the_seconds_reddit_gives(api):
    api.add(
        "/r/busy/new.json",
        Route(
            b"Too Many Requests",
            429,
            {
                "Content-Type": "text/plain",
                "x-ratelimit-remaining": "0",
                "x-ratelimit-reset": "600",
            },
        ),
    )
    source = source_for("subreddit", "busy")
    before = datetime.now(UTC)

    poll(source)

    assert "rate limited by" in source.last_error
    wait = source.next_fetch_at - before
    assert timedelta(seconds=590) < wait < timedelta(seconds=620)


def test_an_html_answer_is_a_failure_with_a_reason(api):
    api.add(
        "/r/html/new.json",
        Route(b"<!doctype html><p>blocked</p>", 200, {"Content-Type": "text/html"}),
    )
    source = source_for("subreddit", "html")

    log = poll(source)

    assert log.status == FetchLog.Status.FAILED and "not JSON" in log.reason
    assert Article.objects.count() == 0


def test_it_follows_after_until_it_reaches_the_last_seen_post(api):
    def newest(request: Request) -> Route:
        if "after=t3_d" in request.path:
            body = listing(child("c", "Three", at=T0 + 3), child("b", "Two", at=T0 + 2))
            return Route(body, 200, JSON)
        first = json.loads(listing(child("e", "Five", at=T0 + 5), child("d", "Four", at=T0 + 4)))
        first["data"]["after"] = "t3_d"
        return Route(json.dumps(first).encode(), 200, JSON)

    api.add("/r/wikipedia/new.json", newest)
    source = source_for("subreddit", "wikipedia", cursor=str(T0 + 2))

    log = poll(source)

    assert len(api.requests) == 2
    assert log.new_items == 3 and source.cursor == str(T0 + 5)
