"""The public press room, seen as an anonymous visitor: only approved, published records of the
room's own team, in a room that is switched on; the same for release pages, the RSS feed, kit
ZIPs and kit files. Plus the settings page staff use to switch it on."""

from __future__ import annotations

import io
import json
import zipfile
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from commsdesk.accounts.models import Membership, Team
from commsdesk.materials.models import PressRoom, Status
from tests.materials.press_data import kit, kit_file, material, png_bytes, release, room
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="Another team", slug="other")


@pytest.fixture
def newsroom(team, other_team):
    """A room with one visible record of each sort and every sort of record that must not show."""
    press_room = room(
        team,
        intro="Welcome, **journalists**.",
        contact_name="Ana Press",
        contact_email="press@example.org",
        contact_phone="+1 555 0100",
    )
    release(team, "Visible release", slug="visible", lead="The lead.", body="The body.")
    release(team, "Older release", slug="older", days_ago=10)
    release(team, "Draft release", slug="draft", status=Status.DRAFT)
    release(team, "In review release", slug="review", status=Status.IN_REVIEW)
    release(team, "Retired release", slug="retired", status=Status.RETIRED)
    release(team, "Unpublished release", slug="unpublished", days_ago=None)
    release(team, "Future release", slug="future", days_ago=-1)
    release(team, "Approved blog post", slug="blog", kind="blog_post")
    release(other_team, "Other team release", slug="other-team")
    material(team, "About us", kind="boilerplate", public=True, body="We are **us**.")
    material(team, "Internal talking points", kind="talking_points", public=False)
    material(team, "Talking points ticked public", kind="talking_points", public=True)
    material(team, "Draft bio", kind="bio", public=True, status=Status.DRAFT)
    material(team, "Retired fact sheet", kind="fact_sheet", public=True, status=Status.RETIRED)
    material(other_team, "Other team boilerplate", kind="boilerplate", public=True)
    kit(team, "Visible kit", slug="visible-kit")
    kit(team, "Draft kit", slug="draft-kit", status=Status.DRAFT)
    kit(other_team, "Other team kit", slug="other-kit")
    return press_room


HIDDEN = [
    "Draft release",
    "In review release",
    "Retired release",
    "Unpublished release",
    "Future release",
    "Approved blog post",
    "Other team release",
    "Internal talking points",
    "Talking points ticked public",
    "Draft bio",
    "Retired fact sheet",
    "Other team boilerplate",
    "Draft kit",
    "Other team kit",
]


def test_the_room_shows_only_approved_published_records_of_its_team(client, newsroom):
    response = client.get(reverse("press:room", args=["comms"]))
    assert response.status_code == 200
    page = response.content.decode()
    for title in ["Visible release", "Older release", "About us", "Visible kit"]:
        assert title in page
    for title in HIDDEN:
        assert title not in page, title
    assert page.index("Visible release") < page.index("Older release")  # newest first
    assert "Welcome, <strong>journalists</strong>." in page
    assert "We are <strong>us</strong>." in page
    assert "press@example.org" in page and "+1 555 0100" in page


def test_the_room_has_no_app_navigation_and_no_forms(client, newsroom):
    page = client.get(reverse("press:room", args=["comms"])).content.decode()
    assert "<form" not in page and "csrf" not in page.lower()
    assert reverse("materials:library") not in page and "Log out" not in page
    assert 'type="application/rss+xml"' in page


def test_a_disabled_or_unknown_room_is_not_found(client, team):
    room(team, enabled=False)
    release(team, "Visible release", slug="visible")
    kit(team, "Kit", slug="kit")
    for address in [
        reverse("press:room", args=["comms"]),
        reverse("press:feed", args=["comms"]),
        reverse("press:release", args=["comms", "visible"]),
        reverse("press:kit_zip", args=["comms", "kit"]),
        reverse("press:room", args=["nobody"]),
    ]:
        assert client.get(address).status_code == 404, address


