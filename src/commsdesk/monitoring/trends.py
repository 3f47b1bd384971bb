"""Trends from stored mentions and articles: hourly counts, spike detection with alerts queued,
emerging terms and breaking stories. The arithmetic lives in `pipeline.trends`; this module only
reads rows, hands them over and writes Spike and Delivery rows.

A spike's `why` is {"stories": [{"story", "article", "title", "count"}], "outlets": [{"name",
"count"}], "terms": [{"term", "count"}]}: the top five of each among that hour's mentions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.db.models.functions import Mod, Substr, TruncDay, TruncHour
from django_tasks import task

from commsdesk import charts
from commsdesk.monitoring.alerting.queue import queue_spike
from commsdesk.monitoring.models import (
    Article,
    Mention,
    SavedSearch,
    Spike,
    Story,
)
from commsdesk.pipeline import trends
from commsdesk.pipeline.trends import (
    HOUR,
    BreakingRules,
    BreakingStory,
    EmergingTerm,
    SpikeRules,
)

LOOKBACK_HOURS = 3  # complete hours re-examined each run, so late-arriving articles still count
WHY_TOP = 5
RECENT = timedelta(hours=24)  # emerging terms: "today" ...
EARLIER = timedelta(days=14)  # ... against the two weeks before
MAX_RECENT_DOCS = 1_500  # bounds on what one emerging-terms computation reads (~0.7 s cold)
MAX_EARLIER_DOCS = 3_000
LEAD_CHARS = 400  # title + the first paragraphs carry what an article is about
TERMS_CACHE_SECONDS = 15 * 60


def hour_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _counted(mentions: QuerySet) -> QuerySet:
    # Hidden mentions are what a person marked as noise: they do not make a spike.
    return mentions.exclude(state=Mention.State.HIDDEN)


def hourly_counts(
    search_ids: Iterable[int] | QuerySet, start: datetime, end: datetime
) -> dict[int, dict[datetime, int]]:
    """Mentions per saved search per hour (UTC hour starts) with start <= sort_at < end."""
    return _bucketed(search_ids, start, end, TruncHour("sort_at", tzinfo=UTC))


def daily_counts(
    search_ids: Iterable[int] | QuerySet, start: datetime, end: datetime
) -> dict[int, dict[datetime, int]]:
    """Mentions per saved search per UTC day."""
    return _bucketed(search_ids, start, end, TruncDay("sort_at", tzinfo=UTC))


def _bucketed(search_ids, start, end, trunc) -> dict[int, dict[datetime, int]]:
    rows = (
        _counted(Mention.objects.filter(saved_search_id__in=search_ids))
        .filter(sort_at__gte=start, sort_at__lt=end)
        .annotate(bucket=trunc)
        .values("saved_search_id", "bucket")
        .annotate(n=Count("id"))
    )
    out: dict[int, dict[datetime, int]] = defaultdict(dict)
    for row in rows:
        out[row["saved_search_id"]][row["bucket"].astimezone(UTC)] = row["n"]
    return out


# ---------------------------------------------------------------- spikes


def detect_spikes(now: datetime, rules: SpikeRules | None = None) -> list[Spike]:
    """Check the last complete hours of every unmuted search; write the new spikes and queue one
    Delivery per active spike-alert rule. Running it again writes nothing twice."""
    rules = rules or SpikeRules()
    end = hour_start(now)
    start = end - LOOKBACK_HOURS * HOUR
    # A subquery, not a list: ten thousand ids would not fit SQLite's parameter limit.
    live = SavedSearch.objects.live().values("id")
    # Only a search with min_count mentions in one recent hour can spike: read history for those.
    recent = hourly_counts(live, start, end)
    candidates = [sid for sid, hours in recent.items() if max(hours.values()) >= rules.min_count]
    if not candidates:
        return []
    history = hourly_counts(candidates, start - rules.history_hours * HOUR, end)
    hours = [start + i * HOUR for i in range(LOOKBACK_HOURS)]
    created = []
    for search_id in candidates:
        for found in trends.find_spikes(history[search_id], hours, rules):
            spike = _record(search_id, found, now)
            if spike is not None:
                created.append(spike)
    return created


def _record(search_id: int, found: trends.HourCheck, now: datetime) -> Spike | None:
    """The Spike row and its deliveries in one transaction: a spike is never left unannounced."""
    with transaction.atomic():
        spike, created = Spike.objects.get_or_create(
            saved_search_id=search_id,
            hour=found.hour,
            defaults={
                "count": found.count,
                "baseline": found.baseline,
                "spread": found.spread,
                "score": found.score,
                "why": spike_why(search_id, found.hour),
                "detected_at": now,
            },
        )
        if not created:
            return None
        # The alerting module owns who is owed what, and when (cadence, quiet hours).
        queue_spike(spike, now=now)
    return spike


def spike_why(search_id: int, hour: datetime) -> dict:
    """The stories, outlets and hit terms behind one hour's mentions, top five of each."""
    rows = _counted(Mention.objects.filter(saved_search_id=search_id)).filter(
        sort_at__gte=hour, sort_at__lt=hour + HOUR
    )
    stories: Counter = Counter()
    titles: dict = {}
    outlets: Counter = Counter()
    terms: Counter = Counter()
    for row in rows.values(
        "article_id", "article__story_id", "article__title", "article__outlet__name", "hits"
    )[:2_000]:
        key = row["article__story_id"] or f"a{row['article_id']}"
        stories[key] += 1
        titles.setdefault(key, (row["article_id"], row["article__title"]))
        outlets[row["article__outlet__name"] or "Unknown outlet"] += 1
        terms.update({hit.get("term", "") for hit in row["hits"] or [] if hit.get("term")})
    return {
        "stories": [
            {
                "story": key if isinstance(key, int) else None,
                "article": titles[key][0],
                "title": titles[key][1],
                "count": n,
            }
            for key, n in stories.most_common(WHY_TOP)
        ],
        "outlets": [{"name": name, "count": n} for name, n in outlets.most_common(WHY_TOP)],
        "terms": [{"term": term, "count": n} for term, n in terms.most_common(WHY_TOP)],
    }


