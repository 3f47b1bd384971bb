"""Mastodon: hashtag timelines, status search and account timelines on a chosen instance.

Turns a source address (`https://instance/tags/x`, `/search?q=x`, `/@acct`) into API requests,
reads them through the given guarded Fetcher and parses statuses into `Post`s; it resumes with
`min_id`, paging forward until caught up: `since_id` would return only the newest 40 after
a burst and silently skip the rest. A boost becomes its original with the booster in `reposted_by`.
It stores nothing and does not decide when to ask again beyond reporting the rate limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import lxml.html
from lxml import etree

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

PLATFORM = "mastodon"
RATE_PREFIX = "x-ratelimit"
LIMIT = 40  # the API's maximum per request
_TAG = re.compile(r"^[\w]{1,100}$", re.UNICODE)
_ACCT = re.compile(r"^[\w.-]{1,64}(@[a-z0-9.-]{1,253})?$", re.IGNORECASE)
_BLOCKS = ("p", "br", "li", "blockquote", "div")


@dataclass(frozen=True, slots=True)
class Target:
    instance: str  # "https://mastodon.social": scheme and host, no path
    mode: str  # "hashtag", "search" or "account"
    value: str  # tag without '#', the search words, or the account without leading '@'


def make_target(instance: str, mode: str, value: str) -> Target:
    """Check what a person typed and normalise it; ValueError says what is wrong."""
    parts = urlsplit(instance.strip() if "://" in instance else f"https://{instance.strip()}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"“{instance}” is not an instance address such as mastodon.social")
    base = f"{parts.scheme}://{parts.netloc.lower()}"
    value = value.strip()
    if mode == "hashtag":
        value = value.lstrip("#")
        if not _TAG.match(value):
            raise ValueError("A hashtag is letters, digits and underscores, e.g. #OpenData")
    elif mode == "account":
        value = value.lstrip("@")
        if not _ACCT.match(value):
            raise ValueError("An account looks like name or name@other.instance")
    elif mode == "search":
        if not value:
            raise ValueError("Type the words to search for")
    else:
        raise ValueError(f"unknown Mastodon source type {mode!r}")
    return Target(base, mode, value)


def source_url(target: Target) -> str:
    """The address a person can open in a browser, also the source's identity."""
    if target.mode == "hashtag":
        return f"{target.instance}/tags/{quote(target.value)}"
    if target.mode == "account":
        return f"{target.instance}/@{quote(target.value, safe='@.')}"
    return f"{target.instance}/search?{urlencode({'q': target.value})}"


