"""Extraction benchmark: our `extract` against bare trafilatura, measured in the same run.

Prints AEB precision/recall/F1, pages per second (ours vs trafilatura fast=True on the same
pages), the trafilatura snippet-set pass rate and readability-page metadata accuracy.
Run: `python bench/bench_extraction.py [--quick]`; skips (exit 0) when ../shared/corpus is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "src"):  # runnable as a script from anywhere
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import trafilatura  # noqa: E402
from trafilatura.metadata import extract_metadata  # noqa: E402

from bench.aeb_metric import score  # noqa: E402
from commsdesk.pipeline.errors import NotAnArticleError  # noqa: E402
from commsdesk.pipeline.extract import extract  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "extraction"

Extractor = Callable[[bytes, str], str]


def ours_text(html: bytes, url: str) -> str:
    try:
        return extract(html, url=url).text
    except NotAnArticleError:
        return ""


def bare_text(html: bytes, url: str) -> str:
    return trafilatura.extract(html, url=url or None) or ""


def bare_fast_text(html: bytes, url: str) -> str:
    return trafilatura.extract(html, url=url or None, fast=True) or ""


# --- AEB --------------------------------------------------------------------------------------


def aeb_pages(quick: bool) -> list[tuple[str, bytes, str]]:
    """(truth, page bytes, url) for the AEB pages; every third page with --quick."""
    directory = CORPUS / "aeb"
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:: 3 if quick else 1]
    return [
        (
            truth[i]["articleBody"],
            gzip.decompress((directory / "html" / f"{i}.html.gz").read_bytes()),
            truth[i]["url"],
        )
        for i in ids
    ]


def bench_aeb(pages: list[tuple[str, bytes, str]]) -> None:
    print(f"AEB article bodies ({len(pages)} pages): precision / recall / F1")
    for name, function in (("ours", ours_text), ("bare trafilatura", bare_text)):
        result = score((truth, function(html, url)) for truth, html, url in pages)
        print(
            f"  {name:<18} P {result.precision:.4f}  R {result.recall:.4f}"
            f"  F1 {result.f1:.4f}  exact {result.accuracy:.3f}"
        )


def pages_per_second(function: Extractor, pages: list[tuple[str, bytes, str]]) -> float:
    start = time.perf_counter()
    for _, html, url in pages:
        function(html, url)
    return len(pages) / (time.perf_counter() - start)


def bench_speed(pages: list[tuple[str, bytes, str]]) -> None:
    pages_per_second(bare_fast_text, pages[:5])  # warm imports and caches for both
    pages_per_second(ours_text, pages[:5])
    ours = pages_per_second(ours_text, pages)
    bare = pages_per_second(bare_fast_text, pages)
    print(f"Speed on the same {len(pages)} AEB pages, one process:")
    print(f"  ours (text + metadata)         {ours:7.1f} pages/s")
    print(f"  trafilatura fast=True (text)   {bare:7.1f} pages/s")
    print(f"  ratio ours / bare fast         {ours / bare:7.2f}x")


# --- trafilatura snippets ---------------------------------------------------------------------


@dataclass
class SnippetTally:
    pages: int = 0
    passed: int = 0  # every `with` present and no `without`
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, output: str, present: list[str], absent: list[str]) -> None:
        text = _space(output)
        found = [_space(s) in text for s in present]
        leaked = [_space(s) in text for s in absent]
        self.pages += 1
        self.passed += all(found) and not any(leaked)
        self.tp += sum(found)
        self.fn += len(found) - sum(found)
        self.fp += sum(leaked)
        self.tn += len(leaked) - sum(leaked)

    def line(self) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return (
            f"pages passed {self.passed}/{self.pages} ({self.passed / self.pages:.3f})"
            f"  snippet P {precision:.3f} R {recall:.3f} F1 {f1:.3f}"
        )


def _space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def snippet_pages(quick: bool) -> Iterator[tuple[bytes, str, list[str], list[str]]]:
    directory = CORPUS / "trafilatura"
    items = json.loads((directory / "evaldata.json").read_text(encoding="utf-8"))
    for key in sorted(items)[:: 4 if quick else 1]:
        item = items[key]
        html = gzip.decompress((directory / "html" / f"{item['file']}.gz").read_bytes())
        url = key if key.startswith(("http://", "https://")) else ""
        yield html, url, item.get("with", []), item.get("without", [])


def bench_snippets(quick: bool) -> None:
    tallies = {"ours": SnippetTally(), "bare trafilatura": SnippetTally()}
    functions: dict[str, Extractor] = {"ours": ours_text, "bare trafilatura": bare_text}
    for html, url, present, absent in snippet_pages(quick):
        for name, function in functions.items():
            try:
                output = function(html, url)
            except Exception:  # a crash counts as no output, as upstream scores it
                output = ""
            tallies[name].add(output, present, absent)
    print("Trafilatura snippet set (every `with` in, no `without`):")
    for name, tally in tallies.items():
        print(f"  {name:<18} {tally.line()}")


# --- readability metadata ---------------------------------------------------------------------


@dataclass
class MetaTally:
    title: int = 0
    titles: int = 0
    author: int = 0
    authors: int = 0
    date: int = 0
    dates: int = 0


def _words(text: str | None) -> list[str]:
    return re.findall(r"\w+", (text or "").lower())


def _same_title(expected: str | None, got: str | None) -> bool:
    return _words(expected) == _words(got)


def _same_authors(expected: str | None, got: str | None) -> bool:
    """Same set of name words, a leading "By" aside; neutral, so our own cleanup is not reused."""
    return set(_words(expected)) - {"by"} == set(_words(got)) - {"by"}


def _same_day(expected: str | None, got: datetime | str | None) -> bool:
    if not expected or got is None:
        return False
    got_text = got.isoformat() if isinstance(got, datetime) else got
    return expected.strip()[:10] == got_text[:10]


def bench_metadata() -> None:
    tallies = {"ours": MetaTally(), "bare trafilatura": MetaTally()}
    for folder in sorted(p for p in (CORPUS / "readability").iterdir() if p.is_dir()):
        expected = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        html = (folder / "source.html").read_bytes()
        try:
            page = extract(html)
            ours = (page.title, "; ".join(page.authors), page.published)
        except NotAnArticleError:
            ours = ("", "", None)
        meta = extract_metadata(html)
        bare = (meta.title, meta.author, meta.date)
        for name, (title, author, date) in (("ours", ours), ("bare trafilatura", bare)):
            tally = tallies[name]
            if expected.get("title"):
                tally.titles += 1
                tally.title += _same_title(expected["title"], title)
            if expected.get("byline"):
                tally.authors += 1
                tally.author += _same_authors(expected["byline"], author)
            if expected.get("publishedTime"):
                tally.dates += 1
                tally.date += _same_day(expected["publishedTime"], date)
    print("Readability pages, metadata accuracy (pages with the field set):")
    for name, t in tallies.items():
        print(
            f"  {name:<18} title {t.title}/{t.titles} ({t.title / t.titles:.3f})"
            f"  author {t.author}/{t.authors} ({t.author / t.authors:.3f})"
            f"  date {t.date}/{t.dates} ({t.date / t.dates:.3f})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a third to a quarter of the pages")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is not present")
        return 0
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    pages = aeb_pages(args.quick)
    bench_aeb(pages)
    bench_speed(pages)
    bench_snippets(args.quick)
    bench_metadata()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
