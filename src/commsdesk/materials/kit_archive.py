"""A press kit as one ZIP: its files, each material and press release as Markdown, and a manifest
(`manifest.json` for machines, `MANIFEST.txt` for people) naming every entry with its sha256.

The team's ZIP holds everything in the kit; the public one only what is approved (and releases
already published). It decides contents and names, not who may download: the views do that.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import IO

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from commsdesk.materials.kit_files import safe_name
from commsdesk.materials.models import Draft, Material, PressKit, PressKitFile, Status

# Spooled: small kits stay in memory, big ones go to a temporary file, never all in RAM.
IN_MEMORY_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Entry:
    path: str  # inside the ZIP
    title: str
    type: str  # "image", "logo", "document", "faq", "bio" ..., "press release"
    language: str
    version: str
    status: str
    size: int
    sha256: str
    credit: str = ""
    caption: str = ""


def materials_in(kit: PressKit, *, public: bool, viewer=None) -> QuerySet[Material]:
    """Public: approved and not sensitive; for the team: what `viewer` may see."""
    chosen = kit.materials.all()
    if public:
        return chosen.filter(status=Status.APPROVED, sensitive=False)
    return chosen & Material.objects.visible_to(viewer)


def releases_in(kit: PressKit, *, public: bool, viewer=None) -> QuerySet[Draft]:
    chosen = kit.releases.filter(kind=Draft.Kind.PRESS_RELEASE)
    if public:
        now = timezone.now()
        # Under embargo it is not public yet, whatever its publish time says; sensitive never is.
        chosen = chosen.filter(status=Status.APPROVED, published_at__lte=now, sensitive=False)
        return chosen.filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
    return chosen & Draft.objects.visible_to(viewer)


def build(kit: PressKit, *, public: bool, viewer=None) -> IO[bytes]:
    """The ZIP, rewound, in a file object the caller closes (FileResponse does)."""
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 - returned
    taken: set[str] = set()
    entries: list[Entry] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for stored in kit.files.all():
            entries.append(_add_file(archive, stored, _unique("files", stored.name, taken)))
        for material in materials_in(kit, public=public, viewer=viewer):
            entries.append(_add_material(archive, material, taken))
        for release in releases_in(kit, public=public, viewer=viewer).order_by(
            "-published_at", "title"
        ):
            entries.append(_add_release(archive, release, taken))
        made = timezone.now()
        archive.writestr("manifest.json", _manifest_json(kit, entries, made))
        archive.writestr("MANIFEST.txt", _manifest_text(kit, entries, made))
    out.seek(0)
    return out


def zip_name(kit: PressKit) -> str:
    return f"{safe_name(kit.slug, fallback='press-kit')}.zip"


def _unique(folder: str, name: str, taken: set[str]) -> str:
    """A safe path inside the ZIP, not yet used: "files/logo.png", then "files/logo-2.png".
    Only the bare name of what people typed is kept, so "../../x" cannot leave the folder."""
    name = safe_name(name)
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, number = f"{folder}/{name}", 1
    while candidate in taken:
        number += 1
        candidate = f"{folder}/{stem}-{number}{dot}{suffix}"
    taken.add(candidate)
    return candidate


def _add_file(archive: zipfile.ZipFile, stored: PressKitFile, path: str) -> Entry:
    digest, size = hashlib.sha256(), 0
    with stored.file.open("rb") as source, archive.open(path, "w") as target:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return Entry(
        path=path,
        title=stored.caption or stored.name,
        type=stored.get_kind_display().lower(),
        language="",
        version="",
        status="",
        size=size,
        sha256=digest.hexdigest(),
        credit=stored.credit,
        caption=stored.caption,
    )


def _add_text(archive: zipfile.ZipFile, path: str, text: str) -> tuple[int, str]:
    data = text.encode("utf-8")
    archive.writestr(path, data)
    return len(data), hashlib.sha256(data).hexdigest()


def _add_material(archive: zipfile.ZipFile, material: Material, taken: set[str]) -> Entry:
    name = f"{slugify(material.title) or 'material'}-{material.language}.md"
    path = _unique("materials", name, taken)
    size, sha = _add_text(archive, path, material_markdown(material))
    return Entry(
        path=path,
        title=material.title,
        type=material.get_kind_display(),
        language=material.language,
        version=str(material.version),
        status=material.get_status_display(),
        size=size,
        sha256=sha,
    )


def _add_release(archive: zipfile.ZipFile, release: Draft, taken: set[str]) -> Entry:
    name = f"{release.slug or slugify(release.title) or 'press-release'}-{release.language}.md"
    path = _unique("releases", name, taken)
    size, sha = _add_text(archive, path, release_markdown(release))
    return Entry(
        path=path,
        title=release.title,
        type="press release",
        language=release.language,
        version=release.published_at.date().isoformat() if release.published_at else "",
        status=release.get_status_display(),
        size=size,
        sha256=sha,
    )


def material_markdown(material: Material) -> str:
    return f"# {material.title}\n\n{material.body.strip()}\n"


def release_markdown(release: Draft) -> str:
    """A press release in its usual order: headline, dateline and lead, body, quotes, about us,
    media contact."""
    parts = [f"# {release.title}"]
    if release.subtitle:
        parts.append(f"## {release.subtitle}")
    lead = release.lead.strip()
    if release.dateline:
        lead = f"**{release.dateline}** — {lead}" if lead else f"**{release.dateline}**"
    parts += [lead, release.body.strip(), release.quotes.strip()]
    if release.boilerplate.strip():
        parts.append(f"## About us\n\n{release.boilerplate.strip()}")
    if release.media_contact.strip():
        parts.append(f"## Media contact\n\n{release.media_contact.strip()}")
    return "\n\n".join(part for part in parts if part) + "\n"


def _manifest_json(kit: PressKit, entries: list[Entry], made: datetime) -> str:
    return json.dumps(
        {
            "kit": kit.title,
            "slug": kit.slug,
            "language": kit.language,
            "created": made.isoformat(),
            "entries": [asdict(entry) for entry in entries],
        },
        ensure_ascii=False,
        indent=2,
    )


def _manifest_text(kit: PressKit, entries: list[Entry], made: datetime) -> str:
    lines = [f"{kit.title} — press kit ({kit.language})", f"Made {made:%Y-%m-%d %H:%M} UTC", ""]
    for entry in entries:
        lines.append(entry.path)
        lines.append(f"  {entry.title} · {entry.type}")
        details = [
            f"language {entry.language}" if entry.language else "",
            f"version {entry.version}" if entry.version else "",
            entry.status.lower(),
            f"{entry.size:,} bytes",
        ]
        lines.append("  " + " · ".join(d for d in details if d))
        if entry.credit:
            lines.append(f"  Credit/licence: {entry.credit}")
        lines.append(f"  sha256 {entry.sha256}")
        lines.append("")
    return "\n".join(lines)
