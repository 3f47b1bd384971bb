"""Reddit: a subreddit's newest posts and a site-wide search, from the public JSON listings.

Turns a source address (`https://www.reddit.com/r/x/`, `/search/?q=x`) into `/r/x/new.json` or
`/search.json?sort=new` requests (no login) and parses the listing into `Post`s. Resumes from the
newest `created_utc` seen (listings page backwards, and `before=` breaks when that post is
deleted). A crosspost becomes its original with the crossposter in `reposted_by`. Stores nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

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

PLATFORM = "reddit"
RATE_PREFIX = "x-ratelimit"
WEB = "https://www.reddit.com"
LIMIT = 100
_SUBREDDIT = re.compile(r"^[A-Za-z0-9_]{2,21}$")


@dataclass(frozen=True, slots=True)
class Target:
    mode: str  # "subreddit" or "search"
    value: str  # the subreddit without "r/", or the search words


def make_target(mode: str, value: str) -> Target:
    value = value.strip()
    if mode == "subreddit":
        value = re.sub(r"^/?r/", "", value).strip("/")
        if not _SUBREDDIT.match(value):
            raise ValueError("A subreddit name is 2–21 letters, digits or underscores, e.g. r/news")
    elif mode == "search":
        if not value:
            raise ValueError("Type the words to search for")
    else:
        raise ValueError(f"unknown Reddit source type {mode!r}")
    return Target(mode, value)


def source_url(target: Target) -> str:
    if target.mode == "subreddit":
        return f"{WEB}/r/{target.value}/"
    return f"{WEB}/search/?{urlencode({'q': target.value, 'sort': 'new'})}"


def target_of(url: str) -> Target:
    parts = urlsplit(url)
    try:
        if parts.path.startswith("/r/"):
            return make_target("subreddit", parts.path[len("/r/") :].split("/")[0])
        if parts.path.rstrip("/") == "/search":
            return make_target("search", parse_qs(parts.query).get("q", [""])[0])
    except ValueError as exc:
        raise PermanentError(f"the source address {url} is not a Reddit source: {exc}") from exc
    raise PermanentError(f"the source address {url} is not a subreddit or a Reddit search")


def request_url(target: Target, *, api: str, after: str | None = None) -> str:
    """`after` is the listing's own cursor: the next, older page of the same listing."""
    api = api.rstrip("/")
    query: dict[str, str | int] = {"limit": LIMIT, "raw_json": 1}
    if target.mode == "subreddit":
        path = f"/r/{target.value}/new.json"
    else:
        path = "/search.json"
        query = {"q": target.value, "sort": "new", **query}
    if after:
        query["after"] = after
    return f"{api}{path}?{urlencode(query)}"


def read(
    target: Target, *, fetcher: Fetcher, api: str, cursor: str | None, now: datetime | None = None
) -> tuple[Page, datetime | None]:
    """One poll: (posts newer than the cursor, when to wait until if the window is spent)."""
    host = urlsplit(api).netloc
    pages: list[Page] = []
    spent_until = None
    try:
        # Unauthenticated clients get few requests a minute: the first poll reads one page,
        # later ones follow `after` back to the resume point, at most MAX_PAGES.
        while len(pages) < (MAX_PAGES if cursor else 1):
            after = pages[-1].next_page if pages else None
            answer = fetcher.fetch(
                request_url(target, api=api, after=after), accept="application/json"
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
        if exc.status == 404 and target.mode == "subreddit":
            raise PermanentError(f"r/{target.value} not found (banned or never existed?)") from exc
        if exc.status == 403:
            raise PermanentError(
                f"Reddit refused access to {_name(target)} (private or quarantined?)"
            ) from exc
        raise
    return merge(pages, newer=_newer), spent_until


def _newer(a: str, b: str) -> bool:
    return float(a) > float(b)


def _name(target: Target) -> str:
    return f"r/{target.value}" if target.mode == "subreddit" else f"the search “{target.value}”"


def parse(body: bytes, *, since: str | None = None, read_at: datetime | None = None) -> Page:
    """A listing (`data.children[].data`) → posts created after `since` (Unix seconds, as text);
    the cursor is the newest `created_utc` seen, or None when nothing is newer."""
    data = load_json(body, platform=PLATFORM)
    listing = data.get("data") if isinstance(data, dict) else None
    children = listing.get("children") if isinstance(listing, dict) else None
    if not isinstance(children, list):
        raise PermanentError("the Reddit API answered with JSON that is not a listing")
    read_at = read_at or datetime.now(UTC)
    after = float(since) if since and _is_number(since) else None
    newest = after
    reached = False  # a post at or before the resume point: older pages hold nothing new
    posts: dict[str, Post] = {}
    for child in children:
        raw = child.get("data") if isinstance(child, dict) else None
        if not isinstance(raw, dict):
            continue
        created = raw.get("created_utc")
        created_at = float(created) if isinstance(created, int | float) else None
        if after is not None and created_at is not None and created_at <= after:
            reached = True
            continue
        if created_at is not None and (newest is None or created_at > newest):
            newest = created_at
        parents = raw.get("crosspost_parent_list")
        original = parents[0] if isinstance(parents, list) and parents else None
        post = _post(original if isinstance(original, dict) else raw, read_at=read_at)
        if post is None:
            continue
        reposter = f"u/{text_of(raw.get('author'))}" if isinstance(original, dict) else ""
        seen = posts.get(post.url)
        boosts = (seen.reposted_by if seen else ()) + ((reposter,) if reposter else ())
        posts[post.url] = replace(post, reposted_by=tuple(dict.fromkeys(boosts)))
    cursor = f"{newest:.0f}" if newest is not None and newest != after else None
    next_page = text_of(obj(listing).get("after")) or None
    more = bool(children) and not reached and next_page is not None
    return Page(tuple(posts.values()), cursor, next_page=next_page, more=more)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _post(raw: dict, *, read_at: datetime) -> Post | None:
    permalink = text_of(raw.get("permalink"))
    if not permalink.startswith("/r/"):
        return None
    author = text_of(raw.get("author"))
    link = text_of(raw.get("url"))
    url = f"{WEB}{permalink}"
    return Post(
        platform=PLATFORM,
        id=text_of(raw.get("name")) or text_of(raw.get("id")),
        url=url,
        author_handle=f"u/{author}" if author else "",
        author_url=f"{WEB}/user/{author}/" if author and author != "[deleted]" else "",
        title=text_of(raw.get("title")),
        text=text_of(raw.get("selftext")),
        published=parse_time(raw.get("created_utc")),
        engagement=Engagement(
            replies=count(raw.get("num_comments")),
            reposts=count(raw.get("num_crossposts")),
            likes=count(raw.get("score")),
            read_at=read_at,
        ),
        community=text_of(raw.get("subreddit")),
        # A link post shares an outside page; a self post's `url` is its own permalink.
        link=link if link.startswith("http") and "reddit.com" not in link else "",
    )
