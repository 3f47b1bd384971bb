"""SQLite FTS5 backend: an external-content FTS5 table over title and text, kept by triggers.

The unicode61 tokenizer with diacritics removed makes "Wikipédia" find "Wikipedia".
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.db.models import QuerySet

from commsdesk.monitoring.search.query import SearchQuery

CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS monitoring_article_fts USING fts5(
        title, text, content='monitoring_article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_article_fts_ai AFTER INSERT ON monitoring_article
       BEGIN INSERT INTO monitoring_article_fts(rowid, title, text)
             VALUES (new.id, new.title, new.text); END""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_article_fts_ad AFTER DELETE ON monitoring_article
       BEGIN INSERT INTO monitoring_article_fts(monitoring_article_fts, rowid, title, text)
             VALUES ('delete', old.id, old.title, old.text); END""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_article_fts_au AFTER UPDATE OF title, text
       ON monitoring_article
       BEGIN INSERT INTO monitoring_article_fts(monitoring_article_fts, rowid, title, text)
             VALUES ('delete', old.id, old.title, old.text);
             INSERT INTO monitoring_article_fts(rowid, title, text)
             VALUES (new.id, new.title, new.text); END""",
    "INSERT INTO monitoring_article_fts(monitoring_article_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS monitoring_article_fts_ai",
    "DROP TRIGGER IF EXISTS monitoring_article_fts_ad",
    "DROP TRIGGER IF EXISTS monitoring_article_fts_au",
    "DROP TABLE IF EXISTS monitoring_article_fts",
]


def _phrase(words: tuple[str, ...]) -> str:
    # Every word is quoted, so FTS5 operators typed by a user are searched as plain words.
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def to_match(query: SearchQuery) -> str:
    positive, negative = [], []
    for clause in query.clauses:
        alternatives = " OR ".join(_phrase(words) for words in clause.alternatives)
        group = f"({alternatives})" if len(clause.alternatives) > 1 else alternatives
        (negative if clause.negated else positive).append(group)
    expression = " AND ".join(positive)
    for group in negative:
        expression += f" NOT {group}"
    return expression


def filter(articles: QuerySet, query: SearchQuery) -> QuerySet:  # noqa: A001
    return articles.extra(
        where=[
            "monitoring_article.id IN (SELECT rowid FROM monitoring_article_fts "
            "WHERE monitoring_article_fts MATCH %s)"
        ],
        params=[to_match(query)],
    )


# Newest first without sorting every match: FTS5 walks its doclists from the highest rowid
# down and stops at LIMIT. Rowids grow with fetch time and sort_at never exceeds fetched_at
# (ingest clamps it), so once the page's last row is newer than the oldest fetch in the
# window, nothing outside the window can belong on the page; otherwise the window grows.
# The slack covers workers whose inserts interleave out of fetch order.
_FIRST_WINDOW = 1000
_WINDOW_PER_ROW = 8  # rows of window per row of the page asked for
_MAX_WINDOW = 16_000  # the window's ids are bound parameters: SQLite allows 32,766
_SLACK = timedelta(minutes=10)


def newest_first(articles: QuerySet, query: SearchQuery, *, offset: int, limit: int) -> list:
    need = offset + limit
    window = max(_FIRST_WINDOW, need * _WINDOW_PER_ROW)
    match = to_match(query)
    while window <= _MAX_WINDOW:
        ids = _window(match, window)
        rows = list(articles.filter(pk__in=ids)[:need])
        if len(ids) < window:  # the window holds every match: the answer is exact
            return rows[offset:need]
        oldest_fetch = articles.model.objects.filter(pk=ids[-1]).values_list(
            "fetched_at", flat=True
        )[0]
        if len(rows) == need and rows[-1].sort_at >= oldest_fetch + _SLACK:
            return rows[offset:need]
        window *= 4
    return list(filter(articles, query)[offset:need])


def _window(match: str, window: int) -> list[int]:
    """The rowids of the `window` most recently stored matches, newest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM monitoring_article_fts WHERE monitoring_article_fts MATCH %s "
            "ORDER BY rowid DESC LIMIT %s",
            [match, window],
        )
        return [rowid for (rowid,) in cursor.fetchall()]
