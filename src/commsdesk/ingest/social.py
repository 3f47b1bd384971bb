"""Polling a social source (Mastodon, Bluesky, Reddit): read new posts through the guarded API
client, store each as an Article with its `post` details, and record one decided Item per post.

Posts skip page fetching and extraction: the API already gave the text. A post seen again (from
this or another source) is counted as a duplicate and only refreshes its engagement counts and
reposters. Rate limits and failures are recorded on the source like a feed's, with the time the
platform asked us to wait as the next fetch.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commsdesk.ingest import schedule, store
from commsdesk.ingest.fetching import language_candidates
from commsdesk.monitoring.models import Article, FetchLog, Item, Outlet, Source
from commsdesk.pipeline import language, records, urls
from commsdesk.pipeline.errors import PipelineError
from commsdesk.pipeline.fetch import Fetcher
from commsdesk.pipeline.social import Page, Post, RateLimited, bluesky, mastodon, reddit

log = logging.getLogger(__name__)

PLATFORM_NAMES = {"mastodon": "Mastodon", "bluesky": "Bluesky", "reddit": "Reddit"}
CATCH_UP = timedelta(minutes=1)  # the next poll after one that could not read all new posts
TITLE_CHARS = 120  # a post has no title: its first line, cut here, stands in for one


def describe(source: Source) -> str:
    """What the source follows, in words: "Mastodon hashtag #x on mastodon.social"."""
    try:
        if source.kind == Source.Kind.MASTODON:
            m = mastodon.target_of(source.url)
            host = m.instance.split("://", 1)[-1]
            what = {"hashtag": f"hashtag #{m.value}", "account": f"posts by @{m.value}"}
            return f"Mastodon {what.get(m.mode, f'search “{m.value}”')} on {host}"
        if source.kind == Source.Kind.BLUESKY:
            b = bluesky.target_of(source.url)
            return (
                f"Bluesky posts by {b.value}"
                if b.mode == "author"
                else f"Bluesky search “{b.value}”"
            )
        if source.kind == Source.Kind.REDDIT:
            r = reddit.target_of(source.url)
            if r.mode == "subreddit":
                return f"Reddit: new posts in r/{r.value}"
            return f"Reddit search “{r.value}”"
    except PipelineError as exc:
        return exc.reason
    return ""


def read(source: Source, fetcher: Fetcher) -> tuple[Page, datetime | None]:
    """The connector of the source's kind, asked once from the stored cursor."""
    if source.kind == Source.Kind.MASTODON:
        return mastodon.read(
            mastodon.target_of(source.url),
            fetcher=fetcher,
            cursor=source.cursor,
            token=source.access_token or None,
        )
    if source.kind == Source.Kind.BLUESKY:
        return bluesky.read(
            bluesky.target_of(source.url),
            fetcher=fetcher,
            api=settings.COMMSDESK_BLUESKY_API,
            cursor=source.cursor,
        )
    if source.kind == Source.Kind.REDDIT:
        return reddit.read(
            reddit.target_of(source.url),
            fetcher=fetcher,
            api=settings.COMMSDESK_REDDIT_API,
            cursor=source.cursor,
        )
    raise ValueError(f"{source.kind} is not a social source")


def poll(source: Source, fetcher: Fetcher) -> FetchLog:
    """Fetch a claimed social source once, store its new posts, schedule the next poll.

    Never raises for the platform's misbehaviour: the reason goes on the source."""
    started = timezone.now()
    try:
        page, spent_until = read(source, fetcher)
    except RateLimited as exc:
        return _failed(source, started, exc.reason, not_before=exc.until)
    except PipelineError as exc:
        return _failed(source, started, exc.reason)
    except Exception as exc:  # a bug must not stop the scheduler; show it on the source
        log.exception("unexpected error reading %s", source.url)
        return _failed(source, started, f"internal error: {type(exc).__name__}: {exc}")
    new = sum(store_post(source, post) for post in page.posts)
    note = ""
    if spent_until is not None:
        note = f"rate limit used up: next request after {spent_until:%H:%M} UTC"
    return _succeeded(source, started, page, new, not_before=spent_until, reason=note)


def store_post(source: Source, post: Post) -> bool:
    """Store one post (or count it as a duplicate) with its single Item; True if newly stored."""
    try:
        url_hash = urls.identity_hash(post.url)
    except urls.InvalidURLError:
        log.warning("post without a usable address from %s: %r", source, post.url)
        return False
    if Item.objects.filter(source=source, url_hash=url_hash).exists():
        _refresh(url_hash, post)  # seen from this source already: counted once, counts updated
        return False
    now = timezone.now()
    _social_outlet(post)
    article = Article.objects.filter(url_hash=url_hash).first()
    state, reason = Item.State.DUPLICATE, "already stored from another source"
    if article is None:
        article, created = store.store_article(
            _record(post, url_hash), source=source, post=details(post)
        )
        state, reason = (
            (Item.State.STORED, "")
            if created
            else (Item.State.DUPLICATE, "stored meanwhile by another worker")
        )
    if state == Item.State.DUPLICATE:
        _refresh(url_hash, post)
    try:
        with transaction.atomic():
            Item.objects.create(
                source=source,
                url=post.url[:2000],
                url_hash=url_hash,
                title_hint=(post.title or _first_line(post.text))[:1000],
                published_hint=post.published,
                state=state,
                reason=reason,
                attempts=1,
                decided_at=now,
                article=article,
            )
    except IntegrityError:  # a second poll of this source raced us to the same post
        return False
    return state == Item.State.STORED


