"""Records for the press kit, press room and assistant tests, with only what a test cares about."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from commsdesk.materials.models import (
    Draft,
    KeyStatistic,
    Material,
    MaterialVersion,
    PressKit,
    PressKitFile,
    PressRoom,
    Status,
)


def material(team, title: str, *, body: str = "Text.", status=Status.APPROVED, **fields):
    made = Material.objects.create(
        team=team,
        title=title,
        body=body,
        status=status,
        version=1,
        kind=fields.pop("kind", "faq"),
        **fields,
    )
    MaterialVersion.objects.create(material=made, number=1, title=title, body=body)
    return made


def release(team, title: str, *, status=Status.APPROVED, days_ago: float | None = 1, **fields):
    published = timezone.now() - timedelta(days=days_ago) if days_ago is not None else None
    return Draft.objects.create(
        team=team,
        kind=fields.pop("kind", Draft.Kind.PRESS_RELEASE),
        title=title,
        status=status,
        published_at=published,
        **fields,
    )


def statistic(team, name: str, value: str, *, unit: str = "", status=Status.APPROVED, **fields):
    return KeyStatistic.objects.create(
        team=team,
        name=name,
        slug=fields.pop("slug", name.lower().replace(" ", "-")),
        value=Decimal(value),
        unit=unit,
        status=status,
        **fields,
    )


def kit(team, title: str = "Annual report 2026", *, status=Status.APPROVED, **fields):
    return PressKit.objects.create(
        team=team, title=title, slug=fields.pop("slug", "annual-report"), status=status, **fields
    )


def png_bytes(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), colour).save(out, "PNG")
    return out.getvalue()


def kit_file(press_kit, name: str, data: bytes, **fields) -> PressKitFile:
    import hashlib

    stored = PressKitFile(
        kit=press_kit, name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest(), **fields
    )
    stored.file.save("upload.bin", ContentFile(data), save=False)
    stored.save()
    return stored


def room(team, slug: str = "comms", *, enabled: bool = True, **fields) -> PressRoom:
    return PressRoom.objects.create(
        team=team,
        slug=slug,
        enabled=enabled,
        title=fields.pop("title", "Communications press room"),
        **fields,
    )
