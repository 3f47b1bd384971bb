"""Sentiment accuracy on the VADER ground-truth corpus (shared/corpus/sentiment/vader): accuracy per
file and language and macro-F1, and how many texts per second each analyser scores.

Writes the measured figures to src/commsdesk/pipeline/data/sentiment_accuracy.json (shipped with
the package; reports show them) unless --no-write. Labels from the human mean rating (-4..+4):
above +0.5 positive, below -0.5 negative, else neutral (see docs/metrics.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from commsdesk.pipeline import sentiment  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "sentiment"
OUTPUT = ROOT / "src" / "commsdesk" / "pipeline" / "data" / "sentiment_accuracy.json"
RATING_CUTOFF = 0.5  # |mean rating| at or below this is neutral
# Files per language: the corpus ships English only; another language's *_GroundTruth.txt
# goes in a folder named for it (corpus/sentiment/<lang>/...) and is picked up the same way.
FOLDER_LANGUAGE = {"vader": "en"}


def label_of_rating(mean: float) -> str:
    if mean > RATING_CUTOFF:
        return sentiment.POSITIVE
    if mean < -RATING_CUTOFF:
        return sentiment.NEGATIVE
    return sentiment.NEUTRAL


def read_truth(path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(text, label) pairs from an ID<TAB>mean<TAB>text file (CRLF line ends)."""
    pairs = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3:
            pairs.append((parts[2].strip(), label_of_rating(float(parts[1]))))
    return pairs[:limit] if limit else pairs


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Mean F1 over the three labels; pairs are (truth, predicted)."""
    scores = []
    for label in sentiment.LABELS:
        tp = sum(1 for t, p in pairs if t == label and p == label)
        fp = sum(1 for t, p in pairs if t != label and p == label)
        fn = sum(1 for t, p in pairs if t == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0)
    return sum(scores) / len(scores)


def evaluate(path: Path, language: str, limit: int | None) -> dict:
    truth = read_truth(path, limit)
    started = time.perf_counter()
    results = [(label, sentiment.analyse(text, language).label) for text, label in truth]
    elapsed = time.perf_counter() - started
    correct = sum(1 for t, p in results if t == p)
    return {
        "file": path.name,
        "n": len(results),
        "accuracy": round(correct / len(results), 4),
        "macro_f1": round(macro_f1(results), 4),
        "truth": dict(Counter(t for t, _ in results)),
        "texts_per_second": round(len(results) / elapsed),
        "pairs": results,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="500 texts per file, nothing written")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"skipped: no corpus at {CORPUS}")
        return 0
    limit = 500 if args.quick else None
    per_language: dict[str, list[dict]] = {}
    for folder, language in FOLDER_LANGUAGE.items():
        for path in sorted((CORPUS / folder).glob("*_GroundTruth.txt")):
            row = evaluate(path, language, limit)
            per_language.setdefault(language, []).append(row)
            print(
                f"{language}  {row['file']:<40} n={row['n']:>5}  accuracy {row['accuracy']:.3f}"
                f"  macro-F1 {row['macro_f1']:.3f}  {row['texts_per_second']:>6} texts/s"
            )
    table = {}
    for language, rows in per_language.items():
        pairs = [pair for row in rows for pair in row["pairs"]]
        accuracy = sum(1 for t, p in pairs if t == p) / len(pairs)
        f1 = macro_f1(pairs)
        print(f"{language}  all files  n={len(pairs)}  accuracy {accuracy:.3f}  macro-F1 {f1:.3f}")
        table[language] = {
            "accuracy": round(accuracy, 4),
            "macro_f1": round(f1, 4),
            "n": len(pairs),
            "analyser": sentiment.analyser_for(language).name,  # type: ignore[union-attr]
            "files": {r["file"]: {k: r[k] for k in ("n", "accuracy", "macro_f1")} for r in rows},
        }
    if not (args.quick or args.no_write):
        OUTPUT.write_text(
            json.dumps(
                {
                    "measured_at": datetime.now(UTC).date().isoformat(),
                    "how": (
                        "bench/bench_sentiment.py on the VADER ground truth "
                        "(tweets and NYT editorial snippets rated -4..+4 by 20 people); "
                        f"mean rating above +{RATING_CUTOFF} positive, below -{RATING_CUTOFF} "
                        "negative, else neutral; three-way accuracy and macro-F1"
                    ),
                    "languages": table,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
