"""`commsdesk backfill PATH`: saved HTML pages (a folder or files) → articles, with progress."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from commsdesk.ingest.items import store_page
from commsdesk.ingest.pages import page_files, read_page
from commsdesk.pipeline.records import ItemResult, Outcome


class Command(BaseCommand):
    help = "Import saved HTML pages as articles through the same pipeline as feeds."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--base-url",
            default="",
            help="URL prefix for pages that declare no canonical URL (path appended)",
        )

    def handle(self, *args, paths, base_url, **options):
        try:
            files = page_files(paths)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        counts: Counter[str] = Counter()
        for path in tqdm(files, desc="backfill", unit="page", disable=None):
            result = self._one(path, base_url, paths)
            counts[result.outcome.value] += 1
            if result.outcome is Outcome.QUARANTINED:
                self.stderr.write(f"{path}: {result.reason}")
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no pages"
        self.stdout.write(f"backfill: {len(files)} page(s): {summary}")

    def _one(self, path: Path, base_url: str, roots: list[Path]) -> ItemResult:
        try:
            html = read_page(path)
        except (OSError, EOFError) as exc:  # EOFError: a truncated .gz
            return ItemResult(Outcome.QUARANTINED, f"cannot read file: {exc}")
        url = _url_for(path, base_url, roots)
        return store_page(html, url=url)


def _url_for(path: Path, base_url: str, roots: list[Path]) -> str:
    if not base_url:
        return ""
    for root in roots:
        if root.is_dir() and path.is_relative_to(root):
            return base_url.rstrip("/") + "/" + path.relative_to(root).as_posix()
    return base_url.rstrip("/") + "/" + path.name
