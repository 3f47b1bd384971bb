"""Full-text search over articles behind one interface, with a backend per database.

SQLite uses an FTS5 table kept in step by triggers; PostgreSQL a tsvector column with a GIN
index. Both take the same small query syntax (words, "phrases", OR, -exclusions), parsed once
in `query.py`; the full saved-search language arrives with saved searches.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from commsdesk.monitoring.search.query import SearchQuery, parse


def backend():
    return _backend_for(connection.vendor)


def _backend_for(vendor: str):
    if vendor == "postgresql":
        from commsdesk.monitoring.search import postgres

        return postgres
    from commsdesk.monitoring.search import sqlite

    return sqlite


def search(articles: QuerySet, text: str) -> QuerySet:
    """Narrow `articles` to those matching `text`; an empty query leaves them unchanged."""
    query = parse(text)
    if query.is_empty:
        return articles
    return backend().filter(articles, query)


def newest_first(articles: QuerySet, text: str, *, offset: int, limit: int) -> list:
    """One page of `articles` matching `text`, newest first: what the archive list shows.

    A backend may answer faster than `search(...).order_by(...)` by walking its index from the
    newest end; it must return exactly the same rows.
    """
    query = parse(text)
    ordered = articles.order_by("-sort_at", "-id")
    if query.is_empty:
        return list(ordered[offset : offset + limit])
    return backend().newest_first(ordered, query, offset=offset, limit=limit)


def ensure_index(using: str = "default") -> bool:
    """After migrations: make sure the full-text index exists and is kept in step."""
    from django.db import connections

    connection_ = connections[using]
    module = _backend_for(connection_.vendor)
    with connection_.cursor() as cursor:
        return module.ensure(cursor)


__all__ = ["SearchQuery", "parse", "search", "newest_first", "backend", "ensure_index"]
