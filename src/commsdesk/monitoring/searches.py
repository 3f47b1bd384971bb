"""What a saved search means in the database: its compiled query, its filters, its preview and
the mentions it has collected. The query language itself lives in `pipeline.query`.

Views and ingest call these; nothing here renders HTML or fetches anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from commsdesk.monitoring import search as archive
from commsdesk.monitoring import sentiment
from commsdesk.monitoring.models import Article, Mention, SavedSearch
from commsdesk.monitoring.names import expand_for_search
from commsdesk.pipeline import query as q
from commsdesk.pipeline.names import Expansion, NameList

PREVIEW_DAYS = 30
BACKFILL_DAYS = 30


def compile_query(saved: SavedSearch, *, names: NameList | None = None) -> q.Query:
    """The query a saved search runs, with its names expanded into the languages it chose."""
    return expand(saved.query, saved.name_languages, saved.team_id, names=names)[0]


def expand(
    text: str, languages: Iterable[str], team_id: int | None, *, names: NameList | None = None
) -> tuple[q.Query, tuple[Expansion, ...]]:
    """Parse `text` (QueryError if it cannot be used) and expand names into `languages` with
    the shipped name list and the team's own spellings; also says what was expanded."""
    return expand_for_search(text, languages or (), team_id, names=names)


@dataclass(frozen=True, slots=True)
class Filters:
    """A saved search's filters beside its query; empty sets mean "any"."""

    languages: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    tiers: frozenset[int] = frozenset()
    sources: frozenset[int] = frozenset()
    outlets: frozenset[int] = frozenset()

    @classmethod
    def of(cls, saved: SavedSearch) -> Filters:
        return cls(
            languages=frozenset(code.lower() for code in saved.languages or ()),
            countries=frozenset(code.upper() for code in saved.countries or ()),
            tiers=frozenset(int(t) for t in saved.tiers or ()),
            # .all() rather than values_list: it reads a prefetch when the caller made one.
            sources=frozenset(s.pk for s in saved.sources.all()) if saved.pk else frozenset(),
            outlets=frozenset(o.pk for o in saved.outlets.all()) if saved.pk else frozenset(),
        )

    def accepts(self, article: Article) -> bool:
        """For percolation: the article in memory, no query."""
        language = article.language.lower()
        if (
            self.languages
            and language not in self.languages
            and language.split("-")[0] not in (self.languages)
        ):
            return False
        if self.countries and article.country.upper() not in self.countries:
            return False
        if self.sources and article.source_id not in self.sources:
            return False
        if self.outlets and article.outlet_id not in self.outlets:
            return False
        if self.tiers:
            tier = article.outlet.tier if article.outlet_id and article.outlet else None
            if tier not in self.tiers:
                return False
        return True

    def apply(self, articles: QuerySet) -> QuerySet:
        """For the archive: the same conditions as ORM filters."""
        if self.languages:
            condition = Q(language__in=self.languages)
            for code in self.languages:
                condition |= Q(language__istartswith=code + "-")
            articles = articles.filter(condition)
        if self.countries:
            articles = articles.filter(country__in=self.countries)
        if self.sources:
            articles = articles.filter(source_id__in=self.sources)
        if self.outlets:
            articles = articles.filter(outlet_id__in=self.outlets)
        if self.tiers:
            articles = articles.filter(outlet__tier__in=self.tiers)
        return articles


def hits_of(match: q.Match) -> list[dict[str, str]]:
    return [{"term": hit.term, "field": hit.field} for hit in match.hits]


def archive_matches(
    query: q.Query, filters: Filters, *, days: int, now=None
) -> Iterator[tuple[Article, q.Match]]:
    """Articles of the last `days` days that the search matches, newest first, with their hits."""
    since = (now or timezone.now()) - timedelta(days=days)
    articles = filters.apply(Article.objects.filter(sort_at__gte=since).select_related("outlet"))
    matcher = q.compile(query)
    for article in archive.iter_newest(articles, query):
        found = matcher.match(archive.document(article))
        if found is not None:  # the archive answer is exact; the hits come from the matcher
            yield article, found


def preview(query: q.Query, filters: Filters, *, limit: int = 20) -> tuple[list, bool]:
    """The live preview: up to `limit` matches from the last 30 days and whether there are more."""
    rows = []
    for pair in archive_matches(query, filters, days=PREVIEW_DAYS):
        if len(rows) == limit:
            return rows, True
        rows.append(pair)
    return rows, False


