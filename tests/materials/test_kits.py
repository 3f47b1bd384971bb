"""Press kits for the team: who may see and change them, the workflow, file uploads (limits,
dangerous types, size and sha256), downloads through the app only, and the team's ZIP with its
manifest and safe names inside."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commsdesk.accounts.models import Membership
from commsdesk.materials.models import PressKit, PressKitFile, PressRoom, Status
from tests.materials.press_data import kit, kit_file, material, png_bytes, release
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def press_kit(team, member):
    return kit(team, status=Status.DRAFT, owner=member)


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _upload(client, press_kit, name: str, data: bytes, **fields):
    return client.post(
        reverse("materials:kit_file_add", args=[press_kit.pk]),
        {"file": SimpleUploadedFile(name, data), "kind": "image", **fields},
    )


# --- who may do what ----------------------------------------------------------------------------


def _team_pages(press_kit, stored):
    return [
        reverse("materials:kits"),
        reverse("materials:kit_new"),
        reverse("materials:kit", args=[press_kit.pk]),
        reverse("materials:kit_edit", args=[press_kit.pk]),
        reverse("materials:kit_zip", args=[press_kit.pk]),
        reverse("materials:kit_file", args=[press_kit.pk, stored.pk]),
        reverse("materials:press_room_settings"),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, press_kit):
    stored = kit_file(press_kit, "logo.png", png_bytes())
    for address in _team_pages(press_kit, stored):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("login")), address
    posted = client.post(reverse("materials:kit_step", args=[press_kit.pk]), {"step": "approve"})
    assert posted.status_code == 302
    press_kit.refresh_from_db()
    assert press_kit.status == Status.DRAFT


def test_another_teams_kit_is_not_found(client, outsider, press_kit):
    stored = kit_file(press_kit, "logo.png", png_bytes())
    client.force_login(outsider)
    for address in _team_pages(press_kit, stored)[2:6]:
        assert client.get(address).status_code == 404, address
    for name, args in [
        ("materials:kit_step", [press_kit.pk]),
        ("materials:kit_file_add", [press_kit.pk]),
        ("materials:kit_file_delete", [press_kit.pk, stored.pk]),
    ]:
        assert client.post(reverse(name, args=args), {"step": "approve"}).status_code == 404
    listing = client.get(reverse("materials:kits"))
    assert press_kit.title not in listing.content.decode()
    assert PressKitFile.objects.filter(pk=stored.pk).exists()


def test_a_file_of_another_kit_is_not_found_through_this_kit(member_client, team, press_kit):
    other = kit(team, "Other", slug="other")
    stored = kit_file(other, "secret.png", png_bytes())
    address = reverse("materials:kit_file", args=[press_kit.pk, stored.pk])
    assert member_client.get(address).status_code == 404


def test_a_viewer_reads_the_kit_but_cannot_change_it(team, press_kit):
    viewer = client_for(person_in(team, Membership.Role.VIEWER, "vic"))
    page = viewer.get(reverse("materials:kit", args=[press_kit.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Add a file" not in text and reverse("materials:kit_edit", args=[press_kit.pk]) not in text
    )
    assert viewer.get(reverse("materials:kit_edit", args=[press_kit.pk])).status_code == 403
    assert _upload(viewer, press_kit, "logo.png", png_bytes()).status_code == 403
    assert viewer.get(reverse("materials:kit_new")).status_code == 403
    assert viewer.get(reverse("materials:press_room_settings")).status_code == 403
    step = viewer.post(reverse("materials:kit_step", args=[press_kit.pk]), {"step": "submit"})
    assert step.status_code == 403
    press_kit.refresh_from_db()
    assert press_kit.status == Status.DRAFT


def test_a_volunteer_cannot_approve_a_kit(team, press_kit):
    volunteer = client_for(person_in(team, Membership.Role.VOLUNTEER, "val"))
    page = volunteer.get(reverse("materials:kit", args=[press_kit.pk]))
    assert 'value="approve"' not in page.content.decode()
    assert 'value="submit"' in page.content.decode()
    response = volunteer.post(
        reverse("materials:kit_step", args=[press_kit.pk]), {"step": "approve"}, follow=True
    )
    assert "Only staff" in response.content.decode()
    press_kit.refresh_from_db()
    assert press_kit.status == Status.DRAFT
    assert volunteer.get(reverse("materials:press_room_settings")).status_code == 403


def test_staff_approve_a_kit_and_the_approver_is_recorded(member_client, member, press_kit):
    member_client.post(reverse("materials:kit_step", args=[press_kit.pk]), {"step": "approve"})
    press_kit.refresh_from_db()
    assert press_kit.status == Status.APPROVED
    assert press_kit.approved_by == member


# --- making and editing kits ----------------------------------------------------------------


def test_a_kit_is_made_with_materials_and_releases_of_the_team(member_client, team, outsider):
    faq = material(team, "FAQ")
    news = release(team, "We did it")
    response = member_client.post(
        reverse("materials:kit_new"),
        {
            "title": "Launch kit",
            "slug": "",
            "language": "en",
            "description": "All about **the launch**.",
            "materials": [faq.pk],
            "releases": [news.pk],
        },
    )
    made = PressKit.objects.get(title="Launch kit")
    assert response.status_code == 302
    assert response["Location"] == reverse("materials:kit", args=[made.pk])
    assert made.slug == "launch-kit"
    assert made.team == team and made.status == Status.DRAFT
    assert list(made.materials.all()) == [faq] and list(made.releases.all()) == [news]
    page = member_client.get(response["Location"]).content.decode()
    assert "<strong>the launch</strong>" in page


def test_another_teams_material_cannot_be_put_in_a_kit(member_client, outsider):
    from commsdesk.accounts.models import Team

    theirs = material(Team.objects.get(slug="other"), "Their FAQ")
    response = member_client.post(
        reverse("materials:kit_new"),
        {"title": "Kit", "language": "en", "materials": [theirs.pk]},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not PressKit.objects.exists()


def test_a_slug_already_used_by_the_team_is_refused_with_the_title_kept(member_client, press_kit):
    response = member_client.post(
        reverse("materials:kit_new"),
        {"title": "Second annual report", "slug": press_kit.slug, "language": "en"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "already uses" in text and 'value="Second annual report"' in text
    assert PressKit.objects.count() == 1


def test_editing_an_approved_kit_makes_it_a_draft_again(member_client, team):
    approved = kit(team)
    response = member_client.post(
        reverse("materials:kit_edit", args=[approved.pk]),
        {"title": "Annual report 2026 (updated)", "slug": approved.slug, "language": "en"},
        follow=True,
    )
    approved.refresh_from_db()
    assert approved.title == "Annual report 2026 (updated)"
    assert approved.status == Status.DRAFT
    assert "draft again" in response.content.decode()


# --- files --------------------------------------------------------------------------------------


def test_an_uploaded_image_is_stored_with_its_size_and_sha256(member_client, press_kit, settings):
    data = png_bytes()
    response = _upload(
        member_client, press_kit, "Team photo.png", data, caption="The team", credit="CC BY 4.0"
    )
    assert response.status_code == 302
    stored = PressKitFile.objects.get(kit=press_kit)
    assert stored.name == "Team_photo.png"
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.credit == "CC BY 4.0"
    assert str(settings.MEDIA_ROOT) in stored.file.path
    download = member_client.get(reverse("materials:kit_file", args=[press_kit.pk, stored.pk]))
    assert b"".join(download.streaming_content) == data
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_file_over_the_size_limit_is_refused_with_a_clear_error(
    member_client, press_kit, settings
):
    settings.COMMSDESK_KIT_FILE_MAX_MB = 1
    response = _upload(member_client, press_kit, "big.pdf", b"%PDF-1.7\n" + b"0" * 1024 * 1024)
    assert response.status_code == 400
    assert "press kit files may be at most 1 MB" in response.content.decode()
    assert not PressKitFile.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "not a type a press kit may hold"),
        ("setup.exe", b"MZ\x90\x00", "not a type a press kit may hold"),
        ("report.pdf", b"MZ\x90\x00 a Windows program", "is a program"),
        ("run.pdf", b"#!/bin/sh\nrm -rf /", "is a program"),
        ("logo.svg", b"<svg><script>alert(1)</script></svg>", "contains scripts"),
        ("logo2.svg", b'<svg><rect onload="alert(1)"/></svg>', "contains scripts"),
        ("photo.png", b"this is not a picture", "not a readable image"),
    ],
)
def test_dangerous_or_fake_files_are_refused(member_client, press_kit, name, data, says):
    response = _upload(member_client, press_kit, name, data)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not PressKitFile.objects.exists()


def test_a_clean_svg_logo_is_accepted(member_client, press_kit):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'
    assert _upload(member_client, press_kit, "logo.svg", svg).status_code == 302
    assert PressKitFile.objects.get().name == "logo.svg"


def test_adding_a_file_to_an_approved_kit_needs_a_new_approval(member_client, team):
    approved = kit(team)
    _upload(member_client, approved, "logo.png", png_bytes())
    approved.refresh_from_db()
    assert approved.status == Status.DRAFT


def test_removing_a_file_deletes_it_from_storage(member_client, press_kit):
    stored = kit_file(press_kit, "logo.png", png_bytes())
    path = stored.file.path
    member_client.post(reverse("materials:kit_file_delete", args=[press_kit.pk, stored.pk]))
    assert not PressKitFile.objects.exists()
    import os

    assert not os.path.exists(path)


# --- the team's ZIP -----------------------------------------------------------------------------


def test_the_team_zip_holds_files_materials_releases_and_a_manifest(member_client, team):
    press_kit = kit(team, status=Status.DRAFT)
    logo = png_bytes("blue")
    kit_file(press_kit, "logo.png", logo, kind="logo", credit="© Us, CC BY-SA 4.0")
    faq = material(team, "Questions and answers", body="## Why?\n\nBecause.", language="es")
    draft_bio = material(team, "Our director", body="A bio.", status=Status.DRAFT, kind="bio")
    news = release(
        team, "We launch", dateline="BERLIN, 1 May", lead="Today we launch.", body="More."
    )
    press_kit.materials.add(faq, draft_bio)
    press_kit.releases.add(news)

    archive = _zip(member_client.get(reverse("materials:kit_zip", args=[press_kit.pk])))

    names = set(archive.namelist())
    assert names == {
        "files/logo.png",
        "materials/questions-and-answers-es.md",
        "materials/our-director-en.md",
        "releases/we-launch-en.md",
        "manifest.json",
        "MANIFEST.txt",
    }
    assert archive.read("files/logo.png") == logo
    assert (
        archive.read("materials/questions-and-answers-es.md")
        .decode()
        .startswith("# Questions and answers\n\n## Why?")
    )
    assert (
        "**BERLIN, 1 May** — Today we launch." in archive.read("releases/we-launch-en.md").decode()
    )
    manifest = json.loads(archive.read("manifest.json"))
    entries = {entry["path"]: entry for entry in manifest["entries"]}
    assert set(entries) == names - {"manifest.json", "MANIFEST.txt"}
    assert entries["files/logo.png"]["sha256"] == hashlib.sha256(logo).hexdigest()
    assert entries["files/logo.png"]["credit"] == "© Us, CC BY-SA 4.0"
    assert entries["materials/questions-and-answers-es.md"]["language"] == "es"
    assert entries["materials/questions-and-answers-es.md"]["version"] == "1"
    for path, entry in entries.items():
        assert entry["sha256"] == hashlib.sha256(archive.read(path)).hexdigest()
    readable = archive.read("MANIFEST.txt").decode()
    assert "Credit/licence: © Us, CC BY-SA 4.0" in readable
    assert hashlib.sha256(logo).hexdigest() in readable


def test_names_inside_the_zip_cannot_escape_its_folder(member_client, team):
    press_kit = kit(team)
    for name in [
        "../../etc/passwd.png",
        "/etc/shadow.png",
        "..\\..\\boot.ini.png",
        "..",
        "logo.png",
        "logo.png",
    ]:
        kit_file(press_kit, name, png_bytes())
    press_kit.materials.add(material(team, "../../../evil"))

    archive = _zip(member_client.get(reverse("materials:kit_zip", args=[press_kit.pk])))

    names = archive.namelist()
    assert len(names) == len(set(names)) == 9
    for name in names:
        assert not name.startswith("/") and "\\" not in name
        assert ".." not in name.split("/"), name
    assert "files/logo.png" in names and "files/logo-2.png" in names
    assert "files/passwd.png" in names


def test_the_kit_page_says_what_will_be_public(member_client, team):
    press_kit = kit(team)
    PressRoom.objects.create(team=team, slug="comms", enabled=True, title="Press")
    press_kit.materials.add(
        material(team, "Approved FAQ"), material(team, "Draft FAQ", status=Status.DRAFT)
    )
    page = member_client.get(reverse("materials:kit", args=[press_kit.pk])).content.decode()
    assert page.count("in the public ZIP") == 1
    assert "Draft: team only" in page
    assert reverse("press:kit_zip", args=["comms", press_kit.slug]) in page
    assert "with the assistant" not in page  # the assistant is not configured here
