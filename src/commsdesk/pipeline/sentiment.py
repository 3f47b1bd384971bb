"""Sentiment of a text, and stance toward a saved search's terms, with the sentences behind them.

Pluggable lexicon analysers chosen by language (VADER for English, its French and Portuguese
ports); a language without one is "not analysed", never guessed. No Django, no storage, no network.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import regex

from commsdesk.pipeline import query as q

POSITIVE = "positive"
NEUTRAL = "neutral"
NEGATIVE = "negative"
LABELS = (POSITIVE, NEUTRAL, NEGATIVE)
# VADER's own documented cut-offs on its compound score, used for every analyser.
THRESHOLD = 0.05
MAX_EVIDENCE = 2  # sentences shown as "what drove it"
MAX_SENTENCES = 400  # a very long page is judged on its first 400 sentences: keeps ingest cheap

# A sentence ends at . ! ? … (followed by a space or the end, closing quotes allowed), at the
# full stops of CJK, Devanagari, Arabic and Urdu script, or at a line break. Hand-written: the
# sentence splitters on PyPI are per-language models or pull in NLTK data downloads.
_END = regex.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s|$)|[。！？｡]+[」』”’）]*|[\u0964\u0965\u06d4\u061f]+|\n",
)
_WORDY = regex.compile(r"[\p{L}\p{N}]")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # character offsets in the text it was split from
    end: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence that drove the result, with its own score (same sign as the result's)."""

    text: str
    score: float
    start: int  # character offsets in the analysed text, for highlighting
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "score": self.score, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str | None  # positive | neutral | negative; None: not analysed
    score: float | None  # -1..1: the mean of the sentences that carry sentiment
    evidence: tuple[Evidence, ...]
    analyser: str  # which analyser decided, shown beside the label; "" when none did
    reason: str = ""  # why it was not analysed, in words for the page

    @property
    def analysed(self) -> bool:
        return self.label is not None


def not_analysed(reason: str, analyser: str = "") -> Sentiment:
    return Sentiment(None, None, (), analyser, reason)


# ---------------------------------------------------------------- sentences


def sentences(text: str) -> list[Sentence]:
    """Split on sentence punctuation of many scripts and on line breaks; blank pieces dropped."""
    found: list[Sentence] = []
    start = 0
    for end_mark in _END.finditer(text):
        _keep(text, start, end_mark.end(), found)
        start = end_mark.end()
    _keep(text, start, len(text), found)
    return found


