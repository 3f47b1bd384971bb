"""Polling one source: read its feed, record new links as pending items, update its health.

Feed-level failures are recorded on the source (and in its fetch log); articles are processed
separately, item by item, in `ingest.items`. Social sources (Mastodon, Bluesky, Reddit) are
handed to `ingest.social`, which stores their posts while polling.
"""

from __future__ import annotations

import hashlib
import logging

from django.db import transaction
from django.utils import timezone

from commsdesk.ingest import schedule, social
from commsdesk.monitoring.models import FetchLog, Item, Source
from commsdesk.pipeline import feeds, urls
from commsdesk.pipeline.errors import PipelineError
from commsdesk.pipeline.fetch import Fetcher
from commsdesk.pipeline.pipeline import read_source
from commsdesk.pipeline.records import ParsedFeed

log = logging.getLogger(__name__)

_KIND_BY_PARSER_FORMAT = {"atom": Source.Kind.ATOM, "json": Source.Kind.JSON}


def poll_source(source: Source, fetcher: Fetcher) -> FetchLog:
    """Fetch a claimed source once and schedule its next fetch; never raises for bad feeds."""
    if source.is_social:
        return social.poll(source, fetcher)
    started = timezone.now()
    try:
        read = read_source(
            source.url, fetcher=fetcher, etag=source.etag, last_modified=source.last_modified
        )
    except PipelineError as exc:
        return _record_failure(source, started, exc.reason)
    except Exception as exc:  # a bug must not stop the scheduler; show it on the source
        log.exception("unexpected error fetching %s", source.url)
        return _record_failure(source, started, f"internal error: {type(exc).__name__}: {exc}")
    if read.not_modified:
        return _record_success(source, started, FetchLog.Status.NOT_MODIFIED, 0, 0)
    assert read.feed is not None
    new_items = record_entries(source, read.feed)
    source.etag = read.etag or ""
    source.last_modified = read.last_modified or ""
    return _record_success(
        source,
        started,
        FetchLog.Status.OK,
        len(read.feed.entries),
        new_items,
        reason="; ".join(read.feed.warnings)[:2000],
    )


def record_entries(source: Source, feed: ParsedFeed) -> int:
    """Create a pending item for every link not seen from this source before."""
    items = []
    for entry in feed.entries:
        try:
            url_hash = urls.identity_hash(entry.url)
        except urls.InvalidURLError:
            url_hash = hashlib.sha256(entry.url.encode()).hexdigest()
        items.append(
            Item(
                source=source,
                url=entry.url[:2000],
                url_hash=url_hash,
                title_hint=entry.title[:1000],
                published_hint=entry.published,
            )
        )
    # Only this feed's hashes are looked up: counting the source's whole history on every
    # poll would grow with the archive.
    seen = set(
        Item.objects.filter(source=source, url_hash__in=[i.url_hash for i in items]).values_list(
            "url_hash", flat=True
        )
    )
    new = [item for item in items if item.url_hash not in seen]
    Item.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len({item.url_hash for item in new})


def _record_success(source, started, status, entries, new_items, reason="") -> FetchLog:
    now = timezone.now()
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(
            last_fetch_at=now,
            last_ok_at=now,
            consecutive_failures=0,
            etag=source.etag,
            last_modified=source.last_modified,
            next_fetch_at=now + schedule.backoff(source.interval_minutes, 0),
        )
        return FetchLog.objects.create(
            source=source,
            started_at=started,
            finished_at=now,
            status=status,
            entries=entries,
            new_items=new_items,
            reason=reason,
        )


def _record_failure(source: Source, started, reason: str) -> FetchLog:
    now = timezone.now()
    failures = source.consecutive_failures + 1
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(
            last_fetch_at=now,
            last_error=reason,
            last_error_at=now,
            consecutive_failures=failures,
            next_fetch_at=now + schedule.backoff(source.interval_minutes, failures),
        )
        return FetchLog.objects.create(
            source=source,
            started_at=started,
            finished_at=now,
            status=FetchLog.Status.FAILED,
            reason=reason,
        )


class SourceDiscoveryError(ValueError):
    """The URL gives neither a feed nor a page that links to one; `str()` says why."""


def discover_feed(url: str, fetcher: Fetcher) -> tuple[str, ParsedFeed, list[str]]:
    """A URL a person typed → (feed URL, parsed feed, other feeds the page offered)."""
    try:
        response = fetcher.fetch(url)
    except PipelineError as exc:
        raise SourceDiscoveryError(f"could not fetch {url}: {exc.reason}") from exc
    if feeds.looks_like_feed(response.body):
        try:
            return response.final_url, feeds.parse(response.body, url=response.final_url), []
        except PipelineError as exc:
            raise SourceDiscoveryError(f"{url} looks like a feed but {exc.reason}") from exc
    candidates = feeds.discover(response.body, response.final_url)
    if not candidates:
        raise SourceDiscoveryError(
            f"{url} is a web page that does not link to an RSS, Atom or JSON feed"
        )
    for candidate in candidates:
        try:
            read = read_source(candidate, fetcher=fetcher)
        except PipelineError:
            continue
        assert read.feed is not None
        return candidate, read.feed, [c for c in candidates if c != candidate]
    raise SourceDiscoveryError(
        f"the page links to {len(candidates)} feed(s) but none could be read"
    )


def kind_of(feed: ParsedFeed) -> str:
    return _KIND_BY_PARSER_FORMAT.get(feed.format, Source.Kind.RSS)
