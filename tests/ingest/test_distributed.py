"""Distributed mode end to end: 2 RQ workers and the scheduler as real processes on PostgreSQL and
Redis, thousands of articles from a local site, one worker SIGKILLed mid-run and restarted.

Runs in `make test`'s PostgreSQL pass; skips when the database is SQLite or Redis is not
answering. COMMSDESK_DISTRIBUTED_ARTICLES chooses the number of articles (5,000 by default).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection

from commsdesk.monitoring.models import (
    AlertRule,
    Article,
    Delivery,
    Item,
    Mention,
    SavedSearch,
    Source,
)
from tests.fixtures.site import HTML, RSS, article_html, rss
from tests.servers import Request, Route
from tests.workers import ROOT, database_url, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed]

REDIS_URL = os.environ.get("COMMSDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
ARTICLES = int(os.environ.get("COMMSDESK_DISTRIBUTED_ARTICLES", "5000"))
FEEDS = 25
EVERY_NTH_MATCHES = 50  # one article in 50 names the watched word, and each must alert once
WORDS = (
    "library archive volunteer editor museum river harbour council school festival bridge "
    "market railway garden theatre hospital village island mountain forest valley coast "
    "history science music language map photograph newspaper reporter election budget"
).split()


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not answering at {REDIS_URL}")
    return client


def _page(i: int, rng: random.Random) -> bytes:
    # Distinct words per page, so no two articles fold into one story (alerts go per story).
    paragraphs = tuple(
        " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + f" (Report {i}-{p}.)"
        for p in range(3)
    )
    if i % EVERY_NTH_MATCHES == 0:
        paragraphs = (f"Zanzibar libraries opened a new reading room, number {i}.", *paragraphs)
    return article_html(f"Dispatch {i}: {rng.choice(WORDS)} {rng.choice(WORDS)}", paragraphs)


def _serve_site(server) -> list[str]:
    rng = random.Random(10)
    feeds = []
    per_feed = -(-ARTICLES // FEEDS)
    for f in range(FEEDS):
        links = []
        for i in range(f * per_feed, min((f + 1) * per_feed, ARTICLES)):
            server.add(f"/a/{i}.html", Route(_page(i, rng), 200, HTML))
            links.append((f"/a/{i}.html", f"Dispatch {i}"))
        feeds.append(server.add(f"/feed/{f}.xml", Route(rss(server, links), 200, RSS)))
    return feeds


def _start(command: list[str], log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "COMMSDESK_TASK_BACKEND": "rq",
        "REDIS_URL": REDIS_URL,
        "COMMSDESK_ALLOW_PRIVATE_NETWORKS": "1",
        "COMMSDESK_POLITENESS_DELAY": "0",  # one local host serves every page
        "COMMSDESK_LEASE_SECONDS": "30",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "commsdesk", *command],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # SIGKILL the whole process group: nothing of it survives
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def test_two_rq_workers_one_killed_mid_run_lose_and_duplicate_nothing(
    server, team, member, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("distributed mode runs on PostgreSQL (DATABASE_URL=postgres://...)")
    redis = _redis()
    redis.flushdb()
    hooks: list[dict] = []

    def receiver(request: Request) -> Route:
        hooks.append(json.loads(request.body))
        return Route(b"ok")

    search = SavedSearch.objects.create(team=team, name="Zanzibar", query="zanzibar")
    AlertRule.objects.create(
        saved_search=search,
        user=member,
        channel=AlertRule.Channel.WEBHOOK,
        target=server.add("/hook", receiver),
    )
    for n, url in enumerate(_serve_site(server)):
        Source.objects.create(name=f"Wire {n}", url=url)

    log = (tmp_path / "processes.log").open("w")
    worker = ["worker"]
    processes = [_start(worker, log), _start(worker, log)]
    processes.append(_start(["scheduler", "--interval", "1", "--sweep-every", "5"], log))
    started = time.monotonic()
    stored = Article.objects.all()
    try:
        assert wait_until(lambda: stored.count() >= ARTICLES // 3, 600), "ingest never got going"
        victim = processes[0]
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(10)
        killed_at = stored.count()
        assert killed_at < ARTICLES, "the kill came too late to test anything"
        processes[0] = _start(worker, log)

        decided = Item.objects.filter(decided_at__isnull=False)
        assert wait_until(lambda: decided.count() >= ARTICLES, 900), (
            f"{decided.count()} of {ARTICLES} items decided; see {log.name}"
        )
        pending = Delivery.objects.exclude(state=Delivery.State.SENT)
        matches = ARTICLES // EVERY_NTH_MATCHES + (ARTICLES % EVERY_NTH_MATCHES > 0)
        assert wait_until(
            lambda: Delivery.objects.count() == matches and not pending.exists(), 120
        ), f"alerts not all sent: {list(pending.values_list('state', 'error')[:3])}"
    finally:
        for process in processes:
            _stop(process)
        log.close()
    elapsed = time.monotonic() - started

    states = Counter(Item.objects.values_list("state", flat=True))
    assert Item.objects.count() == ARTICLES
    assert states == {"stored": ARTICLES}, states
    assert Article.objects.count() == ARTICLES  # none lost, none stored twice
    assert Article.objects.values("url").distinct().count() == ARTICLES
    assert set(Item.objects.values_list("article_id", flat=True)) == set(
        Article.objects.values_list("pk", flat=True)
    )
    assert Mention.objects.filter(saved_search=search).count() == matches
    alerted = Counter(story["title"] for hook in hooks for story in hook["stories"])
    assert len(alerted) == matches and set(alerted.values()) == {1}, alerted.most_common(3)
    print(
        f"\n{ARTICLES} articles, 2 RQ workers (one SIGKILLed at {killed_at} stored), "
        f"{elapsed:.0f} s: {ARTICLES / elapsed:.1f} articles/s"
    )
