"""Feed reading: bytes of RSS 0.9x/1.0/2.0, Atom 0.3/1.0, RDF or JSON Feed to a `ParsedFeed`.

fastfeedparser reads what it can (fast); feedparser reads what it rejects (lenient). Also finds
feeds linked from an HTML page. It does not fetch, store, deduplicate or extract articles.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import fastfeedparser
import feedparser
import lxml.html
from lxml import etree

from commsdesk.pipeline.errors import FeedError
from commsdesk.pipeline.records import FeedEntry, ParsedFeed

_FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "application/rdf+xml",  # RSS 1.0 sites still announce it
    }
)
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_FORMAT_BY_ROOT = {"rss": "rss", "channel": "rss", "feed": "atom", "rdf": "rdf"}
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_SNIFF_BYTES = 4096
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_TAG = re.compile(r"</?[A-Za-z!][^>]*>")
_SPACES = re.compile(r"\s+")
_LANGUAGE = re.compile(r"<(?:dc:)?language>\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\s*<")


# --- sniffing --------------------------------------------------------------------------------


def _head_text(data: bytes) -> str:
    """The first few KB as text, good enough to see the root element (BOM and UTF-16 aware)."""
    head = data[:_SNIFF_BYTES]
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")
    if head[:2] == b"<\x00":
        return head.decode("utf-16-le", errors="ignore")
    if head[:2] == b"\x00<":
        return head.decode("utf-16-be", errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _root_name(head: str) -> str:
    """Local name of the first element (lower-case), skipping comments, PIs and doctype."""
    match = _FIRST_TAG.search(_COMMENT.sub("", head))
    return match.group(1).rsplit(":", 1)[-1].lower() if match else ""


def _looks_like_json_feed(head: str) -> bool:
    return head.lstrip().startswith("{") and "jsonfeed.org/version" in head


def _looks_like_json(head: str) -> bool:
    return head.lstrip().startswith(("{", "["))


def _looks_like_html(head: str) -> bool:
    stripped = head.lstrip().lower()
    return stripped.startswith("<!doctype html") or _root_name(head) in ("html", "head", "body")


def looks_like_feed(data: bytes) -> bool:
    """Cheap guess from the first bytes: a feed to parse (True) or a page to search for feeds."""
    head = _head_text(data)
    if _looks_like_json_feed(head):
        return True
    return not _looks_like_html(head) and _root_name(head) in _FEED_ROOTS


# --- text helpers ----------------------------------------------------------------------------


def _plain(value: object) -> str:
    """Plain text from a title: tags stripped, entities decoded, whitespace collapsed."""
    if not isinstance(value, str) or not value:
        return ""
    if "<" in value:
        value = _TAG.sub(" ", value)
    if "&" in value:
        value = html.unescape(value)
    return _SPACES.sub(" ", value).strip()


def _absolute(link: object, base: str) -> str:
    """An absolute http(s) URL from link (resolved against base), or "" when there is none."""
    if not isinstance(link, str):
        return ""
    link = link.strip()
    if not link.startswith(("http://", "https://")):
        link = urljoin(base, link) if base and link else ""
    return link if link.startswith(("http://", "https://")) else ""


def _aware_utc(value: object) -> datetime | None:
    """A UTC datetime from an ISO string (fastfeedparser) or a struct_time (feedparser, UTC)."""
    try:
        if isinstance(value, str) and value:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif isinstance(value, time.struct_time):
            parsed = datetime(*value[:6], tzinfo=UTC)
        else:
            return None
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)  # feeds without a zone mean UTC more often than not
    return parsed.astimezone(UTC)


def _names(entry: Mapping[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for author in entry.get("authors") or ():
        if isinstance(author, Mapping):
            found.append(_plain(author.get("name") or author.get("email") or ""))
    if not found:
        found.append(_plain(entry.get("author") or ""))
    return tuple(dict.fromkeys(name for name in found if name))


def _feed_language(feed: Mapping[str, Any], data: bytes) -> str:
    declared = feed.get("language")
    if isinstance(declared, str) and declared.strip():
        return declared.strip()
    # fastfeedparser reports xml:lang only; RSS says <language> near the top of the channel.
    match = _LANGUAGE.search(_head_text(data))
    return match.group(1) if match else ""


# --- building records ------------------------------------------------------------------------


def _entry(raw: Mapping[str, Any], base: str, language: str) -> FeedEntry | None:
    guid = raw.get("id") or raw.get("guid") or ""
    guid = guid.strip() if isinstance(guid, str) else ""
    # A permalink guid (RSS default) is the item's URL when the feed gives no link.
    url = _absolute(raw.get("link"), base) or _absolute(guid, "")
    if not url:
        return None
    summary = raw.get("summary") or raw.get("description") or ""
    return FeedEntry(
        url=url,
        title=_plain(raw.get("title")),
        summary=summary.strip() if isinstance(summary, str) else "",
        published=_aware_utc(raw.get("published_parsed") or raw.get("published"))
        or _aware_utc(raw.get("updated_parsed") or raw.get("updated")),
        authors=_names(raw),
        guid=guid,
        language=language,
    )


def _build(
    parsed: Mapping[str, Any], data: bytes, url: str, parser: str, warnings: list[str]
) -> ParsedFeed:
    feed: Mapping[str, Any] = parsed.get("feed") or {}
    language = _feed_language(feed, data)
    xml_base = (feed.get("title_detail") or {}).get("base") or ""
    base = urljoin(url, xml_base) if xml_base else url
    feed_link = _absolute(feed.get("link"), base)
    base = base or feed_link  # without a document URL, the site's own link is the best base
    entries = [_entry(raw, base, language) for raw in parsed.get("entries") or ()]
    kept = tuple(entry for entry in entries if entry is not None)
    skipped = len(entries) - len(kept)
    if skipped:
        warnings.append(f"skipped {skipped} entries without an http(s) link")
    return ParsedFeed(
        title=_plain(feed.get("title")),
        link=feed_link,
        language=language,
        entries=kept,
        parser=parser,
        warnings=tuple(warnings),
        format=_format(_head_text(data)),
    )


def _format(head: str) -> str:
    """The format ("rss", "atom", "rdf" or "json") from the first element; "" when unclear."""
    if _looks_like_json(head):
        return "json"
    return _FORMAT_BY_ROOT.get(_root_name(head), "")


# --- parsing ---------------------------------------------------------------------------------


def _fast(data: bytes) -> tuple[Mapping[str, Any] | None, str]:
    """fastfeedparser's reading, or None and why it refused."""
    try:
        # Bytes only: given a str starting with http, fastfeedparser would fetch it itself.
        result = fastfeedparser.parse(
            bytes(data),
            include_content=False,
            include_tags=False,
            include_media=False,
            include_enclosures=False,
        )
    except Exception as exc:  # it raises ValueError, KeyError, lxml errors ...: all mean "no"
        return None, f"{type(exc).__name__}: {exc}"
    return result, ""


