"""`commsdesk backfill PATH...` and `commsdesk backfill --warc FILE.warc.gz`: saved HTML pages or
web archives → articles through the same pipeline as feeds, with a progress bar and a summary of
outcomes. Re-running skips what is stored, so an interrupted backfill resumes where it stopped.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from commsdesk.ingest import store, warc
from commsdesk.ingest.items import store_page
from commsdesk.ingest.pages import page_files, read_page
from commsdesk.pipeline import urls
from commsdesk.pipeline.records import ItemResult, Outcome

SKIPPED = "skipped"  # archive records that are not pages (images, redirects, errors)


class Command(BaseCommand):
    help = "Import saved HTML pages or WARC/ARC web archives as articles (same pipeline as feeds)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="HTML files or folders")
        parser.add_argument(
            "--warc",
            action="append",
            type=Path,
            default=[],
            metavar="FILE",
            help="a .warc, .warc.gz, .arc or .arc.gz file (repeat for several); pages keep their "
            "archived fetch date and raise no alerts",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="URL prefix for pages that declare no canonical URL (path appended)",
        )

    def handle(self, *args, paths, warc: list[Path], base_url, **options):
        if not paths and not warc:
            raise CommandError("give HTML files or folders, or --warc FILE")
        counts: Counter[str] = Counter()
        if paths:
            self._pages(paths, base_url, counts)
        for archive in warc:
            self._archive(archive, counts)
        total = sum(counts.values())
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "nothing"
        self.stdout.write(f"backfill: {total} record(s): {summary}")
        if counts["unreadable archive"]:
            raise CommandError("an archive could not be read to its end: see the message above")

    def _pages(self, paths: list[Path], base_url: str, counts: Counter[str]) -> None:
        try:
            files = page_files(paths)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        for path in tqdm(files, desc="backfill", unit="page", disable=None):
            result = self._one(path, base_url, paths)
            counts[result.outcome.value] += 1
            if result.outcome is Outcome.QUARANTINED:
                self.stderr.write(f"{path}: {result.reason}")

    def _one(self, path: Path, base_url: str, roots: list[Path]) -> ItemResult:
        try:
            html = read_page(path)
        except (OSError, EOFError) as exc:  # EOFError: a truncated .gz
            return ItemResult(Outcome.QUARANTINED, f"cannot read file: {exc}")
        url = _url_for(path, base_url, roots)
        return store_page(html, url=url)

    def _archive(self, path: Path, counts: Counter[str]) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        progress = tqdm(desc=path.name, unit="record", disable=None)
        try:
            for record in warc.read(path):
                progress.update()
                if isinstance(record, warc.Skipped):
                    counts[SKIPPED] += 1
                    continue
                result = _archived(record)
                counts[result.outcome.value] += 1
                if result.outcome is Outcome.QUARANTINED:
                    self.stderr.write(f"{record.url}: {result.reason}")
        except warc.ArchiveError as exc:
            # What was read before the damage is stored; re-running skips it.
            self.stderr.write(str(exc))
            counts["unreadable archive"] += 1
        finally:
            progress.close()


def _archived(page: warc.ArchivedPage) -> ItemResult:
    # Resuming: a page whose address is stored is skipped before the costly extraction.
    try:
        if store.is_known(urls.identity_hash(page.url)):
            return ItemResult(Outcome.DUPLICATE, "already in the archive")
    except urls.InvalidURLError:
        pass  # the page may still declare a canonical URL of its own
    return store_page(page.html, url=page.url, charset=page.charset, fetched_at=page.fetched_at)


def _url_for(path: Path, base_url: str, roots: list[Path]) -> str:
    if not base_url:
        return ""
    for root in roots:
        if root.is_dir() and path.is_relative_to(root):
            return base_url.rstrip("/") + "/" + path.relative_to(root).as_posix()
    return base_url.rstrip("/") + "/" + path.name
