"""Percolation speed: ms/article for the Percolator vs a naive loop over every compiled search.

Generates 1k, 10k and 100k saved searches (names, organisations, phrases, OR-lists, exclusions,
fields, wildcards, proximity) and matches corpus articles (AEB texts when present, else generated).
Prints same-run ratios and the Percolator's memory at 1k, 10k and 100k searches. --quick: fewer
articles.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from commsdesk.pipeline.match import Percolator, naive_match  # noqa: E402
from commsdesk.pipeline.query import Query, QueryError, compile, parse  # noqa: E402
from commsdesk.pipeline.records import Document  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _figure import figure  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/extraction/aeb/ground-truth.json"
TARGETS = {10_000: (0.5, 10), 100_000: (2.0, 25)}  # DESIGN §6: ms/article, speedup over naive
SYLLABLES = "ka lo mi ra ne to su vi de an el or is um ba ri go fa ze po lu chi ta mo".split()
LANGS = ["en", "es", "fr", "pt", "de", "ar", "ru", "sw"]


def load_articles(limit: int, rng: random.Random) -> list[Document]:
    if CORPUS.exists():
        bodies = [v.get("articleBody", "") for v in json.loads(CORPUS.read_text()).values()]
        docs = [Document(title=b[:80], text=b, language="en") for b in bodies if b]
        return docs[:limit]
    words = [_pseudo_word(rng) for _ in range(5000)]
    return [
        Document(title=" ".join(rng.choices(words, k=8)), text=" ".join(rng.choices(words, k=600)))
        for _ in range(limit)
    ]


def _pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))


def vocabulary(articles: list[Document]) -> list[str]:
    """Corpus words of 4+ letters in 2-5 articles: topical words, not stop or common words."""
    counts = Counter(
        w for d in articles for w in {w.lower() for w in re.findall(r"[^\W\d_]{4,}", d.text)}
    )
    return sorted(w for w, n in counts.items() if 2 <= n <= 5)


class SearchMaker:
    """Saved searches a comms team writes: mostly names and organisations that rarely appear."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        self.names = [_pseudo_word(rng).capitalize() for _ in range(20_000)]

    def term(self) -> str:
        rng = self.rng
        roll = rng.random()
        word = rng.choice(self.words) if rng.random() < 0.05 else rng.choice(self.names)
        if roll < 0.25:  # a person or organisation: "First Last"
            return f'"{rng.choice(self.names)} {rng.choice(self.names)}"'
        if roll < 0.35 and len(word) > 4:
            return word[: rng.randint(4, len(word) - 1)] + "*"
        if roll < 0.42:
            return f'"{word} {rng.choice(self.words)}"~5'
        if roll < 0.5:
            return f"title:{word}"
        return word

    def search(self) -> str:
        rng = self.rng
        shape = rng.random()
        if shape < 0.3:
            query = " OR ".join(self.term() for _ in range(rng.randint(2, 6)))
        elif shape < 0.55:
            query = f"({' OR '.join(self.term() for _ in range(3))}) {self.term()}"
        else:
            query = self.term()
        if rng.random() < 0.3:
            query += f" -{rng.choice(self.words)}"
        if rng.random() < 0.2:
            query += f" lang:{rng.choice(LANGS)}"
        if rng.random() < 0.002:  # a rare metadata-only search: always checked
            query = f"lang:{rng.choice(LANGS)} country:ke"
        return query


