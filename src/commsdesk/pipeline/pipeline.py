"""The table of contents of ingestion: a source's feed in, one outcome per linked item out.

read_source: fetch → feeds.        process_link: urls → fetch → process_page.
process_page: extract → urls (canonical) → language → Article record.
Storage (with saved-search matching and sentiment), scheduling and counting belong to the caller
(the `ingest` app); nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from commsdesk.pipeline import extract, feeds, language, urls
from commsdesk.pipeline.errors import NotAnArticleError, PermanentError, TransientError
from commsdesk.pipeline.fetch import Fetcher
from commsdesk.pipeline.records import Article, FeedRead, ItemResult, Outcome

# Links to these are media or documents, not article pages: counted as filtered, not fetched.
_NOT_ARTICLE_SUFFIXES = tuple(
    f".{ext}"
    for ext in "pdf jpg jpeg png gif webp svg mp3 mp4 m4a ogg webm zip gz doc docx xls xlsx ppt "
    "pptx epub".split()
)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")

IsKnown = Callable[[str], bool]  # url_hash → already stored?


def read_source(
    url: str, *, fetcher: Fetcher, etag: str | None = None, last_modified: str | None = None
) -> FeedRead:
    """Fetch and parse a feed. Raises TransientError / PermanentError with a readable reason."""
    response = fetcher.fetch(url, etag=etag or None, last_modified=last_modified or None)
    if response.not_modified:
        return FeedRead(True, None, etag, last_modified)
    parsed = feeds.parse(response.body, url=response.final_url)
    return FeedRead(False, parsed, response.etag, response.last_modified)


def screen_link(url: str) -> ItemResult | None:
    """Decide before fetching: a result for links we never fetch, or None to go ahead."""
    try:
        urls.canonicalize(url)
    except urls.InvalidURLError as exc:
        return ItemResult(Outcome.QUARANTINED, str(exc))
    path = urlsplit(url).path.lower()
    if path.endswith(_NOT_ARTICLE_SUFFIXES):
        kind = path.rsplit(".", 1)[-1].upper()
        return ItemResult(Outcome.FILTERED, f"links to a {kind} file, not an article page")
    return None


def process_link(
    url: str,
    *,
    fetcher: Fetcher,
    is_known: IsKnown,
    candidates: frozenset[str] | None = None,
) -> ItemResult:
    """One linked item to exactly one outcome; never raises for bad input."""
    screened = screen_link(url)
    if screened is not None:
        return screened
    if is_known(urls.identity_hash(url)):
        return ItemResult(Outcome.DUPLICATE, "already stored from this or another source")
    try:
        response = fetcher.fetch(url)
    except TransientError as exc:
        return ItemResult(Outcome.RETRY, exc.reason)
    except PermanentError as exc:
        return ItemResult(Outcome.QUARANTINED, exc.reason)
    if response.content_type not in _HTML_TYPES:
        return ItemResult(
            Outcome.QUARANTINED, f"not a web page: the server sent {response.content_type}"
        )
    return process_page(
        response.body,
        url=response.final_url,
        charset=response.charset,
        is_known=is_known,
        candidates=candidates,
    )


def process_page(
    html: bytes | str,
    *,
    url: str,
    charset: str | None = None,
    is_known: IsKnown,
    candidates: frozenset[str] | None = None,
) -> ItemResult:
    """Page bytes to an Article record (or a quarantined/duplicate outcome)."""
    try:
        page = extract.extract(html, url=url, charset=charset)
    except NotAnArticleError as exc:
        return ItemResult(Outcome.QUARANTINED, exc.reason)
    canonical = _first_valid_url(page.canonical_url, url)
    if canonical is None:
        return ItemResult(
            Outcome.QUARANTINED, "no address: the page declares no canonical URL and none was given"
        )
    url_hash = urls.identity_hash(canonical)
    if is_known(url_hash):
        return ItemResult(Outcome.DUPLICATE, "the page's canonical URL is already stored")
    # The first few paragraphs decide the language as well as the whole text, much faster.
    guess = language.identify(f"{page.title}\n{page.text[:3000]}", candidates=candidates)
    raw = html if isinstance(html, bytes) else html.encode("utf-8")
    article = Article(
        url=url or canonical,
        canonical_url=canonical,
        url_hash=url_hash,
        title=page.title,
        text=page.text,
        language=guess,
        published=page.published,
        authors=page.authors,
        extraction_method=page.method,
        site_name=page.site_name,
        html=raw,
    )
    return ItemResult(Outcome.STORED, article=article)


def _first_valid_url(*candidates: str) -> str | None:
    for candidate in candidates:
        try:
            return urls.canonicalize(candidate)
        except urls.InvalidURLError:
            continue
    return None
