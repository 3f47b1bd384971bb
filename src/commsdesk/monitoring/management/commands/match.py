"""`commsdesk match --query Q [--lang xx] [--explain] PATH...`: which documents a query matches.

HTML pages (.html, .html.gz) go through extraction; other files are read as plain text. Prints
the matching paths, one per line; --explain adds the terms that hit. Touches no database.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
from django.core.management.base import BaseCommand, CommandError

from commsdesk.ingest.pages import read_page
from commsdesk.pipeline import extract, language
from commsdesk.pipeline import query as q
from commsdesk.pipeline.errors import NotAnArticleError
from commsdesk.pipeline.records import Document

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".xhtml")


def read_document(path: Path, *, lang: str) -> Document:
    """The document a query looks at: extracted title and text, and its language."""
    if path.name.lower().endswith(HTML_SUFFIXES):
        html = read_page(path)
        try:
            page = extract.extract(html, url="")
            title, text = page.title, page.text
        except NotAnArticleError:
            # Not an article (an index page, a snippet): still searchable as its visible text.
            source = extract.decode_html(html, max_bytes=extract.DEFAULT_MAX_BYTES)
            title, text = "", lxml.html.fromstring(source).text_content() if source.strip() else ""
    else:
        title, text = "", path.read_bytes().decode("utf-8", errors="replace")
    code = lang or language.identify(f"{title}\n{text[:3000]}").code
    return Document(title=title, text=text, language="" if code == "und" else code)


def explanation(match: q.Match) -> str:
    return ", ".join(f"{hit.term} ({hit.field})" for hit in match.hits)


class Command(BaseCommand):
    help = "Print the paths of HTML or text files that a saved-search query matches."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--query", required=True, help="the saved-search query")
        parser.add_argument("--lang", default="", help="the documents' language (else detected)")
        parser.add_argument("--explain", action="store_true", help="add the terms that hit")

    def handle(self, *args, paths, query, lang, explain, **options):
        try:
            matcher = q.compile(q.parse(query))
        except q.QueryError as exc:
            raise CommandError(f"{exc.message}\n{exc.pointer}", returncode=2) from None
        unreadable = 0
        for path in paths:
            try:
                document = read_document(path, lang=lang)
            except (OSError, EOFError, ValueError) as exc:
                self.stderr.write(f"{path}: cannot read: {exc}")
                unreadable += 1
                continue
            found = matcher.match(document)
            if found is not None:
                line = f"{path}\t{explanation(found)}" if explain else str(path)
                self.stdout.write(line)
        if unreadable:
            raise CommandError(f"{unreadable} file(s) could not be read", returncode=1)
