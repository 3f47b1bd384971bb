"""Live-source presets for Wikimedia's public APIs: a small table of URL templates, JSONPaths and
how to combine matches, filled in from a few parameters a communicator types (a language, a project,
an article, a number of days). It builds addresses; fetching and reading them is `live`'s job.

A preset is stored on the statistic as its key (plus ":days" for pageviews) and the expanded URL.
Pageview URLs keep `{start}` and `{end}`: the dates are computed when the statistic is refreshed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings

SITEINFO = "https://{lang}.wikipedia.org/w/api.php?action=query&meta=siteinfo&siprop=statistics&format=json"
# The pageviews REST API; COMMSDESK_PAGEVIEWS_API (shared with Wikipedia attention) may point
# elsewhere, e.g. the demo newsroom or a test server.
PAGEVIEWS = "https://wikimedia.org/api/rest_v1/metrics/pageviews"
DATE_FORMAT = "%Y%m%d00"  # the pageviews API's YYYYMMDDHH, at day granularity
DEFAULT_DAYS = 30

# The parameters a preset may ask for: label, help text, and the pattern a value must match.
PARAMETERS = {
    "lang": (
        "Wikipedia language",
        "The edition's code, e.g. en, es, sw, zh-yue",
        r"[a-z][a-z0-9-]{1,15}",
    ),
    "project": (
        "Wikimedia project",
        "e.g. en.wikipedia, commons.wikimedia, all-projects",
        r"[a-z0-9][a-z0-9.-]{1,60}",
    ),
    "article": ("Article title", "As in its address, e.g. Ada Lovelace", r".{1,255}"),
    "days": ("Number of days", "Pageviews are summed over this many full days", r"[0-9]{1,4}"),
}


@dataclass(frozen=True, slots=True)
class Preset:
    key: str
    label: str
    # A template: {lang}, {project}, {article}, {pageviews} (the API's base); {start} and {end}
    # stay for refresh time.
    url: str
    path: str
    combine: str  # KeyStatistic.Combine value
    parameters: tuple[str, ...]
    unit: str  # the unit a statistic from this preset gets when none is typed
    page: str  # a page people can check the number on (the statistic's source when none is given)


PRESETS = {
    preset.key: preset
    for preset in (
        Preset(
            "wikipedia-articles",
            "Articles in a Wikipedia edition",
            SITEINFO,
            "$.query.statistics.articles",
            "first",
            ("lang",),
            "articles",
            "https://{lang}.wikipedia.org/wiki/Special:Statistics",
        ),
        Preset(
            "wikipedia-active-users",
            "Active editors of a Wikipedia edition (last 30 days)",
            SITEINFO,
            "$.query.statistics.activeusers",
            "first",
            ("lang",),
            "active editors",
            "https://{lang}.wikipedia.org/wiki/Special:Statistics",
        ),
        Preset(
            "wikipedia-edits",
            "Edits ever made to a Wikipedia edition",
            SITEINFO,
            "$.query.statistics.edits",
            "first",
            ("lang",),
            "edits",
            "https://{lang}.wikipedia.org/wiki/Special:Statistics",
        ),
        Preset(
            "pageviews-project",
            "Pageviews of a Wikimedia project over the last N days",
            "{pageviews}/aggregate/{project}/all-access/user/daily/{start}/{end}",
            "$.items[*].views",
            "sum",
            ("project", "days"),
            "pageviews",
            "https://pageviews.wmcloud.org/siteviews/?sites={project}.org",
        ),
        Preset(
            "pageviews-article",
            "Pageviews of one article over the last N days",
            "{pageviews}/per-article/{project}/all-access/user/{article}/daily/{start}/{end}",
            "$.items[*].views",
            "sum",
            ("project", "article", "days"),
            "pageviews",
            "https://pageviews.wmcloud.org/?project={project}.org&pages={article}",
        ),
    )
}


class PresetError(ValueError):
    """A parameter is missing or not in the expected shape; the message says which and how."""


def choices() -> list[tuple[str, str]]:
    return [(p.key, p.label) for p in PRESETS.values()]


def expand(key: str, values: dict[str, object]) -> tuple[str, str]:
    """The URL (with `{start}`/`{end}` left for refresh time) and the stored preset name for a
    preset filled in with `values`; raises PresetError for a missing or malformed parameter."""
    preset = PRESETS[key]
    filled: dict[str, str] = {}
    for name in preset.parameters:
        label, hint, pattern = PARAMETERS[name]
        given = values.get(name)
        value = "" if given is None else str(given).strip()
        if name == "days" and not value:
            value = str(DEFAULT_DAYS)
        if not value:
            raise PresetError(f"{label} is needed for “{preset.label}”.")
        if not re.fullmatch(pattern, value):
            raise PresetError(f"{label}: “{value}” is not valid ({hint}).")
        filled[name] = value
    if "days" in filled and not 1 <= int(filled["days"]) <= 3650:
        raise PresetError("Number of days: between 1 and 3650.")
    url = preset.url.format(
        pageviews=_pageviews_api(),
        lang=filled.get("lang", ""),
        project=filled.get("project", ""),
        # Titles are written with underscores in Wikimedia URLs; a "/" in a title must be
        # percent-encoded or the API reads it as a path separator.
        article=quote(filled.get("article", "").replace(" ", "_"), safe=""),
        start="{start}",
        end="{end}",
    )
    stored = f"{key}:{filled['days']}" if "days" in filled else key
    return _rebase(url), stored


def page(stored: str, url: str) -> str:
    """The page people can check a preset's number on, e.g. the wiki's Special:Statistics."""
    key, values = parameters_of(stored, url)
    if not key:
        return ""
    article = quote(values.get("article", "").replace(" ", "_"), safe="")
    return PRESETS[key].page.format(
        lang=values.get("lang", ""), project=values.get("project", ""), article=article
    )


def parameters_of(stored: str, url: str) -> tuple[str, dict[str, str]]:
    """The preset key and the parameters a statistic's preset was filled in with, read back from
    what was stored (for the edit form); ("", {}) when it has no known preset."""
    key, _, days = stored.partition(":")
    preset = PRESETS.get(key)
    if preset is None:
        return "", {}
    values = {"days": days} if days else {}
    match = re.fullmatch(_pattern(preset), url)
    if match:
        values |= match.groupdict()
        if "article" in values:
            values["article"] = unquote(values["article"]).replace("_", " ")
    return key, values


def days_of(stored: str) -> int | None:
    """How many days a pageviews preset sums over (None for other sources)."""
    _, _, days = stored.partition(":")
    return int(days) if days.isdigit() else None


def dated(url: str, stored: str, *, today: date) -> str:
    """The URL to fetch today: a pageviews preset's `{start}`/`{end}` become the last N full days
    (yesterday back; today's counts are not complete yet)."""
    if "{start}" not in url and "{end}" not in url:
        return url
    days = days_of(stored) or DEFAULT_DAYS
    end = today - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    return url.replace("{start}", start.strftime(DATE_FORMAT)).replace(
        "{end}", end.strftime(DATE_FORMAT)
    )


def describe(stored: str, url: str) -> str:
    """The preset in words for the statistic's page, e.g. "Articles in a Wikipedia edition (es)"."""
    key, values = parameters_of(stored, url)
    if not key:
        return ""
    shown = [
        values[name] if name != "days" else f"{values[name]} days"
        for name in PRESETS[key].parameters
        if values.get(name)
    ]
    return f"{PRESETS[key].label} ({', '.join(shown)})" if shown else PRESETS[key].label


# --- local stand-ins for the real hosts (tests, demos without internet) ----------------------


def _pageviews_api() -> str:
    return settings.COMMSDESK_PAGEVIEWS_API.rstrip("/") or PAGEVIEWS


def _rebase(url: str) -> str:
    """With COMMSDESK_WIKIMEDIA_API_BASE set (e.g. http://127.0.0.1:8001), a wiki's own API
    (siteinfo) is asked there instead, its real host kept as the first path segment so one server
    can answer for every wiki. Pageviews follow COMMSDESK_PAGEVIEWS_API instead."""
    base = settings.COMMSDESK_WIKIMEDIA_API_BASE.rstrip("/")
    if not base or not url.startswith("https://") or url.startswith(PAGEVIEWS):
        return url
    parts = urlsplit(url)
    return f"{base}/{parts.netloc}{url[len(parts.scheme) + 3 + len(parts.netloc) :]}"


def _pattern(preset: Preset) -> str:
    """A regular expression reading a preset's parameters back from its URL, whatever base the
    URL was built with (the real host, a local stand-in)."""
    template = preset.url.removeprefix("https://").removeprefix("{pageviews}")
    escaped = re.escape(template)
    for name in ("lang", "project", "article"):
        escaped = escaped.replace(re.escape("{" + name + "}"), f"(?P<{name}>[^/?]+)")
    return ".*?" + escaped
