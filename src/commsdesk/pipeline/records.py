"""Typed records that flow between pipeline stages.

Frozen dataclasses only: no behaviour beyond trivial derived values, no Django, no I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


class Outcome(enum.StrEnum):
    """The single result of processing one fetched item; source health counts these."""

    STORED = "stored"
    DUPLICATE = "duplicate"
    FILTERED = "filtered"
    QUARANTINED = "quarantined"  # permanent: bad bytes, not an article; never retried
    RETRY = "retry"  # transient: timeout, 5xx; retried with backoff


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What came back from one HTTP GET, after redirects."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int  # 200, or 304 when not modified
    body: bytes  # empty on 304
    content_type: str  # lower-cased media type without parameters, "" if absent
    charset: str | None  # from the Content-Type header, if any
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime | None = None
    # Response headers, names lower-cased: API connectors read rate limits from them.
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class PostResult:
    """What a webhook answered to one POST (2xx only: other answers raise)."""

    url: str  # the URL posted to
    final_url: str  # after 307/308 redirects
    status: int
    body: bytes  # the first 64 KiB of the answer, for people debugging their endpoint


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, as the feed describes it (the page may say more)."""

    url: str
    title: str = ""
    summary: str = ""  # plain text or HTML as the feed gives it
    published: datetime | None = None  # timezone-aware UTC when known
    authors: tuple[str, ...] = ()
    guid: str = ""
    language: str = ""  # entry or feed language if declared


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed read by `feeds.parse`: metadata and its entries."""

    title: str
    link: str
    language: str
    entries: tuple[FeedEntry, ...]
    parser: str  # "fastfeedparser" or "feedparser": which one succeeded
    warnings: tuple[str, ...] = ()  # ill-formedness the fallback parser tolerated
    format: str = ""  # "rss", "atom", "rdf" or "json" when known


@dataclass(frozen=True, slots=True)
class FeedRead:
    """A source read once: either not modified, or parsed with its validators."""

    not_modified: bool
    feed: ParsedFeed | None
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """The article in a page, as `extract.extract` found it."""

    url: str  # the URL the page was fetched from (or given)
    canonical_url: str  # <link rel=canonical> / og:url when present and sane, else url
    title: str
    text: str  # clean main text, paragraphs separated by "\n"
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    language_hint: str = ""  # from <html lang> or metadata; not a detection
    method: str = ""  # which extractor produced the text, shown for transparency
    site_name: str = ""


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    code: str  # ISO 639-1, or "und" when no language is confident enough
    confidence: float  # 0..1, from the model that decided
    decided_by: str  # which model answered: shown on the article page for transparency


@dataclass(frozen=True, slots=True)
class Article:
    """A finished article ready to store: the pipeline's final record for one item."""

    url: str
    canonical_url: str
    url_hash: str  # sha256 hex of the canonical form, the storage identity
    title: str
    text: str
    language: LanguageGuess
    published: datetime | None
    authors: tuple[str, ...]
    extraction_method: str
    site_name: str = ""
    html: bytes = b""  # raw page, kept compressed by storage for re-extraction


@dataclass(frozen=True, slots=True)
class ItemResult:
    """Exactly one outcome for one item, with the article when one was produced."""

    outcome: Outcome
    reason: str = ""  # human-readable; empty only for STORED
    article: Article | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """What a saved search looks at in one article: text fields and the metadata it filters."""

    title: str = ""
    text: str = ""
    outlet: str = ""  # the outlet's display name, e.g. "BBC News"
    language: str = ""  # ISO 639-1 or a BCP 47 tag such as "pt-BR"; "" when unknown
    country: str = ""  # ISO 3166-1 alpha-2 of the outlet; "" when unknown
    authors: tuple[str, ...] = ()