def test_each_visible_release_has_its_page(client, newsroom):
    response = client.get(reverse("press:release", args=["comms", "visible"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Visible release" in page and "<p>The lead.</p>" in page and "<p>The body.</p>" in page
    assert "press@example.org" in page


@pytest.mark.parametrize(
    "slug", ["draft", "review", "retired", "unpublished", "future", "blog", "other-team"]
)
def test_a_hidden_release_has_no_page(client, newsroom, slug):
    assert client.get(reverse("press:release", args=["comms", slug])).status_code == 404


def test_the_other_teams_room_does_not_show_this_teams_records(client, newsroom, other_team):
    room(other_team, "other", title="Other press room")
    page = client.get(reverse("press:room", args=["other"])).content.decode()
    assert "Other team release" in page and "Visible release" not in page
    assert client.get(reverse("press:release", args=["other", "visible"])).status_code == 404
    assert client.get(reverse("press:kit_zip", args=["other", "visible-kit"])).status_code == 404


def test_a_release_without_a_slug_is_found_by_its_number(client, team):
    room(team)
    unnamed = release(team, "No slug")
    address = reverse("press:release", args=["comms", f"release-{unnamed.pk}"])
    assert client.get(address).status_code == 200
    assert (
        f"release-{unnamed.pk}"
        in client.get(reverse("press:room", args=["comms"])).content.decode()
    )


def test_the_language_switcher_narrows_the_room(client, team):
    room(team)
    release(team, "English release", slug="news", language="en")
    release(team, "Nota de prensa", slug="news", language="es")
    material(team, "Sobre nosotros", kind="boilerplate", public=True, language="es")
    page = client.get(reverse("press:room", args=["comms"])).content.decode()
    assert "English release" in page and "Nota de prensa" in page
    assert 'href="?lang=es"' in page and "español" in page
    spanish = client.get(reverse("press:room", args=["comms"]), {"lang": "es"}).content.decode()
    assert "Nota de prensa" in spanish and "Sobre nosotros" in spanish
    assert "English release" not in spanish
    release_page = client.get(reverse("press:release", args=["comms", "news"]), {"lang": "es"})
    assert "Nota de prensa" in release_page.content.decode()
    assert '<html lang="es">' in release_page.content.decode()
    assert 'href="?lang=en"' in release_page.content.decode()


def test_unsafe_markdown_in_the_room_is_made_harmless(client, team):
    room(
        team,
        intro="<script>alert(1)</script>\n\n[a link](javascript:alert(2))\n\n"
        '<img src=x onerror="alert(3)"> <a href="javascript:alert(4)">b</a>',
    )
    page = client.get(reverse("press:room", args=["comms"])).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page and "onerror" not in page
    assert "a link" in page


# --- the feed -----------------------------------------------------------------------------------


def test_the_feed_lists_only_visible_releases_newest_first(client, newsroom):
    response = client.get(reverse("press:feed", args=["comms"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Communications press room"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Visible release", "Older release"]
    first = items[0]
    assert first.findtext("link").endswith(
        reverse("press:release", args=["comms", "visible"]) + "?lang=en"
    )
    assert "<p>The lead.</p>" in first.findtext("description")
    assert first.findtext("pubDate")
    text = response.content.decode()
    for title in HIDDEN:
        assert title not in text, title


def test_the_feed_can_be_narrowed_to_one_language(client, team):
    room(team)
    release(team, "English release", language="en")
    release(team, "Nota de prensa", language="es")
    response = client.get(reverse("press:feed", args=["comms"]), {"lang": "es"})
    titles = [i.findtext("title") for i in ElementTree.fromstring(response.content).iter("item")]
    assert titles == ["Nota de prensa"]


# --- kit ZIPs and files -------------------------------------------------------------------------


def _public_zip(client, kit_slug: str) -> zipfile.ZipFile:
    response = client.get(reverse("press:kit_zip", args=["comms", kit_slug]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_public_zip_holds_only_approved_materials_and_published_releases(client, team):
    room(team)
    press_kit = kit(team, slug="launch")
    kit_file(press_kit, "logo.png", png_bytes(), kind="logo", credit="CC0")
    press_kit.materials.add(
        material(team, "Approved FAQ"),
        material(team, "Draft FAQ", status=Status.DRAFT),
        material(team, "Retired FAQ", status=Status.RETIRED),
    )
    press_kit.releases.add(
        release(team, "Published", slug="published"),
        release(team, "Future", slug="future", days_ago=-2),
        release(team, "Unapproved", slug="unapproved", status=Status.IN_REVIEW),
    )
    archive = _public_zip(client, "launch")
    assert set(archive.namelist()) == {
        "files/logo.png",
        "materials/approved-faq-en.md",
        "releases/published-en.md",
        "manifest.json",
        "MANIFEST.txt",
    }
    manifest = json.loads(archive.read("manifest.json"))
    assert {entry["title"] for entry in manifest["entries"]} == {
        "logo.png",
        "Approved FAQ",
        "Published",
    }
    for hidden in ["Draft FAQ", "Retired FAQ", "Future", "Unapproved"]:
        assert hidden not in archive.read("MANIFEST.txt").decode()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.RETIRED])
def test_an_unapproved_kit_cannot_be_downloaded(client, team, status):
    room(team)
    press_kit = kit(team, slug="launch", status=status)
    stored = kit_file(press_kit, "logo.png", png_bytes())
    assert client.get(reverse("press:kit_zip", args=["comms", "launch"])).status_code == 404
    address = reverse("press:kit_file", args=["comms", "launch", stored.pk])
    assert client.get(address).status_code == 404


def test_a_file_of_an_approved_kit_downloads_as_an_attachment(client, team):
    room(team)
    press_kit = kit(team, slug="launch")
    data = png_bytes()
    stored = kit_file(press_kit, "logo.png", data)
    response = client.get(reverse("press:kit_file", args=["comms", "launch", stored.pk]))
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"].startswith("attachment")
    other_kit = kit(team, "Draft", slug="draft", status=Status.DRAFT)
    hidden = kit_file(other_kit, "secret.png", data)
    address = reverse("press:kit_file", args=["comms", "launch", hidden.pk])
    assert client.get(address).status_code == 404


def test_uploaded_files_are_not_served_as_a_public_directory(client, team, settings):
    room(team)
    stored = kit_file(kit(team, slug="launch"), "logo.png", png_bytes())
    assert client.get(f"/{settings.MEDIA_URL}{stored.file.name}").status_code == 404


# --- settings -----------------------------------------------------------------------------------


def test_staff_switch_the_room_on_and_it_becomes_public(member_client, client, team):
    page = member_client.get(reverse("materials:press_room_settings"))
    assert page.status_code == 200
    response = member_client.post(
        reverse("materials:press_room_settings"),
        {
            "enabled": "on",
            "slug": "wikimedia",
            "title": "Wikimedia press room",
            "intro": "Hello.",
            "contact_name": "Press team",
            "contact_email": "press@example.org",
            "contact_phone": "",
        },
    )
    assert response.status_code == 302
    saved = PressRoom.objects.get(team=team)
    assert saved.enabled and saved.slug == "wikimedia"
    assert client.get(reverse("press:room", args=["wikimedia"])).status_code == 200


def test_a_taken_address_or_bad_email_is_refused_and_what_was_typed_kept(member_client, other_team):
    room(other_team, "taken")
    response = member_client.post(
        reverse("materials:press_room_settings"),
        {"slug": "taken", "title": "Our room", "contact_email": "not-an-email"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "already exists" in text and "Enter a valid email address" in text
    assert 'value="Our room"' in text


def test_a_volunteer_cannot_change_the_press_room(team):
    volunteer = client_for(person_in(team, Membership.Role.VOLUNTEER, "val"))
    response = volunteer.post(
        reverse("materials:press_room_settings"), {"enabled": "on", "slug": "x", "title": "X"}
    )
    assert response.status_code == 403
    assert not PressRoom.objects.exists()


def test_pictures_are_previewed_in_the_room_but_svg_and_documents_only_download(client, team):
    room(team)
    press_kit = kit(team, slug="launch")
    photo = kit_file(press_kit, "photo.png", png_bytes(), caption="Our office")
    logo = kit_file(press_kit, "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    page = client.get(reverse("press:room", args=["comms"])).content.decode()
    photo_address = reverse("press:kit_file", args=["comms", "launch", photo.pk])
    logo_address = reverse("press:kit_file", args=["comms", "launch", logo.pk])
    assert f'<img src="{photo_address}?preview" alt="Our office"' in page
    assert f'src="{logo_address}?preview"' not in page
    shown = client.get(photo_address, {"preview": ""})
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["Content-Type"] == "image/png"
    forced = client.get(logo_address, {"preview": ""})
    assert forced["Content-Disposition"].startswith("attachment")
    assert forced["Content-Security-Policy"].startswith("sandbox")
