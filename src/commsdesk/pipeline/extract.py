"""Article extraction: HTML bytes or text in, one `ExtractedPage` (main text and metadata) out.

Decodes, caps and parses the page, runs trafilatura with a fallback chain and strips common
boilerplate lines. It does not fetch, detect the language, canonicalise URLs or store anything.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from copy import copy
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import htmldate
import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.baseline import baseline
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
)
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from commsdesk.pipeline.errors import NotAnArticleError
from commsdesk.pipeline.records import ExtractedPage

# Real article pages are well under 2 MB; past 5 MB a page is generated junk or an attack, and
# lxml/trafilatura time grows with it. We parse only the head of the page: the article is
# almost always near the top, and lxml recovers from the cut-off markup.
DEFAULT_MAX_BYTES = 5_000_000
# Below this many characters an extraction is "little": the next extractor in the chain gets a
# turn (trafilatura's own MIN_EXTRACTED_SIZE).
SHORT_TEXT = 250
# Fewer characters than this after every fallback means there is no article to speak of.
MIN_ARTICLE_CHARS = 40
# How much of the page is sniffed for a <meta charset> and for "is this HTML at all".
_SNIFF_BYTES = 4096
# Charset detection is quadratic-ish on big inputs; a sample decides as well as the whole page.
_DETECT_SAMPLE = 256 * 1024

_MAGIC = (  # signatures of binary formats a feed or a redirect may hand us instead of a page
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or office document)"),
    (b"\x1f\x8b", "gzip-compressed bytes"),
    (b"RIFF", "a RIFF media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00", "binary data"),
    (b"OggS", "an Ogg media file"),
    (b"wOF", "a web font"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_LOOKS_LIKE_HTML = re.compile(
    r"<\s*(?:!doctype|html|head|body|meta|title|div|p|article|main|section|span|table|br)\b", re.I
)
# WHATWG: these labels mean windows-1252, a superset that also decodes 0x80-0x9F sensibly.
_WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "ascii", "us-ascii"}
)


def extract(
    html: bytes | str,
    *,
    url: str = "",
    charset: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ExtractedPage:
    """Extract the article of one page.

    `charset` is the one from the HTTP Content-Type header, if any. Only the first `max_bytes`
    bytes (characters, for `str` input) are parsed. Raises `NotAnArticleError` for binary or
    non-HTML input, an empty page, or a page without article text.
    """
    source = decode_html(html, charset=charset, max_bytes=max_bytes)
    tree = load_html(source)
    if tree is None:
        raise NotAnArticleError("the page could not be parsed as HTML")
    metadata = _metadata(tree, url)
    text, method = _main_text(tree, url=url, title=metadata.title or "")
    return ExtractedPage(
        url=url,
        canonical_url=canonical_url(tree, url),
        title=_clean_space(metadata.title or ""),
        text=text,
        authors=split_authors(metadata.author or ""),
        published=_published(tree, metadata, url),
        language_hint=language_hint(tree),
        method=method,
        site_name=_clean_space(metadata.sitename or ""),
    )


def _metadata(tree: HtmlElement, url: str) -> Document:
    """trafilatura's extract_metadata without what we never show (categories, tags, licence).

    Those three scans cost about a tenth of extraction time on news pages; the steps kept are
    trafilatura's own, in its order.
    """
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # a single token is a handle or a site name, not a byline
    # trafilatura's JSON-LD reader has crashed on odd markup before: keep the meta tags then.
    with contextlib.suppress(Exception):
        metadata = extract_meta_json(tree, metadata)
    metadata.title = metadata.title or extract_title(tree)
    metadata.author = metadata.author or extract_author(tree)
    metadata.date = htmldate.find_date(tree, url=url or None, **_date_params(extensive=False))
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
    metadata.clean_and_trim()
    return metadata


# --- decoding ---------------------------------------------------------------------------------


def decode_html(html: bytes | str, *, charset: str | None = None, max_bytes: int) -> str:
    """Bytes to text: BOM, then the HTTP charset, then <meta charset>, then detection."""
    if isinstance(html, str):
        text = html[:max_bytes]
    else:
        data = html[:max_bytes]
        _refuse_binary(data)
        text = _decode_bytes(data, charset, truncated=len(html) > max_bytes)
    if not text.strip():
        raise NotAnArticleError("the page is empty")
    if not _LOOKS_LIKE_HTML.search(text[: _SNIFF_BYTES * 16]):
        raise NotAnArticleError("the content is not HTML (no HTML tags near the start)")
    return text


def _refuse_binary(data: bytes) -> None:
    if not data.strip():
        raise NotAnArticleError("the page is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # UTF-16 text is full of NULs; the BOM says it is text
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotAnArticleError(f"the content is {what}, not an HTML page")
    head = data[:_SNIFF_BYTES]
    # Text never contains NUL, and markup is almost all printable: a few control bytes is binary.
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if b"\x00" in head or controls > len(head) // 20:
        raise NotAnArticleError("the content is binary data, not an HTML page")


def _decode_bytes(data: bytes, charset: str | None, *, truncated: bool) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    declared = [_codec(charset), _codec(_meta_charset(data))]
    for encoding in declared:
        if encoding and _decodes(data, encoding, truncated=truncated):
            if encoding != "utf-8" and _is_multibyte_utf8(data, truncated=truncated):
                # Servers that declare a single-byte charset for UTF-8 pages are common (the HTTP
                # default is ISO-8859-1); valid multi-byte UTF-8 is almost never an accident.
                return data.decode("utf-8", errors="replace")
            return data.decode(encoding, errors="replace")
    if _decodes(data, "utf-8", truncated=truncated):
        return data.decode("utf-8", errors="replace")
    best = charset_normalizer.from_bytes(data[:_DETECT_SAMPLE]).best()
    encoding = _codec(best.encoding) if best is not None else None
    return data.decode(encoding or "cp1252", errors="replace")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    return match.group(1).decode("ascii", errors="replace") if match else None


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 without a BOM here: the <meta> we read was ASCII.
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def _decodes(data: bytes, encoding: str, *, truncated: bool) -> bool:
    """Strictly decodable; a cut-off multi-byte sequence at the cap does not count against it."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(data, final=not truncated)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _is_multibyte_utf8(data: bytes, *, truncated: bool) -> bool:
    return not data.isascii() and _decodes(data, "utf-8", truncated=truncated)