def details(post: Post) -> dict:
    """What the article keeps about the post (JSON): shown on its page, refreshed on re-sight."""
    engagement = asdict(post.engagement)
    read_at = engagement.pop("read_at")
    return {
        "platform": post.platform,
        "id": post.id,
        "handle": post.author_handle,
        "name": post.author_name,
        "author_url": post.author_url,
        "engagement": engagement,
        "engagement_read_at": read_at.isoformat() if read_at else None,
        "reposted_by": list(post.reposted_by),
        "community": post.community,
        "link": post.link,
    }


def _refresh(url_hash: str, post: Post) -> None:
    """Newer engagement counts and any new reposters on the stored post; web articles that share
    the address (a Reddit permalink clipped by hand) are left alone."""
    with transaction.atomic():
        article = (
            Article.objects.select_for_update()
            .filter(url_hash=url_hash, post__isnull=False)
            .only("id", "post")
            .first()
        )
        if article is None or not isinstance(article.post, dict):
            return
        fresh = details(post)
        kept = article.post
        reposters = list(dict.fromkeys([*kept.get("reposted_by", []), *post.reposted_by]))
        read_before = kept.get("engagement_read_at") or ""
        if (fresh["engagement_read_at"] or "") >= read_before:
            kept["engagement"] = fresh["engagement"]
            kept["engagement_read_at"] = fresh["engagement_read_at"]
        kept["reposted_by"] = reposters
        Article.objects.filter(pk=article.pk).update(post=kept)


def _record(post: Post, url_hash: str) -> records.Article:
    text = post.text if not post.link else f"{post.text}\n{post.link}".strip()
    title = post.title or _first_line(post.text) or f"Post by {post.author_handle}"
    if post.language:
        guess = records.LanguageGuess(post.language, 1.0, "declared by the post")
    else:
        guess = language.identify(f"{title}\n{text[:3000]}", candidates=language_candidates())
    canonical = urls.canonicalize(post.url)
    return records.Article(
        url=post.url,
        canonical_url=canonical,
        url_hash=url_hash,
        title=title,
        text=text,
        language=guess,
        published=post.published,
        authors=(post.author_handle,) if post.author_handle else (),
        extraction_method=f"{post.platform} API",
        site_name=_site_name(post),
    )


def _social_outlet(post: Post) -> None:
    """The platform (or Mastodon instance) as an outlet of type "social", so reports can tell
    posts from press; `store.outlet_for` then finds it by domain."""
    domain = urls.domain(post.url)
    if domain:
        Outlet.objects.get_or_create(
            domain=domain, defaults={"name": _site_name(post), "type": Outlet.Type.SOCIAL}
        )


def _site_name(post: Post) -> str:
    platform = PLATFORM_NAMES.get(post.platform, post.platform)
    if post.platform == "mastodon":
        return f"{platform} ({urls.domain(post.url)})"
    return platform


def _first_line(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= TITLE_CHARS else f"{line[: TITLE_CHARS - 1].rstrip()}…"


def _succeeded(
    source: Source,
    started: datetime,
    page: Page,
    new: int,
    *,
    not_before: datetime | None,
    reason: str,
) -> FetchLog:
    now = timezone.now()
    next_at = now + schedule.backoff(source.interval_minutes, 0)
    if page.more:  # a burst bigger than one poll may read: come back soon to catch up
        next_at = now + CATCH_UP
    if not_before is not None:
        next_at = max(next_at, not_before)
    updates: dict = {
        "last_fetch_at": now,
        "last_ok_at": now,
        "consecutive_failures": 0,
        "next_fetch_at": next_at,
    }
    if page.cursor is not None:
        updates["cursor"] = page.cursor
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(**updates)
        return FetchLog.objects.create(
            source=source,
            started_at=started,
            finished_at=now,
            status=FetchLog.Status.OK,
            entries=len(page.posts),
            new_items=new,
            reason=reason,
        )


def _failed(
    source: Source, started: datetime, reason: str, *, not_before: datetime | None = None
) -> FetchLog:
    """The reason on the source; the next poll after the platform's wait, else the usual
    exponential backoff. The cursor stays, so nothing is skipped when it works again."""
    now = timezone.now()
    failures = source.consecutive_failures + 1
    next_at = now + schedule.backoff(source.interval_minutes, failures)
    if not_before is not None:
        next_at = max(not_before, now + schedule.backoff(1, 0))
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(
            last_fetch_at=now,
            last_error=reason,
            last_error_at=now,
            consecutive_failures=failures,
            next_fetch_at=next_at,
        )
        return FetchLog.objects.create(
            source=source,
            started_at=started,
            finished_at=now,
            status=FetchLog.Status.FAILED,
            reason=reason,
        )