@task()
def detect_spikes_task() -> int:
    """The scheduler enqueues this once an hour; returns how many spikes were new."""
    return len(detect_spikes(datetime.now(UTC)))


# ---------------------------------------------------------------- emerging terms


def coverage(search: SavedSearch | None) -> QuerySet:
    """The articles trends are computed over: one search's mentions, or the whole archive."""
    if search is None:
        return Article.objects.all()
    return Article.objects.filter(
        mentions__saved_search=search, mentions__state__in=[Mention.State.NEW, Mention.State.KEPT]
    )


def active_languages(now: datetime, search: SavedSearch | None, limit: int = 4) -> list[str]:
    """The languages with the most coverage in the last 24 hours, most first."""
    rows = (
        coverage(search)
        .filter(sort_at__gte=now - RECENT, sort_at__lte=now)
        .exclude(language__in=["", "und"])
        .values("language")
        .annotate(n=Count("id"))
        .order_by("-n", "language")[:limit]
    )
    return [row["language"] for row in rows]


def emerging(now: datetime, language: str, search: SavedSearch | None = None) -> list[EmergingTerm]:
    """Emerging terms of one language in the last 24 h against the two weeks before, cached for
    a quarter of an hour (reading and tokenising thousands of leads is not free)."""
    key = f"trends:emerging:{search.pk if search else 'all'}:{language}:{hour_start(now):%Y%m%d%H}"
    found = cache.get(key)
    if found is None:
        articles = coverage(search).filter(language=language)
        recent = _leads(
            articles.filter(sort_at__gte=now - RECENT, sort_at__lte=now), MAX_RECENT_DOCS
        )
        earlier = _leads(
            articles.filter(sort_at__gte=now - RECENT - EARLIER, sort_at__lt=now - RECENT),
            MAX_EARLIER_DOCS,
        )
        found = trends.emerging_terms(recent, earlier, language=language)
        cache.set(key, found, TERMS_CACHE_SECONDS)
    return found


