"""Photos of people and places in story ideas: only real raster images within the press-kit
size limit are accepted (the checks of `materials.kit_files`), stored under a safe name.

It serves nothing: the photo view checks the reader's team first.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from commsdesk.materials import kit_files
from commsdesk.operations.models import StoryIdea, StoryPhoto

# A photo is shown in the page (<img>): only formats every browser shows and Pillow verifies.
PHOTO_SUFFIXES = kit_files.PREVIEWABLE


def check(upload: UploadedFile) -> None:
    """Raise ValidationError, in words for the person uploading, when the photo is refused."""
    suffix = PurePosixPath(upload.name.lower()).suffix
    if suffix not in PHOTO_SUFFIXES:
        allowed = ", ".join(sorted(s.lstrip(".") for s in PHOTO_SUFFIXES))
        raise ValidationError(f"“{upload.name}” is not a photo. Allowed: {allowed}.")
    limit = kit_files.max_bytes()
    if upload.size > limit:
        raise ValidationError(
            f"“{upload.name}” is {upload.size / 1024 / 1024:.1f} MB; photos may be at most "
            f"{limit // 1024 // 1024} MB."
        )
    kit_files.check(upload)  # programs in disguise, images Pillow cannot read


def store(idea: StoryIdea, upload: UploadedFile, *, caption: str, credit: str) -> StoryPhoto:
    """Save a photo already `check`ed."""
    photo = StoryPhoto(idea=idea, caption=caption, credit=credit)
    photo.file.save(kit_files.safe_name(upload.name, fallback="photo.jpg"), upload, save=False)
    photo.save()
    return photo


def previewable(photo: StoryPhoto) -> bool:
    return PurePosixPath(photo.file.name.lower()).suffix in PHOTO_SUFFIXES
