"""Load an archive written by `archive` into a fresh, migrated installation.

Refuses an installation that already holds records (or, with `force`, only those tables the
archive has rows for must be empty) and an archive made by a newer schema; then loads every
model in one transaction, puts the uploaded files back and rebuilds the search index. It does
not merge two installations.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.db.migrations.recorder import MigrationRecorder

from commsdesk.audit import archive


class ImportRefused(Exception):
    """The archive cannot go into this installation; the message says why and what to do."""


def load(path: str | Path, *, force: bool = False) -> dict:
    """Import the archive at `path`; returns its manifest. Raises ImportRefused."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportRefused(f"{path} is not a readable ZIP archive ({exc}).") from exc
    with zf:
        manifest = _manifest(zf)
        _check_schema(manifest)
        _check_empty(manifest, force=force)
        with tempfile.TemporaryDirectory(prefix="commsdesk-import-") as tmp:
            fixtures = _extract_fixtures(zf, manifest, Path(tmp))
            with transaction.atomic():
                if fixtures:
                    call_command("loaddata", *map(str, fixtures), verbosity=0)
        _restore_files(zf)
    from commsdesk.monitoring.search import rebuild_index

    rebuild_index()
    return manifest


def _manifest(zf: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise ImportRefused("This ZIP has no commsdesk manifest.json: not an export.") from exc
    if manifest.get("format") != archive.FORMAT:
        raise ImportRefused("This ZIP is not a commsdesk export (unknown format).")
    if manifest.get("format_version", 0) > archive.FORMAT_VERSION:
        raise ImportRefused("This export was made by a newer commsdesk: upgrade, then import.")
    return manifest


def _check_schema(manifest: dict) -> None:
    applied = MigrationRecorder(_connection()).applied_migrations()
    missing = [
        f"{app} {name}"
        for app, name in manifest.get("schema", {}).items()
        if (app, name) not in applied
    ]
    if missing:
        raise ImportRefused(
            "This export was made by a newer commsdesk or before `commsdesk migrate` ran here "
            f"(not applied here: {', '.join(missing)}). Upgrade and migrate, then import."
        )


def _connection():
    from django.db import connection

    return connection


def _check_empty(manifest: dict, *, force: bool) -> None:
    counts = manifest.get("counts", {})
    occupied = []
    for model in archive.exported_models():
        label = model._meta.label
        if force and not counts.get(label):
            continue
        if model._default_manager.exists():
            occupied.append(label)
    if occupied:
        hint = (
            " These tables already hold rows the archive would add to."
            if force
            else " Import into a fresh installation (a new database, `commsdesk migrate`), or use"
            " --force when only tables the archive leaves empty hold records."
        )
        raise ImportRefused(
            f"This installation is not empty: {', '.join(occupied[:8])}"
            f"{' and more' if len(occupied) > 8 else ''} hold records.{hint}"
        )


def _extract_fixtures(zf: zipfile.ZipFile, manifest: dict, tmp: Path) -> list[Path]:
    paths = []
    for number, label in enumerate(manifest.get("order", [])):
        if not manifest["counts"].get(label):
            continue
        try:
            apps.get_model(label)
        except LookupError as exc:
            raise ImportRefused(f"The archive holds {label}, unknown here.") from exc
        # Plain numbered names: loaddata reads dots in a fixture's name as formats.
        target = tmp / f"{number:04d}.json"
        with zf.open(f"data/{label}.json") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        paths.append(target)
    return paths


def _restore_files(zf: zipfile.ZipFile) -> None:
    for info in zf.infolist():
        if not info.filename.startswith("files/") or info.is_dir():
            continue
        name = str(PurePosixPath(info.filename).relative_to("files"))
        if default_storage.exists(name):
            continue
        with zf.open(info) as source:
            saved = default_storage.save(name, File(source, name=name))
        if saved != name:  # the storage refused the name: keep rows and files in step
            default_storage.delete(saved)
            raise ImportRefused(f"Could not put back the file {name}.")
