"""Percolation during ingest: each new article against every saved search; matches become Mentions.

The compiled Percolator is kept per process and rebuilt when saved searches change (a small
aggregate query, at most every RECHECK_SECONDS, tells). A search whose stored query no longer
parses is skipped; one deleted since compiling is dropped before its mentions are written.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from commsdesk.monitoring import search as archive
from commsdesk.monitoring import searches, sentiment
from commsdesk.monitoring.models import Article, Mention, SavedSearch
from commsdesk.monitoring.names import names_for
from commsdesk.pipeline.match import Percolator
from commsdesk.pipeline.names import NameList
from commsdesk.pipeline.query import Match, QueryError

log = logging.getLogger(__name__)
RECHECK_SECONDS = 1.0  # an edited search applies to articles stored a second later


@dataclass(frozen=True)
class _Compiled:
    version: tuple
    percolator: Percolator[int]
    filters: dict[int, searches.Filters]


class _Cache:
    """One compiled percolator per process; workers are threads or processes, so guard it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compiled: _Compiled | None = None
        self._checked = 0.0

    def get(self) -> _Compiled:
        with self._lock:
            now = time.monotonic()
            if self._compiled is not None and now - self._checked < RECHECK_SECONDS:
                return self._compiled
            self._checked = now
            version = _version()
            if self._compiled is None or self._compiled.version != version:
                self._compiled = _build(version)
            return self._compiled

    def clear(self) -> None:
        with self._lock:
            self._compiled = None


_cache = _Cache()


def _version() -> tuple:
    # Edits touch updated_at (filters are saved with the search); deletions change the count.
    summary = SavedSearch.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (summary["n"], summary["latest"])


def _build(version: tuple) -> _Compiled:
    queries = {}
    filters = {}
    team_names: dict[int, NameList] = {}  # each team's spellings read once
    # In chunks: at 100,000 searches, holding every model instance (and its prefetched
    # sources and outlets) at once doubled a worker's peak memory; only the compiled query and
    # its filters are kept.
    rows = SavedSearch.objects.prefetch_related("sources", "outlets").iterator(chunk_size=2000)
    for saved in rows:
        try:
            names = None
            if saved.name_languages:
                if saved.team_id not in team_names:
                    team_names[saved.team_id] = names_for(saved.team_id)
                names = team_names[saved.team_id]
            queries[saved.pk] = searches.compile_query(saved, names=names)
        except QueryError as exc:
            log.warning("saved search %s is skipped: %s", saved.pk, exc)
            continue
        filters[saved.pk] = searches.Filters.of(saved)
    return _Compiled(version, Percolator(queries), filters)


def forget() -> None:
    """Drop the compiled searches (tests, and after bulk changes made outside the ORM)."""
    _cache.clear()


def find(article: Article) -> list[tuple[int, Match]]:
    """The saved searches an article (saved or not yet) matches, with their hits."""
    compiled = _cache.get()
    if not len(compiled.percolator):
        return []
    return [
        (search_id, match)
        for search_id, match in compiled.percolator.match(archive.document(article))
        if compiled.filters[search_id].accepts(article)
    ]


def record(
    article: Article,
    found: list[tuple[int, Match]],
    *,
    stances: dict[int, dict] | None = None,
    matched_at: datetime | None = None,
) -> list[Mention]:
    """Write the mentions `find` gave for a stored article; call inside the storing transaction.

    `stances` (per search id, from ingest.sentiment.stances) is best computed before that
    transaction; without it the stances are worked out here. A backfill gives `matched_at` (the
    archive's date), so old pages do not land in this morning's digest.
    """
    if found:
        # A search deleted since the percolator was compiled must not take the article down
        # with a foreign-key error: keep only searches that still exist.
        alive = set(
            SavedSearch.objects.filter(pk__in=[s for s, _ in found]).values_list("pk", flat=True)
        )
        found = [(s, m) for s, m in found if s in alive]
    if not found:
        return []
    if stances is None:
        scored = sentiment.assess(article)
        stances = sentiment.stances(scored, found)
    now = timezone.now()
    mentions = [
        Mention(
            saved_search_id=search_id,
            article=article,
            matched_at=matched_at or now,
            sort_at=article.sort_at,
            hits=searches.hits_of(match),
            **stances.get(search_id, {}),
        )
        for search_id, match in found
    ]
    try:
        with transaction.atomic():  # a savepoint: unique constraints are checked right away
            Mention.objects.bulk_create(mentions)  # a new article has no mentions: no conflict
    except IntegrityError:
        # A search's backfill reached this article first: keep its mentions, add the rest.
        Mention.objects.bulk_create(mentions, ignore_conflicts=True)
        mentions = list(
            Mention.objects.filter(article=article, saved_search_id__in=[s for s, _ in found])
        )
    SavedSearch.objects.filter(pk__in=[s for s, _ in found]).update(last_matched_at=now)
    return mentions


def match_article(article: Article) -> list[Mention]:
    """Find and record in one go, for an article already stored."""
    return record(article, find(article))
