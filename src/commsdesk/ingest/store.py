"""Turns pipeline records into rows: articles (once, even when workers race), outlets; each new
article joins its story through `stories`.

The only module that creates Article rows; it knows nothing about HTTP or parsing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from commsdesk.ingest import matching, stories
from commsdesk.monitoring import sentiment
from commsdesk.monitoring.alerting.queue import queue_mentions
from commsdesk.monitoring.models import Article, Outlet, Source
from commsdesk.pipeline import records, urls


def is_known(url_hash: str) -> bool:
    return Article.objects.filter(url_hash=url_hash).exists()


def outlet_for(url: str, *, site_name: str = "") -> Outlet | None:
    domain = urls.domain(url)
    if not domain:
        return None
    outlet, _ = Outlet.objects.get_or_create(domain=domain, defaults={"name": site_name or domain})
    return outlet


def _sort_at(published: datetime | None, fetched: datetime) -> datetime:
    """The published date, never later than the fetch: a date in the future is a timezone or
    parsing slip, and archive search relies on sort_at <= fetched_at."""
    if published is None or published > fetched:
        return fetched
    return published


def store_article(
    record: records.Article,
    *,
    source: Source | None,
    fetched_at: datetime | None = None,
    alert: bool = True,
    post: dict | None = None,
    in_transaction: Callable[[Article], None] | None = None,
) -> tuple[Article, bool]:
    """Store once by canonical-URL hash. Returns (article, created); a lost race is not an error.

    A backfill passes the page's original fetch date and `alert=False`: its mentions are recorded
    for search and reports, but nobody is alerted about last year's news. A social post passes
    its platform details as `post` (see `ingest.social`). `in_transaction` runs inside the
    storing transaction with the new article (the item's outcome commits with it)."""
    # No look-up first: the pipeline has just asked `is_known`, and the unique index settles
    # the rare race below.
    outlet = (source.outlet if source and source.outlet_id else None) or outlet_for(
        record.canonical_url, site_name=record.site_name
    )
    now = fetched_at or timezone.now()
    article = Article(
        url=record.url,
        canonical_url=record.canonical_url,
        url_hash=record.url_hash,
        source=source,
        outlet=outlet,
        title=record.title[:2000],
        text=record.text,
        language=record.language.code,
        language_confidence=record.language.confidence,
        language_decided_by=record.language.decided_by,
        country=(source.country if source else "") or (outlet.country if outlet else ""),
        authors=list(record.authors),
        published_at=record.published,
        fetched_at=now,
        sort_at=_sort_at(record.published, now),
        extraction_method=record.extraction_method,
        raw_html=Article.compress(record.html) if record.html else None,
        post=post,
    )
    # CPU work and reads before the write transaction: on SQLite it holds the one write lock,
    # so whatever runs inside it runs one worker at a time.
    matched = matching.find(article)
    scored = sentiment.assess(article)
    sentiment.set_article(article, scored)
    stances = sentiment.stances(scored, matched)
    plan = stories.prepare(article, f"{article.title}\n{article.text}")
    try:
        with transaction.atomic():
            stories.place(article, plan)
            # In the same transaction: an article is never stored without its mentions, nor a
            # mention without the alerts it owes.
            mentions = matching.record(article, matched, stances=stances, matched_at=fetched_at)
            if alert:
                queue_mentions(mentions)
            if in_transaction is not None:
                in_transaction(article)
    except IntegrityError:
        # Another worker stored the same URL between our check and our insert.
        return Article.objects.get(url_hash=record.url_hash), False
    return article, True
