"""OPML import and export of sources (the format every feed reader speaks).

Parsing uses lxml with entity resolution and network access off: OPML files come from users.
Import adds the feeds not yet present; it fetches nothing (the scheduler does, soon after).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from lxml import etree

from commsdesk.monitoring.models import Source


class OPMLError(ValueError):
    """The upload is not an OPML document we can read."""


@dataclass(frozen=True, slots=True)
class Outline:
    title: str
    xml_url: str
    html_url: str = ""
    language: str = ""


def parse(data: bytes) -> list[Outline]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise OPMLError(f"not valid OPML: {exc}") from exc
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise OPMLError("not an OPML document (the root element is not <opml>)")
    outlines = []
    for node in root.iter("outline"):
        url = (node.get("xmlUrl") or node.get("xmlurl") or "").strip()
        if url.lower().startswith(("http://", "https://")):
            title = node.get("title") or node.get("text") or url
            outlines.append(
                Outline(title.strip(), url, node.get("htmlUrl") or "", node.get("language") or "")
            )
    return outlines


def render(sources) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0"><head><title>commsdesk sources</title></head><body>',
    ]
    for source in sources:
        attrs = {
            "type": "rss",
            "text": source.name,
            "title": source.name,
            "xmlUrl": source.url,
        }
        if source.language:
            attrs["language"] = source.language
        lines.append("<outline " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>")
    lines.append("</body></opml>")
    return "\n".join(lines).encode("utf-8")


def import_sources(data: bytes) -> tuple[int, int]:
    """Add a source per feed in the OPML document: (added, already present). Raises OPMLError."""
    outlines = parse(data)
    added = 0
    for outline in outlines:
        _, created = Source.objects.get_or_create(
            url=outline.xml_url,
            defaults={"name": outline.title[:200], "language": outline.language[:8]},
        )
        added += created
    return added, len(outlines) - added
