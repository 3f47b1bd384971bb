"""`commsdesk export-all OUT.zip`: every record, material and uploaded file in one archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commsdesk.audit import archive


class Command(BaseCommand):
    help = "Export everything (JSON + CSV per model, materials as Markdown, files) to a ZIP."

    def add_arguments(self, parser) -> None:
        parser.add_argument("out", help="Path of the ZIP to write (replaced if it exists)")

    def handle(self, *args, out: str, **options) -> None:
        target = Path(out)
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("wb") as handle:
                manifest = archive.write(handle)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {out}: {exc}") from exc
        partial.replace(target)  # a crash never leaves a half archive under the real name
        total = sum(manifest["counts"].values())
        self.stdout.write(f"Wrote {out}: {total} records, {manifest['files']} files.")
