"""Trends throughput: spike checks per search-hour and emerging-terms documents per second.

Generated data (no corpus, no database): hourly series for many saved searches and Zipf-like
texts. Ratios are against same-run baselines: spike detection against recomputing the full
median/MAD for every hour (no cheap exit), emerging terms against bare tokenisation of the same
texts (the floor any term counting pays).

    python bench/bench_trends.py [--quick]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Measure this checkout's code, not whichever commsdesk happens to be installed.
sys.path.insert(0, str(ROOT / "src"))
from commsdesk.pipeline import trends  # noqa: E402
from commsdesk.pipeline.query import tokenize  # noqa: E402

T0 = datetime(2026, 3, 2, tzinfo=UTC)
H = timedelta(hours=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer searches and documents")
    args = parser.parse_args(argv)
    rng = random.Random(11)
    _spikes(rng, searches=300 if args.quick else 3_000)
    _terms(rng, docs=1_500 if args.quick else 9_000)
    return 0


def _spikes(rng: random.Random, searches: int) -> None:
    """Each search: a week of history plus the 3 hours detection re-examines every run."""
    series = []
    for _ in range(searches):
        rate = rng.choice([0.1, 0.5, 2, 8])
        counts = {T0 + i * H: _poisson(rng, rate) for i in range(171)}
        series.append(counts)
    hours = [T0 + (168 + i) * H for i in range(3)]
    started = time.perf_counter()
    found = sum(len(trends.find_spikes(c, hours)) for c in series)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for counts in series:
        for hour in hours:
            history = trends.dense_hours(counts, hour - 168 * H, hour)
            statistics.median(history)
    naive = time.perf_counter() - started
    checks = searches * len(hours)
    print(
        f"spikes: {checks / ours:,.0f} search-hours/s ({found} spikes in {searches:,} searches); "
        f"{naive / ours:.1f}x a full median every hour"
    )


def _terms(rng: random.Random, docs: int) -> None:
    vocab = [f"w{i}" for i in range(20_000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    texts = [" ".join(rng.choices(vocab, weights, k=70)) for _ in range(docs)]
    recent, earlier = texts[: docs // 3], texts[docs // 3 :]
    started = time.perf_counter()
    trends.emerging_terms(recent, earlier, language="en")
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        tokenize(text)
    bare = time.perf_counter() - started
    print(
        f"emerging terms: {docs / ours:,.0f} docs/s ({docs:,} docs of 70 words); "
        f"{ours / bare:.1f}x the time of bare tokenisation"
    )


def _poisson(rng: random.Random, rate: float) -> int:
    # Knuth's method: enough for small rates, and the stdlib has no Poisson sampler.
    limit, k, p = math.exp(-rate), 0, 1.0
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


if __name__ == "__main__":
    raise SystemExit(main())
