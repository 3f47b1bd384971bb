"""Archive search over articles behind one interface, with a backend per database.

Queries are the saved-search language (`pipeline.query`, its one owner). Each backend compiles
them to its full-text syntax over the same folded tokens the matcher uses; metadata conditions
become ORM filters; where a backend can only approximate (outlet:/author: names, exclusions it
cannot express), the rows it returns are rechecked with the compiled matcher, so archive search,
live preview and percolation always agree.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection, connections
from django.db.models import Q, QuerySet

from commsdesk.pipeline import query as q
from commsdesk.pipeline.query import Query, QueryError
from commsdesk.pipeline.records import Document

_RECHECK_CHUNK = 500


def backend():
    return _backend_for(connection.vendor)


def _backend_for(vendor: str):
    if vendor == "postgresql":
        from commsdesk.monitoring.search import postgres

        return postgres
    from commsdesk.monitoring.search import sqlite

    return sqlite


def parse(text: str) -> Query | None:
    """The query a person typed, or None for an empty box; raises QueryError (with a position)."""
    if not text or not text.strip():
        return None
    return q.parse(text)


def document(article) -> Document:
    """What the matcher sees of a stored Article (outlet name and country from its row)."""
    outlet = article.outlet.name if article.outlet_id and article.outlet else ""
    return Document(
        title=article.title,
        text=article.text,
        outlet=outlet,
        language="" if article.language == "und" else article.language,
        country=article.country,
        authors=tuple(article.authors or ()),
    )


class Plan:
    """One query compiled for the current database: full-text and ORM conditions, and whether
    the rows they select must be rechecked with the matcher."""

    def __init__(self, query: Query) -> None:
        self.query = query
        self.matcher = q.compile(query)
        compiled = q.to_tsquery(query) if connection.vendor == "postgresql" else q.to_fts5(query)
        self.match = compiled.match
        self.exclude = compiled.exclude
        self.recheck = compiled.superset
        self.conditions: list[tuple[Q, bool]] = []
        for condition in compiled.filters:
            orm = _orm_filter(condition)
            if orm is None:
                self.recheck = True  # outlet: and author: names compare accent-folded: in Python
            else:
                self.conditions.append((orm, condition.negated))

    def narrow(self, articles: QuerySet, *, full_text: bool = True) -> QuerySet:
        """Every matching article and, when `recheck`, some that are not. `full_text=False`
        leaves the positive full-text condition to the caller (the newest-first walk)."""
        for orm, negated in self.conditions:
            articles = articles.exclude(orm) if negated else articles.filter(orm)
        if self.exclude:
            articles = backend().exclude(articles, self.exclude)
        if self.match and full_text:
            articles = backend().filter(articles, self.match)
        return articles

    def matches(self, article) -> q.Match | None:
        return self.matcher.match(document(article))


def _orm_filter(condition: q.FieldFilter) -> Q | None:
    column = {"lang": "language", "country": "country"}.get(condition.field)
    if column is None:
        return None
    combined = Q()
    for term in condition.terms:
        value = term.value.replace(" ", "-")  # tokens joined by spaces: "pt br" is pt-BR
        if term.prefix:
            combined |= Q(**{f"{column}__istartswith": value})
        else:
            combined |= Q(**{f"{column}__iexact": value})
            if condition.field == "lang":
                combined |= Q(**{f"{column}__istartswith": value + "-"})
    return combined


def search(articles: QuerySet, text: str | Query) -> QuerySet:
    """Narrow `articles` to those matching; exact unless the plan needs a recheck (then use
    `newest_first` or `iter_newest`, which recheck). An empty query leaves them unchanged."""
    query = parse(text) if isinstance(text, str) else text
    return articles if query is None else Plan(query).narrow(articles)


def iter_newest(articles: QuerySet, text: str | Query) -> Iterator:
    """Matching articles newest first, rechecked where needed, read in chunks."""
    query = parse(text) if isinstance(text, str) else text
    ordered = articles.order_by("-sort_at", "-id")
    if query is None:
        yield from ordered.iterator(chunk_size=_RECHECK_CHUNK)
        return
    plan = Plan(query)
    narrowed = plan.narrow(ordered)
    if plan.recheck:
        narrowed = narrowed.select_related("outlet")
    for article in narrowed.iterator(chunk_size=_RECHECK_CHUNK):
        if not plan.recheck or plan.matches(article):
            yield article


def newest_first(articles: QuerySet, text: str | Query, *, offset: int, limit: int) -> list:
    """One page of matching articles, newest first: what the archive list shows.

    Without a recheck a backend may answer faster than sorting every match by walking its
    index from the newest end; it returns exactly the same rows.
    """
    query = parse(text) if isinstance(text, str) else text
    ordered = articles.order_by("-sort_at", "-id")
    if query is None:
        return list(ordered[offset : offset + limit])
    plan = Plan(query)
    if plan.recheck:
        page = []
        for i, article in enumerate(iter_newest(articles, query)):
            if i >= offset + limit:
                break
            if i >= offset:
                page.append(article)
        return page
    if plan.match is None:
        return list(plan.narrow(ordered)[offset : offset + limit])
    narrowed = plan.narrow(ordered, full_text=False)
    return backend().newest_first(narrowed, plan.match, offset=offset, limit=limit)


def ensure_index(using: str = "default") -> bool:
    """After migrations: make sure the full-text index exists and is kept in step."""
    connection_ = connections[using]
    module = _backend_for(connection_.vendor)
    with connection_.cursor() as cursor:
        return module.ensure(cursor)


def rebuild_index(using: str = "default") -> None:
    """After a bulk load (an imported archive): index every article afresh."""
    connection_ = connections[using]
    module = _backend_for(connection_.vendor)
    with connection_.cursor() as cursor:
        for statement in module.DROP:
            cursor.execute(statement)
        module.ensure(cursor)


__all__ = [
    "Plan",
    "QueryError",
    "backend",
    "document",
    "ensure_index",
    "iter_newest",
    "newest_first",
    "parse",
    "rebuild_index",
    "search",
]
