"""Mastodon sources against a local server speaking the Mastodon API: hashtag, search and account
timelines stored as posts, resume by since_id, boosts folded, rate limits, bad tokens, gone
accounts and malformed answers shown on the source with a backoff."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from commsdesk.ingest.fetching import make_api_client
from commsdesk.ingest.sources import poll_source
from commsdesk.monitoring.models import Article, FetchLog, Item, Outlet, Source
from commsdesk.pipeline.social import mastodon
from tests.servers import Request, Route

pytestmark = pytest.mark.django_db
JSON = {"Content-Type": "application/json; charset=utf-8"}


def status(
    server, sid: str, text: str, *, acct: str = "ana", reblog: dict | None = None, **counts
) -> dict:
    return {
        "id": sid,
        "created_at": f"2026-11-20T10:{int(sid) % 60:02d}:00.000Z",
        "url": server.url(f"/@{acct}/{sid}"),
        "uri": server.url(f"/users/{acct}/statuses/{sid}"),
        "content": f"<p>{text}</p><p>Second <a href='https://x.example/'>paragraph</a></p>",
        "spoiler_text": "",
        "language": "en",
        "account": {
            "id": "1",
            "acct": acct,
            "username": acct,
            "display_name": acct.title(),
            "url": server.url(f"/@{acct}"),
        },
        "reblog": reblog,
        "replies_count": counts.get("replies", 0),
        "reblogs_count": counts.get("reblogs", 0),
        "favourites_count": counts.get("favourites", 0),
    }


def source_for(server, mode: str, value: str, **fields) -> Source:
    target = mastodon.make_target(server.url(), mode, value)
    return Source.objects.create(
        name=f"{mode} {value}", kind=Source.Kind.MASTODON, url=mastodon.source_url(target), **fields
    )


def poll(source: Source) -> FetchLog:
    with make_api_client() as client:
        log = poll_source(source, client)
    source.refresh_from_db()
    return log


def test_a_hashtag_timeline_is_stored_as_posts_with_handle_and_engagement(server):
    server.add(
        "/api/v1/timelines/tag/OpenData",
        Route(
            json.dumps([status(server, "102", "Open data day!", favourites=7)]).encode(), 200, JSON
        ),
    )
    source = source_for(server, "hashtag", "#OpenData")

    log = poll(source)

    assert log.status == FetchLog.Status.OK and log.new_items == 1
    article = Article.objects.get()
    assert article.post["platform"] == "mastodon"
    assert article.post["handle"] == "@ana@127.0.0.1"
    assert article.post["engagement"]["likes"] == 7 and article.post["engagement_read_at"]
    assert article.text == "Open data day!\nSecond paragraph"
    assert article.title == "Open data day!" and article.language == "en"
    assert article.outlet.type == Outlet.Type.SOCIAL
    assert Item.objects.get().state == Item.State.STORED
    assert source.cursor == "102"


def test_the_second_poll_resumes_from_the_last_id_and_stores_only_new_posts(server):
    def timeline(request: Request) -> Route:
        if "min_id=102" in request.path:
            return Route(json.dumps([status(server, "105", "Newer")]).encode(), 200, JSON)
        return Route(
            json.dumps([status(server, "102", "Two"), status(server, "101", "One")]).encode(),
            200,
            JSON,
        )

    server.add("/api/v1/timelines/tag/climate", timeline)
    source = source_for(server, "hashtag", "climate")

    poll(source)
    second = poll(source)

    assert "min_id" not in server.requests[0].path
    assert "min_id=102" in server.requests[1].path
    assert second.new_items == 1
    assert Article.objects.count() == 3 and source.cursor == "105"
    assert Item.objects.filter(state=Item.State.STORED).count() == 3


def test_a_post_seen_by_a_hashtag_and_a_search_is_stored_once(server):
    shared = status(server, "200", "Wikipedia turns 25", reblogs=2)
    server.add("/api/v1/timelines/tag/wikipedia", Route(json.dumps([shared]).encode(), 200, JSON))
    server.add(
        "/api/v2/search",
        Route(
            json.dumps({"accounts": [], "statuses": [{**shared, "reblogs_count": 5}]}).encode(),
            200,
            JSON,
        ),
    )
    tag = source_for(server, "hashtag", "wikipedia")
    search = source_for(server, "search", "wikipedia turns")

    poll(tag)
    poll(search)

    article = Article.objects.get()
    assert article.source == tag
    assert article.post["engagement"]["reposts"] == 5  # the later read's counts are kept
    assert Item.objects.get(source=search).state == Item.State.DUPLICATE
    assert "type=statuses" in server.requests[-1].path


def test_a_boost_stores_the_original_once_and_records_who_boosted_it(server):
    original = status(server, "300", "The original", acct="bob@elsewhere.example", reblogs=1)
    boost = {**status(server, "301", "", acct="carol"), "reblog": original, "content": ""}
    server.add(
        "/api/v1/timelines/tag/news", Route(json.dumps([boost, original]).encode(), 200, JSON)
    )
    source = source_for(server, "hashtag", "news")

    log = poll(source)

    article = Article.objects.get()
    assert article.title == "The original"
    assert article.post["handle"] == "@bob@elsewhere.example"
    assert article.post["reposted_by"] == ["@carol@127.0.0.1"]
    assert log.new_items == 1 and Item.objects.count() == 1
    assert source.cursor == "301"  # the timeline pages by the boost's own id


def test_an_account_timeline_looks_the_account_up_first(server):
    server.add(
        "/api/v1/accounts/lookup",
        Route(json.dumps({"id": "42", "acct": "wmf"}).encode(), 200, JSON),
    )
    server.add(
        "/api/v1/accounts/42/statuses",
        Route(
            json.dumps([status(server, "400", "From the account", acct="wmf")]).encode(), 200, JSON
        ),
    )
    source = source_for(server, "account", "@wmf")

    assert poll(source).new_items == 1
    assert "acct=wmf" in server.requests[0].path
    assert server.requests[1].path.startswith("/api/v1/accounts/42/statuses")


def test_a_deleted_account_is_shown_on_the_source_and_backs_off(server):
    server.add("/api/v1/accounts/lookup", Route(b'{"error":"Record not found"}', 404, JSON))
    source = source_for(server, "account", "gone", interval_minutes=10)

    log = poll(source)

    assert log.status == FetchLog.Status.FAILED
    assert (
        source.last_error
        == "account @gone not found on " + server.url()[7:-1] + " (deleted, suspended or moved?)"
    )
    assert source.status == "failing"
    assert source.next_fetch_at - timezone.now() > timedelta(minutes=15)


def test_a_429_waits_until_the_reset_the_instance_gave(server):
    reset = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    server.add(
        "/api/v1/timelines/tag/busy",
        Route(
            b'{"error":"Too many requests"}',
            429,
            {**JSON, "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset.isoformat()},
        ),
    )
    source = source_for(server, "hashtag", "busy")

    poll(source)

    assert source.last_error == f"rate limited by {server.url()[7:-1]} until {reset:%H:%M} UTC"
    assert abs((source.next_fetch_at - reset).total_seconds()) < 2


def test_a_spent_window_delays_the_next_poll_even_when_the_answer_was_fine(server):
    reset = datetime.now(UTC) + timedelta(hours=3)
    server.add(
        "/api/v1/timelines/tag/quiet",
        Route(
            b"[]",
            200,
            {**JSON, "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset.isoformat()},
        ),
    )
    source = source_for(server, "hashtag", "quiet")

    log = poll(source)

    assert log.status == FetchLog.Status.OK and "rate limit used up" in log.reason
    assert source.next_fetch_at >= reset - timedelta(seconds=1)
    assert source.cursor is None  # an empty answer keeps the old resume point


def test_an_expired_token_says_so_and_the_token_is_sent_only_to_the_instance(server):
    server.add("/api/v2/search", Route(b'{"error":"The access token is invalid"}', 401, JSON))
    source = source_for(server, "search", "climate", access_token="secret-token-abcd")

    poll(source)

    assert server.requests[0].headers["authorization"] == "Bearer secret-token-abcd"
    assert "refused the access token (expired or revoked?)" in source.last_error
    assert "secret" not in source.last_error


def test_malformed_json_is_a_visible_failure_and_other_sources_go_on(server):
    server.add("/api/v1/timelines/tag/broken", Route(b"<html>oops", 200, JSON))
    server.add(
        "/api/v1/timelines/tag/fine",
        Route(json.dumps([status(server, "500", "Fine")]).encode(), 200, JSON),
    )
    broken = source_for(server, "hashtag", "broken")
    fine = source_for(server, "hashtag", "fine")

    poll(broken)
    poll(fine)

    assert "not JSON" in broken.last_error and broken.consecutive_failures == 1
    assert fine.status == "ok" and Article.objects.filter(source=fine).count() == 1


def test_a_token_is_not_forwarded_when_the_instance_redirects_elsewhere(server):
    from tests.servers import LocalServer

    with LocalServer() as other:
        other.add("/api/v2/search", Route(b'{"statuses": []}', 200, JSON))
        server.add("/api/v2/search", Route(b"", 302, {"Location": other.url("/api/v2/search?q=x")}))
        source = source_for(server, "search", "x", access_token="secret-token-abcd")
        poll(source)
        assert "authorization" in server.requests[0].headers
        assert "authorization" not in other.requests[0].headers


def test_after_a_burst_it_pages_forward_from_the_resume_point_without_gaps(server):
    def timeline(request: Request) -> Route:
        start = int(request.path.split("min_id=")[1].split("&")[0])
        ids = [str(i) for i in range(start + 1, min(start + 41, 1091))]  # 90 new after 1000
        return Route(
            json.dumps([status(server, i, f"Post {i}") for i in reversed(ids)]).encode(), 200, JSON
        )

    server.add("/api/v1/timelines/tag/burst", timeline)
    source = source_for(server, "hashtag", "burst", cursor="1000")

    log = poll(source)

    asked = [r.path.split("min_id=")[1].split("&")[0] for r in server.requests]
    assert asked == ["1000", "1040", "1080"]
    assert log.new_items == 90 and source.cursor == "1090"


def test_a_burst_larger_than_one_poll_brings_the_next_poll_forward(server):
    def timeline(request: Request) -> Route:
        start = int(request.path.split("min_id=")[1].split("&")[0])
        ids = [str(i) for i in range(start + 1, start + 41)]  # always a full page
        body = [status(server, i, f"Post {i}") for i in reversed(ids)]
        return Route(json.dumps(body).encode(), 200, JSON)

    server.add("/api/v1/timelines/tag/flood", timeline)
    source = source_for(server, "hashtag", "flood", cursor="1000", interval_minutes=60)

    log = poll(source)

    assert len(server.requests) == 5 and log.new_items == 200 and source.cursor == "1200"
    assert source.next_fetch_at - timezone.now() < timedelta(minutes=2)


def test_an_instance_on_a_private_network_is_refused_by_the_guard(server, settings):
    settings.COMMSDESK_ALLOW_PRIVATE_NETWORKS = False
    server.add("/api/v1/timelines/tag/x", Route(b"[]", 200, JSON))
    source = source_for(server, "hashtag", "x")

    log = poll(source)

    assert log.status == FetchLog.Status.FAILED and "loopback" in source.last_error
    assert server.requests == []