# --- main text --------------------------------------------------------------------------------

# (method name, favor_precision, fast): cheapest and most precise first. The non-fast pass adds
# trafilatura's readability/justext comparison; the balanced pass trades precision for recall.
_CHAIN: tuple[tuple[str, bool, bool], ...] = (
    ("trafilatura-precision-fast", True, True),
    ("trafilatura-precision", True, False),
    ("trafilatura-balanced", False, False),
)


def _main_text(tree: HtmlElement, *, url: str, title: str) -> tuple[str, str]:
    """Run the extractor chain until one returns enough text; clean and return it."""
    best_text, best_method = "", ""
    for method, precision, fast in _CHAIN:
        document = trafilatura.bare_extraction(
            tree,
            url=url or None,
            favor_precision=precision,
            fast=fast,
            include_comments=False,  # reader comments are not the article
            include_tables=True,  # tables (results, figures) often are
        )
        text = _clean_body(document, title) if isinstance(document, Document) else ""
        if len(text) >= SHORT_TEXT:
            return text, method
        if len(text) > len(best_text):
            best_text, best_method = text, method
    # Last resort: every text block of the page, for very short or oddly built articles.
    _, raw, _ = baseline(copy(tree))
    text = _clean_lines(raw.splitlines(), title)
    if len(text) > len(best_text):
        best_text, best_method = text, "trafilatura-baseline"
    if len(best_text) < MIN_ARTICLE_CHARS:
        raise NotAnArticleError("no article text found on the page")
    return best_text, best_method


def _clean_body(document: Document, title: str) -> str:
    body = document.body
    if not isinstance(body, _Element):
        return ""
    return _clean_lines(xmltotxt(body, False).splitlines(), title)


# Lines that are page furniture around the article rather than part of it: teasers for other
# stories, share/follow/subscribe prompts, comment counters and image credits.
_BOILERPLATE = re.compile(
    r"""^\W*(?:
        (?:read|see|watch)\s+(?:more|also|next)\s*(?::|$)
      | (?:also\s+read|related|recommended|more\s+from|most\s+(?:read|popular)|don'?t\s+miss)\b
      | (?:advertisement|sponsored(?:\s+content)?|share\s+(?:this|on)\b.*)$
      | follow\b.{0,60}\bon\s+(?:twitter|facebook|instagram|youtube|linkedin|tiktok|x)\b
      | (?:tell\s+us\s+what\s+you\s+think|leave\s+a\s+comment|add\s+a\s+comment|comments?)\b.{0,30}$
      | \d+\s+comments?$
      | (?:image|photo|picture)\s+(?:credit|source)s?\s*:
      | .{0,40}\bnewsletters?$
    )""",
    re.I | re.X,
)
# Anywhere in a short line: a subscription pitch or an author's "follow me" sign-off.
_PROMO = re.compile(
    r"""(?:\b(?:sign\s+up|subscribe)\b.*\b(?:newsletters?|inbox)\b
      | \b(?:newsletters?|inbox)\b.*\b(?:sign\s+up|subscribe)\b
      | \bfollow\s+(?:him|her|them|us|me)\s+on\s+(?:twitter|facebook|instagram)\b)""",
    re.I | re.X,
)
# An unrendered WordPress shortcode like "[button link=...]Send us[/button]": markup, not prose.
_SHORTCODE = re.compile(r"\[/[a-z_]+\]")
_BOILERPLATE_MAX_CHARS = 200  # a long paragraph that happens to start "Related" is prose


