"""Feed parsing on hand-written fixtures and on every feed of the shared corpus; autodiscovery; and
fetch → parse end to end over the local HTTP server.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commsdesk.pipeline.errors import FeedError
from commsdesk.pipeline.feeds import discover, looks_like_feed, parse
from commsdesk.pipeline.fetch import Fetcher, FetchPolicy
from tests.servers import LocalServer, Route

CORPUS_FOLDERS = ["feedparser", "fastfeedparser", "feedsmith", "atoma", "reader"]

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Example &amp; News</title><link>https://example.org/</link><language>fr-FR</language>
  <item>
    <title>Caf&#233; &lt;b&gt;opens&lt;/b&gt; &amp;amp; closes</title>
    <link>https://example.org/a/1</link>
    <description>&lt;p&gt;First&lt;/p&gt;</description>
    <pubDate>Tue, 10 Jun 2003 04:00:00 +0200</pubDate>
    <guid>urn:1</guid>
    <author>jane@example.org (Jane)</author>
  </item>
  <item><title>Relative</title><link>/a/2</link></item>
  <item><title>Permalink guid only</title><guid>https://example.org/a/3</guid></item>
  <item><title>No link at all</title><guid isPermaLink="false">x-4</guid></item>
  <item><title>Script</title><link>javascript:alert(1)</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title type="html">Atom &lt;i&gt;feed&lt;/i&gt;</title>
  <link href="https://example.net/"/>
  <id>urn:feed</id><updated>2024-05-01T10:00:00Z</updated>
  <entry>
    <title>Entry one</title><link href="https://example.net/e/1"/><id>urn:e1</id>
    <updated>2024-05-01T10:00:00-04:00</updated>
    <author><name>Ann</name></author><author><name>Bob</name></author>
    <summary>Short</summary>
  </entry>
  <entry><title>Entry two</title><link rel="alternate" href="e/2"/><id>urn:e2</id>
    <published>2024-05-02T00:00:00Z</published></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.com/"><title>RDF site</title>
    <link>https://example.com/</link></channel>
  <item rdf:about="https://example.com/r/1"><title>RDF item</title>
    <link>https://example.com/r/1</link><dc:date>2002-09-05T08:00:00+01:00</dc:date>
    <dc:creator>Carl</dc:creator></item>
</rdf:RDF>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON site",
        "home_page_url": "https://example.io/",
        "language": "de",
        "items": [
            {
                "id": "1",
                "url": "https://example.io/j/1",
                "title": "Hallo &amp; Welt",
                "summary": "Kurz",
                "date_published": "2021-03-04T05:06:07+02:00",
                "authors": [{"name": "Dora"}],
            },
            {"id": "2", "url": "/j/2", "title": "Relative"},
        ],
    }
).encode()

HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>Site</title><base href="https://example.com/blog/">
<link rel="alternate" type="application/rss+xml" href="feed.xml">
<link rel="alternate" type="application/atom+xml" href="https://example.com/atom">
<link rel="Alternate Home" type="application/feed+json; charset=utf-8" href="/feed.json">
<link rel="alternate" type="application/json" href="/data.json">
<link rel="alternate" type="application/rss+xml" href="feed.xml">
<link rel="alternate" type="application/json+oembed" href="/oembed">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="stylesheet" type="text/css" href="/s.css">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><p>Hello</p></body></html>"""


# --- hand-written fixtures -------------------------------------------------------------------


def test_it_reads_rss_2_with_plain_titles_utc_dates_and_absolute_links() -> None:
    feed = parse(RSS, url="https://example.org/feed.xml")
    assert feed.parser == "fastfeedparser" and feed.format == "rss"
    assert feed.title == "Example & News" and feed.link == "https://example.org/"
    assert feed.language == "fr-FR"
    first, relative, permalink = feed.entries
    # Tags stripped and entities decoded once more: RSS titles are usually escaped HTML.
    assert first.title == "Café opens & closes"
    assert first.url == "https://example.org/a/1" and first.guid == "urn:1"
    assert first.published == datetime(2003, 6, 10, 2, 0, tzinfo=UTC)
    assert first.summary == "<p>First</p>" and first.language == "fr-FR"
    assert first.authors == ("jane@example.org (Jane)",)
    assert relative.url == "https://example.org/a/2"
    assert permalink.url == "https://example.org/a/3"


def test_it_skips_entries_without_an_http_link_and_says_how_many() -> None:
    feed = parse(RSS, url="https://example.org/feed.xml")
    assert len(feed.entries) == 3
    assert "skipped 2 entries without an http(s) link" in feed.warnings