def _leads(articles: QuerySet, cap: int) -> list[str]:
    """Title and lead of each story (the first copy read stands for its syndicated copies, so one
    story carried by forty outlets is one document, not forty); a busy window is thinned evenly
    by id, not cut at one end."""
    total = articles.count()
    if total > cap:
        step = -(-total // cap)
        articles = articles.annotate(slot=Mod(F("id"), step)).filter(slot=0)
    rows = articles.annotate(lead=Substr("text", 1, LEAD_CHARS)).values_list(
        "story_id", "title", "lead"
    )
    seen: set[int] = set()
    leads = []
    for story_id, title, lead in rows[:cap]:
        if story_id is not None:
            if story_id in seen:
                continue
            seen.add(story_id)
        leads.append(f"{title}\n{lead}")
    return leads


# ---------------------------------------------------------------- breaking stories


def breaking(
    now: datetime, search: SavedSearch | None = None, rules: BreakingRules | None = None
) -> list[tuple[BreakingStory, Article]]:
    """The fastest-growing stories with each one's representative article, best first."""
    rules = rules or BreakingRules()
    recent_start = now - rules.recent_hours * HOUR
    growing = coverage(search).filter(story__last_seen__gte=recent_start, story__isnull=False)
    placements = growing.filter(
        sort_at__gte=recent_start - rules.earlier_hours * HOUR, sort_at__lte=now
    ).values_list("story_id", "sort_at")[:20_000]
    found = trends.breaking_stories(placements, now=now, rules=rules)
    shown = _representatives([b.story_id for b in found])
    return [(b, shown[b.story_id]) for b in found if b.story_id in shown]


def _representatives(story_ids: list[int]) -> dict[int, Article]:
    """Each story's representative article, or its first placement when none is set."""
    out: dict[int, Article] = {}
    for story in Story.objects.filter(pk__in=story_ids).select_related("representative__outlet"):
        if story.representative is not None:
            out[story.pk] = story.representative
    missing = [pk for pk in story_ids if pk not in out]
    # Newest first, so the earliest placement is the one left in `out`.
    for article in Article.objects.filter(story_id__in=missing).select_related("outlet"):
        out[article.story_id] = article
    return out


# ---------------------------------------------------------------- charts for the trends page


def mention_chart(
    search: SavedSearch,
    counts: dict[datetime, int],
    spikes: list[Spike],
    *,
    scale: str,
    now: datetime,
) -> str:
    """SVG of one search's mentions per hour (last 48 h) or per day (last 30 days), zeros
    included and spike hours marked."""
    step, n = (HOUR, 48) if scale == "hour" else (timedelta(days=1), 30)
    last = hour_start(now) if scale == "hour" else hour_start(now).replace(hour=0)
    buckets = [last - i * step for i in range(n - 1, -1, -1)]
    marked = {spike.hour if scale == "hour" else spike.hour.replace(hour=0) for spike in spikes}
    label = "Mentions per hour" if scale == "hour" else "Mentions per day"
    return charts.svg(
        charts.TimeSeries(
            title=f"{search.name}: {label.lower()}",
            points=tuple((b, counts.get(b, 0)) for b in buckets),
            marks=tuple(b for b in buckets if b in marked),
            y_label=label,
            unit=scale,
        )
    )


def chart_window(scale: str, now: datetime) -> tuple[datetime, datetime]:
    if scale == "hour":
        return hour_start(now) - 47 * HOUR, now
    return hour_start(now).replace(hour=0) - timedelta(days=29), now


def terms_chart(language: str, terms: list[EmergingTerm]) -> str:
    """The top ten emerging terms, ranked by rise, drawn by how many stories carry them today."""
    return charts.svg(
        charts.Bars(
            title=f"Emerging in {language}",
            bars=tuple((t.term, t.recent) for t in terms[:10]),
            x_label="Stories in the last 24 hours",
            width=220,
        )
    )