def _clean_lines(lines: list[str], title: str) -> str:
    kept: list[str] = []
    norm_title = _normalise(title)
    for line in lines:
        line = _clean_space(line)
        if not line or _is_boilerplate(line):
            continue
        # The headline is its own field; repeated as the first line it would be counted twice.
        if not kept and norm_title and _normalise(line) == norm_title:
            continue
        kept.append(line)
    return "\n".join(kept)


def _is_boilerplate(line: str) -> bool:
    if len(line) > _BOILERPLATE_MAX_CHARS:
        return False
    return bool(_BOILERPLATE.match(line) or _PROMO.search(line) or _SHORTCODE.search(line))


# --- metadata ---------------------------------------------------------------------------------

_BY_PREFIX = re.compile(r"^\s*(?:by|von|par|por|di|door|av|af)\s*:?\s+", re.I)
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|\||,|\band\b|&|\bund\b|\bet\b|\by\b|\be\b)\s*", re.I)


# Bylines whose date leaked in ("Nathan Willis March") end in a month; only names of three or
# more words lose it, so "Theresa May" keeps hers.
_TRAILING_MONTH = re.compile(
    r"(?<=\S)\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$", re.I
)
# CMS placeholders that are not a person.
_NOT_AUTHORS = frozenset({"username", "admin", "administrator", "author", "unknown", "作者"})


def split_authors(raw: str) -> tuple[str, ...]:
    """'By A and B', 'A, B' or trafilatura's 'A; B' to ('A', 'B'), without duplicates."""
    authors: list[str] = []
    for part in _AUTHOR_SEPARATORS.split(_BY_PREFIX.sub("", raw)):
        name = _clean_space(_BY_PREFIX.sub("", part)).strip(" .:-–—")
        if name.count(" ") >= 2:
            name = _TRAILING_MONTH.sub("", name)
        if name.lower() in _NOT_AUTHORS or not any(c.isalpha() for c in name):
            continue
        if name not in authors:
            authors.append(name)
    return tuple(authors)


# htmldate keeps the time and offset when the page gives them, and returns midnight otherwise.
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def _date_params(*, extensive: bool) -> dict[str, Any]:
    return {**set_date_params(extensive), "outputformat": _DATE_FORMAT}


def _published(tree: HtmlElement, metadata: Document, url: str) -> datetime | None:
    """trafilatura's date (fast search), then htmldate's extensive search; UTC when no offset."""
    found = metadata.date or htmldate.find_date(
        tree, url=url or None, **_date_params(extensive=True)
    )
    day = _to_datetime(found) if found else None
    return _with_time_of_day(tree, day)


# htmldate returns dates at midnight even when the page states the time; the time of day
# matters for "what broke overnight", so take it from the page's own machine-readable stamp
# when that stamp falls on the day htmldate chose.
_TIME_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@property='og:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//time[@datetime][1]/@datetime",
)


def _with_time_of_day(tree: HtmlElement, day: datetime | None) -> datetime | None:
    if day is None or (day.hour, day.minute, day.second) != (0, 0, 0):
        return day
    for xpath in _TIME_XPATHS:
        for value in tree.xpath(xpath)[:3]:
            stamp = _iso_stamp(str(value))
            if stamp is not None and stamp.date() == day.date():
                return stamp
    return day


def _iso_stamp(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if "T" not in value and " " not in value.strip():
        return None  # a bare date adds nothing
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _to_datetime(value: str) -> datetime | None:
    for layout in (_DATE_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, layout)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def language_hint(tree: HtmlElement) -> str:
    """The primary subtag of <html lang> or a content-language meta tag: 'en-GB' gives 'en'."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iterfind(".//meta[@http-equiv]"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            candidates.append(meta.get("content"))
    for value in candidates:
        primary = (value or "").strip().replace("_", "-").split("-")[0].lower()
        if primary.isalpha() and 2 <= len(primary) <= 3:
            return primary
    return ""


def canonical_url(tree: HtmlElement, url: str) -> str:
    """<link rel=canonical>, else og:url, if a sane http(s) URL of the same site; else url."""
    candidates = tree.xpath(
        "//link[contains(concat(' ', normalize-space(translate(@rel,'CANONIL','canonil')), ' '),"
        " ' canonical ')]/@href | //meta[@property='og:url']/@content"
    )
    for candidate in candidates:
        resolved = _sane_url(str(candidate), base=url)
        if resolved:
            return resolved
    return url


def _sane_url(candidate: str, *, base: str) -> str | None:
    candidate = candidate.strip()
    if not candidate or len(candidate) > 2048 or any(c.isspace() for c in candidate):
        return None
    resolved = urljoin(base, candidate) if base else candidate
    parts = urlsplit(resolved)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        return None
    if base:
        base_parts = urlsplit(base)
        if _site(parts.hostname) != _site(base_parts.hostname or ""):
            return None  # another site claiming this page's identity: not ours to believe
        if parts.path in ("", "/") and base_parts.path not in ("", "/"):
            return None  # a CMS that points every page at the home page
    return resolved


def _site(host: str) -> str:
    """Last two host labels, three when the second-level one is short (bbc.co.uk, x.com.br)."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def _clean_space(text: str) -> str:
    return " ".join(text.split())


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
