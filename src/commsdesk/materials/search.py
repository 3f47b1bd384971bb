"""Searching the library with the article search's query language (`pipeline.query`): phrases,
AND/OR/NOT, wildcards, `title:` and `lang:` work the same way as on the Articles page.

A team has hundreds of materials, not millions, so every candidate is matched in Python with the
compiled matcher; no full-text index is kept. Filters other than the query live in the view.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from commsdesk.materials.models import Material
from commsdesk.pipeline import query as q
from commsdesk.pipeline.query import QueryError
from commsdesk.pipeline.records import Document

__all__ = ["QueryError", "document", "matching", "snippet"]

SNIPPET_CHARS = 200


def document(material: Material) -> Document:
    """What the matcher sees: the title, and the body followed by the labels (tags, topics,
    audiences) so a search for a tag finds what carries it."""
    labels = " ".join([*material.tags, *material.topics, *material.audiences])
    return Document(
        title=material.title,
        text=f"{material.body}\n{labels}",
        language=material.language,
    )


def matching(materials: Iterable[Material], text: str) -> list[Material]:
    """The materials the query matches, in the order given; everything for an empty box.
    Raises QueryError (message and position for the person) for a query that cannot run."""
    if not text or not text.strip():
        return list(materials)
    query = q.parse(text)
    matcher = q.compile(query)
    found = [m for m in materials if matcher.match(document(m)) is not None]
    for material in found:
        material.snippet = snippet(query, material.body)
    return found


def snippet(query: q.Query, body: str) -> SafeString:
    """The stretch of the body around the first term found, terms in <mark>, all escaped.
    (The article search's own snippet works on Article rows; this one on a material's body.)"""
    spans = q.highlights(query, body, field="text")
    start = max(0, spans[0][0] - SNIPPET_CHARS // 3) if spans else 0
    end = min(len(body), start + SNIPPET_CHARS)
    out, at = ["… " if start else ""], start
    for begin, finish in spans:
        if begin < start or finish > end:
            continue
        out += [escape(body[at:begin]), f"<mark>{escape(body[begin:finish])}</mark>"]
        at = finish
    out += [escape(body[at:end]), " …" if end < len(body) else ""]
    return mark_safe("".join(out))  # noqa: S308 - every piece of the body is escaped above
