"""Ingest end to end: page bytes → extracted, language-identified, canonicalised, stored,
folded into stories and matched against 10k saved searches (DESIGN §6).

Runs the real pipeline + storage on the AEB corpus pages with 2 worker processes, and bare
trafilatura (fast mode) on the same pages with as many processes, in the same run, for 1 and
2 processes; prints both rates and the ratio. --quick: 40 pages and 2k searches; --tiny: 6 pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
from _figure import figure, machine  # noqa: E402

AEB = _django.CORPUS / "extraction" / "aeb"


def load_pages(limit: int | None) -> list[tuple[str, bytes]]:
    truth = json.loads((AEB / "ground-truth.json").read_text())
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    return [(truth[i]["url"], gzip.open(AEB / "html" / f"{i}.html.gz").read()) for i in ids]


def _init_django(db_name: str) -> None:
    _django.setup(db_name)
    from commsdesk.ingest import matching

    matching._cache.get()  # compile the saved searches before the clock starts


def make_searches(n: int) -> int:
    """n generated saved searches (bench_match's generator) in one team of the bench database."""
    import random

    from bench_match import SearchMaker, load_articles, vocabulary
    from commsdesk.accounts.models import Team
    from commsdesk.monitoring.models import SavedSearch

    rng = random.Random(42)
    maker = SearchMaker(rng, vocabulary(load_articles(200, rng)))
    team = Team.objects.create(name="Bench", slug="bench")
    rows = []
    while len(rows) < n:
        text = maker.search()
        rows.append(SavedSearch(team=team, name=f"search {len(rows)}", query=text))
    SavedSearch.objects.bulk_create(rows, batch_size=2000)
    return n


def _ingest(page: tuple[str, bytes]) -> str:
    from commsdesk.ingest.items import store_page

    url, html = page
    return store_page(html, url=url).outcome.value


def _bare(page: tuple[str, bytes]) -> int:
    import trafilatura

    return len(trafilatura.extract(page[1], fast=True) or "")


def _rate(fn, pages, processes: int, initializer=None, initargs=()) -> tuple[float, list]:
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes, initializer=initializer, initargs=initargs) as pool:
        pool.map(_warm, range(processes))
        began = time.perf_counter()
        results = pool.map(fn, pages, chunksize=2)
        elapsed = time.perf_counter() - began
    return len(pages) / elapsed, results


def _warm(_: int) -> None:
    # Load models and libraries before the clock starts: we measure throughput, not start-up.
    import trafilatura

    from commsdesk.pipeline import language

    trafilatura.extract("<html><body><p>warm up</p></body></html>")
    language.identify("warm up the language models")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tiny", action="store_true", help="6 pages, 200 searches (smoke test)")
    parser.add_argument("--searches", type=int, help="saved searches to match (default 10,000)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    if not AEB.is_dir():
        print("skipped: ../shared/corpus/extraction/aeb is not present")
        return 0
    pages = load_pages(6 if args.tiny else 40 if args.quick else None)
    default_searches = 200 if args.tiny else 2_000 if args.quick else 10_000
    searches = args.searches or default_searches
    if len(args.processes) > 1:
        # Each process count in a process of its own: Django is set up once per database.
        print(f"{len(pages)} AEB pages, {searches:,} saved searches; {machine()}", flush=True)
        rest = ["--quick"] * args.quick + ["--tiny"] * args.tiny + ["--searches", str(searches)]
        for processes in args.processes:
            command = [sys.executable, __file__, *rest, "--processes", str(processes)]
            subprocess.run(command, check=True)
        return 0
    _run(pages, searches, args.processes[0])
    return 0


def _run(pages: list[tuple[str, bytes]], searches: int, processes: int) -> None:
    db_name = f"ingest-{time.time_ns()}.sqlite3"  # a fresh database: pages stored, not duplicates
    _django.setup(db_name)
    make_searches(searches)
    ours, outcomes = _rate(_ingest, pages, processes, _init_django, (db_name,))
    from commsdesk.monitoring.models import Mention, Story

    mentions, stories = Mention.objects.count(), Story.objects.count()
    bare, _ = _rate(_bare, pages, processes)
    counts = {o: outcomes.count(o) for o in sorted(set(outcomes))}
    print(
        f"{processes} process(es): commsdesk ingest (extract+language+store+stories+match+"
        f"sentiment) {ours:7.1f} pages/s, outcomes {counts}; {stories} stories, {mentions} "
        f"mentions; bare trafilatura fast=True (extract only) {bare:7.1f} pages/s"
    )
    figure(
        f"ingest end to end, {processes} worker(s), {searches:,} searches",
        f"{ours:.1f} pages/s (target >= 60 with 2 workers)",
        f"bare trafilatura fast {bare:.1f} pages/s",
        ours / bare,
    )
    for suffix in ("", "-wal", "-shm"):
        (_django.ROOT / "var" / "bench" / f"{db_name}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
