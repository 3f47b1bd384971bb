"""When sources are fetched: claiming due sources without double fetches, and backing off.

A claim is one conditional UPDATE that moves `next_fetch_at` past now, so of N schedulers
racing for a source exactly one sees a changed row. Nothing here fetches.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from commsdesk.monitoring.models import Item, Source

FETCHABLE_KINDS = (
    Source.Kind.RSS,
    Source.Kind.ATOM,
    Source.Kind.JSON,
    Source.Kind.MASTODON,
    Source.Kind.BLUESKY,
    Source.Kind.REDDIT,
)
MAX_ITEM_ATTEMPTS = 5


def lease() -> timedelta:
    return timedelta(seconds=settings.COMMSDESK_LEASE_SECONDS)


def claim_source(source_id: int, *, now: datetime | None = None, force: bool = False) -> bool:
    """Take one source for fetching; False when it is not due or someone else took it."""
    now = now or timezone.now()
    due = Source.objects.filter(pk=source_id, active=True, kind__in=FETCHABLE_KINDS)
    if not force:
        due = due.filter(next_fetch_at__lte=now)
    return due.update(next_fetch_at=now + lease()) == 1


def claim_due_sources(*, now: datetime | None = None, limit: int = 50) -> list[int]:
    now = now or timezone.now()
    candidates = Source.objects.filter(
        active=True, kind__in=FETCHABLE_KINDS, next_fetch_at__lte=now
    ).order_by("next_fetch_at")
    return [
        sid for sid in candidates.values_list("id", flat=True)[:limit] if claim_source(sid, now=now)
    ]


def backoff(interval_minutes: int, failures: int) -> timedelta:
    """Exponential: the interval doubles with each consecutive failure, up to the cap."""
    minutes = interval_minutes * (2 ** min(failures, 16))
    return timedelta(minutes=min(minutes, settings.COMMSDESK_MAX_BACKOFF_MINUTES))


def item_retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 360))


def claim_item(item_id: int, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    claimable = Item.objects.claimable(now).filter(pk=item_id)
    return claimable.update(claimed_until=now + lease(), attempts=F("attempts") + 1) == 1


def claimable_item_ids(
    *, source_id: int | None = None, now: datetime | None = None, limit: int = 100
) -> list[int]:
    items = Item.objects.claimable(now or timezone.now())
    if source_id is not None:
        items = items.filter(source_id=source_id)
    return list(items.order_by("id").values_list("id", flat=True)[:limit])
