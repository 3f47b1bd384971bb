"""Social connectors' shared records: a platform's JSON becomes `Post`s and one `Page` per request.

Each platform module (mastodon, bluesky, reddit) builds request URLs from a `Target` and parses
response bytes; none of them does HTTP, storage or scheduling. The platforms' own client libraries
(mastodon-py, atproto) are not used: they bring their own HTTP stacks, which would bypass the
project's guarded client (SSRF guard, size cap, timeouts, User-Agent) for user-typed instance URLs,
and the JSON we read is small enough to parse directly against the documented shapes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from commsdesk.pipeline.errors import PermanentError, TransientError


@dataclass(frozen=True, slots=True)
class Engagement:
    """Counts as the platform reported them at `read_at` (they grow; we keep the latest read)."""

    replies: int = 0
    reposts: int = 0  # boosts (Mastodon), reposts (Bluesky), crossposts (Reddit)
    likes: int = 0  # favourites (Mastodon), likes (Bluesky), score (Reddit)
    quotes: int = 0
    read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """One public post, always the original: a boost/repost is folded into `reposted_by`."""

    platform: str  # "mastodon", "bluesky" or "reddit"
    id: str  # the platform's id (Mastodon status id on the instance read, at:// URI, t3_ name)
    url: str  # the post's public web address: its storage identity
    author_handle: str  # "@ana@example.social", "ana.bsky.social", "u/ana"
    author_name: str = ""
    author_url: str = ""
    title: str = ""  # Reddit posts have one; others get a first line when stored
    text: str = ""  # plain text (Mastodon HTML already turned to text)
    language: str = ""  # as the author's client declared it; "" when not given
    published: datetime | None = None
    engagement: Engagement = field(default_factory=Engagement)
    reposted_by: tuple[str, ...] = ()  # handles that boosted/reposted it in this answer
    community: str = ""  # subreddit for Reddit posts, "" elsewhere
    link: str = ""  # an outside link the post shares (Reddit link posts), if any


@dataclass(frozen=True, slots=True)
class Page:
    """One answer of a platform: its posts (newest first) and where the next poll resumes."""

    posts: tuple[Post, ...]
    cursor: str | None  # the new resume point to store, or None to keep the old one
    # Where the platform's paging goes on (Bluesky `cursor`, Reddit `after`), and whether this
    # answer may leave new posts unread: it was full and did not reach the resume point.
    next_page: str | None = None
    more: bool = False


MAX_PAGES = 5  # per poll: enough to catch up after a burst, bounded so one source cannot hog


def merge(pages: list[Page], *, newer: Callable[[str, str], bool]) -> Page:
    """Pages of one poll → one Page: each post once (the first answer's copy, with every
    reposter seen), the newest cursor by `newer`, `more` from the last page."""
    posts: dict[str, Post] = {}
    cursor: str | None = None
    for page in pages:
        for post in page.posts:
            seen = posts.get(post.url)
            boosts = (*seen.reposted_by, *post.reposted_by) if seen else post.reposted_by
            posts[post.url] = replace(seen or post, reposted_by=tuple(dict.fromkeys(boosts)))
        if page.cursor is not None and (cursor is None or newer(page.cursor, cursor)):
            cursor = page.cursor
    last = pages[-1] if pages else Page((), None)
    return Page(tuple(posts.values()), cursor, last.next_page, last.more)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """What the rate-limit headers said: requests left in the window and when it resets."""

    remaining: int | None
    reset_at: datetime | None


class RateLimited(TransientError):
    """The platform said to wait; `until` is when the source may ask again."""

    def __init__(self, reason: str, *, until: datetime) -> None:
        super().__init__(reason)
        self.until = until


def rate_limited(
    exc: TransientError, *, host: str, prefix: str, now: datetime | None = None
) -> TransientError:
    """A 429 becomes RateLimited with a time people can read; other transient errors pass."""
    if exc.status != 429:
        return exc
    until = wait_until(exc, prefix=prefix, now=now) or (now or datetime.now(UTC))
    return RateLimited(f"rate limited by {host} until {until:%H:%M} UTC", until=until)


def load_json(body: bytes, *, platform: str) -> object:
    """Bytes → JSON value, or a PermanentError saying the platform sent something else."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        start = body[:60].decode("utf-8", errors="replace")
        raise PermanentError(
            f"the {platform} API answered with something that is not JSON "
            f"({exc.__class__.__name__}; it starts with {start!r})"
        ) from exc


def parse_time(value: object) -> datetime | None:
    """ISO 8601 (with Z or offset) or Unix seconds → aware UTC datetime; None when unreadable."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def count(value: object) -> int:
    """A count field, 0 when absent or not a number (platforms omit zeros)."""
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def obj(value: object) -> dict:
    """A JSON object field, {} when absent or of another type."""
    return value if isinstance(value, dict) else {}


def text_of(value: object) -> str:
    return value if isinstance(value, str) else ""


def rate_limit(
    headers: Mapping[str, str], *, prefix: str, now: datetime | None = None
) -> RateLimit:
    """Read `<prefix>-remaining` / `<prefix>-reset` (names lower-cased).

    The reset is an ISO time (Mastodon), Unix seconds (Bluesky) or seconds from now (Reddit):
    a number smaller than a billion is taken as seconds from now."""
    now = now or datetime.now(UTC)
    remaining_raw = headers.get(f"{prefix}-remaining", "").strip()
    remaining = None
    if remaining_raw:
        try:
            remaining = int(float(remaining_raw))
        except ValueError:
            remaining = None
    reset_raw = headers.get(f"{prefix}-reset", "").strip()
    reset_at = None
    if reset_raw:
        try:
            number = float(reset_raw)
        except ValueError:
            reset_at = parse_time(reset_raw)
        else:
            reset_at = (
                datetime.fromtimestamp(number, UTC)
                if number > 1e9
                else datetime.fromtimestamp(now.timestamp() + number, UTC)
            )
    return RateLimit(remaining, reset_at)


def wait_until(
    error_or_headers: TransientError | Mapping[str, str],
    *,
    prefix: str,
    now: datetime | None = None,
) -> datetime | None:
    """When a source may ask again: after a 429 (Retry-After, else the window's reset), or when
    an answer says no requests are left in the window. None: no reason to wait."""
    now = now or datetime.now(UTC)
    if isinstance(error_or_headers, TransientError):
        limits = rate_limit(error_or_headers.headers, prefix=prefix, now=now)
        if error_or_headers.retry_after is not None:
            return datetime.fromtimestamp(now.timestamp() + error_or_headers.retry_after, UTC)
        return limits.reset_at
    limits = rate_limit(error_or_headers, prefix=prefix, now=now)
    if limits.remaining is not None and limits.remaining <= 0 and limits.reset_at is not None:
        return limits.reset_at
    return None