def backfill(saved: SavedSearch, *, days: int = BACKFILL_DAYS) -> int:
    """Collect the last `days` days of matches as mentions (no alerts: it is not news now)."""
    query = compile_query(saved)
    created = 0
    batch: list[Mention] = []
    for article, found in archive_matches(query, Filters.of(saved), days=days):
        batch.append(_mention(saved.pk, article, found))
        if len(batch) >= 500:
            created += _insert(batch)
            batch = []
    created += _insert(batch)
    return created


def _mention(search_id: int, article: Article, found: q.Match) -> Mention:
    return Mention(
        saved_search_id=search_id,
        article=article,
        sort_at=article.sort_at,
        hits=hits_of(found),
        **sentiment.stance_fields(sentiment.assess(article), found.terms),
    )


def _insert(mentions: list[Mention]) -> int:
    if not mentions:
        return 0
    before = Mention.objects.filter(saved_search_id=mentions[0].saved_search_id).count()
    with transaction.atomic():
        Mention.objects.bulk_create(mentions, ignore_conflicts=True)
    return Mention.objects.filter(saved_search_id=mentions[0].saved_search_id).count() - before


def story_groups(mentions: QuerySet, *, offset: int, limit: int) -> list[dict]:
    """A page of a search's mentions grouped by story, the story with the newest mention first.

    Each group: the story id, its newest mention time, how many of the search's mentions it
    holds (placements) and from how many outlets, and the mentions themselves.
    """
    groups = list(
        mentions.values("article__story")
        .annotate(
            latest=Max("sort_at"),
            placements=Count("id"),
            outlets=Count("article__outlet", distinct=True),
        )
        .order_by("-latest", "-article__story")[offset : offset + limit]
    )
    story_ids = [g["article__story"] for g in groups]
    members: dict[int | None, list[Mention]] = {}
    rows = mentions.filter(article__story__in=[s for s in story_ids if s is not None])
    if None in story_ids:
        rows = rows | mentions.filter(article__story__isnull=True)
    for mention in rows.select_related("article", "article__outlet").order_by("sort_at", "id"):
        members.setdefault(mention.article.story_id, []).append(mention)
    for group in groups:
        group["story"] = group.pop("article__story")
        group["mentions"] = members.get(group["story"], [])
    return groups


def counts(saved: SavedSearch) -> dict[str, int]:
    """Stories, placements and outlets among the search's visible mentions."""
    return saved.mentions.exclude(state=Mention.State.HIDDEN).aggregate(
        stories=Count("article__story", distinct=True),
        placements=Count("id"),
        outlets=Count("article__outlet", distinct=True),
    )


CURATION_ACTIONS = ("keep", "hide", "new", "tag", "untag")


def curate(mentions: QuerySet, action: str, *, tag: str = "", user=None) -> int | None:
    """A bulk action on chosen mentions; None when the action is unknown or incomplete."""
    now = timezone.now()
    states = {"keep": Mention.State.KEPT, "hide": Mention.State.HIDDEN, "new": Mention.State.NEW}
    if action in states:
        return mentions.update(state=states[action], curated_by=user, curated_at=now)
    tag = tag.strip()[:60]
    if action not in ("tag", "untag") or not tag:
        return None
    changed = []
    for mention in mentions:
        tags = [t for t in mention.tags if t != tag] + ([tag] if action == "tag" else [])
        if tags != mention.tags:
            mention.tags, mention.curated_by, mention.curated_at = tags, user, now
            changed.append(mention)
    Mention.objects.bulk_update(changed, ["tags", "curated_by", "curated_at"])
    return len(changed)


def highlighted(
    query: q.Query, article: Article, match: q.Match | None, *, snippet_chars: int | None = 320
) -> dict:
    """An article ready for a hit list: title and a snippet (or the whole text) with the
    query's terms marked, and the terms that hit."""
    match = match or q.compile(query).match(archive.document(article))
    text = article.text
    spans = q.highlights(query, text, field="text")
    if snippet_chars is not None:
        text, spans = _window(text, spans, snippet_chars)
    return {
        "article": article,
        "title": _marked(article.title, q.highlights(query, article.title, field="title")),
        "snippet": _marked(text, spans),
        "hits": match.hits if match else (),
    }


def _window(text: str, spans: list[tuple[int, int]], size: int):
    """The stretch of text around the first hit (or the opening), with ellipses where cut."""
    centre = spans[0][0] if spans else 0
    start = max(0, centre - size // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < centre else start
    end = min(len(text), start + size)
    inside = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    prefix, suffix = ("… " if start else ""), (" …" if end < len(text) else "")
    shifted = [(a + len(prefix), b + len(prefix)) for a, b in inside]
    return prefix + text[start:end] + suffix, shifted


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in spans:
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
