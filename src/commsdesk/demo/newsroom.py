"""A local demo newsroom: an HTTP server on 127.0.0.1 serving the demo outlets' feeds and pages.

Renders `content.OUTLETS` as real RSS, Atom and JSON Feed bytes and real article HTML, releasing
some articles only minutes after start so a new user watches coverage arrive; also
Wikimedia-shaped APIs: siteinfo (an article count that grows, for a live key statistic) and
pageviews (for Wikipedia attention). Demo only.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from commsdesk.demo.content import OUTLETS, DemoArticle, DemoOutlet

FEED_PATHS = {
    "rss": "feed.xml",
    "atom": "atom.xml",
    "json": "feed.json",
    "broken": "feed.xml",
    "error": "feed.xml",
}


ARTICLES_AT_START = 6_912_345
PAGEVIEWS_PATH = "/pageviews"  # the demo's stand-in for the Wikimedia pageviews REST API
TOP_PAGES = ("Main Page", "Edit-a-thon", "OpenPedia", "Free knowledge", "Lagos", "Córdoba")


class Newsroom:
    def __init__(self, host: str = "127.0.0.1", port: int = 8765) -> None:
        self.started = time.monotonic()
        self.now = datetime.now(UTC)
        handler = _make_handler(self)
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.host, self.port = self.server.server_address[:2]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pageviews_api(self) -> str:
        return f"{self.base_url}{PAGEVIEWS_PATH}"

    def feed_url(self, outlet: DemoOutlet) -> str:
        return f"{self.base_url}/{outlet.key}/{FEED_PATHS[outlet.feed_format]}"

    def article_url(self, outlet: DemoOutlet, article: DemoArticle) -> str:
        return f"{self.base_url}/{outlet.key}/{article.slug}.html"

    def visible(self, outlet: DemoOutlet) -> list[DemoArticle]:
        elapsed = time.monotonic() - self.started
        return [a for a in outlet.articles if a.appear_after <= elapsed]

    def published(self, article: DemoArticle) -> datetime:
        return self.now - timedelta(hours=article.hours_ago)

    def article_count(self) -> int:
        """OpenPedia's English article count: volunteers add about one a minute."""
        return ARTICLES_AT_START + int((time.monotonic() - self.started) // 60)

    def pageviews(self, parts: list[str]) -> tuple[int, str, bytes]:
        """The shapes of the per-article and top endpoints: readers of a page rise the day
        after the demo's coverage peaks, so the attention page has a lag to find."""
        if len(parts) == 8 and parts[0] == "per-article":
            project, article, start, end = parts[1], parts[4], parts[6], parts[7]
            first = datetime.strptime(start[:8], "%Y%m%d").date()
            last = datetime.strptime(end[:8], "%Y%m%d").date()
            items = [
                {
                    "project": project, "article": article, "granularity": "daily",
                    "timestamp": f"{day:%Y%m%d}00", "access": "all-access", "agent": "user",
                    "views": self._readers(day),
                }
                for day in (first + timedelta(days=n) for n in range((last - first).days + 1))
            ]  # fmt: skip
            return 200, "application/json", json.dumps({"items": items}).encode()
        if len(parts) == 6 and parts[0] == "top":
            project, year, month, day = parts[1], parts[3], parts[4], parts[5]
            articles = [
                {"article": title.replace(" ", "_"), "views": 900_000 // rank, "rank": rank}
                for rank, title in enumerate(TOP_PAGES, start=1)
            ]
            item = {"project": project, "access": "all-access", "year": year, "month": month,
                    "day": day, "articles": articles}  # fmt: skip
            return 200, "application/json", json.dumps({"items": [item]}).encode()
        return 404, "application/json", b'{"title": "Not found.", "detail": "no such endpoint"}'

    def _readers(self, day) -> int:
        age = (self.now.date() - day).days
        return 1_200 + 90 * (day.toordinal() % 4) + (4_000 if 1 <= age <= 2 else 0)

    def siteinfo(self) -> bytes:
        """The shape of MediaWiki's `action=query&meta=siteinfo&siprop=statistics` answer."""
        statistics = {
            "pages": self.article_count() * 9,
            "articles": self.article_count(),
            "edits": 1_300_000_000,
            "images": 920_000,
            "users": 48_000_000,
            "activeusers": 120_000,
            "admins": 830,
        }
        return json.dumps({"batchcomplete": "", "query": {"statistics": statistics}}).encode()

    def start(self) -> Newsroom:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- rendering ---------------------------------------------------------------------------
    def route(self, path: str) -> tuple[int, str, bytes]:
        if path in ("/", "/index.html"):
            return 200, "text/html; charset=utf-8", self.index_page().encode()
        if path == "/api/siteinfo.json":
            return 200, "application/json", self.siteinfo()
        if path.startswith(PAGEVIEWS_PATH + "/"):
            return self.pageviews(path[len(PAGEVIEWS_PATH) + 1 :].split("/"))
        key, _, rest = path.lstrip("/").partition("/")
        outlet = next((o for o in OUTLETS if o.key == key), None)
        if outlet is None:
            return 404, "text/plain", b"no such outlet"
        if rest == FEED_PATHS[outlet.feed_format]:
            return self.feed(outlet)
        if rest == "" or rest == "index.html":
            return 200, "text/html; charset=utf-8", self.outlet_page(outlet).encode()
        if rest.endswith(".pdf") and rest in outlet.extra_links:
            return 200, "application/pdf", b"%PDF-1.4\n% demo report\n"
        article = next((a for a in self.visible(outlet) if f"{a.slug}.html" == rest), None)
        if article is None:
            return 404, "text/html; charset=utf-8", b"<h1>Page not found</h1>"
        return 200, "text/html; charset=utf-8", self.article_page(outlet, article).encode()

    def feed(self, outlet: DemoOutlet) -> tuple[int, str, bytes]:
        if outlet.feed_format == "error":
            return 500, "text/plain", b"Internal Server Error"
        if outlet.feed_format == "broken":
            return (
                200,
                "application/rss+xml",
                (
                    b"<?xml version='1.0'?><rss version='2.0'><channel><title>Commons Community"
                    b"</title><item><title>Unclosed item<link>http://x</link></channel>"
                ),
            )
        items = sorted(self.visible(outlet), key=self.published, reverse=True)
        if outlet.feed_format == "json":
            return 200, "application/feed+json", self.json_feed(outlet, items)
        if outlet.feed_format == "atom":
            return 200, "application/atom+xml; charset=utf-8", self.atom(outlet, items)
        return 200, "application/rss+xml; charset=utf-8", self.rss(outlet, items)

    def rss(self, outlet: DemoOutlet, items: list[DemoArticle]) -> bytes:
        entries = "".join(
            f"<item><title>{escape(a.title)}</title><link>{self.article_url(outlet, a)}</link>"
            f"<guid>{self.article_url(outlet, a)}</guid>"
            f"<pubDate>{format_datetime(self.published(a))}</pubDate>"
            f"<description>{escape(a.paragraphs[0])}</description></item>"
            for a in items
        )
        extra = "".join(
            f"<item><title>{escape(link)}</title><link>{self.base_url}/{outlet.key}/{link}</link>"
            "</item>"
            for link in outlet.extra_links
        )
        return (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>{escape(outlet.name)}</title><link>{self.base_url}/{outlet.key}/</link>"
            f"<language>{outlet.language}</language>{entries}{extra}</channel></rss>"
        ).encode()

    def atom(self, outlet: DemoOutlet, items: list[DemoArticle]) -> bytes:
        entries = "".join(
            f"<entry><title>{escape(a.title)}</title>"
            f"<link rel='alternate' href='{self.article_url(outlet, a)}'/>"
            f"<id>{self.article_url(outlet, a)}</id>"
            f"<updated>{self.published(a).isoformat()}</updated>"
            f"<author><name>{escape(a.author)}</name></author>"
            f"<summary>{escape(a.paragraphs[0])}</summary></entry>"
            for a in items
        )
        extra = "".join(
            f"<entry><title>{escape(link)}</title>"
            f"<link rel='alternate' href='{self.base_url}/{outlet.key}/{link}'/>"
            f"<id>{self.base_url}/{outlet.key}/{link}</id>"
            f"<updated>{self.now.isoformat()}</updated></entry>"
            for link in outlet.extra_links
        )
        return (
            "<?xml version='1.0' encoding='utf-8'?>"
            f"<feed xmlns='http://www.w3.org/2005/Atom' xml:lang='{outlet.language}'>"
            f"<title>{escape(outlet.name)}</title><id>{self.base_url}/{outlet.key}/</id>"
            f"<updated>{self.now.isoformat()}</updated>{entries}{extra}</feed>"
        ).encode()

    def json_feed(self, outlet: DemoOutlet, items: list[DemoArticle]) -> bytes:
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": outlet.name,
            "home_page_url": f"{self.base_url}/{outlet.key}/",
            "language": outlet.language,
            "items": [
                {
                    "id": self.article_url(outlet, a),
                    "url": self.article_url(outlet, a),
                    "title": a.title,
                    "summary": a.paragraphs[0],
                    "date_published": self.published(a).isoformat(),
                    "authors": [{"name": a.author}],
                }
                for a in items
            ],
        }
        return json.dumps(feed, ensure_ascii=False).encode()

    def article_page(self, outlet: DemoOutlet, article: DemoArticle) -> str:
        canonical = (
            f"{self.base_url}/{article.canonical_of}.html"
            if article.canonical_of
            else self.article_url(outlet, article)
        )
        body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
        rtl = " dir='rtl'" if outlet.language == "ar" else ""
        published = self.published(article).isoformat()
        return (
            f"<!doctype html><html lang='{outlet.language}'{rtl}><head><meta charset='utf-8'>"
            f"<title>{escape(article.title)} | {escape(outlet.name)}</title>"
            f"<link rel='canonical' href='{canonical}'>"
            f"<meta property='og:site_name' content='{escape(outlet.name)}'>"
            f"<meta name='author' content='{escape(article.author)}'>"
            f"<meta property='article:published_time' content='{published}'>"
            f"<link rel='alternate' type='application/rss+xml' href='{self.feed_url(outlet)}'>"
            "</head><body>"
            f"<header><nav><a href='/{outlet.key}/'>{escape(outlet.name)}</a> · "
            "<a href='#'>World</a> · <a href='#'>Culture</a> · <a href='#'>Technology</a></nav>"
            "</header><main><article>"
            f"<h1>{escape(article.title)}</h1><p class='byline'>{escape(article.author)} · "
            f"<time datetime='{published}'>{published[:10]}</time></p>{body}</article></main>"
            "<aside><h2>Most read</h2><ul><li><a href='#'>Weather warning for the weekend</a>"
            "</li><li><a href='#'>Local team wins cup final</a></li></ul></aside>"
            f"<footer>© {escape(outlet.name)}. Demo content written for commsdesk.</footer>"
            "</body></html>"
        )

    def outlet_page(self, outlet: DemoOutlet) -> str:
        links = "".join(
            f"<li><a href='{self.article_url(outlet, a)}'>{escape(a.title)}</a></li>"
            for a in self.visible(outlet)
        )
        return (
            f"<!doctype html><html lang='{outlet.language}'><head><meta charset='utf-8'>"
            f"<title>{escape(outlet.name)}</title>"
            f"<link rel='alternate' type='application/rss+xml' title='{escape(outlet.name)}' "
            f"href='{self.feed_url(outlet)}'></head><body><h1>{escape(outlet.name)}</h1>"
            f"<ul>{links}</ul></body></html>"
        )

    def index_page(self) -> str:
        links = "".join(
            f"<li><a href='/{o.key}/'>{escape(o.name)}</a> ({o.language})</li>" for o in OUTLETS
        )
        return f"<!doctype html><html><body><h1>Demo newsroom</h1><ul>{links}</ul></body></html>"


def _make_handler(newsroom: Newsroom) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/robots.txt":
                status, ctype, body = 200, "text/plain", b"User-agent: *\nAllow: /\n"
            else:
                status, ctype, body = newsroom.route(self.path.split("?")[0])
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler
