"""Pure parsing of the three platforms' JSON into Post records, source addresses, rate limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from commsdesk.pipeline.errors import PermanentError, TransientError
from commsdesk.pipeline.social import bluesky, mastodon, rate_limit, reddit, wait_until

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_mastodon_html_becomes_text_with_line_breaks_and_no_script():
    html = "<p>Hello <b>world</b><br>line two</p><script>alert(1)</script><p>Bye</p>"
    assert mastodon.html_to_text(html) == "Hello world\nline two\nBye"


def test_mastodon_content_warning_is_kept_before_the_text():
    status = {
        "id": "9",
        "url": "https://m.example/@a/9",
        "content": "<p>Details</p>",
        "spoiler_text": "Election",
        "account": {"acct": "a"},
    }
    page = mastodon.parse_statuses(json.dumps([status]).encode(), instance="https://m.example")
    assert page.posts[0].text == "[Election]\nDetails"
    assert page.posts[0].author_handle == "@a@m.example"


def test_mastodon_ids_compare_as_numbers_not_strings():
    statuses = [
        {"id": "99", "url": "https://m.example/@a/99", "account": {"acct": "a"}},
        {"id": "100", "url": "https://m.example/@a/100", "account": {"acct": "a"}},
    ]
    page = mastodon.parse_statuses(json.dumps(statuses).encode(), instance="https://m.example")
    assert page.cursor == "100"


def test_an_empty_timeline_keeps_the_cursor():
    assert mastodon.parse_statuses(b"[]", instance="https://m.example").cursor is None


@pytest.mark.parametrize(
    ("mode", "value", "url"),
    [
        ("hashtag", "#OpenData", "https://m.example/tags/OpenData"),
        ("account", "@wmf@wikimedia.social", "https://m.example/@wmf@wikimedia.social"),
        ("search", "open data", "https://m.example/search?q=open+data"),
    ],
)
def test_mastodon_source_addresses_round_trip(mode, value, url):
    target = mastodon.make_target("m.example", mode, value)
    assert mastodon.source_url(target) == url
    assert mastodon.target_of(url) == target


def test_mastodon_refuses_what_is_not_a_hashtag():
    with pytest.raises(ValueError, match="hashtag"):
        mastodon.make_target("m.example", "hashtag", "two words")


def test_a_status_list_that_is_an_error_object_is_permanent():
    with pytest.raises(PermanentError, match="not a list of statuses"):
        mastodon.parse_statuses(b'{"error": "nope"}', instance="https://m.example")


def test_bluesky_post_address_uses_the_did_not_the_handle():
    uri = "at://did:plc:abc123/app.bsky.feed.post/3kabc"
    assert bluesky.post_url(uri) == "https://bsky.app/profile/did:plc:abc123/post/3kabc"
    assert bluesky.post_url("at://did:plc:abc123/app.bsky.feed.like/3k") == ""


def test_bluesky_drops_posts_not_newer_than_the_cursor():
    def raw(rkey, minute):
        return {
            "uri": f"at://did:plc:a/app.bsky.feed.post/{rkey}",
            "author": {"handle": "a.bsky.social"},
            "record": {"text": rkey, "createdAt": f"2026-11-20T10:{minute:02d}:00Z"},
            "indexedAt": f"2026-11-20T10:{minute:02d}:00Z",
        }

    body = json.dumps({"posts": [raw("new", 5), raw("old", 3)]}).encode()
    page = bluesky.parse(body, since="2026-11-20T10:03:00Z")
    assert [p.text for p in page.posts] == ["new"]
    assert page.cursor == "2026-11-20T10:05:00Z"


def test_bluesky_language_tag_is_reduced_to_its_language():
    body = {
        "posts": [
            {
                "uri": "at://did:plc:a/app.bsky.feed.post/1",
                "author": {"handle": "a.bsky.social"},
                "record": {"text": "Olá", "langs": ["pt-BR"]},
            }
        ]
    }
    assert bluesky.parse(json.dumps(body).encode()).posts[0].language == "pt"


def test_reddit_link_posts_keep_the_outside_link_and_self_posts_do_not():
    def data(pid, url):
        return {
            "kind": "t3",
            "data": {
                "id": pid,
                "name": f"t3_{pid}",
                "permalink": f"/r/x/comments/{pid}/t/",
                "url": url,
                "title": "T",
                "author": "a",
                "created_utc": 1_763_600_000,
            },
        }

    body = {
        "data": {
            "children": [
                data("1", "https://news.example/a"),
                data("2", "https://www.reddit.com/r/x/comments/2/t/"),
            ]
        }
    }
    posts = reddit.parse(json.dumps(body).encode()).posts
    assert posts[0].link == "https://news.example/a" and posts[1].link == ""


def test_reddit_rejects_json_that_is_not_a_listing():
    with pytest.raises(PermanentError, match="not a listing"):
        reddit.parse(b'{"message": "Forbidden"}')


def test_malformed_json_names_the_platform_and_what_came_instead():
    with pytest.raises(PermanentError, match=r"reddit API .* not JSON .*'<html>"):
        reddit.parse(b"<html>")


def test_rate_limit_reset_reads_iso_times_unix_seconds_and_seconds_from_now():
    iso = rate_limit({"x-ratelimit-reset": "2026-11-25T14:05:00.000Z"}, prefix="x-ratelimit")
    unix = rate_limit({"ratelimit-reset": str(int(NOW.timestamp()) + 60)}, prefix="ratelimit")
    delta = rate_limit(
        {"x-ratelimit-reset": "300", "x-ratelimit-remaining": "0.0"}, prefix="x-ratelimit", now=NOW
    )
    assert iso.reset_at == datetime(2026, 11, 25, 14, 5, tzinfo=UTC)
    assert unix.reset_at == NOW + timedelta(seconds=60)
    assert delta.reset_at == NOW + timedelta(seconds=300) and delta.remaining == 0


def test_retry_after_wins_over_the_window_reset_after_a_429():
    error = TransientError("429", retry_after=30, status=429, headers={"x-ratelimit-reset": "900"})
    assert wait_until(error, prefix="x-ratelimit", now=NOW) == NOW + timedelta(seconds=30)


def test_requests_left_in_the_window_mean_no_wait():
    headers = {"x-ratelimit-remaining": "12", "x-ratelimit-reset": "900"}
    assert wait_until(headers, prefix="x-ratelimit", now=NOW) is None
