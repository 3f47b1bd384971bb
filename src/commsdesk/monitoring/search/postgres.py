"""PostgreSQL backend: a stored tsvector over the folded title (weight A) and text (B), GIN-indexed.

`commsdesk_fold()` (SQL, immutable) lower-cases, strips accents with `unaccent` where the extension
can be created, and puts spaces around CJK/Thai characters, approximating `pipeline.query.fold` so
lexemes equal the matcher's tokens. The 'simple' configuration: no stemming, every language alike.
"""

from __future__ import annotations

from django.db import DatabaseError, transaction
from django.db.models import QuerySet

# Scripts written without spaces, as in pipeline.query: Thai, Lao, Myanmar, Hangul Jamo, Khmer,
# kana, CJK ideographs (+ extension A, compatibility), Hangul syllables, half-width kana.
_CHAR_RANGES = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_SPACE_CHARS = f"regexp_replace(%s, '([{_CHAR_RANGES}])', ' \\1 ', 'g')"
_FOLD_BODY = {
    True: _SPACE_CHARS
    % "lower(public.unaccent('public.unaccent'::regdictionary, coalesce(t, '')))",
    False: _SPACE_CHARS % "lower(coalesce(t, ''))",
}
VECTOR = (
    "setweight(to_tsvector('simple', commsdesk_fold(title)), 'A') || "
    "setweight(to_tsvector('simple', commsdesk_fold(text)), 'B')"
)
CREATE = [
    f"""ALTER TABLE monitoring_article ADD COLUMN IF NOT EXISTS search_vector tsvector
       GENERATED ALWAYS AS ({VECTOR}) STORED""",
    """CREATE INDEX IF NOT EXISTS monitoring_article_search_gin
       ON monitoring_article USING GIN (search_vector)""",
    # With the default statistics a word outside the ~1,000 most common is guessed to match
    # 0.3% of rows, so the planner walks the date index and filters a million rows to find
    # fifty (~1 s at 1M). A 10x larger sample lists 10,000 common words and guesses rare
    # ones low: rare words then go through the GIN index (~2 ms). ANALYZE costs more; queries
    # don't.
    "ALTER TABLE monitoring_article ALTER COLUMN search_vector SET STATISTICS 10000",
]
DROP = [
    "DROP INDEX IF EXISTS monitoring_article_search_gin",
    "ALTER TABLE monitoring_article DROP COLUMN IF EXISTS search_vector",
]


def ensure(cursor) -> bool:
    """Create the fold function, then the column and index; an index built before folding is
    dropped and rebuilt once. Returns True when it (re)built the column."""
    accents = _unaccent_available(cursor)
    body = " SELECT " + _FOLD_BODY[accents] + " "
    cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'commsdesk_fold'")
    found = cursor.fetchone()
    # A generated column is not recomputed when its function changes (unaccent became
    # available, or a new commsdesk folds differently): then the column is rebuilt below.
    changed = found is not None and found[0] != body
    cursor.execute(
        "CREATE OR REPLACE FUNCTION commsdesk_fold(t text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fold${body}$fold$"
    )
    cursor.execute(
        "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
        "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
        "WHERE d.adrelid = 'monitoring_article'::regclass AND a.attname = 'search_vector'"
    )
    row = cursor.fetchone()
    rebuilt = row is None or "commsdesk_fold" not in row[0] or changed
    if row is not None and rebuilt:
        for statement in DROP:
            cursor.execute(statement)
    for statement in CREATE:
        cursor.execute(statement)
    return rebuilt


def _unaccent_available(cursor) -> bool:
    """The unaccent extension is trusted since PostgreSQL 13, so the database owner may create
    it; where that is refused, search still works, only accent-sensitive."""
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
    if cursor.fetchone():
        return True
    try:
        with transaction.atomic(using=cursor.db.alias):
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except DatabaseError:
        return False
    return True


def filter(articles: QuerySet, match: str) -> QuerySet:  # noqa: A001
    return articles.extra(
        where=["monitoring_article.search_vector @@ to_tsquery('simple', %s)"], params=[match]
    )


def exclude(articles: QuerySet, match: str) -> QuerySet:
    return articles.extra(
        where=["NOT (monitoring_article.search_vector @@ to_tsquery('simple', %s))"],
        params=[match],
    )


def newest_first(articles: QuerySet, match: str, *, offset: int, limit: int) -> list:
    # The planner picks between the sort_at index (common words) and the GIN index (rare ones).
    return list(filter(articles, match)[offset : offset + limit])
