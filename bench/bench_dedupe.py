"""Near-duplicate detection: signature and index speed, index memory, and corpus precision/recall.

Speed uses generated article-sized texts (Zipf vocabulary, 20% syndicated copies with other
boilerplate, cuts and edits), so it runs without the corpus; precision/recall reads
../shared/corpus/dedup/pairs.tsv and compares our StoryIndex with two baselines in the same run.
The database-backed index (`ingest.stories.prepare` + `place`, what ingest uses) is measured
last, on a SQLite database of its own: storing with folding vs one story per article, and P/R.

    python bench/bench_dedupe.py [--quick] [--corpus DIR] [--database-only]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import multiprocessing
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from datasketch import MinHash

from commsdesk.pipeline import dedupe
from commsdesk.pipeline.dedupe import Signature, StoryIndex

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
T0 = datetime(2025, 1, 1, tzinfo=UTC)
T = TypeVar("T")
SWEEP = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer generated documents")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the shared corpus directory")
    parser.add_argument(
        "--database-only", action="store_true", help="only the database-backed index (ingest)"
    )
    args = parser.parse_args(argv)
    n = 4_000 if args.quick else 20_000
    docs, origin = generate(n, seed=7)
    if args.database_only:
        _database(docs[: n // 10], origin[: n // 10], args.corpus)
        return 0
    print(f"generated {n:,} docs, {sum(len(d.split()) for d in docs) / n:.0f} words on average")
    _speed(docs, origin, quick=args.quick)
    _memory(docs, sizes=(n // 4, n))
    _corpus(args.corpus)
    _database(docs[: n // 10], origin[: n // 10], args.corpus)
    return 0


# --- generated documents ----------------------------------------------------------------------


def generate(n: int, *, seed: int) -> tuple[list[str], list[int]]:
    """n texts of 200–700 words; every fifth is a syndicated copy of an earlier one.

    origin[i] is the index of the original that text i copies, or i for an original.
    """
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 10)))]
    vocabulary += [
        "".join(rng.choices("etaoinshrdlucmfw", k=rng.randint(2, 9))) for _ in range(30_000)
    ]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf: realistic repetition
    docs: list[str] = []
    origin: list[int] = []
    for i in range(n):
        if i >= 50 and i % 5 == 0:
            source = rng.randrange(max(0, i - 500), i)  # copies follow their original closely
            source = origin[source]
            docs.append(_syndicate(docs[source], rng, i))
            origin.append(source)
        else:
            words = rng.choices(vocabulary, weights, k=rng.randint(200, 700))
            docs.append(_paragraphs(words))
            origin.append(i)
    return docs, origin


def _paragraphs(words: list[str]) -> str:
    return "\n".join(" ".join(words[i : i + 60]) + "." for i in range(0, len(words), 60))


def _syndicate(text: str, rng: random.Random, i: int) -> str:
    """Another site's copy: its own header and footer, sometimes cut short, a few words edited."""
    words = text.split()
    keep = int(len(words) * rng.uniform(0.75, 1.0))  # some sites drop the last paragraphs
    words = words[:keep]
    for _ in range(rng.randint(0, 5)):
        words[rng.randrange(len(words))] = "edited"
    header = f"Home | World | Business | Syndicated from site{i % 37}.example\n"
    footer = "\nMost read: markets close higher | weather | sport results\n(c) 2025 Wire"
    return header + " ".join(words) + footer


# --- speed ------------------------------------------------------------------------------------


