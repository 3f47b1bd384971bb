"""Everything in one ZIP: per model a JSON (Django's serialiser) and a CSV, materials as
Markdown, uploaded files, and a manifest with counts and the schema version.

The JSON files are what `restore` loads back; the CSVs and Markdown are for people and other
tools. Leaves out what a new installation makes afresh or must not inherit: sessions, the task
queue, login-attempt records and two-factor secrets (people set up two-factor again).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO

from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from django.db import models
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "commsdesk-export"
FORMAT_VERSION = 1
APPS = (
    "auth",
    "accounts",
    "monitoring",
    "relations",
    "campaigns",
    "materials",
    "operations",
    "audit",
)
# Django's own tables, rebuilt by `migrate` on the new installation.
SKIPPED = {"auth.Permission"}
_CHUNK = 2000


def exported_models() -> list[type[models.Model]]:
    """Concrete models of the exported apps, those with natural keys ordered first."""
    chosen = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in SKIPPED and not model._meta.proxy
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def schema_version() -> dict[str, str]:
    """The latest applied migration of each exported app (names sort in order)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(_connection()).applied_migrations():
        if app in APPS and name > latest.get(app, ""):
            latest[app] = name
    return latest


def _connection():
    from django.db import connection

    return connection


def write(target: IO[bytes]) -> dict:
    """Write the archive into `target` (a file opened for binary writing); returns the manifest."""
    counts: dict[str, int] = {}
    files = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for model in exported_models():
            label = model._meta.label
            rows = model._default_manager.order_by("pk")
            counts[label] = _write_json(zf, f"data/{label}.json", rows)
            _write_csv(zf, f"csv/{label}.csv", model, rows)
        _write_materials(zf)
        files = _write_files(zf)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "schema": schema_version(),
            "counts": counts,
            "files": files,
            "order": list(counts),
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
    return manifest


def _write_json(zf: zipfile.ZipFile, name: str, rows: models.QuerySet) -> int:
    """One JSON list per model, written in chunks so a million articles fit in memory."""
    count = 0
    with (
        zf.open(_member(name), "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, "utf-8") as out,
    ):
        out.write("[")
        for chunk in _chunks(rows):
            text = serializers.serialize(
                "json", chunk, use_natural_foreign_keys=True, use_natural_primary_keys=False
            )
            body = text.strip()[1:-1].strip()
            if body:
                out.write(("," if count else "") + body)
                count += len(chunk)
        out.write("]")
    return count


def _member(name: str) -> zipfile.ZipInfo:
    """An archive member dated now (ZipFile.open would date it 1980), compressed."""
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _chunks(rows: models.QuerySet) -> Iterable[list]:
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        chunk = list(page[:_CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _write_csv(zf: zipfile.ZipFile, name: str, model, rows: models.QuerySet) -> None:
    """A flat sheet per model: one column per field, keys as ids, lists joined by ";"."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.BinaryField)]
    m2m = list(model._meta.many_to_many)
    with (
        zf.open(_member(name), "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, "utf-8") as out,
    ):
        out.write("\ufeff")  # so Excel opens UTF-8 correctly
        writer = csv.writer(out)
        writer.writerow([f.attname for f in fields] + [f.name for f in m2m])
        for chunk in _chunks(rows.prefetch_related(*(f.name for f in m2m))):
            for row in chunk:
                values = [_cell(f.value_from_object(row)) for f in fields]
                values += [";".join(str(o.pk) for o in getattr(row, f.name).all()) for f in m2m]
                writer.writerow(values)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _write_materials(zf: zipfile.ZipFile) -> None:
    """Each material as a Markdown file with its metadata in front matter."""
    from django.utils.text import slugify

    from commsdesk.materials.models import Material

    for material in Material.objects.select_related("team").order_by("pk"):
        front = {
            "title": material.title,
            "kind": material.kind,
            "language": material.language,
            "status": material.status,
            "version": material.version,
            "team": material.team.slug,
            "tags": material.tags,
        }
        # JSON values are valid YAML: the front matter needs no YAML writer.
        lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
        text = "---\n" + "\n".join(lines) + "\n---\n\n" + material.body.rstrip() + "\n"
        name = f"{material.pk}-{slugify(material.title)[:60] or 'material'}.md"
        zf.writestr(f"materials/{material.team.slug}/{name}", text)


def _write_files(zf: zipfile.ZipFile) -> int:
    """Uploaded files under files/, by their storage name (what the JSON rows point to)."""
    written = 0
    for model in exported_models():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in file_fields:
            names = model._default_manager.exclude(**{field.name: ""}).values_list(
                field.name, flat=True
            )
            for stored in names.iterator():
                if not stored or not default_storage.exists(stored):
                    continue
                with (
                    default_storage.open(stored, "rb") as source,
                    zf.open(_member(f"files/{stored}"), "w", force_zip64=True) as out,
                ):
                    while block := source.read(1 << 20):
                        out.write(block)
                written += 1
    return written
