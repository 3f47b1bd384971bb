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
_OBJECTS = {
    "monitoring_article_fts",
    "monitoring_article_fts_ai",
    "monitoring_article_fts_ad",
    "monitoring_article_fts_au",
}


def ensure(cursor) -> bool:
    """Recreate the index and its triggers if a table rebuild dropped them; True if it did."""
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN "
        f"({', '.join('%s' for _ in _OBJECTS)})",
        sorted(_OBJECTS),
    )
    if {name for (name,) in cursor.fetchall()} >= _OBJECTS:
        return False
    for statement in CREATE:  # ends with a rebuild from the articles table
        cursor.execute(statement)
    return True


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
# Each step reads its whole window from the table (a rowid look-up per row), so start small:
# when publication follows fetching closely, twice the page settles it in one step.
_FIRST_WINDOW = 100
_WINDOW_PER_ROW = 2  # rows of window per row of the page asked for
_MAX_WINDOW = 256_000
_SLACK = timedelta(minutes=10)


def newest_first(articles: QuerySet, query: SearchQuery, *, offset: int, limit: int) -> list:
    need = offset + limit
    window = max(_FIRST_WINDOW, need * _WINDOW_PER_ROW)
    match = to_match(query)
    while window <= _MAX_WINDOW:
        rows = list(_in_window(articles, match, window)[:need])
        oldest_fetch = _oldest_fetch_in_window(match, window)
        if oldest_fetch is None:  # the window holds every match: the answer is exact
            return rows[offset:need]
        if len(rows) == need and rows[-1].sort_at >= oldest_fetch + _SLACK:
            return rows[offset:need]
        window *= 4
    return list(filter(articles, query)[offset:need])


def _window_sql(window: int) -> str:
    return (
        "SELECT rowid FROM monitoring_article_fts WHERE monitoring_article_fts MATCH %s "
        f"ORDER BY rowid DESC LIMIT {int(window)}"
    )


def _in_window(articles: QuerySet, match: str, window: int) -> QuerySet:
    return articles.extra(
        where=[f"monitoring_article.id IN ({_window_sql(window)})"], params=[match]
    )


def _oldest_fetch_in_window(match: str, window: int):
    """fetched_at of the window's lowest rowid, or None when the window is not full."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), min(rowid) FROM ({_window_sql(window)})", [match])
        size, lowest = cursor.fetchone()
        if size < window:
            return None
    from commsdesk.monitoring.models import Article

    return Article.objects.filter(pk=lowest).values_list("fetched_at", flat=True).first()