def test_it_reads_atom_with_authors_and_zones() -> None:
    feed = parse(ATOM, url="https://example.net/feeds/atom.xml")
    assert feed.title == "Atom feed" and feed.language == "en" and feed.format == "atom"
    one, two = feed.entries
    assert one.authors[0] == "Ann" and one.summary == "Short"  # fastfeedparser keeps the first
    assert one.published == datetime(2024, 5, 1, 14, 0, tzinfo=UTC)
    assert one.published.tzinfo is UTC
    assert two.url == "https://example.net/feeds/e/2"
    assert two.published == datetime(2024, 5, 2, tzinfo=UTC)


def test_it_reads_rdf() -> None:
    feed = parse(RDF)
    assert feed.title == "RDF site" and feed.format == "rdf"
    (item,) = feed.entries
    assert item.url == "https://example.com/r/1" and item.authors == ("Carl",)
    assert item.published == datetime(2002, 9, 5, 7, 0, tzinfo=UTC)


def test_it_reads_json_feed() -> None:
    feed = parse(JSON_FEED, url="https://example.io/feed.json")
    assert feed.title == "JSON site" and feed.language == "de" and feed.format == "json"
    one, two = feed.entries
    assert one.title == "Hallo & Welt" and one.authors == ("Dora",)
    assert one.published == datetime(2021, 3, 4, 3, 6, 7, tzinfo=UTC)
    assert two.url == "https://example.io/j/2"


def test_broken_xml_is_read_by_the_fallback_with_a_warning() -> None:
    broken = RSS.replace(b"</description>", b"</descriptio>", 1)
    feed = parse(broken, url="https://example.org/feed.xml")
    assert feed.entries and feed.warnings
    assert all(entry.url.startswith("https://") for entry in feed.entries)


@pytest.mark.parametrize(
    "data",
    [
        b"<?xml version='1.0'?>\n<rss version='2.0'>\n<channel <<< \n",
        b"<?xml version='1.0'?>\n\n<rss version='2.0' x=>",
        b"<?xml version='1.0'?>\n\n\x00\x01",
    ],
)
def test_hopeless_xml_is_a_feed_error_with_the_line(data: bytes) -> None:
    """Broken XML with nothing readable is an error, never a quiet empty feed."""
    with pytest.raises(FeedError, match=r"XML is malformed at line \d+: "):
        parse(data)


def test_an_html_page_is_a_feed_error_that_says_html() -> None:
    with pytest.raises(FeedError, match="looks like an HTML page"):
        parse(HTML_PAGE)