def _slow(data: bytes) -> Mapping[str, Any]:
    """feedparser's lenient reading (it sets bozo instead of raising on ill-formed bytes).

    No response headers are passed: without a Content-Type feedparser 6 reads CDF and sniffs the
    encoding itself; relative links are resolved by `_build` against the document URL.
    """
    try:
        return feedparser.parse(bytes(data))
    except Exception as exc:  # feedparser promises never to raise; if it does, report it as bozo
        return {"bozo": True, "bozo_exception": exc}


def _lenient_json_feed(data: bytes) -> Mapping[str, Any] | None:
    """A JSON Feed read field by field, ignoring wrongly typed values; None if not a JSON Feed.

    feedparser 6.0 has no JSON support, so this is the fallback for what fastfeedparser rejects.
    """
    try:
        document = json.loads(data)
    except ValueError:
        return None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version")):
        return None
    items = document.get("items")
    entries = (
        [_json_item(item) for item in items if isinstance(item, dict)]
        if isinstance(items, list)
        else []
    )
    feed = {key: _text(document.get(key)) for key in ("title", "language")}
    feed["link"] = _text(document.get("home_page_url"))
    return {"feed": feed, "entries": entries}


def _json_item(item: Mapping[str, Any]) -> dict[str, Any]:
    listed = item.get("authors")
    authors: list[Any] = list(listed) if isinstance(listed, list) else []
    if isinstance(item.get("author"), dict):  # JSON Feed 1.0 had a single author
        authors.append(item["author"])
    return {
        "id": _text(item.get("id")),
        "link": _text(item.get("url")) or _text(item.get("external_url")),
        "title": _text(item.get("title")),
        "summary": _text(item.get("summary")) or _text(item.get("content_html")),
        "published": _text(item.get("date_published")),
        "updated": _text(item.get("date_modified")),
        "authors": [a for a in authors if isinstance(a, dict)],
    }


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _is_xml_error(exc: object) -> bool:
    return callable(getattr(exc, "getLineNumber", None))


def _bozo_text(exc: object) -> str:
    """A human sentence for feedparser's bozo_exception (line numbers for XML errors)."""
    line = getattr(exc, "getLineNumber", None)
    message = getattr(exc, "getMessage", None)
    if callable(line) and callable(message):
        return f"XML is malformed at line {line()}: {message()}"
    return f"{type(exc).__name__}: {exc}"


