"""SQLite FTS5 backend: an external-content FTS5 table over the folded title and text.

Triggers index `commsdesk_fold(title)` and `commsdesk_fold(text)`, a Python function registered on
every connection (`register`): the saved-search language's own tokens, so accents, capitals and
CJK characters are handled exactly as the matcher handles them. FTS5's `ascii` tokenizer then
only splits on the spaces fold() put there.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.db.models import QuerySet

from commsdesk.pipeline.query import fold

FOLD = "commsdesk_fold"
CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS monitoring_article_fts USING fts5(
        title, text, content='monitoring_article', content_rowid='id', tokenize='ascii')""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_article_fts_ai AFTER INSERT ON monitoring_article
       BEGIN INSERT INTO monitoring_article_fts(rowid, title, text)
             VALUES (new.id, commsdesk_fold(new.title), commsdesk_fold(new.text)); END""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_article_fts_ad AFTER DELETE ON monitoring_article
       BEGIN INSERT INTO monitoring_article_fts(monitoring_article_fts, rowid, title, text)
             VALUES ('delete', old.id, commsdesk_fold(old.title), commsdesk_fold(old.text)); END""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_article_fts_au AFTER UPDATE OF title, text
       ON monitoring_article
       BEGIN INSERT INTO monitoring_article_fts(monitoring_article_fts, rowid, title, text)
             VALUES ('delete', old.id, commsdesk_fold(old.title), commsdesk_fold(old.text));
             INSERT INTO monitoring_article_fts(rowid, title, text)
             VALUES (new.id, commsdesk_fold(new.title), commsdesk_fold(new.text)); END""",
    # Not FTS5's 'rebuild': that would index the raw columns, not their folded form.
    """INSERT INTO monitoring_article_fts(rowid, title, text)
       SELECT id, commsdesk_fold(title), commsdesk_fold(text) FROM monitoring_article""",
]


def register(dbapi_connection) -> None:
    """Make commsdesk_fold() callable from SQL on this connection (the triggers need it)."""
    dbapi_connection.create_function(FOLD, 1, _fold_or_null, deterministic=True)


def _fold_or_null(value: str | None) -> str | None:
    return None if value is None else fold(value)


_OBJECTS = {
    "monitoring_article_fts",
    "monitoring_article_fts_ai",
    "monitoring_article_fts_ad",
    "monitoring_article_fts_au",
}


def ensure(cursor) -> bool:
    """(Re)create the index and its triggers if missing or from before folding; True if it did."""
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN "
        f"({', '.join('%s' for _ in _OBJECTS)})",
        sorted(_OBJECTS),
    )
    found = dict(cursor.fetchall())
    current = (
        set(found) >= _OBJECTS
        and all(
            FOLD in (found[name] or "") for name in _OBJECTS if name.endswith(("_ai", "_ad", "_au"))
        )
        and "ascii" in (found.get("monitoring_article_fts") or "")
    )
    if current:
        return False
    for statement in DROP + CREATE:  # ends with indexing every article
        cursor.execute(statement)
    return True


DROP = [
    "DROP TRIGGER IF EXISTS monitoring_article_fts_ai",
    "DROP TRIGGER IF EXISTS monitoring_article_fts_ad",
    "DROP TRIGGER IF EXISTS monitoring_article_fts_au",
    "DROP TABLE IF EXISTS monitoring_article_fts",
]


def filter(articles: QuerySet, match: str) -> QuerySet:  # noqa: A001
    return articles.extra(
        where=[
            "monitoring_article.id IN (SELECT rowid FROM monitoring_article_fts "
            "WHERE monitoring_article_fts MATCH %s)"
        ],
        params=[match],
    )


def exclude(articles: QuerySet, match: str) -> QuerySet:
    """FTS5 has no unary NOT: the query's top-level exclusions become a NOT IN."""
    return articles.extra(
        where=[
            "monitoring_article.id NOT IN (SELECT rowid FROM monitoring_article_fts "
            "WHERE monitoring_article_fts MATCH %s)"
        ],
        params=[match],
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


def newest_first(articles: QuerySet, match: str, *, offset: int, limit: int) -> list:
    need = offset + limit
    window = max(_FIRST_WINDOW, need * _WINDOW_PER_ROW)
    while window <= _MAX_WINDOW:
        rows = list(_in_window(articles, match, window)[:need])
        oldest_fetch = _oldest_fetch_in_window(match, window)
        if oldest_fetch is None:  # the window holds every match: the answer is exact
            return rows[offset:need]
        if len(rows) == need and rows[-1].sort_at >= oldest_fetch + _SLACK:
            return rows[offset:need]
        window *= 4
    return list(filter(articles, match)[offset:need])


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
