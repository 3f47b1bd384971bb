"""Near-duplicate (syndication) detection: text → MinHash `Signature`, and a time-windowed
`StoryIndex` (datasketch MinHashLSH) that says which story a new article joins.
It does not store, fetch or extract anything, and it never merges or splits stories a person made.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from commsdesk.pipeline import urls

# 128 permutations: the standard error of a Jaccard estimate is sqrt(J(1-J)/128) ≈ 0.044 at
# J = 0.5, well inside the gap between syndicated copies (J ≳ 0.7) and distinct articles
# (J ≲ 0.1) on the corpus; 256 would halve neither speed nor memory problems for no gain.
NUM_PERM = 128
# Fixed so signatures computed in any worker, process or release compare with each other.
SEED = 1
# datasketch 2's default scheme: uint32 values, a bijective affine permutation per slot.
SCHEME = "affine32"
# Words per shingle for spaced scripts: 4 words is specific enough that two articles on the
# same event share few shingles, short enough that an edited sentence spoils only 4 of them.
WORD_SHINGLE = 4
# Characters per shingle for scripts written without spaces (CJK, Thai...): a Chinese word is
# ≈1.5–2 characters, so 5 characters span about as much text as 3–4 words.
CHAR_SHINGLE = 5
# Estimated Jaccard at or above which an article joins a story (chosen from the corpus pairs,
# see docs/benchmarks.md): duplicates measured ≥0.68, distinct pairs ≤0.08.
THRESHOLD = 0.5
# LSH banding (bands, rows): an article becomes a candidate when all rows of one band agree.
# P(candidate) = 1 - (1 - J^4)^20: 0.73 at J = 0.5, 0.94 at 0.6, 0.996 at 0.7, 0.03 at 0.2.
# datasketch's own choice for 0.5 is (25, 5): 0.55 at J = 0.5 and 25 buckets per article;
# ours finds more copies near the threshold with 20% less memory. Candidates are verified on
# all 128 values, so the extra false candidates cost only a comparison each.
BANDS = (20, 4)
# Fewer shingles than this: too little text to call anything a copy (a bare headline).
MIN_SHINGLES = 5
DEFAULT_WINDOW = timedelta(days=7)

_MAX_HASH = np.uint32(0xFFFFFFFF)
# Accents and optional vowel points: Latin/Greek/Cyrillic combining diacritics, Hebrew niqqud,
# Arabic harakat. Indic, Thai and kana marks are not here: they are part of the letters.
_STRIP_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0591-\u05c7\u064b-\u065f\u0670]+"
)
# Scripts written without spaces between words: each character becomes a token.
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana, CJK ideographs
    "\U00020000-\U0003134f"  # CJK extensions B–H
)
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
# A token: a run of letters/digits (not "_") or in-word marks of Brahmic scripts, which `\w`
# alone would treat as separators (Devanagari vowel signs are marks, not letters).
_BRAHMIC = "\u0900-\u0963\u0966-\u0dff\u0f00-\u0fff"  # Indic and Tibetan blocks minus dandas
_TOKEN = re.compile(f"[{_UNSPACED}]|(?:[^\\W_{_UNSPACED}]|[{_BRAHMIC}])+")
_ASCII_TOKEN = re.compile("[a-z0-9]+")
# Odd multipliers that make a shingle's hash depend on the order of its tokens.
_POSITION_MULTIPLIERS = np.array(
    [0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F,
     0x165667B1, 0xD3A2646D, 0xFD7046C5, 0xB55A4F09],
    dtype=np.uint32,
)  # fmt: skip
# Rows of the shingles × permutations matrix hashed at once: caps memory at 4 MB per call.
_CHUNK = 8192
_BYTES_MAGIC = b"CDMH"
_BYTES_VERSION = 1
_HEADER = struct.Struct("<4sBBHII")  # magic, version, mode, num_perm, seed, shingles
_MODES = ("words", "chars")


@dataclass(frozen=True, slots=True)
class Signature:
    """The MinHash of one text's shingles; computed by any worker, compared by the index."""

    hashvalues: tuple[int, ...]  # num_perm minimums, uint32, datasketch "affine32" scheme
    seed: int = SEED  # permutation seed: only signatures with equal seed and length compare
    shingles: int = 0  # shingles hashed; below MIN_SHINGLES the text is too short to compare
    mode: str = "words"  # "words" (spaced scripts) or "chars" (CJK, Thai...): how it was shingled

    @property
    def num_perm(self) -> int:
        return len(self.hashvalues)

    def array(self) -> np.ndarray:
        return np.array(self.hashvalues, dtype=np.uint32)

    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two texts' shingle sets."""
        _check_compatible(self, other)
        return _estimate(self.array(), other.array())

    def minhash(self) -> LeanMinHash:
        """The datasketch form, for MinHashLSH and datasketch's own tools."""
        return LeanMinHash(seed=self.seed, hashvalues=self.array(), scheme=SCHEME)

    def to_bytes(self) -> bytes:
        """A compact, versioned, little-endian form to keep on the Article row."""
        header = _HEADER.pack(
            _BYTES_MAGIC, _BYTES_VERSION, _MODES.index(self.mode), self.num_perm, self.seed,
            self.shingles,
        )  # fmt: skip
        return header + self.array().astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Read `to_bytes` output back; ValueError for anything else."""
        if len(data) < _HEADER.size:
            raise ValueError("not a signature: too short")
        magic, version, mode, num_perm, seed, shingles = _HEADER.unpack_from(data)
        if magic != _BYTES_MAGIC or version != _BYTES_VERSION or mode >= len(_MODES):
            raise ValueError("not a signature of this version")
        if len(data) != _HEADER.size + 4 * num_perm:
            raise ValueError(f"signature length does not match its {num_perm} permutations")
        values = np.frombuffer(data, dtype="<u4", offset=_HEADER.size)
        return cls(tuple(values.tolist()), seed, shingles, _MODES[mode])


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where `StoryIndex.add` put one article."""

    key: str  # the article added
    story: str  # key of the story's representative (its first article); == key for a new story
    similarity: float  # estimated Jaccard with `matched`; 0.0 for a new story
    matched: str | None = None  # the indexed article it was most similar to, if it joined

    @property
    def is_new(self) -> bool:
        return self.matched is None


