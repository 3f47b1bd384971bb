"""SQLite FTS5 backend: an external-content FTS5 table over title and text, kept by triggers.

The unicode61 tokenizer with diacritics removed makes "Wikipédia" find "Wikipedia".
"""

from __future__ import annotations

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
