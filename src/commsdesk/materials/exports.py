"""A draft as a file to send or paste: Markdown, a standalone HTML page (sanitised), HTML that
Word and LibreOffice open as a document (.doc), and plain text for an email.

It reads the draft as `drafting.document` assembles it; it changes nothing.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.text import slugify
from lxml import html as lxml_html

from commsdesk.materials import drafting, markdown
from commsdesk.materials.models import Draft

WIDTH = 72  # email clients wrap at 72-78 columns; 72 leaves room for quoting


@dataclass(frozen=True, slots=True)
class Export:
    content: bytes
    content_type: str
    filename: str


FORMATS = {
    "md": ("Markdown", "text/markdown; charset=utf-8"),
    "html": ("HTML page", "text/html; charset=utf-8"),
    "doc": ("Word (.doc)", "application/msword"),
    "txt": ("Plain text for email", "text/plain; charset=utf-8"),
}


def filename(draft: Draft, fmt: str) -> str:
    return f"{slugify(draft.title)[:80] or 'draft'}.{fmt}"


def export(draft: Draft, fmt: str) -> Export:
    """The draft in `fmt` (a key of FORMATS); KeyError for any other."""
    _label, content_type = FORMATS[fmt]
    text = drafting.document(draft)
    content = {"md": lambda: text, "html": lambda: page(draft), "doc": lambda: word(draft)}.get(
        fmt, lambda: plain_text(text)
    )()
    return Export(content.encode("utf-8"), content_type, filename(draft, fmt))


def page(draft: Draft) -> str:
    body = markdown.render(drafting.document(draft))
    return (
        f'<!doctype html>\n<html lang="{escape(draft.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(draft.title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def word(draft: Draft) -> str:
    """HTML in Word's namespaces with its ProgId: Word and LibreOffice open it as a document in
    print layout, which is what "DOCX-compatible" can mean without a .docx writer."""
    body = markdown.render(drafting.document(draft))
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word" '
        'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        '<meta name="ProgId" content="Word.Document">\n'
        '<meta name="Generator" content="commsdesk">\n'
        f"<title>{escape(draft.title)}</title>\n"
        "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View>"
        "<w:Zoom>100</w:Zoom></w:WordDocument></xml><![endif]-->\n"
        "<style>body{font-family:Calibri,Arial,sans-serif;font-size:11pt}"
        "h1{font-size:18pt}h2{font-size:14pt}</style>\n"
        f'</head>\n<body lang="{escape(draft.language)}">\n<div class="WordSection1">\n'
        f"{body}\n</div>\n</body>\n</html>\n"
    )


# Written by hand: the HTML-to-text libraries here (trafilatura, jusText) extract a page's main
# content and drop links and list markers, which an email needs kept.
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "hr"}


def plain_text(text: str) -> str:
    """Markdown as plain text for an email: wrapped paragraphs, links as "words (address)"."""
    rendered = str(markdown.render(text))
    if not rendered.strip():
        return ""
    root = lxml_html.fragment_fromstring(rendered, create_parent="div")
    paragraphs = [para for block in root for para in _blocks(block)]
    return "\n\n".join(paragraphs).strip() + "\n"


def _blocks(element, depth: int = 0) -> list[str]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in {"ul", "ol"}:
        items = []
        for number, item in enumerate(element, start=1):
            marker = f"{number}. " if tag == "ol" else "- "
            words = _inline(item)
            items.append(
                textwrap.fill(
                    words,
                    WIDTH,
                    initial_indent="  " * depth + marker,
                    subsequent_indent="  " * depth + " " * len(marker),
                )
            )
        return ["\n".join(items)]
    if tag == "hr":
        return ["-" * 20]
    if tag == "pre":
        return [element.text_content().rstrip()]
    if tag == "blockquote":
        inner = [p for child in element for p in _blocks(child, depth)]
        return ["\n".join("> " + line for p in inner for line in p.splitlines())]
    words = _inline(element)
    if tag in {"h1", "h2"}:
        return [f"{words}\n{('=' if tag == 'h1' else '-') * min(len(words), WIDTH)}"]
    return ["\n".join(_wrap(line) for line in words.splitlines())]


def _wrap(line: str) -> str:
    return textwrap.fill(line, WIDTH, break_long_words=False, break_on_hyphens=False)


def _inline(element) -> str:
    """The words of an element with each link's address after its words; a line break stays."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in {"ul", "ol"}:
            continue
        if child.tag == "br":
            parts.append("\n" + (child.tail or "").lstrip())
            continue
        words = _inline(child)
        href = child.get("href") if child.tag == "a" else None
        parts.append(f"{words} ({href})" if href and href != words else words)
        parts.append(child.tail or "")
    lines = "".join(parts).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()