def _keep(text: str, start: int, end: int, found: list[Sentence]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped and _WORDY.search(stripped):
        offset = start + len(piece) - len(piece.lstrip())
        found.append(Sentence(stripped, offset, offset + len(stripped)))


# ---------------------------------------------------------------- analysers


@dataclass(frozen=True, slots=True)
class Analyser:
    name: str  # shown to people: the lexicon and its version
    polarity: Callable[[str], float]  # one sentence → -1..1


_Loader = Callable[[], Analyser]
_LOADERS: dict[str, _Loader] = {}


def register(language: str, loader: _Loader) -> None:
    """Plug in an analyser for a language (ISO 639-1); loaded on first use."""
    _LOADERS[language] = loader
    analyser_for.cache_clear()


def languages() -> frozenset[str]:
    return frozenset(_LOADERS)


@cache
def analyser_for(language: str) -> Analyser | None:
    """The analyser for a language code ("pt-BR" counts as "pt"), or None: not analysed."""
    base = (language or "").split("-")[0].split("_")[0].lower()
    loader = _LOADERS.get(base)
    return loader() if loader else None


def _compound(analyser: Any) -> Callable[[str], float]:
    return lambda sentence: float(analyser.polarity_scores(sentence)["compound"])


def _vader_en() -> Analyser:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return Analyser("VADER 3.3 (English)", _compound(SentimentIntensityAnalyzer()))


def _vader_fr() -> Analyser:
    with warnings.catch_warnings():
        # fuzzywuzzy, which it imports, warns about a speed-up it only uses for typo matching.
        warnings.simplefilter("ignore")
        from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer

    return Analyser("vaderSentiment-fr 1.3 (French)", _compound(SentimentIntensityAnalyzer()))


def _leia_pt() -> Analyser:
    from LeIA import SentimentIntensityAnalyzer

    return Analyser("LeIA 0.0.1 (Portuguese)", _compound(SentimentIntensityAnalyzer()))


register("en", _vader_en)
register("fr", _vader_fr)
register("pt", _leia_pt)


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class Scored:
    """Every sentence of a text with its score: analyse once, then read overall and stances."""

    text: str
    sentences: tuple[Sentence, ...]
    scores: tuple[float, ...]
    analyser: Analyser | None
    language: str


def score(text: str, language: str) -> Scored:
    analyser = analyser_for(language)
    split = tuple(sentences(text)[:MAX_SENTENCES])
    scores = tuple(analyser.polarity(s.text) for s in split) if analyser else ()
    return Scored(text, split, scores, analyser, language)


def summarise(scored: Scored, *, only: Iterable[int] | None = None) -> Sentiment:
    """Label and score from the sentences (all, or the indices in `only`) that carry sentiment."""
    if scored.analyser is None:
        return not_analysed(f"no sentiment analyser for language “{scored.language or '?'}”")
    picked = range(len(scored.sentences)) if only is None else sorted(set(only))
    pairs = [(scored.sentences[i], scored.scores[i]) for i in picked]
    if not pairs:
        return not_analysed("no sentence to analyse", scored.analyser.name)
    # Mean over sentences that carry sentiment: in news most sentences are neutral facts, and
    # averaging them in would call nearly every article neutral.
    felt = [s for _, s in pairs if abs(s) >= THRESHOLD]
    value = round(sum(felt) / len(felt), 4) if felt else 0.0
    label = label_of(value)
    return Sentiment(label, value, _evidence(pairs, label), scored.analyser.name)


def label_of(value: float) -> str:
    if value >= THRESHOLD:
        return POSITIVE
    if value <= -THRESHOLD:
        return NEGATIVE
    return NEUTRAL


def _evidence(pairs: Sequence[tuple[Sentence, float]], label: str) -> tuple[Evidence, ...]:
    """The strongest sentences pulling the same way as the result (none for neutral)."""
    if label == NEUTRAL:
        return ()
    sign = 1 if label == POSITIVE else -1
    drivers = sorted((p for p in pairs if p[1] * sign >= THRESHOLD), key=lambda p: -abs(p[1]))
    return tuple(Evidence(s.text, round(v, 4), s.start, s.end) for s, v in drivers[:MAX_EVIDENCE])


def analyse(text: str, language: str = "en") -> Sentiment:
    """Sentiment of a whole text in `language`, or not analysed when no analyser covers it."""
    return summarise(score(text, language))


# ---------------------------------------------------------------- stance


def term_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the saved search's hit terms (as stored with a mention) occur in `text`."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        try:
            parsed = q.parse(term)
        except q.QueryError:
            continue  # a metadata hit such as lang:en, or a term the parser no longer reads
        for field in q.TEXT_FIELDS:
            spans.extend(q.highlights(parsed, text, field=field))
    return sorted(set(spans))


def stance_of(scored: Scored, terms: Iterable[str]) -> Sentiment:
    """Sentiment over only the sentences that mention one of `terms`."""
    if scored.analyser is None:
        return summarise(scored)
    spans = term_spans(scored.text, terms)
    mentioning = [
        i
        for i, s in enumerate(scored.sentences)
        if any(start < s.end and end > s.start for start, end in spans)
    ]
    if not mentioning:
        return not_analysed("no sentence mentions the search terms", scored.analyser.name)
    return summarise(scored, only=mentioning)


def stance(text: str, terms: Iterable[str], language: str = "en") -> Sentiment:
    """Stance toward what the terms name: sentiment of the sentences that mention them."""
    return stance_of(score(text, language), terms)


# ---------------------------------------------------------------- measured accuracy


@cache
def _accuracy_table() -> dict[str, Any]:
    path = resources.files("commsdesk.pipeline").joinpath("data/sentiment_accuracy.json")
    try:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return loaded


def measured_accuracy(language: str) -> dict[str, Any] | None:
    """The evaluation figures for a language (accuracy, macro_f1, n, corpus, measured_at), or
    None when it was never measured: written by bench/bench_sentiment.py."""
    table = _accuracy_table()
    base = (language or "").split("-")[0].lower()
    found = table.get("languages", {}).get(base)
    if found is None:
        return None
    return {**found, "measured_at": table.get("measured_at"), "how": table.get("how")}
