"""Materials written the way the library writes them (through `versions.save`), for the
library, versions, translations and reminder tests."""

from __future__ import annotations

from commsdesk.materials import versions
from commsdesk.materials.models import Material


def write(team, author, *, title="Our mission", body="We share free knowledge.", **fields):
    fields.setdefault("kind", Material.Kind.TALKING_POINTS)
    fields.setdefault("owner", author)
    material = Material(team=team, title=title, body=body, **fields)
    versions.save(material, author=author, note="Written")
    return material


def edit(material, author, *, body=None, title=None, note=""):
    if body is not None:
        material.body = body
    if title is not None:
        material.title = title
    return versions.save(material, author=author, note=note)
