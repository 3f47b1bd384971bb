"""Trends over coverage: spikes in hourly counts, emerging terms and breaking stories.

Pure arithmetic over counts, texts and placement times handed in by the caller; it reads no
database and keeps no state. The methods and their defaults are documented in docs/metrics.md.

Spikes — for one saved search, each hour's count is compared with the same search's previous
`history_hours` hours (default 168, one week, hours without matches counted as 0):
    baseline = median(history)
    spread   = max(1.4826 × MAD(history), spread_floor, √baseline)
    spike    ⇔ count ≥ min_count and count > baseline + k × spread        (k = 4, min_count = 5)
    score    = (count − baseline) / spread
The median and the MAD (median absolute deviation, ×1.4826 so it estimates a standard deviation)
ignore the odd busy hour, so one earlier spike does not hide the next. The floor (at least 1, and
at least the Poisson spread √baseline) keeps sparse series from firing: with a baseline of 0 or 1
an hour needs 5 matches to count.

Emerging terms — words, two-word phrases and (for Chinese, Japanese, Korean, Thai...) character
bigrams, counted once per document, in the recent window (last 24 h) against an earlier window
(the previous weeks), per language, stopwords dropped:
    rise = log2( ((recent_df + α) / (recent_docs + α)) / ((earlier_df + α) / (earlier_docs + α)) )
with α = 1 document (the prior: a term never seen before counts as if seen once) and at least
`min_support` recent documents. A steady term scores about 0; a term new today scores highest.

Breaking stories — a story's placements in the last `recent_hours` (6) against what its rate over
the `earlier_hours` before (48) predicts:
    expected = earlier / earlier_hours × recent_hours
    score    = (recent − expected) / √(expected + 1)      (needs ≥ 3 placements and score ≥ 2)
so a story going from nothing to 8 copies in six hours outranks one that has run steadily all week.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import regex
import stopwordsiso

from commsdesk.pipeline.query import is_char_token, tokenize

HOUR = timedelta(hours=1)
MAD_TO_SD = 1.4826  # MAD × this estimates the standard deviation of normally distributed counts

# ---------------------------------------------------------------- spikes


@dataclass(frozen=True, slots=True)
class SpikeRules:
    """When an hour counts as a spike; the defaults are documented in docs/metrics.md."""

    history_hours: int = 168  # the baseline window: one week of the same search's hours
    k: float = 4.0  # how many spreads above the baseline (3 fired on ~0.4% of noise hours)
    min_count: int = 5  # an hour needs at least this many matches, whatever the baseline
    spread_floor: float = 1.0  # a series of zeros has MAD 0: never divide by less than this


@dataclass(frozen=True, slots=True)
class HourCheck:
    """One hour weighed against its history."""

    hour: datetime  # start of the hour, UTC
    count: int
    baseline: float  # median of the history
    spread: float  # scaled MAD with the floor applied
    score: float  # (count - baseline) / spread
    is_spike: bool


def check_hour(hour: datetime, count: int, history: Sequence[int], rules: SpikeRules) -> HourCheck:
    """Weigh one hour's count against the counts of the hours before it (zeros included)."""
    baseline = float(statistics.median(history)) if history else 0.0
    mad = float(statistics.median(abs(c - baseline) for c in history)) if history else 0.0
    spread = max(MAD_TO_SD * mad, rules.spread_floor, math.sqrt(baseline))
    score = (count - baseline) / spread
    is_spike = count >= rules.min_count and count > baseline + rules.k * spread
    return HourCheck(hour, count, baseline, spread, round(score, 3), is_spike)


def dense_hours(counts: Mapping[datetime, int], start: datetime, end: datetime) -> list[int]:
    """Counts for every hour from `start` up to (not including) `end`, 0 where none matched."""
    out = []
    hour = start
    while hour < end:
        out.append(counts.get(hour, 0))
        hour += HOUR
    return out


def find_spikes(
    counts: Mapping[datetime, int], hours: Iterable[datetime], rules: SpikeRules | None = None
) -> list[HourCheck]:
    """The spikes among `hours` (hour starts), each against the `history_hours` before it."""
    rules = rules or SpikeRules()
    found = []
    for hour in sorted(hours):
        count = counts.get(hour, 0)
        if count < rules.min_count:
            continue  # cheap exit: most hours of most searches
        history = dense_hours(counts, hour - rules.history_hours * HOUR, hour)
        checked = check_hour(hour, count, history, rules)
        if checked.is_spike:
            found.append(checked)
    return found


# ---------------------------------------------------------------- emerging terms


@dataclass(frozen=True, slots=True)
class TermRules:
    prior: float = 1.0  # α: documents added to both windows' counts (smoothing)
    min_support: int = 3  # recent documents a term must appear in
    limit: int = 20


@dataclass(frozen=True, slots=True)
class EmergingTerm:
    term: str  # normalised (case- and accent-folded); phrases joined by one space
    recent: int  # documents in the recent window containing it
    earlier: int  # documents in the earlier window containing it
    rise: float  # smoothed log2 ratio of the two document rates


# A segment never spans punctuation, so phrases and CJK bigrams stay inside a clause.
_SEGMENT = regex.compile(r"[\p{P}\p{S}]+", regex.V1)
_HIRAGANA = regex.compile(r"^\p{Hiragana}+$", regex.V1)