# --- text → shingles ------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Casefolded, accent-free, punctuation-free text with single spaces between tokens."""
    return " ".join(tokens(text))


def tokens(text: str) -> list[str]:
    """Words of spaced scripts and single characters of unspaced ones, normalised."""
    words: list[str] = []
    # Whitespace chunks first: most are plain ASCII words that need no regex, which makes
    # this ≈10× faster than one Unicode regex over the whole text (the slowest step before).
    for chunk in unicodedata.normalize("NFKC", text).casefold().split():
        if chunk.isascii():
            if chunk.isalnum():
                words.append(chunk)
            else:
                words.extend(_ASCII_TOKEN.findall(chunk))
        else:
            plain = _STRIP_MARKS.sub("", unicodedata.normalize("NFKD", chunk))
            words.extend(_TOKEN.findall(unicodedata.normalize("NFC", plain)))
    return words


def shingle_mode(words: list[str]) -> str:
    """ "chars" when most tokens are characters of an unspaced script (CJK, Thai...)."""
    unspaced = sum(1 for token in words if len(token) == 1 and _UNSPACED_CHAR.match(token))
    return "chars" if words and unspaced * 2 >= len(words) else "words"


def shingle_hashes(words: list[str], *, size: int) -> np.ndarray:
    """32-bit hashes of every run of `size` consecutive tokens (one shingle if fewer tokens)."""
    if not words:
        return np.empty(0, dtype=np.uint32)
    # crc32 is in C, stable across processes (unlike hash()) and mixed again by _fmix32.
    token_hashes = np.fromiter(
        (zlib.crc32(word.encode("utf-8")) for word in words), dtype=np.uint32, count=len(words)
    )
    size = min(size, len(words), len(_POSITION_MULTIPLIERS))
    count = len(words) - size + 1
    combined = np.zeros(count, dtype=np.uint32)
    for position in range(size):
        combined += token_hashes[position : position + count] * _POSITION_MULTIPLIERS[position]
    return combined


