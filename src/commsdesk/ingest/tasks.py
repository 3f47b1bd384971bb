"""Background tasks (Django Tasks API): fetch a source, process pending items.

The embedded default runs them with django-tasks-db's `db_worker`; RQ or Celery backends run
the same functions unchanged.
"""

from __future__ import annotations

from django_tasks import task

from commsdesk.ingest import schedule
from commsdesk.ingest.fetching import make_api_client, make_fetcher
from commsdesk.ingest.items import process_pending
from commsdesk.ingest.sources import poll_source
from commsdesk.monitoring.models import Source


@task()
def fetch_source(source_id: int) -> int:
    """Poll a claimed source, then process the links it brought; returns how many."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return 0
    if source.is_social:
        # Platform APIs published for programs: the API client (no robots.txt), and posts are
        # decided while polling, so no links are left pending.
        with make_api_client() as client:
            return poll_source(source, client).new_items
    with make_fetcher() as fetcher:
        poll_source(source, fetcher)
        return process_pending(fetcher, source_id=source_id)


@task()
def process_items() -> int:
    """Sweep: items whose worker died (lease ran out) or whose retry is due."""
    with make_fetcher() as fetcher:
        return process_pending(fetcher)


def fetch_now(source_id: int) -> bool:
    """A person asked for an immediate fetch: claim regardless of schedule and enqueue."""
    if schedule.claim_source(source_id, force=True):
        fetch_source.enqueue(source_id)
        return True
    return False


@task()
def backfill_mentions(search_id: int) -> int:
    """A saved search was created or changed: collect its matches of the last 30 days."""
    from commsdesk.monitoring import searches
    from commsdesk.monitoring.models import SavedSearch

    saved = SavedSearch.objects.filter(pk=search_id).first()
    return searches.backfill(saved) if saved is not None else 0
