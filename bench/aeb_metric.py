"""The article-extraction-benchmark (AEB) score, restated from its evaluate.py.

4-token shingles over `\\w+` tokens, per-document normalised counts, macro precision and recall,
F1 from the two means. Shared by the benchmark and the corpus test so both score the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float
    accuracy: float  # share of documents whose token list equals the truth's
    documents: int


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text shorter than n tokens gives one shorter shingle."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def document_counts(truth: str | None, prediction: str | None) -> tuple[float, float, float]:
    """(tp, fp, fn) for one document, normalised by their sum so every document weighs the same."""
    t, p = shingles(truth), shingles(prediction)
    tp = fp = fn = 0
    for s in t.keys() | p.keys():
        tp += min(t[s], p[s])
        fp += max(0, p[s] - t[s])
        fn += max(0, t[s] - p[s])
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def extraction_f1(truth: str | None, prediction: str | None) -> float:
    """Per-document F1 on shingles: handy to rank the worst pages, not the corpus score."""
    tp, fp, fn = document_counts(truth, prediction)
    p, r = _precision(tp, fp, fn), _recall(tp, fp, fn)
    return 2 * p * r / (p + r) if p + r else 0.0


def score(pairs: Iterable[tuple[str | None, str | None]]) -> Score:
    """Corpus score over (truth, prediction) pairs: macro P and R, F1 from the two means."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = documents = 0
    for truth, prediction in pairs:
        documents += 1
        tp, fp, fn = document_counts(truth, prediction)
        if tp + fp > 0:
            precisions.append(_precision(tp, fp, fn))
        if tp + fn > 0:
            recalls.append(_recall(tp, fp, fn))
        exact += _TOKEN.findall(truth or "") == _TOKEN.findall(prediction or "")
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p, r, f1, exact / documents if documents else 0.0, documents)
