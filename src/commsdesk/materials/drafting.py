"""What a new draft starts from (a template per kind, the team's approved boilerplate, the press
room's media contact, an inquiry's topic) and how a draft reads as one Markdown document, press
releases assembled in the standard order and closed with "###".

It records the one citation a new release starts with (its boilerplate); it does not save
drafts or check their numbers (see `citations`).
"""

from __future__ import annotations

from django.utils.text import slugify

from commsdesk.materials.models import (
    Citation,
    Draft,
    Material,
    MaterialVersion,
    PressRoom,
    Status,
)

# Where a cited text may sit in a draft: the parts a person writes (not the dateline, whose
# date and the media contact's phone number are not statistics).
TEXT_FIELDS = ("title", "subtitle", "lead", "body", "quotes", "boilerplate")

# "###" alone would be an empty Markdown heading; escaped, it reads as the release's end mark.
END_MARK = "\\###"

# A short outline per kind so nobody starts from a blank page.
BODY_TEMPLATES = {
    Draft.Kind.PRESS_RELEASE: "",
    Draft.Kind.BLOG_POST: (
        "Start with why this matters to the reader.\n\n"
        "## What happened\n\n\n## What it means\n\n\n## What comes next\n"
    ),
    Draft.Kind.MEDIA_RESPONSE: "Thank you for your questions.\n\n",
    Draft.Kind.SOCIAL_POST: "",
}


def approved_text(material: Material) -> tuple[int | None, str]:
    """The words of the approved version of a material and that version's number."""
    number = material.approved_version
    if number:
        version = MaterialVersion.objects.filter(material=material, number=number).first()
        if version is not None:
            return number, version.body.strip()
    return number or material.version or None, material.body.strip()


def boilerplate_for(team_id: int, language: str) -> Material | None:
    """The team's approved "About us", in the draft's language when there is one."""
    approved = Material.objects.filter(
        team_id=team_id, kind=Material.Kind.BOILERPLATE, status=Status.APPROVED
    )
    return (
        approved.filter(language=language).first()
        or approved.filter(language="en").first()
        or approved.first()
    )


def media_contact_for(team_id: int) -> str:
    room = PressRoom.objects.filter(team_id=team_id).first()
    if room is None:
        return ""
    parts = [room.contact_name, room.contact_email, room.contact_phone]
    return "\n".join(part for part in parts if part)


def initial(kind: str, team_id: int, *, language: str = "en", inquiry=None) -> dict:
    """The fields a new draft of this kind starts with."""
    values: dict = {"kind": kind, "language": language, "body": BODY_TEMPLATES.get(kind, "")}
    if kind == Draft.Kind.PRESS_RELEASE:
        material = boilerplate_for(team_id, language)
        if material is not None:
            values["boilerplate"] = approved_text(material)[1]
        values["media_contact"] = media_contact_for(team_id)
    if inquiry is not None:
        values["title"] = inquiry.topic
    if kind == Draft.Kind.SOCIAL_POST:
        values["networks"] = ["x", "mastodon", "bluesky"]
    return values


def cite_boilerplate(draft: Draft) -> Citation | None:
    """A release keeping the prefilled boilerplate cites it, so a newer approved "About us" is
    flagged by the stale checker."""
    if not draft.boilerplate.strip():
        return None
    material = boilerplate_for(draft.team_id, draft.language)
    if material is None:
        return None
    number, text = approved_text(material)
    if text != draft.boilerplate.strip():
        return None
    return Citation.objects.create(
        draft=draft, material=material, material_version=number, text=text
    )


def unique_slug(draft: Draft) -> str:
    """A slug from the title, unique among the team's drafts (for the press room's address)."""
    base = slugify(draft.title)[:180] or "release"
    taken = set(
        Draft.objects.filter(team_id=draft.team_id, slug__startswith=base)
        .exclude(pk=draft.pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def document(draft: Draft) -> str:
    """The whole draft as Markdown, as exported and previewed."""
    if draft.kind != Draft.Kind.PRESS_RELEASE:
        title = f"# {draft.title}\n\n" if draft.kind != Draft.Kind.SOCIAL_POST else ""
        return f"{title}{draft.body.strip()}\n"
    return press_release(draft)


def press_release(draft: Draft) -> str:
    """Headline, subtitle, dateline and lead, body, quotes, boilerplate, media contact, ###."""
    parts = [f"# {draft.title}"]
    if draft.subtitle.strip():
        parts.append(f"*{draft.subtitle.strip()}*")
    lead = draft.lead.strip()
    if draft.dateline.strip():
        lead = f"**{draft.dateline.strip()}** — {lead}" if lead else f"**{draft.dateline.strip()}**"
    if lead:
        parts.append(lead)
    for text in (draft.body, draft.quotes):
        if text.strip():
            parts.append(text.strip())
    if draft.boilerplate.strip():
        parts.append(f"## About us\n\n{draft.boilerplate.strip()}")
    if draft.media_contact.strip():
        contact = "  \n".join(line.strip() for line in draft.media_contact.strip().splitlines())
        parts.append(f"## Media contact\n\n{contact}")
    parts.append(END_MARK)
    return "\n\n".join(parts) + "\n"
