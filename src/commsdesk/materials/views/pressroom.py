"""The public press room (no login): approved, published press releases with a page each and an
RSS feed, approved press kits as ZIPs, approved public materials and the media contacts.

Every query here starts from `visible_*`, which is the one definition of "public": approved,
published (not in the future), of this room's team, in a room that is switched on.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.views.decorators.http import require_safe

from commsdesk.materials import kit_archive
from commsdesk.materials.markdown import render as markdown
from commsdesk.materials.models import Draft, Material, PressKit, PressKitFile, PressRoom, Status
from commsdesk.materials.views.kits import attachment

FEED_ITEMS = 50
# The kinds of material made for journalists, in the order shown: who we are first, then facts,
# then people. Talking points, key messages, briefings and holding statements are internal
# even when someone ticks "public" on them.
PUBLIC_KINDS = (
    Material.Kind.BOILERPLATE,
    Material.Kind.FACT_SHEET,
    Material.Kind.FAQ,
    Material.Kind.BIO,
)


def open_room(slug: str) -> PressRoom:
    """The room, or a 404 when it is unknown or switched off (the same answer for both)."""
    return get_object_or_404(PressRoom.objects.select_related("team"), slug=slug, enabled=True)


def visible_releases(room: PressRoom) -> QuerySet[Draft]:
    """An embargoed release appears at the embargo's instant, whatever its publish time says;
    a sensitive one never does, even once approved."""
    now = timezone.now()
    return (
        Draft.objects.filter(
            team_id=room.team_id,
            kind=Draft.Kind.PRESS_RELEASE,
            status=Status.APPROVED,
            published_at__lte=now,
            sensitive=False,
        )
        .filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
        .order_by("-published_at", "-id")
    )


def visible_kits(room: PressRoom) -> QuerySet[PressKit]:
    return PressKit.objects.filter(team_id=room.team_id, status=Status.APPROVED)


def visible_materials(room: PressRoom) -> QuerySet[Material]:
    return Material.objects.filter(
        team_id=room.team_id,
        status=Status.APPROVED,
        public=True,
        kind__in=PUBLIC_KINDS,
        sensitive=False,
    )


def release_slug(release: Draft) -> str:
    """Its address in the room; a release saved without a slug is found by its number."""
    return release.slug or f"release-{release.pk}"


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def _languages(room: PressRoom) -> list[tuple[str, str]]:
    codes = (
        set(visible_releases(room).values_list("language", flat=True))
        | set(visible_kits(room).values_list("language", flat=True))
        | set(visible_materials(room).values_list("language", flat=True))
    )
    return [(code, language_name(code)) for code in sorted(codes)]


@require_safe
def room(request: HttpRequest, slug: str) -> HttpResponse:
    press_room = open_room(slug)
    languages = _languages(press_room)
    lang = request.GET.get("lang", "")
    lang = lang if lang in dict(languages) else ""
    releases, kits, materials = (
        visible_releases(press_room),
        visible_kits(press_room).prefetch_related("files"),
        visible_materials(press_room),
    )
    if lang:
        releases, kits, materials = (q.filter(language=lang) for q in (releases, kits, materials))
    context = {
        "room": press_room,
        "lang": lang,
        "languages": languages,
        "releases": [(r, release_slug(r)) for r in releases[:100]],
        "kits": kits,
        "sections": _sections(materials),
    }
    return render(request, "materials/press/room.html", context)


def _sections(materials: QuerySet[Material]) -> list[tuple[str, list[Material]]]:
    by_kind: dict[str, list[Material]] = {}
    for material in materials.order_by("title"):
        by_kind.setdefault(material.kind, []).append(material)
    return [(Material.Kind(kind).label, by_kind[kind]) for kind in PUBLIC_KINDS if kind in by_kind]


@require_safe
def release(request: HttpRequest, slug: str, release_slug: str) -> HttpResponse:
    press_room = open_room(slug)
    found = _find_release(press_room, release_slug, request.GET.get("lang", ""))
    others = (
        visible_releases(press_room).filter(slug=found.slug).exclude(pk=found.pk)
        if found.slug
        else Draft.objects.none()
    )
    context = {
        "room": press_room,
        "release": found,
        "translations": [(r.language, language_name(r.language)) for r in others],
    }
    return render(request, "materials/press/release.html", context)


def _find_release(press_room: PressRoom, wanted: str, lang: str) -> Draft:
    releases = visible_releases(press_room)
    matches = list(releases.filter(slug=wanted))
    if not matches and wanted.startswith("release-") and wanted[8:].isdigit():
        matches = list(releases.filter(slug="", pk=int(wanted[8:])))
    if not matches:
        raise Http404("No such press release.")
    return next((r for r in matches if r.language == lang), matches[0])


def _public_kit(slug: str, kit_slug: str) -> PressKit:
    return get_object_or_404(visible_kits(open_room(slug)), slug=kit_slug)


@require_safe
def kit_zip(request: HttpRequest, slug: str, kit_slug: str) -> FileResponse:
    kit = _public_kit(slug, kit_slug)
    return FileResponse(
        kit_archive.build(kit, public=True),
        as_attachment=True,
        filename=kit_archive.zip_name(kit),
        content_type="application/zip",
    )


@require_safe
def kit_file(request: HttpRequest, slug: str, kit_slug: str, file_pk: int) -> FileResponse:
    kit = _public_kit(slug, kit_slug)
    stored = get_object_or_404(PressKitFile, kit=kit, pk=file_pk)
    return attachment(stored, preview="preview" in request.GET)


class ReleaseFeed(Feed):
    """RSS 2.0 of the room's published releases, newest first (`?lang=` narrows it)."""

    def get_object(self, request: HttpRequest, slug: str) -> PressRoom:
        press_room = open_room(slug)
        press_room.feed_language = request.GET.get("lang", "")
        return press_room

    def title(self, obj: PressRoom) -> str:
        return obj.title

    def link(self, obj: PressRoom) -> str:
        return reverse("press:room", args=[obj.slug])

    def description(self, obj: PressRoom) -> str:
        return f"Press releases from {obj.team.name}"

    def items(self, obj: PressRoom):
        releases = visible_releases(obj)
        if obj.feed_language:
            releases = releases.filter(language=obj.feed_language)
        return releases.select_related("team__press_room")[:FEED_ITEMS]

    def item_title(self, item: Draft) -> str:
        return item.title

    def item_description(self, item: Draft) -> str:
        return str(markdown("\n\n".join(p for p in (item.lead, item.body) if p)))

    def item_link(self, item: Draft) -> str:
        url = reverse("press:release", args=[item.team.press_room.slug, release_slug(item)])
        return f"{url}?lang={item.language}"

    def item_pubdate(self, item: Draft):
        return item.published_at

    def item_guid(self, item: Draft) -> str:
        return f"commsdesk-release-{item.pk}"

    item_guid_is_permalink = False