def _failure_reason(data: bytes, fast_error: str, slow: Mapping[str, Any]) -> str:
    """Why no parser could read the bytes, in words for a source's health page."""
    head = _head_text(data)
    if _looks_like_html(head):
        return "not a feed: looks like an HTML page"
    root = _root_name(head)
    if root and root not in _FEED_ROOTS:
        return f"not a feed: XML root element <{root}> is not RSS, Atom or RDF ({fast_error})"
    return f"not a feed: no RSS, Atom or JSON Feed found ({fast_error})"


def parse(data: bytes, *, url: str = "") -> ParsedFeed:
    """Read a feed; relative links resolve against url. Raises FeedError and nothing else."""
    try:
        return _parse(data, url)
    except FeedError:
        raise
    except Exception as exc:  # any parser crash is a bad feed, never a crashed worker
        raise FeedError(f"feed could not be read: {type(exc).__name__}: {exc}") from exc


def _parse(data: bytes, url: str) -> ParsedFeed:
    if not data or not data.strip():
        raise FeedError("empty document: there are no bytes to read as a feed")
    head = _head_text(data)
    if _looks_like_html(head) and not _looks_like_json_feed(head):
        raise FeedError("not a feed: looks like an HTML page")
    fast, fast_error = _fast(data)
    if fast is not None and fast.get("entries"):
        built = _build(fast, data, url, "fastfeedparser", [])
        if built.entries:
            return built
        # Entries without one usable link: often XML so broken that lxml's recovery misread
        # it. feedparser below says whether it is broken (an error) or just linkless.
    if _looks_like_json(head):
        return _json_fallback(data, url, fast, fast_error)
    slow = _slow(data)
    if slow.get("entries"):
        warnings = [f"fastfeedparser: {fast_error or 'found no entries'}"]
        if slow.get("bozo") and slow.get("bozo_exception") is not None:
            warnings.append(f"feedparser: {_bozo_text(slow['bozo_exception'])}")
        built = _build(slow, data, url, "feedparser", warnings)
        # Broken XML that yields no usable entry is a failure, not a quiet feed.
        if built.entries or not _is_xml_error(slow.get("bozo_exception")):
            return built
        raise FeedError(_bozo_text(slow["bozo_exception"]))
    # Nothing found anywhere. Broken XML must not pass for a quiet feed: "no coverage" and
    # "fetch failed" look different on a source's health page.
    if _is_xml_error(slow.get("bozo_exception")):
        raise FeedError(_bozo_text(slow["bozo_exception"]))
    if fast is not None:
        return _build(fast, data, url, "fastfeedparser", [])  # a well-formed, empty feed
    if slow.get("version") and not slow.get("bozo"):
        return _build(slow, data, url, "feedparser", [f"fastfeedparser: {fast_error}"])
    raise FeedError(_failure_reason(data, fast_error, slow))


def _json_fallback(
    data: bytes, url: str, fast: Mapping[str, Any] | None, fast_error: str
) -> ParsedFeed:
    if fast is not None:
        return _build(fast, data, url, "fastfeedparser", [])  # a JSON Feed without items
    lenient = _lenient_json_feed(data)
    if lenient is None:
        raise FeedError(f"not a feed: JSON but not a JSON Feed ({fast_error})")
    warnings = [f"fastfeedparser: {fast_error}", "JSON Feed read leniently: wrong types ignored"]
    return _build(lenient, data, url, "jsonfeed", warnings)


# --- autodiscovery ---------------------------------------------------------------------------


def _alternate_links(document: Any) -> Iterable[tuple[str, str]]:
    for link in document.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        media_type = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rels and media_type in _FEED_TYPES and link.get("href"):
            yield link.get("href").strip(), media_type


def discover(html_page: bytes | str, base_url: str) -> list[str]:
    """Feed URLs a page announces with <link rel="alternate">: absolute, in order, no repeats."""
    if not html_page or not html_page.strip():
        return []
    try:
        if isinstance(html_page, str):  # lxml refuses str with an encoding declaration
            document = lxml.html.document_fromstring(
                html_page.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
            )
        else:
            document = lxml.html.document_fromstring(html_page)
    except (ValueError, etree.ParserError):
        return []
    base_tag = next(iter(document.iter("base")), None)
    base = urljoin(base_url, base_tag.get("href") or "") if base_tag is not None else base_url
    found = (_absolute(href, base) for href, _ in _alternate_links(document))
    return list(dict.fromkeys(url for url in found if url))
