"""Workers storing copies of one story at the same moment: counters never drift from the rows.

Runs on whichever database the suite runs on; on PostgreSQL the joins really overlap.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from commsdesk.ingest.store import store_article
from commsdesk.monitoring import stories as editing
from commsdesk.monitoring.models import Article, Outlet, Source, Story
from commsdesk.pipeline.records import Article as ArticleRecord
from commsdesk.pipeline.records import LanguageGuess

pytestmark = pytest.mark.django_db(transaction=True)

BODY = " ".join(
    f"Paragraph {i}: volunteers across the region wrote the history of their towns in the "
    f"encyclopedia, and librarians opened archive number {i} for the weekend."
    for i in range(12)
)


def record(n: int) -> ArticleRecord:
    url = f"https://outlet{n}.example/news/editathon"
    return ArticleRecord(
        url=url,
        canonical_url=url,
        url_hash=hashlib.sha256(url.encode()).hexdigest(),
        title=f"Edit-a-thon (copy {n})",
        text=BODY + f" Republished by outlet {n}.",
        language=LanguageGuess("en", 0.9, "test"),
        published=timezone.now() - timedelta(hours=1),
        authors=(),
        extraction_method="test",
    )


def source(n: int) -> Source:
    outlet = Outlet.objects.create(name=f"Outlet {n}", domain=f"outlet{n}.example")
    return Source.objects.create(name=f"s{n}", url=f"https://outlet{n}.example/feed", outlet=outlet)


def in_threads(targets: list) -> None:
    barrier = threading.Barrier(len(targets))

    def run(target) -> None:
        try:
            barrier.wait()
            target()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


def assert_counters_match_rows() -> None:
    for story in Story.objects.all():
        rows = Article.objects.filter(story=story).aggregate(
            n=Count("id"), outlets=Count("outlet", distinct=True)
        )
        assert (story.size, story.outlet_count) == (rows["n"], rows["outlets"]), story


def test_copies_stored_at_once_never_make_the_counters_drift():
    sources = [source(n) for n in range(5)]
    original, _ = store_article(record(0), source=sources[0])

    in_threads([lambda n=n: store_article(record(n), source=sources[n]) for n in range(1, 5)])

    assert Article.objects.count() == 5
    assert Article.objects.filter(story=original.story).count() == 5
    assert_counters_match_rows()


def test_a_person_splitting_while_copies_arrive_leaves_counters_right():
    sources = [source(n) for n in range(6)]
    first, _ = store_article(record(0), source=sources[0])
    second, _ = store_article(record(1), source=sources[1])
    story = Story.objects.get(pk=first.story_id)

    in_threads(
        [lambda: editing.split(story, [second.pk], actor=None)]
        + [lambda n=n: store_article(record(n), source=sources[n]) for n in range(2, 6)]
    )

    assert Article.objects.filter(story__isnull=True).count() == 0
    assert_counters_match_rows()