@lru_cache(maxsize=64)
def stopwords(language: str) -> frozenset[str]:
    """Stopwords of an ISO 639-1 language (stopwords-iso lists, 58 languages), folded like the
    tokens; an empty set for a language the lists do not cover."""
    code = language.split("-")[0].lower()
    if not stopwordsiso.has_lang(code):
        return frozenset()
    return frozenset(" ".join(tokenize(word)) for word in stopwordsiso.stopwords(code))


def document_terms(text: str, language: str) -> set[str]:
    """The distinct terms of one document: words, two-word phrases and CJK character bigrams."""
    stop = stopwords(language)
    terms: set[str] = set()
    for segment in _SEGMENT.split(text):
        words: list[str] = []  # the run of space-separated words, for phrases
        chars: list[str] = []  # the run of CJK/Thai characters, for bigrams
        for token in tokenize(segment):
            if is_char_token(token):
                chars.append(token)
                continue
            _add_bigrams(terms, chars, stop)
            chars = []
            words.append(token)
        _add_bigrams(terms, chars, stop)
        _add_words(terms, words, stop)
    return terms


def _keep_word(word: str, stop: frozenset[str]) -> bool:
    return len(word) > 1 and not word.isdigit() and word not in stop


def _add_words(terms: set[str], words: list[str], stop: frozenset[str]) -> None:
    kept = [_keep_word(w, stop) for w in words]
    terms.update(w for w, keep in zip(words, kept, strict=True) if keep)
    for i in range(len(words) - 1):
        if kept[i] and kept[i + 1]:
            terms.add(f"{words[i]} {words[i + 1]}")


def _add_bigrams(terms: set[str], chars: list[str], stop: frozenset[str]) -> None:
    for i in range(len(chars) - 1):
        bigram = chars[i] + chars[i + 1]
        # All-hiragana pairs are Japanese grammar (particles, endings), not news.
        if bigram not in stop and not _HIRAGANA.match(bigram):
            terms.add(bigram)


def emerging_terms(
    recent: Iterable[str],
    earlier: Iterable[str],
    *,
    language: str,
    rules: TermRules | None = None,
) -> list[EmergingTerm]:
    """Terms whose share of documents rose most from the `earlier` texts to the `recent` ones."""
    rules = rules or TermRules()
    recent_df, recent_docs = _document_frequencies(recent, language)
    earlier_df, earlier_docs = _document_frequencies(earlier, language)
    a = rules.prior
    found = []
    for term, n in recent_df.items():
        if n < rules.min_support:
            continue
        before = earlier_df.get(term, 0)
        rise = math.log2(((n + a) / (recent_docs + a)) / ((before + a) / (earlier_docs + a)))
        if rise > 0:
            found.append(EmergingTerm(term, n, before, round(rise, 3)))
    found.sort(key=lambda t: (-t.rise, -t.recent, t.term))
    return _without_covered_words(found)[: rules.limit]


def _document_frequencies(texts: Iterable[str], language: str) -> tuple[Counter[str], int]:
    df: Counter[str] = Counter()
    docs = 0
    for text in texts:
        df.update(document_terms(text, language))
        docs += 1
    return df, docs


def _without_covered_words(terms: list[EmergingTerm]) -> list[EmergingTerm]:
    """Drop a word that only ever appears inside a listed phrase with the same counts: "climate"
    and "climate strike" rising together is one finding, shown once as the phrase."""
    covered = {
        (word, t.recent, t.earlier) for t in terms if " " in t.term for word in t.term.split(" ")
    }
    return [t for t in terms if (t.term, t.recent, t.earlier) not in covered]


# ---------------------------------------------------------------- breaking stories


@dataclass(frozen=True, slots=True)
class BreakingRules:
    recent_hours: int = 6
    earlier_hours: int = 48  # the window before the recent one that sets the expected rate
    min_recent: int = 3  # placements in the recent window
    min_score: float = 2.0  # two Poisson spreads above the expected: not a steady story's wobble
    limit: int = 10


@dataclass(frozen=True, slots=True)
class BreakingStory:
    story_id: int
    recent: int  # placements in the recent window
    earlier: int  # placements in the earlier window
    score: float  # excess placements over the expected, in Poisson spreads


def breaking_stories(
    placements: Iterable[tuple[int, datetime]],
    *,
    now: datetime,
    rules: BreakingRules | None = None,
) -> list[BreakingStory]:
    """Stories whose placements (story id, time) grew fastest in the last hours, best first."""
    rules = rules or BreakingRules()
    recent_start = now - rules.recent_hours * HOUR
    earlier_start = recent_start - rules.earlier_hours * HOUR
    recent: Counter[int] = Counter()
    earlier: Counter[int] = Counter()
    for story_id, at in placements:
        if recent_start < at <= now:
            recent[story_id] += 1
        elif earlier_start <= at < recent_start:
            earlier[story_id] += 1
    found = []
    for story_id, n in recent.items():
        if n < rules.min_recent:
            continue
        expected = earlier[story_id] / rules.earlier_hours * rules.recent_hours
        score = (n - expected) / math.sqrt(expected + 1)
        if score >= rules.min_score:
            found.append(BreakingStory(story_id, n, earlier[story_id], round(score, 3)))
    found.sort(key=lambda s: (-s.score, -s.recent, s.story_id))
    return found[: rules.limit]
