"""Wikipedia attention beside coverage: refresh watched pages' daily pageviews from the Wikimedia
API (only the days not yet stored), keep each project's top pages of a day, and line up a page's
attention with its saved search's (or campaign's) coverage per day, with their lag correlation.

Fetching goes through the one guarded HTTP client; parsing and statistics are in the pipeline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from commsdesk.ingest.fetching import make_api_client
from commsdesk.monitoring.models import Mention, PageviewDay, TopArticlesDay, WatchedPage
from commsdesk.pipeline import pageviews
from commsdesk.pipeline.errors import PipelineError
from commsdesk.pipeline.fetch import Fetcher

log = logging.getLogger(__name__)

REFRESH_EVERY = timedelta(hours=6)  # yesterday's figures appear some hours after midnight UTC
LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Comparison:
    days: tuple[date, ...]
    coverage: tuple[int, ...]  # articles found per day by the page's search or campaign
    views: tuple[int, ...]  # pageviews per day (0 where the API had none)
    correlations: tuple[pageviews.LagCorrelation, ...]
    strongest: pageviews.LagCorrelation | None


def watch(page: pageviews.WikiPage, *, team, user, saved_search=None, campaign=None):
    """Start watching a page (or find the team's existing watch of it); due for a fetch now."""
    watched, _ = WatchedPage.objects.get_or_create(
        team=team,
        project=page.project,
        title=page.title,
        defaults={"added_by": user, "saved_search": saved_search, "campaign": campaign},
    )
    return watched


# --- refreshing ------------------------------------------------------------------------------


def due_ids(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        WatchedPage.objects.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        .order_by("next_fetch_at")
        .values_list("pk", flat=True)[:200]
    )


def any_due() -> bool:
    return bool(due_ids())


def refresh_due(fetcher: Fetcher | None = None) -> int:
    """Refresh every watched page that is due; returns how many were refreshed without error."""
    now = timezone.now()
    fetcher = fetcher or make_api_client()
    done = 0
    with fetcher:
        for pk in due_ids(now):
            # A claim: the lease moves next_fetch_at past now, so a second worker skips it.
            claimed = (
                WatchedPage.objects.filter(pk=pk)
                .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
                .update(next_fetch_at=now + LEASE)
            )
            if claimed:
                done += refresh(WatchedPage.objects.get(pk=pk), fetcher=fetcher)
    return done


def refresh(page: WatchedPage, *, fetcher: Fetcher, today: date | None = None) -> bool:
    """Fetch the days not yet stored (up to yesterday) and store them; on failure keep what is
    stored, record the reason for the page and back off. Returns whether it worked."""
    today = today or timezone.now().astimezone(UTC).date()
    end = today - timedelta(days=1)
    start = _first_missing_day(page, end)
    now = timezone.now()
    if start > end:
        _succeeded(page, now)
        return True
    wiki = pageviews.WikiPage(page.project, page.title)
    url = pageviews.per_article_url(settings.COMMSDESK_PAGEVIEWS_API, wiki, start, end)
    try:
        days = pageviews.parse_daily(fetcher.fetch(url, accept="application/json").body)
    except (PipelineError, pageviews.PageviewsError) as exc:
        _failed(page, now, _reason(exc), getattr(exc, "retry_after", None))
        return False
    _store(page, days)
    _succeeded(page, now)
    return True


def _first_missing_day(page: WatchedPage, end: date) -> date:
    oldest = end - timedelta(days=settings.COMMSDESK_PAGEVIEWS_DAYS - 1)
    last = page.days.order_by("-day").values_list("day", flat=True).first()
    return max(oldest, last + timedelta(days=1)) if last else oldest


def _store(page: WatchedPage, days: tuple[pageviews.DailyViews, ...]) -> None:
    rows = [PageviewDay(page=page, day=d.day, views=d.views) for d in days]
    try:
        with transaction.atomic():
            PageviewDay.objects.bulk_create(rows)
    except IntegrityError:  # another refresh stored some of these days: keep theirs
        PageviewDay.objects.bulk_create(rows, ignore_conflicts=True)


def _reason(exc: Exception) -> str:
    text = getattr(exc, "reason", None) or str(exc)
    if "404 Not Found" in text:
        return (
            "Wikimedia has no pageviews for this page: check the title and project "
            f"(a redirect or a page created after the period counts nothing). ({text})"
        )
    return text


def _succeeded(page: WatchedPage, now: datetime) -> None:
    WatchedPage.objects.filter(pk=page.pk).update(
        last_fetched_at=now, last_error="", failures=0, next_fetch_at=now + REFRESH_EVERY
    )


def _failed(page: WatchedPage, now: datetime, reason: str, retry_after: float | None) -> None:
    failures = page.failures + 1
    wait = min(REFRESH_EVERY * 2 ** (failures - 1) / 6, MAX_BACKOFF)  # 1 h, 2 h, 4 h ... a day
    if retry_after:
        wait = max(wait, timedelta(seconds=retry_after))
    log.info("pageviews of %s: %s", page, reason)
    WatchedPage.objects.filter(pk=page.pk).update(
        last_error=reason[:2000], failures=failures, next_fetch_at=now + wait
    )


# --- top pages of a project ------------------------------------------------------------------


def top_articles(
    project: str, day: date, *, fetcher: Fetcher | None = None
) -> tuple[pageviews.TopArticle, ...]:
    """A project's most read pages of a day, fetched once and kept. Raises PipelineError or
    PageviewsError when the API cannot answer (e.g. the day is not published yet)."""
    stored = TopArticlesDay.objects.filter(project=project, day=day).first()
    if stored is None:
        url = pageviews.top_url(settings.COMMSDESK_PAGEVIEWS_API, project, day)
        with fetcher or make_api_client() as client:
            found = pageviews.parse_top(client.fetch(url, accept="application/json").body)
        stored, _ = TopArticlesDay.objects.get_or_create(
            project=project,
            day=day,
            defaults={"articles": [[a.rank, a.title, a.views] for a in found]},
        )
    return tuple(pageviews.TopArticle(rank, title, views) for rank, title, views in stored.articles)


# --- coverage beside attention ---------------------------------------------------------------


def compare(page: WatchedPage, *, days: int = 60, today: date | None = None) -> Comparison:
    """Coverage and attention per day over the last `days` full days, and their correlation."""
    today = today or timezone.now().astimezone(UTC).date()
    span = tuple(today - timedelta(days=n) for n in range(days, 0, -1))
    views = dict(page.days.filter(day__gte=span[0]).values_list("day", "views"))
    coverage = _coverage_per_day(page, since=span[0], until=today)
    covered = tuple(coverage.get(d, 0) for d in span)
    viewed = tuple(views.get(d, 0) for d in span)
    correlations = pageviews.lag_correlations(covered, viewed) if views else ()
    return Comparison(span, covered, viewed, correlations, pageviews.strongest(correlations))


def _coverage_per_day(page: WatchedPage, *, since: date, until: date) -> dict[date, int]:
    if page.saved_search_id:
        searches = [page.saved_search_id]
    elif page.campaign_id:
        searches = list(page.campaign.searches.values_list("pk", flat=True))
    else:
        return {}
    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(until, datetime.min.time(), tzinfo=UTC)
    rows = (
        Mention.objects.filter(saved_search__in=searches, sort_at__gte=start, sort_at__lt=end)
        .exclude(state=Mention.State.HIDDEN)
        .annotate(day=TruncDate("sort_at", tzinfo=UTC))
        .values("day")
        .annotate(n=Count("article", distinct=True))
    )
    return {row["day"]: row["n"] for row in rows}
