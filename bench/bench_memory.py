"""Memory: peak RSS of an ingest worker process with 100,000 saved searches (target ≤ 1 GB).

A fresh process sets Django up, compiles every saved search, stores AEB pages through the real
ingest path (`store_page`) and reports its peak RSS; the same-run baseline is the same process
and pages with no saved searches. --quick: 20 pages; --tiny: 1,000 searches, 5 pages.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402
from _figure import figure, machine  # noqa: E402
from bench_ingest import AEB, load_pages, make_searches  # noqa: E402


def _worker(db_name: str, pages: list[tuple[str, bytes]]) -> tuple[float, int]:
    _django.setup(db_name)
    from commsdesk.ingest import matching
    from commsdesk.ingest.items import store_page

    matching._cache.get()
    stored = sum(store_page(html, url=url).outcome.value == "stored" for url, html in pages)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, stored


def _measure(db_name: str, pages: list[tuple[str, bytes]]) -> tuple[float, int]:
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(_worker, (db_name, pages))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tiny", action="store_true")
    args = parser.parse_args(argv)
    if not AEB.is_dir():
        print("skipped: ../shared/corpus/extraction/aeb is not present")
        return 0
    searches = 1_000 if args.tiny else 100_000
    pages = load_pages(5 if args.tiny else 20 if args.quick else 120)
    db_name = f"memory-{time.time_ns()}.sqlite3"
    _django.setup(db_name)
    from commsdesk.monitoring.models import Article

    base_mb, _ = _measure(db_name, pages)
    Article.objects.all().delete()  # the second worker stores the same pages afresh
    make_searches(searches)
    peak_mb, stored = _measure(db_name, pages)
    print(f"{len(pages)} AEB pages stored ({stored}), {searches:,} saved searches; {machine()}")
    figure(
        f"memory, ingest worker peak RSS at {searches:,} searches",
        f"{peak_mb:.0f} MB (target <= 1024 MB)",
        f"same worker with no searches {base_mb:.0f} MB",
        peak_mb / base_mb,
    )
    for suffix in ("", "-wal", "-shm"):
        (_django.ROOT / "var" / "bench" / f"{db_name}{suffix}").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
