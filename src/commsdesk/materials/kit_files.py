"""Files people upload to a press kit: which ones are accepted (size cap, a list of safe types,
images that really are images) and how they are stored (size and sha256 recorded).

It does not serve files: downloads go through views that check who may see them.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from PIL import Image, UnidentifiedImageError

from commsdesk.materials.models import PressKit, PressKitFile

# An allow-list, not a deny-list: journalists need pictures, logos and documents, and nothing
# that a browser or an operating system would run.
RASTER_IMAGES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff"}
ALLOWED_SUFFIXES = RASTER_IMAGES | {
    ".svg", ".pdf", ".txt", ".md", ".csv", ".rtf", ".docx", ".odt", ".xlsx", ".ods", ".pptx",
    ".odp", ".mp3", ".m4a", ".wav", ".mp4", ".mov", ".webm",
}  # fmt: skip
# Executables and scripts announce themselves in their first bytes whatever they are called.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
# SVG is XML that may carry scripts; a logo needs none of this.
SVG_ACTIVE = re.compile(rb"<script|\son[a-z]+\s*=|javascript:|<foreignObject", re.IGNORECASE)


# Raster images every browser shows and Pillow checked on upload: safe to show in a page.
PREVIEWABLE = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def previewable(stored: PressKitFile) -> bool:
    """Whether the file may be shown in a page (an <img>), not only downloaded. SVG never is:
    it can carry scripts past any check."""
    return PurePosixPath(stored.name.lower()).suffix in PREVIEWABLE


def max_bytes() -> int:
    return settings.COMMSDESK_KIT_FILE_MAX_MB * 1024 * 1024


def safe_name(name: str, *, fallback: str = "file") -> str:
    """A bare file name with no directory parts (no `../`, no `/etc/...`, no `C:\\`)."""
    bare = PurePosixPath(name.replace("\\", "/")).name
    try:
        return get_valid_filename(bare)[:200]
    except SuspiciousFileOperation:  # empty, "." or ".." once cleaned
        return fallback


def check(upload: UploadedFile) -> None:
    """Raise ValidationError, in words for the person uploading, when the file is refused."""
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            f"“{upload.name}” is {upload.size / 1024 / 1024:.1f} MB; press kit files may be at "
            f"most {limit // 1024 // 1024} MB."
        )
    suffix = PurePosixPath(upload.name.lower()).suffix
    if suffix not in ALLOWED_SUFFIXES:
        allowed = ", ".join(sorted(s.lstrip(".") for s in ALLOWED_SUFFIXES))
        raise ValidationError(
            f"“{upload.name}” is not a type a press kit may hold. Allowed: {allowed}."
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError(f"“{upload.name}” is a program, not a document or image.")
    if suffix == ".svg" and SVG_ACTIVE.search(upload.read()):
        upload.seek(0)
        raise ValidationError(f"“{upload.name}” contains scripts; upload the SVG without them.")
    upload.seek(0)
    if suffix in RASTER_IMAGES:
        _check_image(upload)


def _check_image(upload: UploadedFile) -> None:
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"“{upload.name}” is not a readable image ({exc}).") from exc
    finally:
        upload.seek(0)


def store(kit: PressKit, upload: UploadedFile, *, kind: str, caption: str, credit: str):
    """Save an upload already `check`ed, with its size and sha256 for the manifest."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = safe_name(upload.name)
    record = PressKitFile(
        kit=kit,
        name=name,
        kind=kind,
        caption=caption,
        credit=credit,
        size=upload.size,
        sha256=digest.hexdigest(),
    )
    record.file.save(name, upload, save=False)
    record.save()
    return record
