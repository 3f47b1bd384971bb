"""Archive search: the query syntax, and the fast newest-first page agreeing with the plain plan."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from commsdesk.monitoring.models import Article
from commsdesk.monitoring.search import QueryError, newest_first, parse, search
from commsdesk.monitoring.search import sqlite as sqlite_backend
from tests.fixtures.articles import stored_article

pytestmark = pytest.mark.django_db


def test_a_query_that_cannot_parse_raises_a_clear_error_with_its_position():
    with pytest.raises(QueryError) as caught:
        parse('wikipedia AND ("open data"')
    assert caught.value.position == 14 and "never closed" in caught.value.message


def test_an_empty_box_is_no_query_and_leaves_the_archive_unchanged():
    stored_article("a", title="Anything")
    assert parse("  ") is None
    assert list(search(Article.objects.all(), "")) == list(Article.objects.all())


@pytest.fixture
def archive():
    """Fetch order (rowid) and publication order disagree: late finds of old news are mixed in."""
    rng = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(300):
        fetched = start + timedelta(hours=i)
        late_find = rng.random() < 0.5
        published = fetched - timedelta(days=rng.randint(5, 60) if late_find else 0, minutes=5)
        words = rng.sample(["volunteers", "library", "archive", "election", "museum"], 2)
        rows.append(
            Article(
                url=f"https://x.example/{i}",
                canonical_url=f"https://x.example/{i}",
                url_hash=f"{i:064x}",
                title=f"Story {i}",
                text=" ".join(words),
                language="en",
                fetched_at=fetched,
                published_at=published,
                sort_at=published,
            )
        )
    Article.objects.bulk_create(rows)


@pytest.mark.parametrize(
    "text",
    [
        "volunteers",
        "library archive",
        "museum OR election",
        "volunteers -museum",
        "nothing-at-all",
        "title:(story AND 12*)",
    ],
)
@pytest.mark.parametrize("offset", [0, 10, 40])
def test_the_newest_first_page_is_exactly_the_plain_sorted_page(archive, monkeypatch, text, offset):
    # A window as small as the page, so late finds in it force the window to grow.
    monkeypatch.setattr(sqlite_backend, "_FIRST_WINDOW", 1)
    monkeypatch.setattr(sqlite_backend, "_WINDOW_PER_ROW", 1)
    everything = Article.objects.all()
    plain = search(everything, text).order_by("-sort_at", "-id")[offset : offset + 10]

    fast = newest_first(everything, text, offset=offset, limit=10)

    assert [a.pk for a in fast] == [a.pk for a in plain]


@pytest.mark.django_db(transaction=True)
def test_the_index_is_restored_after_a_migration_rebuilds_the_articles_table():
    """On SQLite, altering a field rebuilds the table and drops the FTS triggers."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for trigger in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER monitoring_article_fts_{trigger}")
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate still runs

    stored_article("museum", title="Museum opens", text="A new museum.")
    assert [a.title for a in search(Article.objects.all(), "museum")] == ["Museum opens"]


@pytest.mark.django_db(transaction=True)
def test_postgres_rebuilds_the_index_once_when_the_fold_function_changes():
    """E.g. unaccent became available: stored vectors must be recomputed, not left stale."""
    from django.db import connection

    from commsdesk.monitoring.search import ensure_index

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    stored_article("accent", title="Wikipédia", text="Les éditeurs.")
    assert ensure_index() is False  # current: nothing to do
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION commsdesk_fold(t text) RETURNS text "
            "LANGUAGE sql IMMUTABLE AS $$ SELECT lower(coalesce(t, '')) $$"
        )

    assert ensure_index() is True
    assert ensure_index() is False
    assert [a.title for a in search(Article.objects.all(), "wikipedia")] == ["Wikipédia"]