def _speed(docs: list[str], origin: list[int], *, quick: bool) -> None:
    sample = docs[: len(docs) // 10]
    naive = _rate(lambda batch: [_datasketch_sha1(text) for text in batch], sample)
    ours, sigs = _timed(lambda: dedupe.signatures(docs))
    sig_rate = len(docs) / ours
    print("\n## speed")
    print(f"signature, 1 process:          {sig_rate:8,.0f} docs/s")
    print(
        f"datasketch MinHash (sha1, update_batch), 1 process: {naive:8,.0f} docs/s "
        f"(ours {sig_rate / naive:.1f}x)"
    )
    published = [T0 + timedelta(minutes=10 * i) for i in range(len(docs))]  # ≈ 14 days at 20k
    add_time, stories = _timed(lambda: _add_all(sigs, published))
    print(f"index add (+daily expire):     {len(docs) / add_time:8,.0f} docs/s")
    end_to_end, _ = _timed(lambda: _end_to_end(docs, published, workers=2))
    print(
        f"end to end, 2 worker processes signing + 1 index: {len(docs) / end_to_end:8,.0f} docs/s"
    )
    joined = sum(stories[i] == f"d{origin[i]}" for i in range(len(docs)) if origin[i] != i)
    split = sum(stories[i] != f"d{i}" for i in range(len(docs)) if origin[i] == i)
    copies = sum(origin[i] != i for i in range(len(docs)))
    print(f"generated copies that joined their original's story: {joined}/{copies}")
    print(f"originals wrongly put in another story: {split}/{len(docs) - copies}")


def _add_all(sigs: list[Signature], published: list[datetime]) -> list[str]:
    index = StoryIndex()
    stories = []
    next_expiry = published[0] + timedelta(days=1)
    for i, (sig, when) in enumerate(zip(sigs, published, strict=True)):
        if when >= next_expiry:
            index.expire(when)
            next_expiry = when + timedelta(days=1)
        stories.append(index.add(f"d{i}", sig, when).story)
    return stories


def _end_to_end(docs: list[str], published: list[datetime], *, workers: int) -> None:
    """Workers sign and serialise (as they would for the Article row); one process assigns."""
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        pool.map(_sign_bytes, docs[:workers])  # warm up: imports and permutations
        index = StoryIndex()
        for i, data in enumerate(pool.imap(_sign_bytes, docs, chunksize=64)):
            index.add(f"d{i}", Signature.from_bytes(data), published[i])


def _sign_bytes(text: str) -> bytes:
    return dedupe.signature(text).to_bytes()


def _datasketch_sha1(text: str) -> MinHash:
    """The textbook path: shingle strings hashed by datasketch's default sha1, one by one."""
    words = dedupe.tokens(text)
    size = dedupe.WORD_SHINGLE
    shingles = {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}
    minhash = MinHash(num_perm=dedupe.NUM_PERM, seed=dedupe.SEED)
    minhash.update_batch(shingles)
    return minhash


def _rate(run: Callable[[list[str]], object], docs: list[str]) -> float:
    elapsed, _ = _timed(lambda: run(docs))
    return len(docs) / elapsed


def _timed(run: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


# --- memory -----------------------------------------------------------------------------------


def _memory(docs: list[str], *, sizes: Sequence[int]) -> None:
    print("\n## index memory (tracemalloc, allocations held by the index)")
    sigs = dedupe.signatures(docs[: max(sizes)])
    for size in sizes:
        tracemalloc.start()
        index = StoryIndex()
        for i, sig in enumerate(sigs[:size]):
            index.add(f"d{i}", sig, T0)
        held, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        bands, rows = index.bands
        print(
            f"{size:7,} docs: {held / 2**20:6.1f} MB, {held / size:6,.0f} bytes/doc "
            f"(LSH {bands} bands x {rows} rows)"
        )
        del index


# --- corpus precision / recall -------------------------------------------------------------------


def _corpus(corpus: Path) -> None:
    pairs = corpus / "dedup" / "pairs.tsv"
    print("\n## corpus pairs")
    if not pairs.is_file():
        print(f"skipped: {pairs} is not present")
        return
    from commsdesk.pipeline.extract import extract  # trafilatura: only when the corpus is here

    with pairs.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    texts: dict[str, str] = {}
    for name in {row[side] for row in rows for side in ("a_file", "b_file")}:
        path = corpus / name
        data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
        page = extract(data)
        texts[name] = f"{page.title}\n{page.text}"
    expected = [row["expected"] == "duplicate" for row in rows]
    print(f"{sum(expected)} duplicate and {len(rows) - sum(expected)} distinct pairs")
    systems: dict[str, Callable[[str, str], bool]] = {
        f"ours: StoryIndex, estimated J >= {dedupe.THRESHOLD}": _joins(dedupe.THRESHOLD),
        "baseline: exact hash of normalised text": _same_normalised,
        f"baseline: exact pairwise Jaccard of shingles >= {dedupe.THRESHOLD}": _exact_jaccard,
    }
    for name, decide in systems.items():
        calls = [decide(texts[row["a_file"]], texts[row["b_file"]]) for row in rows]
        print(f"{name:58} P={_precision(calls, expected):.3f} R={_recall(calls, expected):.3f}")
    print("threshold sweep (ours):")
    for threshold in SWEEP:
        calls = [_joins(threshold)(texts[row["a_file"]], texts[row["b_file"]]) for row in rows]
        p, r = _precision(calls, expected), _recall(calls, expected)
        print(f"  {threshold:.1f}: P={p:.3f} R={r:.3f}")
    sims = [
        dedupe.signature(texts[r["a_file"]]).jaccard(dedupe.signature(texts[r["b_file"]]))
        for r in rows
    ]
    dup = [s for s, e in zip(sims, expected, strict=True) if e]
    distinct = [s for s, e in zip(sims, expected, strict=True) if not e]
    print(f"estimated J: duplicates min {min(dup):.3f}, distinct max {max(distinct):.3f}")


def _joins(threshold: float) -> Callable[[str, str], bool]:
    def decide(a: str, b: str) -> bool:
        index = StoryIndex(threshold=threshold)
        index.add("a", a, T0)
        return index.add("b", b, T0 + timedelta(hours=1)).story == "a"

    return decide


def _same_normalised(a: str, b: str) -> bool:
    return _digest(dedupe.normalise(a)) == _digest(dedupe.normalise(b))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _exact_jaccard(a: str, b: str) -> bool:
    sa, sb = (
        set(dedupe.shingle_hashes(dedupe.tokens(t), size=dedupe.WORD_SHINGLE).tolist())
        for t in (a, b)
    )
    return len(sa & sb) / max(1, len(sa | sb)) >= dedupe.THRESHOLD


def _precision(calls: list[bool], expected: list[bool]) -> float:
    tp = sum(c and e for c, e in zip(calls, expected, strict=True))
    return tp / max(1, sum(calls))


def _recall(calls: list[bool], expected: list[bool]) -> float:
    tp = sum(c and e for c, e in zip(calls, expected, strict=True))
    return tp / max(1, sum(expected))


# --- the database-backed index (ingest) ----------------------------------------------------------


def _database(docs: list[str], origin: list[int], corpus: Path) -> None:
    """Store generated docs through `store_article` with folding and, in a fresh database, with
    one story per article (what ingest did before stories): same run, same documents."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _django

    name = "dedupe-stories.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        (ROOT / "var" / "bench" / f"{name}{suffix}").unlink(missing_ok=True)
    _django.setup(name)
    from unittest import mock

    from commsdesk.ingest import stories
    from commsdesk.monitoring.models import Article, Story, StoryKey

    print(f"\n## database story index (ingest.stories prepare + place, {connection_vendor()})")
    folded_time, stored = _timed(lambda: _store_all(docs, "fold"))
    keys = StoryKey.objects.count()
    joined = sum(
        stored[i].story_id == stored[origin[i]].story_id for i in range(len(docs)) if origin[i] != i
    )
    copies = sum(origin[i] != i for i in range(len(docs)))
    split = sum(
        stored[i].story_id != stored[j].story_id
        for i in range(len(docs))
        for j in ([origin[i]] if origin[i] != i else [])
    )
    print(f"store + fold:                  {len(docs) / folded_time:8,.0f} docs/s")

    def one_story_each(article: Article, plan: object) -> Story:
        # What ingest did before stories: a story per article, nothing signed or indexed.
        article.save(force_insert=True)
        story = Story.objects.create(representative=article)
        Article.objects.filter(pk=article.pk).update(story=story)
        return story

    with (
        mock.patch.object(stories, "prepare", lambda article, text: None),
        mock.patch.object(stories, "place", one_story_each),
    ):
        plain_time, _ = _timed(lambda: _store_all(docs, "plain"))
    print(
        f"store, one story per article: {len(docs) / plain_time:8,.0f} docs/s "
        f"(folding costs {folded_time / plain_time:.2f}x the plain store)"
    )
    print(f"copies that joined their original's story: {joined}/{copies} ({split} missed)")
    print(f"index keys: {keys / len(docs):.1f} per article")
    _database_corpus(corpus)
    for suffix in ("", "-wal", "-shm"):
        (ROOT / "var" / "bench" / f"{name}{suffix}").unlink(missing_ok=True)


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def _store_all(docs: list[str], tag: str) -> list:
    from django.db import transaction

    from commsdesk.ingest.store import store_article
    from commsdesk.pipeline.records import Article as Record
    from commsdesk.pipeline.records import LanguageGuess

    stored = []
    for i, text in enumerate(docs):
        url = f"https://site{i % 37}.example/{tag}/{i}"
        record = Record(
            url=url,
            canonical_url=url,
            url_hash=hashlib.sha256(url.encode()).hexdigest(),
            title=f"Story {i}",
            text=text,
            language=LanguageGuess("en", 1.0, "bench"),
            published=T0 + timedelta(minutes=10 * i),
            authors=(),
            extraction_method="bench",
        )
        with transaction.atomic():
            stored.append(store_article(record, source=None)[0])
    return stored


def _database_corpus(corpus: Path) -> None:
    pairs = corpus / "dedup" / "pairs.tsv"
    if not pairs.is_file():
        print(f"corpus P/R skipped: {pairs} is not present")
        return
    from commsdesk.ingest.store import store_article
    from commsdesk.pipeline.extract import extract
    from commsdesk.pipeline.records import Article as Record
    from commsdesk.pipeline.records import LanguageGuess

    with pairs.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    calls, expected = [], []
    for n, row in enumerate(rows):
        stored = []
        for side in ("a_file", "b_file"):
            data = (corpus / row[side]).read_bytes()
            page = extract(gzip.decompress(data) if row[side].endswith(".gz") else data)
            url = f"https://{side}.example/pairs/{n}"
            record = Record(
                url=url,
                canonical_url=url,
                url_hash=hashlib.sha256(url.encode()).hexdigest(),
                title=page.title or "",
                text=page.text,
                language=LanguageGuess("en", 1.0, "bench"),
                # 30 days between pairs: each pair is alone in its window.
                published=T0 + timedelta(days=400 + 30 * n, hours=len(stored)),
                authors=(),
                extraction_method="bench",
            )
            stored.append(store_article(record, source=None)[0])
        calls.append(stored[0].story_id == stored[1].story_id)
        expected.append(row["expected"] == "duplicate")
    print(
        f"corpus pairs through the database index: P={_precision(calls, expected):.3f} "
        f"R={_recall(calls, expected):.3f} ({sum(expected)} duplicate, "
        f"{len(rows) - sum(expected)} distinct pairs)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
