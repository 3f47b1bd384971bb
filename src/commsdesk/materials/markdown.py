"""Markdown to safe HTML, the one way any Markdown in commsdesk is shown (library, drafts,
press room): markdown-it-py renders CommonMark plus tables and strikethrough, nh3 removes
anything that could run (scripts, event handlers, javascript: URLs). It does not store HTML.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# What Markdown can produce, and no more: raw HTML inside Markdown is allowed through the
# renderer only to be cut down to this list.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def sanitise(html: str) -> str:
    """HTML from anywhere, with only harmless tags, attributes and URL schemes left."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render(text: str) -> SafeString:
    """Markdown as HTML safe to put in a page."""
    return mark_safe(sanitise(_renderer().render(text or "")))  # noqa: S308 - nh3 just cleaned it
