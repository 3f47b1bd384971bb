"""Races between schedulers and workers, and a worker killed mid-batch.

These run on whichever database the suite runs on; CI runs them on SQLite and PostgreSQL.
"""

from __future__ import annotations

import signal
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from commsdesk.ingest import schedule
from commsdesk.ingest.fetching import make_fetcher
from commsdesk.ingest.items import process_pending
from commsdesk.ingest.sources import poll_source
from commsdesk.ingest.store import store_article
from commsdesk.ingest.tasks import fetch_source
from commsdesk.monitoring.models import Article, Item, Source
from commsdesk.pipeline.records import Article as ArticleRecord
from commsdesk.pipeline.records import LanguageGuess
from tests.fixtures.site import HTML, PARAGRAPHS, RSS, article_html, rss, serve_gazette
from tests.servers import Route
from tests.workers import start_worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

FINAL = {"stored", "duplicate", "filtered", "quarantined"}


def in_threads(target, n: int = 2) -> list:
    results: list = [None] * n
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_schedulers_never_claim_one_source_twice():
    past = timezone.now() - timedelta(minutes=1)
    Source.objects.bulk_create(
        Source(name=f"s{i}", url=f"https://example.org/{i}.xml", next_fetch_at=past)
        for i in range(40)
    )

    first, second = in_threads(lambda: schedule.claim_due_sources(limit=100))

    assert not set(first) & set(second)
    assert len(first) + len(second) == 40


def test_two_workers_storing_one_article_store_it_once():
    record = ArticleRecord(
        url="https://example.org/a",
        canonical_url="https://example.org/a",
        url_hash="f" * 64,
        title="A",
        text="Some text",
        language=LanguageGuess("en", 0.9, "test"),
        published=None,
        authors=(),
        extraction_method="test",
    )

    results = in_threads(lambda: store_article(record, source=None)[1])

    assert sorted(results) == [False, True]
    assert Article.objects.filter(url_hash="f" * 64).count() == 1


def test_two_workers_on_one_source_give_each_item_one_outcome(server):
    source = Source.objects.create(name="Gazette", url=serve_gazette(server))
    with make_fetcher() as fetcher:
        poll_source(source, fetcher)

    def work() -> int:
        with make_fetcher() as fetcher:
            return process_pending(fetcher, source_id=source.pk)

    done = in_threads(work)

    assert sum(done) == 6  # every item processed by exactly one of the two workers
    assert Article.objects.count() == 2
    assert all(item.attempts == 1 for item in source.items.all())


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(server):
    """SIGKILL a real worker process while it is inside a batch; a new one finishes the job."""
    pages = 12
    for i in range(pages):
        text = tuple(f"{p} (Page {i}.)" for p in PARAGRAPHS["volunteers"])
        server.add(
            f"/p{i}.html", Route(article_html(f"Story number {i}", text), 200, HTML, delay=0.4)
        )
    links = [(f"/p{i}.html", f"Story {i}") for i in range(pages)]
    source = Source.objects.create(
        name="Slow site", url=server.add("/feed.xml", Route(rss(server, links), 200, RSS))
    )
    worker = start_worker(COMMSDESK_LEASE_SECONDS="2")
    try:
        fetch_source.enqueue(source.pk)
        decided = Item.objects.filter(source=source, decided_at__isnull=False)
        assert wait_until(lambda: decided.count() >= 3, 60), "worker never started the batch"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    undecided = Item.objects.filter(source=source, decided_at__isnull=True)
    assert undecided.exists(), "the kill came too late to test anything"
    assert undecided.filter(claimed_until__isnull=False).count() <= 1  # the one in flight

    time.sleep(2.2)  # let the dead worker's lease run out
    worker = start_worker(COMMSDESK_LEASE_SECONDS="2")
    try:
        from commsdesk.ingest.tasks import process_items

        process_items.enqueue()
        assert wait_until(lambda: not undecided.exists(), 60), "items left undecided"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(10)

    states = list(source.items.values_list("state", flat=True))
    assert len(states) == pages and set(states) <= FINAL
    assert states.count("stored") == pages
    assert Article.objects.filter(source=source).count() == pages
