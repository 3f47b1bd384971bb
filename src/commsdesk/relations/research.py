"""Media research: who wrote about a topic, for which outlets, how often and how recently, and
turning chosen authors into a media list in one step.

The topic is a saved-search query run over the archive (`monitoring.searches`); this module
ranks what it finds and creates records, it parses nothing and renders nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from commsdesk.monitoring import searches
from commsdesk.monitoring.models import Outlet
from commsdesk.pipeline import query as q
from commsdesk.pipeline.query import normalize
from commsdesk.relations import contacts
from commsdesk.relations.models import Affiliation, Journalist, MediaList, MediaListMember

# Enough for a topic's last months in a busy archive; the page says when it stopped there.
MAX_ARTICLES = 5000


@dataclass
class AuthorRow:
    author: str
    articles: int = 0
    latest: datetime | None = None
    outlets: Counter = field(default_factory=Counter)  # outlet id → articles
    journalist_id: int | None = None  # already a contact of the team
    top_outlets: list[tuple[Outlet, int]] = field(default_factory=list)  # for the table

    @property
    def main_outlet_id(self) -> int | None:
        return self.outlets.most_common(1)[0][0] if self.outlets else None


@dataclass
class OutletRow:
    outlet: Outlet
    articles: int = 0
    latest: datetime | None = None
    authors: set[str] = field(default_factory=set)


@dataclass
class Research:
    authors: list[AuthorRow]
    outlets: list[OutletRow]
    articles: int
    capped: bool  # stopped at MAX_ARTICLES


def run(query: q.Query, journalists: QuerySet, *, days: int) -> Research:
    """Rank the authors and outlets of the archive's matches of the last `days` days."""
    known = contacts.known_bylines(journalists)
    authors: dict[str, AuthorRow] = {}
    outlet_rows: dict[int, OutletRow] = {}
    seen = 0
    capped = False
    for article, _ in searches.archive_matches(query, searches.Filters(), days=days):
        if seen == MAX_ARTICLES:
            capped = True
            break
        seen += 1
        # Newest first: the first time we meet an author or outlet is its most recent article.
        if article.outlet_id:
            row = outlet_rows.setdefault(
                article.outlet_id, OutletRow(article.outlet, latest=article.sort_at)
            )
            row.articles += 1
        for author in article.authors or ():
            folded = normalize(author).strip()
            if not folded:
                continue
            entry = authors.get(folded)
            if entry is None:
                entry = authors[folded] = AuthorRow(
                    author.strip(), latest=article.sort_at, journalist_id=known.get(folded)
                )
            entry.articles += 1
            if article.outlet_id:
                entry.outlets[article.outlet_id] += 1
                outlet_rows[article.outlet_id].authors.add(folded)
    for entry in authors.values():
        entry.top_outlets = [(outlet_rows[o].outlet, n) for o, n in entry.outlets.most_common(3)]
    ranked = sorted(authors.values(), key=lambda r: (-r.articles, -r.latest.timestamp()))
    outlets = sorted(outlet_rows.values(), key=lambda r: (-r.articles, r.outlet.name))
    return Research(ranked, outlets, seen, capped)


def make_list(
    team, research: Research, chosen: list[str], *, name: str, query_text: str, user
) -> MediaList:
    """A media list of the chosen authors, keeping the query; authors not yet in the contacts
    become journalists (from their byline, at the outlet they wrote for most)."""
    wanted = {normalize(a).strip() for a in chosen}
    with transaction.atomic():
        media_list = MediaList.objects.create(
            team=team, name=name, query=query_text, created_by=user
        )
        for row in research.authors:
            if normalize(row.author).strip() not in wanted:
                continue
            journalist_id = row.journalist_id
            if journalist_id is None:
                journalist = Journalist.objects.create(
                    team=team,
                    name=row.author,
                    bylines=[row.author],
                    origin=Journalist.Origin.BYLINE,
                )
                if row.main_outlet_id:
                    Affiliation.objects.create(journalist=journalist, outlet_id=row.main_outlet_id)
                journalist_id = journalist.pk
            MediaListMember.objects.get_or_create(
                media_list=media_list, journalist_id=journalist_id
            )
    return media_list
