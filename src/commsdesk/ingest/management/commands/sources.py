"""`commsdesk sources import-opml FILE` and `commsdesk sources export-opml [-o FILE]`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commsdesk.ingest import opml
from commsdesk.monitoring.models import Source


class Command(BaseCommand):
    help = "Manage sources: import-opml FILE, export-opml [-o FILE]."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-opml", help="add the feeds listed in an OPML file")
        imp.add_argument("file", type=Path)
        exp = sub.add_parser("export-opml", help="write all sources as OPML")
        exp.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, action, **options):
        if action == "import-opml":
            self._import(options["file"])
        else:
            self._export(options.get("output"))

    def _import(self, path: Path) -> None:
        try:
            added, present = opml.import_sources(path.read_bytes())
        except (OSError, opml.OPMLError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"imported {added} new source(s); {present} already present")

    def _export(self, output: Path | None) -> None:
        data = opml.render(Source.objects.all())
        if output:
            output.write_bytes(data)
        else:
            sys.stdout.buffer.write(data + b"\n")
