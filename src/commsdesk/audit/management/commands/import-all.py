"""`commsdesk import-all IN.zip`: load an export into a fresh, migrated installation."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from commsdesk.audit import restore


class Command(BaseCommand):
    help = "Import an export-all archive into a fresh installation (run `commsdesk migrate` first)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="A ZIP written by `commsdesk export-all`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Go ahead when only tables the archive leaves empty hold records",
        )

    def handle(self, *args, archive: str, force: bool, **options) -> None:
        try:
            manifest = restore.load(archive, force=force)
        except restore.ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        total = sum(manifest["counts"].values())
        self.stdout.write(f"Imported {total} records and {manifest['files']} files from {archive}.")
