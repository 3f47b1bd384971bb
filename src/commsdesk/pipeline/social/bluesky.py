"""Bluesky: post search by query and an account's feed, through the public AppView XRPC API.

Turns a source address (`https://bsky.app/search?q=x`, `https://bsky.app/profile/handle`) into
`app.bsky.feed.searchPosts` / `getAuthorFeed` requests and parses their JSON into `Post`s. The
platform's `cursor` pages backwards in time, so resuming for *new* posts uses the newest
`indexedAt` seen: search asks with `since=` and author feeds drop what is not newer. A repost in
an author feed becomes its original with the reposter in `reposted_by`. Stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from commsdesk.pipeline.errors import PermanentError, TransientError
from commsdesk.pipeline.fetch import Fetcher
from commsdesk.pipeline.social import (
    MAX_PAGES,
    Engagement,
    Page,
    Post,
    count,
    load_json,
    merge,
    obj,
    parse_time,
    rate_limited,
    text_of,
    wait_until,
)

PLATFORM = "bluesky"
RATE_PREFIX = "ratelimit"
WEB = "https://bsky.app"
LIMIT = 100  # the API's maximum per request


@dataclass(frozen=True, slots=True)
class Target:
    mode: str  # "search" or "author"
    value: str  # the query, or a handle / DID without '@'


def make_target(mode: str, value: str) -> Target:
    value = value.strip()
    if mode == "author":
        value = value.lstrip("@").lower()
        if not value or " " in value or ("." not in value and not value.startswith("did:")):
            raise ValueError("A Bluesky account looks like name.bsky.social or example.org")
    elif mode == "search":
        if not value:
            raise ValueError("Type the words to search for")
    else:
        raise ValueError(f"unknown Bluesky source type {mode!r}")
    return Target(mode, value)


def source_url(target: Target) -> str:
    if target.mode == "author":
        return f"{WEB}/profile/{quote(target.value, safe='.:')}"
    return f"{WEB}/search?{urlencode({'q': target.value})}"


def target_of(url: str) -> Target:
    parts = urlsplit(url)
    try:
        if parts.path.startswith("/profile/"):
            return make_target("author", unquote(parts.path[len("/profile/") :]).rstrip("/"))
        if parts.path == "/search":
            return make_target("search", parse_qs(parts.query).get("q", [""])[0])
    except ValueError as exc:
        raise PermanentError(f"the source address {url} is not a Bluesky source: {exc}") from exc
    raise PermanentError(f"the source address {url} is not a Bluesky search or profile")


def request_url(target: Target, *, api: str, since: str | None, page: str | None = None) -> str:
    """`since` narrows a search to posts after the resume point; `page` is the platform's cursor
    for the next (older) page of the same answer."""
    api = api.rstrip("/")
    query: dict[str, str | int]
    if target.mode == "author":
        query = {"actor": target.value, "limit": LIMIT}
        method = "app.bsky.feed.getAuthorFeed"
    else:
        query = {"q": target.value, "sort": "latest", "limit": LIMIT}
        method = "app.bsky.feed.searchPosts"
        if since:
            query["since"] = since
    if page:
        query["cursor"] = page
    return f"{api}/xrpc/{method}?{urlencode(query)}"


def read(
    target: Target, *, fetcher: Fetcher, api: str, cursor: str | None, now: datetime | None = None
) -> tuple[Page, datetime | None]:
    """One poll: (posts newer than the cursor, when to wait until if the window is spent)."""
    host = urlsplit(api).netloc
    pages: list[Page] = []
    spent_until = None
    try:
        # The first poll reads one page (the newest); later polls follow the platform's cursor
        # back until they reach the resume point, at most MAX_PAGES.
        while len(pages) < (MAX_PAGES if cursor else 1):
            next_page = pages[-1].next_page if pages else None
            answer = fetcher.fetch(
                request_url(target, api=api, since=cursor, page=next_page),
                accept="application/json",
            )
            pages.append(parse(answer.body, since=cursor))
            spent_until = wait_until(answer.headers, prefix=RATE_PREFIX, now=now)
            if not pages[-1].more or spent_until is not None:
                break
    except TransientError as exc:
        if pages:  # keep what was read; the rest waits for the next poll
            return merge(pages, newer=_newer), wait_until(exc, prefix=RATE_PREFIX, now=now)
        raise rate_limited(exc, host=host, prefix=RATE_PREFIX, now=now) from exc
    except PermanentError as exc:
        if exc.status in (400, 404) and target.mode == "author":
            # The AppView answers 400 InvalidRequest "Profile not found" for a gone account.
            raise PermanentError(
                f"account {target.value} not found on Bluesky (deleted, suspended or renamed?)"
            ) from exc
        if exc.status in (401, 403):
            raise PermanentError(
                f"{host} refused to answer without signing in ({exc.reason})"
            ) from exc
        raise
    return merge(pages, newer=_newer), spent_until


def _newer(a: str, b: str) -> bool:
    return (parse_time(a) or datetime.min.replace(tzinfo=UTC)) > (
        parse_time(b) or datetime.min.replace(tzinfo=UTC)
    )


def parse(body: bytes, *, since: str | None = None, read_at: datetime | None = None) -> Page:
    """searchPosts (`posts[]`) or getAuthorFeed (`feed[].post`) bytes → a Page of posts whose
    sort time is after `since`; the cursor is the newest sort time seen (or None if none)."""
    data = load_json(body, platform=PLATFORM)
    if not isinstance(data, dict):
        raise PermanentError("the Bluesky API answered with JSON that is not an object")
    if isinstance(data.get("posts"), list):
        entries = [(p, None) for p in data["posts"]]
    elif isinstance(data.get("feed"), list):
        entries = [(e.get("post"), e.get("reason")) for e in data["feed"] if isinstance(e, dict)]
    else:
        raise PermanentError("the Bluesky API answered without `posts` or `feed`")
    read_at = read_at or datetime.now(UTC)
    after = parse_time(since) if since else None
    posts: dict[str, Post] = {}
    newest = after
    reached = False  # an entry at or before the resume point: older pages hold nothing new
    for raw, reason in entries:
        if not isinstance(raw, dict):
            continue
        reposter = ""
        if isinstance(reason, dict) and "reasonRepost" in text_of(reason.get("$type")):
            by = obj(reason.get("by"))
            reposter = text_of(by.get("handle"))
            sort_at = parse_time(reason.get("indexedAt")) or parse_time(raw.get("indexedAt"))
        else:
            sort_at = parse_time(raw.get("indexedAt"))
        if after is not None and sort_at is not None and sort_at <= after:
            reached = True
            continue
        if sort_at is not None and (newest is None or sort_at > newest):
            newest = sort_at
        post = _post(raw, read_at=read_at)
        if post is None:
            continue
        seen = posts.get(post.url)
        boosts = (seen.reposted_by if seen else ()) + ((reposter,) if reposter else ())
        posts[post.url] = replace(post, reposted_by=tuple(dict.fromkeys(boosts)))
    cursor = newest.isoformat().replace("+00:00", "Z") if newest and newest != after else None
    next_page = text_of(data.get("cursor")) or None
    more = bool(entries) and not reached and next_page is not None
    return Page(tuple(posts.values()), cursor, next_page=next_page, more=more)


def post_url(uri: str) -> str:
    """at://did:plc:x/app.bsky.feed.post/rkey → https://bsky.app/profile/did:plc:x/post/rkey.

    By DID, not handle: a handle can change, and the address is the post's storage identity."""
    if not uri.startswith("at://"):
        return ""
    parts = uri[len("at://") :].split("/")
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post" or not parts[0] or not parts[2]:
        return ""
    return f"{WEB}/profile/{parts[0]}/post/{parts[2]}"


def _post(raw: dict, *, read_at: datetime) -> Post | None:
    url = post_url(text_of(raw.get("uri")))
    if not url:
        return None
    author = obj(raw.get("author"))
    record = obj(raw.get("record"))
    langs = record.get("langs") if isinstance(record.get("langs"), list) else []
    handle = text_of(author.get("handle"))
    return Post(
        platform=PLATFORM,
        id=text_of(raw.get("uri")),
        url=url,
        author_handle=handle,
        author_name=text_of(author.get("displayName")),
        author_url=f"{WEB}/profile/{handle}" if handle else "",
        text=text_of(record.get("text")),
        language=text_of(langs[0]).split("-")[0].lower() if langs else "",
        published=parse_time(record.get("createdAt")) or parse_time(raw.get("indexedAt")),
        engagement=Engagement(
            replies=count(raw.get("replyCount")),
            reposts=count(raw.get("repostCount")),
            likes=count(raw.get("likeCount")),
            quotes=count(raw.get("quoteCount")),
            read_at=read_at,
        ),
    )