def make_searches(n: int, maker: SearchMaker) -> dict[int, Query]:
    searches: dict[int, Query] = {}
    while len(searches) < n:
        try:
            searches[len(searches)] = parse(maker.search())
        except QueryError:
            continue
    return searches


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def per_article_ms(run, articles: list[Document], passes: int = 3) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Best of `passes` passes over the articles: the machine is shared, and the best pass is
    the one least disturbed by other jobs (the same rule for every contender)."""
    return _best(run, articles, passes, time.perf_counter)


def per_article_cpu_ms(run, articles: list[Document], passes: int = 3) -> float:  # type: ignore[no-untyped-def]
    """The same in CPU time of this process: what waiting for the shared CPUs does not inflate."""
    return _best(run, articles, passes, time.process_time)[0]


def _best(run, articles: list[Document], passes: int, clock) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    best = float("inf")
    matched = 0
    for _ in range(passes):
        matched = 0
        start = clock()
        for doc in articles:
            matched += len(run(doc))
        best = min(best, (clock() - start) * 1000 / len(articles))
    return best, matched


def bench(n: int, articles: list[Document], maker: SearchMaker, naive_sample: int) -> bool:
    searches = make_searches(n, maker)
    before = rss_mb()
    start = time.perf_counter()
    percolator = Percolator(searches)
    build_s = time.perf_counter() - start
    memory = rss_mb() - before
    first_ms, _ = per_article_ms(percolator.match, articles, passes=1)  # compiles on first use
    fast_ms, fast_hits = per_article_ms(percolator.match, articles)
    fast_cpu = per_article_cpu_ms(percolator.match, articles)
    memory_used = rss_mb() - before
    matchers = {k: compile(q) for k, q in searches.items()}
    floor_ms, _ = per_article_ms(Percolator({}).match, articles)  # tokenising only
    sample = articles[:naive_sample]
    naive_ms, _ = per_article_ms(lambda d: naive_match(matchers, d), sample, passes=2)
    naive_cpu = per_article_cpu_ms(lambda d: naive_match(matchers, d), sample, passes=1)
    checked = sum(len(percolator.candidates(d)) for d in articles) / len(articles)
    ms_target, speed_target = TARGETS.get(n, (float("nan"), float("nan")))
    speedup = naive_ms / fast_ms
    ok = fast_ms <= ms_target and speedup >= speed_target
    print(
        f"{n:>7} searches | percolator {fast_ms:7.3f} ms/article (target ≤{ms_target}; "
        f"CPU {fast_cpu:.3f}) | naive {naive_ms:8.2f} ms/article on {len(sample)} (CPU "
        f"{naive_cpu:.2f}) | speedup {speedup:6.1f}× (CPU {naive_cpu / fast_cpu:.1f}×) "
        f"(target ≥{speed_target}×) | checked {checked:6.1f} searches/article | "
        f"{fast_hits / len(articles):.2f} matches/article | build {build_s:.2f} s | "
        f"RSS +{memory:.0f} MB, +{memory_used:.0f} MB after matching (first pass "
        f"{first_ms:.3f} ms/article) | tokenising floor {floor_ms:.3f} ms | "
        f"{'OK' if ok or n not in TARGETS else 'MISSED'}"
    )
    target = f" (target <= {ms_target} ms)" if n in TARGETS else ""
    figure(
        f"matching, {n:,} searches, speed-up over naive",
        f"{fast_ms:.3f} ms/article{target}",
        f"naive loop {naive_ms:.2f} ms/article",
        speedup,
    )
    return ok or n not in TARGETS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 articles")
    parser.add_argument("--tiny", action="store_true", help="1k searches, 5 articles (smoke test)")
    args = parser.parse_args(argv)
    rng = random.Random(20250101)
    # The search vocabulary comes from all 120 articles whatever the size, so --quick matches
    # searches as selective as the full run's (fewer words would make every search match more).
    every = load_articles(120, rng)
    articles = every[: 5 if args.tiny else 20 if args.quick else 120]
    words = vocabulary(every) or [_pseudo_word(rng) for _ in range(3000)]
    avg_words = sum(len(d.text.split()) for d in articles) / len(articles)
    print(
        f"{len(articles)} articles ({'AEB corpus' if CORPUS.exists() else 'generated'}, "
        f"{avg_words:.0f} words on average); {len(words)} corpus words in the search vocabulary"
    )
    maker = SearchMaker(rng, words)
    sizes = (1_000,) if args.tiny else (1_000, 10_000, 100_000)
    for n in sizes:
        naive_sample = min(len(articles), 10 if n >= 100_000 else 30)
        bench(n, articles, maker, naive_sample=naive_sample)
    return 0  # a missed target is reported above ("MISSED"), not a failed run


if __name__ == "__main__":
    sys.exit(main())
