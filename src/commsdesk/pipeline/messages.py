"""Key-message pull-through: does an article carry a key message, where, and in which words.

Fuzzy matching (rapidfuzz) of each phrasing against each sentence, accent- and case-folded; knows
nothing about campaigns or storage. Prominence: 2 headline or lead, 1 body, 0 absent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from commsdesk.pipeline import query as q
from commsdesk.pipeline.sentiment import sentences

# A passage carries the message when a phrasing scores at least this (0-100) against it: the
# higher of partial_ratio (the phrasing almost verbatim inside the sentence) and token_set_ratio
# (all its words there, in any order). 85 lets through a changed word ending or an inserted
# word, and keeps out sentences that merely share a few common words (see docs/metrics.md).
THRESHOLD = 85.0
LEAD_SENTENCES = 2  # the first sentences of the body count as the lead...
LEAD_CHARS = 300  # ...and so does any sentence starting within its first 300 characters
ABSENT, BODY, LEAD = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Passage:
    text: str  # as written, shown to people
    folded: str  # as matched: pipeline.query.fold of the text
    prominence: int  # LEAD (headline or lead) or BODY
    char_script: bool  # CJK, Thai...: token_set_ratio would match any sentence with the characters


@dataclass(frozen=True, slots=True)
class Presence:
    prominence: int  # 0 absent, 1 body, 2 headline or lead
    score: float  # 0..100: how closely the best passage matches the best phrasing
    passage: str  # the sentence that carries it ("" when absent)
    phrasing: str = ""  # which phrasing it matched


def passages(title: str, body: str, *, lead: str = "") -> list[Passage]:
    """The headline, the lead and the body as sentences, each with its prominence. Split once
    per article and reuse for every key message."""
    found = [_passage(s.text, LEAD) for s in sentences(title)]
    found += [_passage(s.text, LEAD) for s in sentences(lead)]
    for i, sentence in enumerate(sentences(body)):
        in_lead = not lead and (i < LEAD_SENTENCES or sentence.start < LEAD_CHARS)
        found.append(_passage(sentence.text, LEAD if in_lead else BODY))
    return found


def _passage(text: str, prominence: int) -> Passage:
    tokens = q.tokenize(text)
    return Passage(text, " ".join(tokens), prominence, any(q.is_char_token(t) for t in tokens))


def phrasings_for(phrasings: Mapping[str, Sequence[str]], language: str) -> list[str]:
    """The phrasings written for the article's language; when there are none, every phrasing
    (a name or slogan is often kept untranslated)."""
    base = (language or "").split("-")[0].lower()
    own = [p for p in phrasings.get(base, ()) if p.strip()]
    return own or [p for group in phrasings.values() for p in group if p.strip()]


def similarity(phrasing: str, passage: Passage) -> float:
    folded = q.fold(phrasing)
    if not folded or not passage.folded:
        return 0.0
    best = fuzz.partial_ratio(folded, passage.folded)
    if not passage.char_script:
        best = max(best, fuzz.token_set_ratio(folded, passage.folded))
    return float(best)


def presence(
    found: Sequence[Passage], phrasings: Mapping[str, Sequence[str]], *, language: str
) -> Presence:
    """The best passage carrying the message: the most prominent one at or above THRESHOLD,
    the closest match among equals; absent with the best score seen otherwise."""
    best = Presence(ABSENT, 0.0, "")
    for phrasing in phrasings_for(phrasings, language):
        for passage in found:
            score = round(similarity(phrasing, passage), 1)
            if score >= THRESHOLD:
                candidate = Presence(passage.prominence, score, passage.text, phrasing)
            else:
                candidate = Presence(ABSENT, score, "")
            if (candidate.prominence, candidate.score) > (best.prominence, best.score):
                best = candidate
    return best


def find(
    title: str,
    body: str,
    phrasings: Mapping[str, Sequence[str]],
    *,
    language: str,
    lead: str = "",
) -> Presence:
    """Presence of one key message (its phrasings per language) in one article."""
    return presence(passages(title, body, lead=lead), phrasings, language=language)
