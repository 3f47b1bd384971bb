"""Campaign report speed: `build_report` and the whole web page over 100k generated mentions
(--quick: 20k), target ≤ 2 s for the page on the 2-core machine.

Generated data: a few hundred outlets (tiers, some without an audience figure), syndicated
stories of 2-6 copies, eight languages, two peers, three key messages with presences and
sentiment at every level. The same-run ratio is against reading every mention row into Python
to count stories, placements and outlets alone (what the aggregate queries avoid).
Set BENCH_DATABASE_URL=postgres://... to measure PostgreSQL.

    python bench/bench_report.py [--quick] [--keep]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

START = date(2026, 1, 1)
DAYS = 90
LANGUAGES = ("en", "es", "fr", "pt", "ar", "ja", "sw", "de")
LABELS = ("positive", "neutral", "negative", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20k mentions instead of 100k")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args(argv)
    n = 20_000 if args.quick else 100_000
    name = f"report-{n}.sqlite3"
    _django.setup(name)
    try:
        campaign = populate(n)
        measure(campaign)
    finally:
        if not args.keep:
            from django.db import connection

            connection.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                (_django.ROOT / "var" / "bench" / f"{name}{suffix}").unlink(missing_ok=True)
    return 0


def populate(n: int):
    from django.db import connection, transaction

    from commsdesk.accounts.models import Team
    from commsdesk.campaigns.models import Campaign, KeyMessage, Peer
    from commsdesk.monitoring.models import Mention, SavedSearch

    found = Campaign.objects.filter(name="Bench campaign").first()
    if found and Mention.objects.filter(saved_search__in=found.searches.all()).count() >= n:
        return found
    print(f"generating {n:,} campaign mentions and {n // 5 * 2:,} peer mentions...", flush=True)
    rng = random.Random(6)
    began = time.perf_counter()
    with transaction.atomic():
        team = Team.objects.create(name="Bench", slug="bench")
        ours = SavedSearch.objects.create(team=team, name="Us", query="us")
        peers = [
            SavedSearch.objects.create(team=team, name=f"Peer {i}", query=f"p{i}") for i in (1, 2)
        ]
        campaign = Campaign.objects.create(
            team=team, name="Bench campaign", starts_on=START, ends_on=START + timedelta(DAYS - 1)
        )
        campaign.searches.set([ours])
        for i, search in enumerate(peers, start=1):
            Peer.objects.create(campaign=campaign, name=f"Peer {i}", saved_search=search)
        messages = [
            KeyMessage.objects.create(campaign=campaign, text=f"Message {i}") for i in range(3)
        ]
        outlets = _outlets(rng, 300)
        articles = _articles(rng, n + n // 5 * 2, outlets)
        _mentions(rng, articles[:n], ours)
        for i, search in enumerate(peers):
            # Peers: their own articles plus some they share with us.
            share = articles[n + i * (n // 5) : n + (i + 1) * (n // 5)] + articles[: n // 50]
            _mentions(rng, share, search)
        _presences(rng, articles[:n], messages)
    print(f"generated in {time.perf_counter() - began:.0f} s", flush=True)
    if connection.vendor == "postgresql":  # fresh statistics, or the planner guesses
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return campaign


def _outlets(rng: random.Random, count: int) -> list:
    from commsdesk.monitoring.models import Outlet

    rows = [
        Outlet(
            name=f"Outlet {i}",
            domain=f"o{i}.example",
            tier=rng.choice([1, 2, 2, 3, 3, 3, None]),
            type=rng.choice([c for c, _ in Outlet.Type.choices]),
            country=rng.choice(["GB", "KE", "AR", "FR", "JP", ""]),
            monthly_audience=None if rng.random() < 0.2 else int(rng.paretovariate(1.2) * 300),
            audience_source="Bench panel",
        )
        for i in range(count)
    ]
    return Outlet.objects.bulk_create(rows)


def _articles(rng: random.Random, count: int, outlets: list) -> list:
    """Articles over DAYS days; about a third are copies in syndicated stories of 2-6."""
    from commsdesk.monitoring.models import Article, Story

    rows, stories_needed = [], []
    i = 0
    while i < count:
        when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(DAYS * 1440))
        copies = rng.randint(2, 6) if rng.random() < 0.12 else 1
        story_index = len(stories_needed) if copies > 1 else None
        if copies > 1:
            stories_needed.append(when)
        language = rng.choice(LANGUAGES)
        for _ in range(min(copies, count - i)):
            url = f"https://bench.example/{i}"
            rows.append(
                (
                    story_index,
                    Article(
                        url=url,
                        canonical_url=url,
                        url_hash=hashlib.sha256(url.encode()).hexdigest(),
                        outlet=rng.choice(outlets),
                        language=language,
                        sort_at=when + timedelta(minutes=rng.randrange(600)),
                        sentiment=rng.choice(LABELS),
                        title=f"Bench story {i}",
                        text="Generated.",
                    ),
                )
            )
            i += 1
    stories = Story.objects.bulk_create([Story(first_seen=w, last_seen=w) for w in stories_needed])
    for index, article in rows:
        if index is not None:
            article.story = stories[index]
    return Article.objects.bulk_create([a for _, a in rows], batch_size=2000)


def _mentions(rng: random.Random, articles: list, search) -> None:
    from commsdesk.monitoring.models import Mention

    rows = [
        Mention(
            saved_search=search,
            article=a,
            sort_at=a.sort_at,
            state=Mention.State.HIDDEN if rng.random() < 0.02 else Mention.State.NEW,
            stance=rng.choice(LABELS) if rng.random() < 0.4 else None,
            sentiment_override=rng.choice(["positive", "negative"]) if rng.random() < 0.01 else "",
        )
        for a in articles
    ]
    Mention.objects.bulk_create(rows, batch_size=2000)


def _presences(rng: random.Random, articles: list, messages: list) -> None:
    from commsdesk.campaigns.models import MessagePresence

    rows = [
        MessagePresence(key_message=message, article=a, prominence=rng.choice([1, 1, 2]), score=90)
        for a in articles
        for message in messages
        if rng.random() < 0.15
    ]
    MessagePresence.objects.bulk_create(rows, batch_size=2000)


def measure(campaign) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from commsdesk.accounts.models import Membership
    from commsdesk.campaigns import assemble, metrics
    from commsdesk.campaigns.periods import Period

    settings.ALLOWED_HOSTS = ["*"]
    end = START + timedelta(DAYS - 1)
    user, _ = get_user_model().objects.get_or_create(username="bench")
    Membership.objects.get_or_create(user=user, team=campaign.team, defaults={"role": "editor"})
    client = Client()
    client.force_login(user)
    url = f"/campaigns/{campaign.pk}/report/?start={START}&end={end}"
    mentions = metrics.mentions(campaign, Period(START, end)).count()

    def build():
        return assemble.build_report(campaign, START, end)

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    build()  # warm up: imports, the chart renderer, the database's caches
    builds = _timed(build, 3)
    pages = _timed(page, 3)
    naive = _timed(lambda: _python_counts(campaign, Period(START, end)), 1)
    print(f"\n{connection.vendor}, {mentions:,} campaign mentions over {DAYS} days")
    print(f"build_report: median {statistics.median(builds):.2f} s ({_fmt(builds)})")
    print(
        f"web page (build + charts + HTML): median {statistics.median(pages):.2f} s "
        f"({_fmt(pages)}), target ≤ 2 s"
    )
    print(
        "baseline, reading every mention row into Python to count stories/placements/outlets "
        f"alone: {naive[0]:.2f} s; the whole report (every figure, table and the previous "
        f"period) costs {statistics.median(builds) / naive[0]:.1f}x that one count"
    )


def _python_counts(campaign, period) -> tuple[int, int, int]:
    from commsdesk.campaigns import metrics

    stories, placements, outlets = set(), set(), set()
    rows = metrics.mentions(campaign, period).values_list(
        "article_id", "article__story_id", "article__outlet_id"
    )
    for article, story, outlet in rows.iterator(chunk_size=5000):
        placements.add(article)
        stories.add(story or f"a{article}")
        outlets.add(outlet)
    return len(stories), len(placements), len(outlets)


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return times


def _fmt(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    sys.exit(main())
