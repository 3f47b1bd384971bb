"""Processing items: claim one with a lease, run the pipeline, record its single outcome.

Also the two ways in that skip feeds: a manual clip by URL and a page already on disk.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from commsdesk.ingest import schedule, store
from commsdesk.ingest.fetching import language_candidates
from commsdesk.monitoring.models import Article, Item, Source
from commsdesk.pipeline import pipeline, urls
from commsdesk.pipeline.fetch import Fetcher
from commsdesk.pipeline.records import ItemResult, Outcome

log = logging.getLogger(__name__)


def process_pending(fetcher: Fetcher, *, source_id: int | None = None, limit: int = 500) -> int:
    """Process claimable items one by one (each claim is its own lease); returns how many."""
    done = 0
    for item_id in schedule.claimable_item_ids(source_id=source_id, limit=limit):
        if schedule.claim_item(item_id):
            process_item(Item.objects.select_related("source").get(pk=item_id), fetcher)
            done += 1
    return done


def process_item(item: Item, fetcher: Fetcher) -> Item:
    try:
        result = pipeline.process_link(
            item.url, fetcher=fetcher, is_known=store.is_known, candidates=language_candidates()
        )
    except Exception as exc:  # a bug in one item must not lose the rest of the batch
        log.exception("unexpected error processing %s", item.url)
        result = ItemResult(Outcome.QUARANTINED, f"internal error: {type(exc).__name__}: {exc}")
    return record_outcome(item, result)


def record_outcome(item: Item, result: ItemResult) -> Item:
    state, reason = result.outcome.value, result.reason
    if state == Outcome.RETRY.value and item.attempts >= schedule.MAX_ITEM_ATTEMPTS:
        state, reason = (
            Outcome.QUARANTINED.value,
            f"gave up after {item.attempts} attempts: {reason}",
        )
    article = None
    if result.outcome is Outcome.STORED and result.article is not None:
        # The item's outcome commits with the article: a worker killed between the two would
        # leave a stored article whose item a later worker decides again as a duplicate.
        article, created = store.store_article(
            result.article,
            source=item.source,
            in_transaction=lambda stored: _decide(item, state, reason, stored),
        )
        if created:
            item.refresh_from_db()
            return item
        state, reason = Outcome.DUPLICATE.value, "stored meanwhile by another worker"
    _decide(item, state, reason, article)
    item.refresh_from_db()
    return item


def _decide(item: Item, state: str, reason: str, article: Article | None) -> None:
    now = timezone.now()
    updates = {
        "state": state,
        "reason": reason[:2000],
        "decided_at": now,
        "claimed_until": None,
        "article": article,
    }
    if state == Outcome.RETRY.value:
        updates["next_attempt_at"] = now + schedule.item_retry_delay(item.attempts)
    # Only an undecided item takes an outcome: a worker whose lease ran out cannot overwrite
    # the outcome another worker already recorded (one conditional UPDATE, atomic by itself).
    Item.objects.filter(pk=item.pk, state__in=[Item.State.PENDING, Item.State.RETRY]).update(
        **updates
    )


def clip(url: str, fetcher: Fetcher) -> tuple[Item, Article | None]:
    """A person adds an article by URL: processed now, with the same outcomes as a feed's."""
    try:
        url_hash = urls.identity_hash(url)
    except urls.InvalidURLError as exc:
        raise ValueError(str(exc)) from exc
    existing = Article.objects.filter(url_hash=url_hash).first()
    item = Item.objects.create(source=None, url=url, url_hash=url_hash, attempts=1)
    if existing is not None:
        item = record_outcome(item, ItemResult(Outcome.DUPLICATE, "already in the archive"))
        return item, existing
    item = process_item(item, fetcher)
    return item, item.article


def store_page(
    html: bytes,
    *,
    url: str,
    source: Source | None = None,
    charset: str | None = None,
    fetched_at: datetime | None = None,
) -> ItemResult:
    """A page already in hand (backfill from disk or a web archive): the pipeline without the
    fetch. With `fetched_at` (an archive's date) it is stored as of then, and alerts nobody."""
    result = pipeline.process_page(
        html, url=url, charset=charset, is_known=store.is_known, candidates=language_candidates()
    )
    if result.outcome is Outcome.STORED and result.article is not None:
        _, created = store.store_article(
            result.article, source=source, fetched_at=fetched_at, alert=fetched_at is None
        )
        if not created:
            return ItemResult(Outcome.DUPLICATE, "already in the archive")
    return result