def target_of(url: str) -> Target:
    """The inverse of `source_url`; PermanentError for an address it did not make."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path
    try:
        if path.startswith("/tags/"):
            return make_target(base, "hashtag", _unquote(path[len("/tags/") :]))
        if path.startswith("/@"):
            return make_target(base, "account", _unquote(path[2:]))
        if path == "/search":
            return make_target(base, "search", parse_qs(parts.query).get("q", [""])[0])
    except ValueError as exc:
        raise PermanentError(f"the source address {url} is not a Mastodon source: {exc}") from exc
    raise PermanentError(f"the source address {url} is not a Mastodon hashtag, search or account")


def _unquote(text: str) -> str:
    return unquote(text).rstrip("/")


def statuses_url(target: Target, *, min_id: str | None, account_id: str | None = None) -> str:
    """The statuses request; `min_id` asks for the ones right after it (the resume point)."""
    params: dict[str, str | int] = {"limit": LIMIT}
    if target.mode == "hashtag":
        path = f"/api/v1/timelines/tag/{quote(target.value)}"
    elif target.mode == "account":
        path = f"/api/v1/accounts/{quote(account_id or '')}/statuses"
    else:
        path = "/api/v2/search"
        params = {"type": "statuses", "q": target.value, "limit": LIMIT, "resolve": "false"}
    if min_id:
        params["min_id"] = min_id
    return f"{target.instance}{path}?{urlencode(params)}"


def lookup_url(target: Target) -> str:
    return f"{target.instance}/api/v1/accounts/lookup?{urlencode({'acct': target.value})}"


def read(
    target: Target,
    *,
    fetcher: Fetcher,
    cursor: str | None,
    token: str | None = None,
    now: datetime | None = None,
) -> tuple[Page, datetime | None]:
    """One poll: (new posts since the cursor, when to wait until if the window is spent).

    Raises RateLimited, TransientError or PermanentError with a reason a communicator can act on.
    """
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    host = urlsplit(target.instance).netloc
    account_id = None
    pages: list[Page] = []
    try:
        if target.mode == "account":
            found = fetcher.fetch(lookup_url(target), accept="application/json", headers=headers)
            account_id = parse_account_id(found.body, target)
        resume = cursor
        spent_until = None
        # The first poll reads one page (the newest); later polls page forward from the resume
        # point until an answer is not full, at most MAX_PAGES.
        while len(pages) < (MAX_PAGES if cursor else 1):
            answer = fetcher.fetch(
                statuses_url(target, min_id=resume, account_id=account_id),
                accept="application/json",
                headers=headers,
            )
            page = parse_statuses(
                answer.body, instance=target.instance, search=target.mode == "search"
            )
            pages.append(page)
            spent_until = wait_until(answer.headers, prefix=RATE_PREFIX, now=now)
            if not page.more or page.cursor is None or spent_until is not None:
                break
            resume = page.cursor
    except TransientError as exc:
        if pages:  # keep what was read; the rest waits for the next poll
            return merge(pages, newer=_newer), wait_until(exc, prefix=RATE_PREFIX, now=now)
        raise rate_limited(exc, host=host, prefix=RATE_PREFIX, now=now) from exc
    except PermanentError as exc:
        raise _explain_permanent(exc, target, host, token=bool(token)) from exc
    return merge(pages, newer=_newer), spent_until


def _newer(a: str, b: str) -> bool:
    return (len(a), a) > (len(b), b)


def _explain_permanent(
    exc: PermanentError, target: Target, host: str, *, token: bool
) -> PermanentError:
    if exc.status == 401:
        if token:
            return PermanentError(
                f"{host} refused the access token (expired or revoked?): paste a new one on the "
                "source's edit page"
            )
        return PermanentError(
            f"{host} only answers this for signed-in apps: add an access token on the edit page"
        )
    if exc.status == 403:
        return PermanentError(f"{host} refused access ({exc.reason})")
    if exc.status in (404, 410) and target.mode == "account":
        return PermanentError(
            f"account @{target.value} not found on {host} (deleted, suspended or moved?)"
        )
    if exc.status == 404:
        return PermanentError(f"{host} does not answer the Mastodon API here (is it Mastodon?)")
    return exc


def parse_account_id(body: bytes, target: Target) -> str:
    data = load_json(body, platform=PLATFORM)
    if not isinstance(data, dict) or not text_of(data.get("id")):
        raise PermanentError("the Mastodon account lookup answered without an account id")
    if data.get("suspended"):
        raise PermanentError(f"account @{target.value} is suspended")
    return text_of(data["id"])


def parse_statuses(
    body: bytes, *, instance: str, search: bool = False, read_at: datetime | None = None
) -> Page:
    """Timeline (a list) or v2 search (`{"statuses": [...]}`) bytes → a Page, newest first.

    The cursor is the largest status id in the answer (boost ids included: the timeline pages by
    them), or None when the answer is empty so the stored cursor stays."""
    data = load_json(body, platform=PLATFORM)
    if search and isinstance(data, dict):
        data = data.get("statuses")
    if not isinstance(data, list):
        raise PermanentError("the Mastodon API answered with JSON that is not a list of statuses")
    read_at = read_at or datetime.now(UTC)
    host = urlsplit(instance).hostname or ""
    posts: dict[str, Post] = {}
    newest: str | None = None
    for status in data:
        if not isinstance(status, dict) or not text_of(status.get("id")):
            continue
        newest = _max_id(newest, text_of(status["id"]))
        original = status.get("reblog") if isinstance(status.get("reblog"), dict) else None
        post = _post(original or status, host=host, read_at=read_at)
        if post is None:
            continue
        booster = _handle(status.get("account"), host) if original else ""
        seen = posts.get(post.url)
        boosts = (seen.reposted_by if seen else ()) + ((booster,) if booster else ())
        posts[post.url] = _with_boosts(post, boosts)
    return Page(tuple(posts.values()), newest, more=len(data) >= LIMIT)


def _with_boosts(post: Post, boosts: tuple[str, ...]) -> Post:
    return replace(post, reposted_by=tuple(dict.fromkeys(boosts)))


def _post(status: dict, *, host: str, read_at: datetime) -> Post | None:
    url = text_of(status.get("url")) or text_of(status.get("uri"))
    if not url.startswith(("http://", "https://")):
        return None
    account = obj(status.get("account"))
    text = html_to_text(text_of(status.get("content")))
    warning = text_of(status.get("spoiler_text")).strip()
    if warning:
        text = f"[{warning}]\n{text}"
    language = text_of(status.get("language")).split("-")[0].lower()
    return Post(
        platform=PLATFORM,
        id=text_of(status.get("id")),
        url=url,
        author_handle=_handle(account, host),
        author_name=text_of(account.get("display_name")),
        author_url=text_of(account.get("url")),
        text=text,
        language=language,
        published=parse_time(status.get("created_at")),
        engagement=Engagement(
            replies=count(status.get("replies_count")),
            reposts=count(status.get("reblogs_count")),
            likes=count(status.get("favourites_count")),
            quotes=count(status.get("quotes_count")),
            read_at=read_at,
        ),
    )


def _handle(account: object, host: str) -> str:
    """@name@instance always: a local account's `acct` has no domain on its own instance."""
    if not isinstance(account, dict):
        return ""
    acct = text_of(account.get("acct")) or text_of(account.get("username"))
    if not acct:
        return ""
    return f"@{acct}" if "@" in acct else f"@{acct}@{host}"


def _max_id(current: str | None, candidate: str) -> str:
    """Mastodon ids are numeric strings that sort by length, then value."""
    if current is None:
        return candidate
    return max(current, candidate, key=lambda i: (len(i), i))


def html_to_text(content: str) -> str:
    """A status's HTML (p, br, links) → plain text with line breaks; scripts never survive."""
    if not content.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(content, create_parent="div")
    except (etree.ParserError, ValueError):
        return content
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = f"\n{element.tail or ''}"
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)
