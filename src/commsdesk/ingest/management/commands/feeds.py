"""`commsdesk feeds parse PATH...`: feed files → JSON lines of entries, or an error per file."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commsdesk.pipeline import feeds
from commsdesk.pipeline.errors import FeedError


class Command(BaseCommand):
    help = "Feed tools. `parse PATH...` prints each entry of each feed as one JSON line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        parse = sub.add_parser("parse", help="parse feed files")
        parse.add_argument("paths", nargs="+", type=Path)
        parse.add_argument("--url", default="", help="base URL for relative links")

    def handle(self, *args, action, paths, url, **options):
        failures = 0
        for path in paths:
            try:
                feed = feeds.parse(path.read_bytes(), url=url)
            except FeedError as exc:
                failures += 1
                self.stderr.write(f"{path}: error: {exc.reason}")
                continue
            except OSError as exc:
                failures += 1
                self.stderr.write(f"{path}: error: cannot read file: {exc.strerror or exc}")
                continue
            for entry in feed.entries:
                self.stdout.write(json.dumps(_entry(path, feed.title, entry), ensure_ascii=False))
        if failures:
            raise CommandError(
                f"{failures} of {len(paths)} file(s) could not be read as feeds", returncode=1
            )


def _entry(path: Path, feed_title: str, entry) -> dict:
    return {
        "path": str(path),
        "feed": feed_title,
        "url": entry.url,
        "title": entry.title,
        "published": entry.published.isoformat() if entry.published else None,
        "authors": list(entry.authors),
        "guid": entry.guid,
        "language": entry.language,
        "summary": entry.summary,
    }
