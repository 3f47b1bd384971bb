"""Wikipedia attention: addresses and answers of the Wikimedia pageviews API, and how coverage
and attention move together (correlation at a lag of days).

Pure: builds URLs and parses bytes; fetching, storing and scheduling belong to the caller.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote, unquote, urlsplit


class PageviewsError(ValueError):
    """An answer or address that cannot be used; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class WikiPage:
    project: str  # "en.wikipedia", "commons.wikimedia": the API's own spelling, no ".org"
    title: str  # with spaces, as people read it: "Albert Einstein"

    @property
    def url(self) -> str:
        return f"https://{self.project}.org/wiki/{quote(self.title.replace(' ', '_'))}"


@dataclass(frozen=True, slots=True)
class DailyViews:
    day: date
    views: int


@dataclass(frozen=True, slots=True)
class TopArticle:
    rank: int
    title: str
    views: int


@dataclass(frozen=True, slots=True)
class LagCorrelation:
    lag: int  # days attention trails coverage (negative: attention moved first)
    r: float  # Pearson correlation of the overlapping days
    n: int  # days compared


def page_from_url(text: str) -> WikiPage:
    """A page from its address ("https://es.wikipedia.org/wiki/Córdoba_(Argentina)") or from
    "project:Title" ("en.wikipedia:Albert Einstein")."""
    text = text.strip()
    if "://" not in text:
        project, sep, title = text.partition(":")
        if not sep or not title.strip() or "." not in project:
            raise PageviewsError(
                "Give the page's address, e.g. https://en.wikipedia.org/wiki/Albert_Einstein"
            )
        return WikiPage(_project(project), _title(title))
    parts = urlsplit(text)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host.endswith(".m.wikipedia.org"):  # the mobile site counts under the same project
        host = host.replace(".m.", ".", 1)
    if not host.endswith(".org") or not parts.path.startswith("/wiki/") or len(parts.path) <= 6:
        raise PageviewsError(f"{text} is not the address of a page on a Wikimedia project")
    return WikiPage(_project(host), _title(unquote(parts.path[len("/wiki/") :])))


def _project(host: str) -> str:
    return host.strip().lower().removesuffix(".org")


def _title(raw: str) -> str:
    title = raw.replace("_", " ").strip()
    return title[:1].upper() + title[1:]  # MediaWiki titles start with a capital


def per_article_url(base: str, page: WikiPage, start: date, end: date) -> str:
    """Daily views by people (not bots) on every device, from start to end inclusive."""
    article = quote(page.title.replace(" ", "_"), safe="")
    return (
        f"{base.rstrip('/')}/per-article/{page.project}/all-access/user/{article}/daily/"
        f"{start:%Y%m%d}/{end:%Y%m%d}"
    )


def top_url(base: str, project: str, day: date) -> str:
    return f"{base.rstrip('/')}/top/{project}/all-access/{day:%Y}/{day:%m}/{day:%d}"


def parse_daily(body: bytes) -> tuple[DailyViews, ...]:
    """The per-article answer: {"items": [{"timestamp": "2026112400", "views": 123, ...}]}."""
    items = _items(body)
    try:
        return tuple(
            DailyViews(
                datetime.strptime(item["timestamp"][:8], "%Y%m%d").date(), int(item["views"])
            )
            for item in items
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PageviewsError(f"an item of the answer is not a day's views: {exc}") from exc


def parse_top(body: bytes) -> tuple[TopArticle, ...]:
    """The top answer: {"items": [{"articles": [{"article": "X", "views": 9, "rank": 1}]}]}."""
    items = _items(body)
    try:
        articles = items[0]["articles"] if items else []
        return tuple(
            TopArticle(int(a["rank"]), str(a["article"]).replace("_", " "), int(a["views"]))
            for a in articles
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise PageviewsError(f"the answer does not list top articles: {exc}") from exc


def _items(body: bytes) -> list:
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PageviewsError(f"the answer is not JSON: {exc}") from exc
    if not isinstance(answer, dict) or not isinstance(answer.get("items"), list):
        detail = answer.get("detail") or answer.get("title") if isinstance(answer, dict) else None
        raise PageviewsError(f"the answer has no items{f': {detail}' if detail else ''}")
    return answer["items"]


def lag_correlations(
    coverage: Sequence[float], attention: Sequence[float], *, max_lag: int = 7, min_days: int = 7
) -> tuple[LagCorrelation, ...]:
    """Pearson r between coverage on day t and attention on day t+lag, for each lag in
    -max_lag..max_lag that leaves at least min_days of overlap and some variation on both sides.

    Both series are per day over the same days, oldest first."""
    if len(coverage) != len(attention):
        raise ValueError("coverage and attention must cover the same days")
    results = []
    for lag in range(-max_lag, max_lag + 1):
        if lag >= 0:
            xs, ys = coverage[: len(coverage) - lag], attention[lag:]
        else:
            xs, ys = coverage[-lag:], attention[: len(attention) + lag]
        if len(xs) < min_days:
            continue
        try:
            r = statistics.correlation(xs, ys)
        except statistics.StatisticsError:  # a flat series: no correlation to speak of
            continue
        results.append(LagCorrelation(lag, r, len(xs)))
    return tuple(results)


def strongest(correlations: Sequence[LagCorrelation]) -> LagCorrelation | None:
    """The lag with the strongest positive correlation (ties: the shortest lag)."""
    positive = [c for c in correlations if c.r > 0]
    return max(positive, key=lambda c: (round(c.r, 6), -abs(c.lag)), default=None)
