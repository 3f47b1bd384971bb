"""Searching the library with the article search's query language (`pipeline.query`): phrases,
AND/OR/NOT, wildcards, `title:` and `lang:` work the same way as on the Articles page.

A team has hundreds of materials, not millions, so every candidate is matched in Python with the
compiled matcher; no full-text index is kept. Filters other than the query live in the view.
"""

from __future__ import annotations

from collections.abc import Iterable

from commsdesk.materials.models import Material
from commsdesk.pipeline import query as q
from commsdesk.pipeline.query import QueryError
from commsdesk.pipeline.records import Document

__all__ = ["QueryError", "document", "matching"]


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
    matcher = q.compile(q.parse(text))
    return [m for m in materials if matcher.match(document(m)) is not None]