@pytest.mark.parametrize(
    "data", [b"", b"   \n", b"\x00\x01\x02garbage", b"hello world", b"{not json", b'{"a": 1}']
)
def test_garbage_is_a_feed_error_and_nothing_else(data: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse(data)
    assert caught.value.reason


def test_a_well_formed_empty_feed_is_not_an_error() -> None:
    feed = parse(b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>")
    assert feed.title == "Quiet" and feed.entries == ()


def test_it_sniffs_feeds_and_pages() -> None:
    assert looks_like_feed(RSS) and looks_like_feed(ATOM) and looks_like_feed(RDF)
    assert looks_like_feed(JSON_FEED)
    assert looks_like_feed(b"\xef\xbb\xbf<!-- hi <html> --><rss version='2.0'/>")
    assert looks_like_feed("<rss version='2.0'></rss>".encode("utf-16"))
    assert not looks_like_feed(HTML_PAGE)
    assert not looks_like_feed(b"<html><body><rss></rss></body></html>")
    assert not looks_like_feed(b"") and not looks_like_feed(b"plain text")


def test_it_discovers_feeds_in_order_without_duplicates() -> None:
    assert discover(HTML_PAGE, "https://example.com/blog/post") == [
        "https://example.com/blog/feed.xml",
        "https://example.com/atom",
        "https://example.com/feed.json",
        "https://example.com/data.json",
    ]


def test_discovery_takes_text_and_tolerates_nothing_to_find() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?><html><head><link rel="alternate" '
    page += 'type="application/atom+xml" href="a.xml"></head></html>'
    assert discover(page, "https://x.test/dir/") == ["https://x.test/dir/a.xml"]
    assert discover(b"<html><body>none</body></html>", "https://x.test/") == []
    assert discover(b"", "https://x.test/") == [] and discover("   ", "https://x.test/") == []


# --- the shared corpus -----------------------------------------------------------------------


def _index(corpus: Path, folder: str) -> list[dict[str, str]]:
    with open(corpus / "feeds" / folder / "INDEX.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _skipped(warnings: tuple[str, ...]) -> int:
    found = (re.match(r"skipped (\d+) entries", warning) for warning in warnings)
    return sum(int(match.group(1)) for match in found if match)


@pytest.mark.corpus
@pytest.mark.parametrize("folder", CORPUS_FOLDERS)
def test_every_corpus_feed_parses_or_is_a_feed_error(corpus: Path, folder: str) -> None:
    crashes = []
    for row in _index(corpus, folder):
        data = (corpus / "feeds" / folder / row["file"]).read_bytes()
        try:
            parse(data, url="https://feeds.example/feed")
        except FeedError:
            pass
        except Exception as exc:  # noqa: BLE001 (collecting every crash is the point)
            crashes.append(f"{row['file']}: {type(exc).__name__}: {exc}")
    assert not crashes, "\n".join(crashes)


@pytest.mark.corpus
@pytest.mark.parametrize("folder", CORPUS_FOLDERS)
def test_entry_counts_agree_with_the_corpus_index(corpus: Path, folder: str) -> None:
    """INDEX `entries` is feedparser's count; ours is kept + skipped (no http link) entries.

    Only rows feedparser read without complaint (no "illformed" tag) are compared. At least 97%
    must agree; the mismatches are listed when the test fails.
    """
    compared, mismatches = 0, []
    for row in _index(corpus, folder):
        if not row["entries"].isdigit() or "illformed" in row["exercises"]:
            continue
        data = (corpus / "feeds" / folder / row["file"]).read_bytes()
        try:
            feed = parse(data, url="https://feeds.example/feed")
            got = len(feed.entries) + _skipped(feed.warnings)
        except FeedError as error:
            got, feed = -1, None
            if int(row["entries"]) == 0:
                got = 0  # feedparser's empty reading of a non-feed is our FeedError
            reason = error.reason
        compared += 1
        if got != int(row["entries"]):
            detail = feed.parser if feed else reason
            mismatches.append(
                f"{row['file']} ({row['format']}): {row['entries']} vs {got} {detail}"
            )
    assert compared
    assert len(mismatches) <= 0.03 * compared, "\n".join(mismatches)


@pytest.mark.corpus
def test_relative_links_in_the_corpus_are_resolved(corpus: Path) -> None:
    for name in ("relative.rss", "relative.atom"):
        data = (corpus / "feeds" / "reader" / name).read_bytes()
        feed = parse(data, url="https://site.example/feeds/main.xml")
        assert feed.entries[0].url in (
            "https://site.example/feeds/blog/post/1",
            "https://site.example/feeds/entries/entry.html",
        )


@pytest.mark.corpus
def test_corpus_json_feeds_are_read(corpus: Path) -> None:
    full = parse((corpus / "feeds" / "reader" / "full.json").read_bytes())
    assert [e.url for e in full.entries] == [
        "https://example.org/second-item",
        "https://example.org/initial-post",
    ]
    spec = parse((corpus / "feeds" / "atoma" / "json_feed" / "jsonfeed.org.json").read_bytes())
    assert spec.entries and spec.parser == "fastfeedparser"
    lenient = parse((corpus / "feeds" / "reader" / "invalid.json").read_bytes())
    assert lenient.parser == "jsonfeed" and _skipped(lenient.warnings) == 8


@pytest.mark.corpus
def test_the_corpus_html_page_is_refused_and_its_feeds_discoverable(corpus: Path) -> None:
    page = (corpus / "feeds" / "reader" / "sqlite_releases.html").read_bytes()
    assert not looks_like_feed(page)
    with pytest.raises(FeedError, match="HTML"):
        parse(page)


# --- fetch then parse ------------------------------------------------------------------------


@pytest.mark.corpus
def test_real_feeds_fetched_over_http_then_parsed(corpus: Path, server: LocalServer) -> None:
    rows = [r for r in _index(corpus, "fastfeedparser") if r["file"].startswith("real-world/")]
    policy = FetchPolicy(allow_private_networks=True, politeness_delay=0.0, respect_robots=True)
    with Fetcher(policy) as fetcher:
        for row in rows[:6]:
            body = (corpus / "feeds" / "fastfeedparser" / row["file"]).read_bytes()
            url = server.add(f"/{row['file']}", Route(body, headers={"Content-Type": "text/xml"}))
            result = fetcher.fetch(url, accept="application/rss+xml, application/atom+xml")
            assert result.body == body and looks_like_feed(result.body)
            feed = parse(result.body, url=result.final_url)
            assert len(feed.entries) + _skipped(feed.warnings) >= int(row["entries"]) > 0


def test_a_page_fetched_over_http_leads_to_its_feed(server: LocalServer) -> None:
    server.add("/blog/", Route(HTML_PAGE.replace(b"https://example.com/blog/", b"/blog/")))
    server.add("/blog/feed.xml", Route(RSS, headers={"Content-Type": "application/rss+xml"}))
    policy = FetchPolicy(allow_private_networks=True, politeness_delay=0.0, respect_robots=False)
    with Fetcher(policy) as fetcher:
        page = fetcher.fetch(server.url("/blog/"))
        assert not looks_like_feed(page.body)
        feed_url = discover(page.body, page.final_url)[0]
        assert feed_url == server.url("/blog/feed.xml")
        feed = parse(fetcher.fetch(feed_url).body, url=feed_url)
    assert feed.title == "Example & News" and len(feed.entries) == 3