# --- shingles → signature -------------------------------------------------------------------


def signature(
    text: str,
    *,
    num_perm: int = NUM_PERM,
    seed: int = SEED,
    word_shingle: int = WORD_SHINGLE,
    char_shingle: int = CHAR_SHINGLE,
) -> Signature:
    """The MinHash signature of a text (title + body is a good input)."""
    words = tokens(text)
    mode = shingle_mode(words)
    hashes = shingle_hashes(words, size=char_shingle if mode == "chars" else word_shingle)
    values = minhash_values(hashes, num_perm=num_perm, seed=seed)
    return Signature(tuple(values.tolist()), seed, int(hashes.size), mode)


def signatures(texts: Iterable[str], **options: int) -> list[Signature]:
    """`signature` for many texts (same keyword options); the permutations are shared."""
    return [signature(text, **options) for text in texts]


def minhash_values(hashes: np.ndarray, *, num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """What datasketch's `MinHash(num_perm, seed).update_batch(hashes)` computes, vectorised.

    Same permutations and pre-mix as datasketch's "affine32" scheme (a test checks equality),
    without its per-value Python loop: ≈10× faster on article-sized inputs.
    """
    a, b = _permutations(num_perm, seed)
    values = np.full(num_perm, _MAX_HASH, dtype=np.uint32)
    mixed = _fmix32(hashes.astype(np.uint32, copy=False))
    for start in range(0, mixed.size, _CHUNK):
        chunk = mixed[start : start + _CHUNK, None]
        np.minimum(values, (chunk * a + b).min(axis=0), out=values)
    return values


@functools.cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # Same generator calls as datasketch.MinHash._init_permutations for "affine32"; cached
    # because they depend only on (num_perm, seed) and cost more than hashing a short text.
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def _fmix32(values: np.ndarray) -> np.ndarray:
    # MurmurHash3's finalizer, as datasketch applies it before the affine permutation.
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def _estimate(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / a.size


def _check_compatible(a: Signature, b: Signature) -> None:
    if a.seed != b.seed or a.num_perm != b.num_perm:
        raise ValueError("signatures with different seeds or lengths do not compare")


def band_keys(sig: Signature, *, bands: tuple[int, int] = BANDS) -> list[str]:
    """One lookup key per LSH band of `sig`: two signatures share a key exactly when all rows
    of that band agree, the same rule `StoryIndex`'s MinHashLSH uses (same slices of the
    values), so the database-backed index finds the candidates the in-memory one would.

    A key names its band, the permutation seed and length, so signatures that do not compare
    never meet; each is at most 36 characters.
    """
    count, rows = bands
    if count * rows > sig.num_perm:
        raise ValueError(f"{count} bands of {rows} rows need {count * rows} values")
    data = sig.array().astype("<u4")
    keys = []
    for band in range(count):
        digest = hashlib.blake2b(
            data[band * rows : (band + 1) * rows].tobytes(),
            digest_size=16,
            person=f"{sig.seed}:{sig.num_perm}".encode()[:16],
        )
        keys.append(f"b{band:02d}:{digest.hexdigest()}")
    return keys


# --- exact duplicates -----------------------------------------------------------------------


def url_key(url: str) -> str:
    """Same canonical URL → same key (the Article's url_hash)."""
    return urls.identity_hash(url)


def title_key(outlet: str, title: str) -> str:
    """Same normalised title from the same outlet → same key (sha256 hex)."""
    return hashlib.sha256(f"{outlet.strip().casefold()}\n{normalise(title)}".encode()).hexdigest()


# --- the windowed story index ---------------------------------------------------------------


class StoryIndex:
    """Assigns each added article to a story within a sliding time window.

    One process owns an index (workers compute signatures in parallel and send them here).
    An article joins the story of its most similar indexed article whose `published_at` is
    within `window` of its own and whose estimated Jaccard is ≥ `threshold`; otherwise it
    starts a story. Stories are never merged here: a person merges or splits them.

    Memory stays bounded by `expire(now)`: it pops articles older than `now - window` off a
    heap ordered by published time and calls `MinHashLSH.remove(key)`, which deletes the key
    from each band's bucket (dropping buckets left empty) and from the key table, so the LSH
    holds only articles still inside the window.
    """

    def __init__(
        self,
        *,
        threshold: float = THRESHOLD,
        window: timedelta = DEFAULT_WINDOW,
        num_perm: int = NUM_PERM,
        seed: int = SEED,
        min_shingles: int = MIN_SHINGLES,
        bands: tuple[int, int] = BANDS,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.window = window
        self.num_perm = num_perm
        self.seed = seed
        self.min_shingles = min_shingles
        # LSH only proposes candidates (see BANDS); each is verified against `threshold`.
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=bands)
        self._values: dict[str, np.ndarray] = {}
        self._published: dict[str, datetime] = {}
        self._story: dict[str, str] = {}
        self._by_age: list[tuple[datetime, int, str]] = []  # heap of (published, order, key)
        self._added = 0

    def __len__(self) -> int:
        return len(self._story)

    def __contains__(self, key: object) -> bool:
        return key in self._story

    @property
    def bands(self) -> tuple[int, int]:
        """(bands, rows per band) of the LSH."""
        return self._lsh.b, self._lsh.r

    def story_of(self, key: str) -> str | None:
        return self._story.get(key)

    def add(self, key: str, item: Signature | str, published_at: datetime) -> Assignment:
        """Index one article and say which story it joins. ValueError if `key` is indexed."""
        if key in self._story:
            raise ValueError(f"{key!r} is already in the index")
        sig = item if isinstance(item, Signature) else self.signature(item)
        if sig.seed != self.seed or sig.num_perm != self.num_perm:
            raise ValueError("the signature was computed with another seed or num_perm")
        # Too-short texts get a story of their own but are not indexed: they would match
        # every other headline-only item with the same few words.
        indexed = sig.shingles >= self.min_shingles
        assignment = Assignment(key, key, 0.0)
        if indexed:
            values = sig.array()  # converted once: the LSH and the verification share it
            minhash = LeanMinHash(seed=self.seed, hashvalues=values, scheme=SCHEME)
            assignment = self._assign(key, values, minhash, published_at)
            self._lsh.insert(key, minhash, check_duplication=False)
            self._values[key] = values
        self._published[key] = published_at
        self._story[key] = assignment.story
        heapq.heappush(self._by_age, (published_at, self._added, key))
        self._added += 1
        return assignment

    def signature(self, text: str) -> Signature:
        return signature(text, num_perm=self.num_perm, seed=self.seed)

    def expire(self, now: datetime) -> int:
        """Drop articles published before `now - window`; returns how many were dropped."""
        cutoff = now - self.window
        dropped = 0
        while self._by_age and self._by_age[0][0] < cutoff:
            _, _, key = heapq.heappop(self._by_age)
            if key in self._values:
                self._lsh.remove(key)
                del self._values[key]
            del self._published[key], self._story[key]
            dropped += 1
        return dropped

    def _assign(
        self, key: str, values: np.ndarray, minhash: LeanMinHash, published_at: datetime
    ) -> Assignment:
        best: tuple[float, str] | None = None
        for candidate in self._lsh.query(minhash):
            if abs(self._published[candidate] - published_at) > self.window:
                continue  # an old story that happens not to be expired yet
            similarity = _estimate(values, self._values[candidate])
            if similarity >= self.threshold and (best is None or similarity > best[0]):
                best = (similarity, candidate)
        if best is None:
            return Assignment(key, key, 0.0)
        similarity, matched = best
        return Assignment(key, self._story[matched], similarity, matched)
