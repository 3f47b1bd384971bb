"""Translations of materials: starting one from the source's current version, finding the ones
whose source has moved on (stale), what changed in the source since, and marking one caught up.

Translating itself is a person's work; nothing here machine-translates or checks permissions.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.utils.safestring import SafeString

from commsdesk.materials import versions
from commsdesk.materials.models import Material

# A translation is stale when its source has a newer version than the one it was made from.
STALE = Q(translation_of__isnull=False, translation_of__version__gt=F("source_version"))


def stale(materials: QuerySet) -> QuerySet:
    return materials.filter(STALE)


def start(source: Material, *, language: str, title: str, author) -> Material:
    """A new draft in `language` tied to the source's current version, its body prefilled
    with the source text for the translator to write over."""
    translation = Material(
        team_id=source.team_id,
        kind=source.kind,
        title=title,
        body=source.body,
        language=language,
        tags=list(source.tags),
        topics=list(source.topics),
        audiences=list(source.audiences),
        public=source.public,
        owner=author,
        translation_of=source,
        source_version=source.version,
    )
    versions.save(
        translation, author=author, note=f"Translation started from version {source.version}"
    )
    return translation


def changes_since(translation: Material) -> SafeString | None:
    """The source's words from the version translated to its current one, as an escaped
    diff; None when the translation is up to date."""
    if not translation.is_stale_translation:
        return None
    source = translation.translation_of
    then = source.versions.filter(number=translation.source_version).first()
    now = source.versions.filter(number=source.version).first()
    old_text = f"{then.title}\n\n{then.body}" if then else ""
    new_text = f"{now.title}\n\n{now.body}" if now else f"{source.title}\n\n{source.body}"
    return versions.diff(old_text, new_text)


def mark_updated(translation: Material) -> None:
    """The translator has caught up with the source as it is now."""
    source = Material.objects.only("version").get(pk=translation.translation_of_id)
    translation.source_version = source.version
    translation.save(update_fields=["source_version", "updated_at"])
