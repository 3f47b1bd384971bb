"""A material's versions: saving an edit as a new numbered version, restoring an old one, and a
readable word-level diff between any two (diff-match-patch, escaped, as <ins>/<del>).

History is only ever appended to: a restore is a new version with old words. No rendering of
Markdown here, and no permission checks (the views ask `accounts.roles` first).
"""

from __future__ import annotations

import regex
from diff_match_patch import diff_match_patch
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from commsdesk.materials import workflow
from commsdesk.materials.models import Material, MaterialVersion

# Words, runs of spaces and single punctuation marks: the units a reader sees change.
# \X keeps a grapheme (an emoji with its modifiers, a letter with its accents) whole.
_TOKEN = regex.compile(r"[\p{L}\p{N}\p{M}_]+|\s+|\X")


class VersionConflict(Exception):
    """Someone saved a newer version while this edit was being written."""

    def __init__(self, current: int) -> None:
        self.current = current
        super().__init__(f"Version {current} was saved while you were editing.")


def save(
    material: Material,
    *,
    author,
    note: str = "",
    based_on: int | None = None,
) -> MaterialVersion | None:
    """Store `material` as the form left it. When its title or body differ from the newest
    version, a new version is recorded (and an approved material goes back to draft); returns
    that version, or None when only other fields changed. `based_on` is the version the editor
    started from: a newer one in the database raises VersionConflict and saves nothing."""
    with transaction.atomic():
        if material.pk is None:
            material.version = 0
            material.save()
            current = None
        else:
            locked = Material.objects.select_for_update().only("version").get(pk=material.pk)
            if based_on is not None and locked.version != based_on:
                raise VersionConflict(locked.version)
            material.version = locked.version
            current = material.versions.filter(number=material.version).first()
        changed = current is None or (current.title, current.body) != (
            material.title,
            material.body,
        )
        if not changed:
            material.save()
            return None
        if current is not None:
            workflow.after_edit(material)
        material.version += 1
        material.save()
        return MaterialVersion.objects.create(
            material=material,
            number=material.version,
            title=material.title,
            body=material.body,
            note=note[:300],
            author=author if getattr(author, "is_authenticated", False) else None,
        )


def restore(material: Material, number: int, *, author) -> MaterialVersion:
    """A new version carrying version `number`'s title and body; earlier ones stay as they were.
    Raises MaterialVersion.DoesNotExist for a number the material never had."""
    old = material.versions.get(number=number)
    material.title, material.body = old.title, old.body
    version = save(material, author=author, note=f"Restored version {number}")
    if version is None:  # the newest already reads like that: nothing to add to history
        return material.versions.get(number=material.version)
    return version


def diff(old: str, new: str) -> SafeString:
    """HTML showing what changed from `old` to `new`, word by word: removed words in <del>,
    added ones in <ins>, everything else as it was. All user text is escaped first."""
    parts = []
    for operation, text in _word_diff(old or "", new or ""):
        safe = escape(text)
        if operation == diff_match_patch.DIFF_INSERT:
            parts.append(f"<ins>{safe}</ins>")
        elif operation == diff_match_patch.DIFF_DELETE:
            parts.append(f"<del>{safe}</del>")
        else:
            parts.append(safe)
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped above


def _word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """diff-match-patch compares characters; to compare words it is given one private character
    per distinct word (its own linesToChars trick, with words instead of lines), then the
    result is decoded back into text."""
    engine = diff_match_patch()
    engine.Diff_Timeout = 2.0
    vocabulary: dict[str, str] = {}
    words: list[str] = []

    def encode(text: str) -> str:
        out = []
        for token in _TOKEN.findall(text):
            code = vocabulary.get(token)
            if code is None:
                words.append(token)
                # Plane 15+ private use, far from anything typed: room for 130k distinct tokens.
                code = vocabulary[token] = chr(0xF0000 + len(words) - 1)
            out.append(code)
        return "".join(out)

    encoded = engine.diff_main(encode(old), encode(new), False)
    engine.diff_cleanupSemantic(encoded)
    return [
        (operation, "".join(words[ord(code) - 0xF0000] for code in text))
        for operation, text in encoded
    ]
