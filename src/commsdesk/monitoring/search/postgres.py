"""PostgreSQL backend: a stored tsvector column (title weighted A, text B) with a GIN index.

The 'simple' configuration (no stemming) because coverage arrives in every language; a
per-language configuration is a later refinement.
"""

from __future__ import annotations

from django.db.models import QuerySet

from commsdesk.monitoring.search.query import SearchQuery

CREATE = [
    """ALTER TABLE monitoring_article ADD COLUMN IF NOT EXISTS search_vector tsvector
       GENERATED ALWAYS AS (
         setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
         setweight(to_tsvector('simple', coalesce(text, '')), 'B')) STORED""",
    """CREATE INDEX IF NOT EXISTS monitoring_article_search_gin
       ON monitoring_article USING GIN (search_vector)""",
    # With the default statistics a word outside the ~1,000 most common is guessed to match
    # 0.3% of rows, so the planner walks the date index and filters a million rows to find
    # fifty (~1 s at 1M). A 10x larger sample lists 10,000 common words and guesses rare
    # ones low: rare words then go through the GIN index (~2 ms). ANALYZE costs more; queries
    # don't.
    "ALTER TABLE monitoring_article ALTER COLUMN search_vector SET STATISTICS 10000",
]


def ensure(cursor) -> bool:
    """The column, index and statistics setting survive ALTER TABLE on PostgreSQL; the
    statements are idempotent, so running them again is cheap and harmless."""
    for statement in CREATE:
        cursor.execute(statement)
    return False


DROP = [
    "DROP INDEX IF EXISTS monitoring_article_search_gin",
    "ALTER TABLE monitoring_article DROP COLUMN IF EXISTS search_vector",
]


def _phrase(words: tuple[str, ...]) -> str:
    # Words come from \w+ so they hold no tsquery operators; quoting guards the rest.
    return " <-> ".join("'" + w.replace("'", "''") + "'" for w in words)


def to_tsquery(query: SearchQuery) -> str:
    parts = []
    for clause in query.clauses:
        alternatives = " | ".join(f"({_phrase(words)})" for words in clause.alternatives)
        parts.append(f"!({alternatives})" if clause.negated else f"({alternatives})")
    return " & ".join(parts)


def filter(articles: QuerySet, query: SearchQuery) -> QuerySet:  # noqa: A001
    return articles.extra(
        where=["monitoring_article.search_vector @@ to_tsquery('simple', %s)"],
        params=[to_tsquery(query)],
    )


def newest_first(articles: QuerySet, query: SearchQuery, *, offset: int, limit: int) -> list:
    # The planner picks between the sort_at index (common words) and the GIN index (rare ones).
    return list(filter(articles, query)[offset : offset + limit])
