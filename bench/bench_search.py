"""Archive search latency, newest first, on a generated archive (1M articles; --quick: 50k).

Prints p50/p95 per query shape for the search backend of the configured database, beside the
same page without a search (the floor) and a LIKE scan (the naive way), measured in this run.
Set BENCH_DATABASE_URL=postgres://... to measure PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
from _figure import figure  # noqa: E402

QUERIES = {
    "common word": "report",
    "mid word": "library",
    "rare word": "zanzibar",
    "two words": "volunteers archive",
    "phrase": '"free knowledge"',
    "OR": "encyclopedia OR enciclopedia",
    "exclusion": "volunteers -election",
}
# A Zipf-distributed vocabulary, as in real text: a few very common words, a long tail of
# rare ones (what the database's statistics and the index's posting lists look like in use).
VOCABULARY = [f"w{rank}" for rank in range(1, 50_001)]
ZIPF = list(accumulate(1 / rank for rank in range(1, 50_001)))
# Topical words at chosen document frequencies, so each query shape has a known selectivity.
TOPICAL = {
    "report": 0.10,
    "volunteers": 0.03,
    "election": 0.01,
    "library": 0.01,
    "archive": 0.01,
    "encyclopedia": 0.005,
    "enciclopedia": 0.002,
    "free knowledge": 0.005,
    "zanzibar": 0.00005,
}
LANGS = ["en", "es", "fr", "de"]


def _text(rng: random.Random) -> tuple[str, str]:
    words = rng.choices(VOCABULARY, cum_weights=ZIPF, k=60)
    words += [word for word, share in TOPICAL.items() if rng.random() < share]
    rng.shuffle(words)
    return " ".join(words[:8]).capitalize(), " ".join(words)


def populate(n: int) -> None:
    from django.db import connection, transaction

    from commsdesk.monitoring.models import Article

    have = Article.objects.count()
    if have >= n:
        return
    rng = random.Random(42 + have)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    print(f"generating {n - have:,} articles (once; kept in var/bench)...", flush=True)
    batch = 5000
    columns = (
        "url, canonical_url, url_hash, title, text, language, language_confidence, "
        "language_decided_by, country, authors, fetched_at, sort_at, extraction_method"
    )
    sql = (
        f"INSERT INTO monitoring_article ({columns}) VALUES "
        "(%s, %s, %s, %s, %s, %s, 1.0, 'bench', '', '[]', %s, %s, 'bench')"
    )
    for offset in range(have, n, batch):
        rows = []
        for i in range(offset, min(offset + batch, n)):
            title, text = _text(rng)
            url = f"https://bench.example/{i}"
            when = start + timedelta(minutes=i)
            rows.append((url, url, f"{i:064x}", title, text, rng.choice(LANGS), when, when))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE monitoring_article")


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tiny", action="store_true", help="2,000 articles (smoke test)")
    parser.add_argument("--articles", type=int)
    args = parser.parse_args(argv)
    n = args.articles or (2_000 if args.tiny else 50_000 if args.quick else 1_000_000)
    _django.setup(f"search-zipf-{n}.sqlite3")
    from django.db import connection

    from commsdesk.monitoring.models import Article
    from commsdesk.monitoring.search import newest_first, search

    populate(n)
    repeat = 5 if args.quick else 20
    everything = Article.objects.all()

    def page(text: str) -> list:
        # The archive page's own call: newest first, 50 rows plus one to know there is more.
        return newest_first(everything, text, offset=0, limit=51)

    floor = timed(lambda: page(""), repeat)
    print(f"\n{connection.vendor}, {everything.count():,} articles, newest first, 51 rows")
    print(f"{'query':<14} {'p50 ms':>8} {'p95 ms':>8} {'hits/page':>9}")
    print(f"{'(no search)':<14} {pct(floor, 0.5):8.2f} {pct(floor, 0.95):8.2f}")
    p50s, p95s = [], []
    for name, text in QUERIES.items():
        times = timed(lambda text=text: page(text), repeat)
        p50s.append(pct(times, 0.5))
        p95s.append(pct(times, 0.95))
        print(f"{name:<14} {p50s[-1]:8.2f} {p95s[-1]:8.2f} {len(page(text)):9d}")
    # The naive plans, for the same-run ratios: sort every match; scan every text.
    common = search(everything, QUERIES["common word"]).order_by("-sort_at", "-id")
    sorted_all = timed(lambda: list(common.values_list("id", flat=True)[:51]), 2)
    rare = everything.filter(text__icontains="zanzibar").order_by("-sort_at", "-id")
    like = timed(lambda: list(rare.values_list("id", flat=True)[:51]), 2)
    print(f"{'naive: sort all matches of the common word':<44} {pct(sorted_all, 0.5):9.2f} ms")
    print(f"{'naive: LIKE scan for the rare word':<44} {pct(like, 0.5):9.2f} ms")
    print(
        f"\nacross query shapes: p50 median {statistics.median(p50s):.2f} ms, worst p95 "
        f"{max(p95s):.2f} ms (targets: 10 and 100 ms); rare word "
        f"{pct(like, 0.5) / p50s[2]:.0f}x faster than a LIKE scan; common word "
        f"{pct(sorted_all, 0.5) / p50s[0]:.1f}x the speed of the plain sorted plan"
    )
    figure(
        f"archive search, {n:,} articles, {connection.vendor}, speed-up over LIKE",
        f"p50 {statistics.median(p50s):.1f} ms, worst p95 {max(p95s):.1f} ms (targets 10/100 ms)",
        f"LIKE scan {pct(like, 0.5):.1f} ms",
        pct(like, 0.5) / statistics.median(p50s),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
