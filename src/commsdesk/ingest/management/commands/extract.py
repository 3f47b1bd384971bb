"""`commsdesk extract PATH... [--url URL] [--format json|jsonl]`: HTML files to article JSON."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commsdesk.ingest.pages import read_page
from commsdesk.pipeline import extract, language
from commsdesk.pipeline.errors import NotAnArticleError


def page_record(path: Path, url: str) -> dict:
    try:
        page = extract.extract(read_page(path), url=url)
    except NotAnArticleError as exc:
        return {"path": str(path), "error": exc.reason}
    except (OSError, EOFError) as exc:  # EOFError: a truncated .gz
        return {"path": str(path), "error": f"cannot read file: {exc}"}
    guess = language.identify(f"{page.title}\n{page.text[:3000]}")
    return {
        "path": str(path),
        "url": page.url or url,
        "title": page.title,
        "text": page.text,
        "language": guess.code,
        "published": page.published.isoformat() if page.published else None,
        "authors": list(page.authors),
        "canonical_url": page.canonical_url,
    }


class Command(BaseCommand):
    help = "Extract article text and metadata from HTML files (.html or .html.gz) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--url", default="", help="the page's URL (resolves relative links)")
        parser.add_argument("--format", choices=["json", "jsonl"], default="json")

    def handle(self, *args, paths, url, format, **options):  # noqa: A002
        records = [page_record(path, url) for path in paths]
        if format == "jsonl":
            for record in records:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
        else:
            payload = records[0] if len(records) == 1 else records
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        failed = [r for r in records if "error" in r]
        for record in failed:
            self.stderr.write(f"{record['path']}: {record['error']}")
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(records)} file(s) gave no article", returncode=1
            )
