"""Records marked sensitive (embargoed releases, crisis holding statements, contacts) are seen
only by the roles of COMMSDESK_SENSITIVE_ROLES: in lists, pages, exports, searches, kit ZIPs and
the drafting tools alike; the public press room never shows them."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from commsdesk.materials.models import Draft, Material, Status
from commsdesk.relations.models import Journalist, MediaList, MediaListMember
from tests.materials.press_data import kit, material, release, room
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def records(team):
    """One sensitive and one ordinary record of each kind."""
    return {
        "statement": material(
            team, "Crisis holding statement", kind="holding_statement", sensitive=True
        ),
        "faq": material(team, "Ordinary FAQ", kind="faq"),
        "embargoed": release(team, "Embargoed release", slug="embargoed", sensitive=True),
        "release": release(team, "Open release", slug="open"),
        "source": Journalist.objects.create(team=team, name="Confidential Source", sensitive=True),
        "reporter": Journalist.objects.create(team=team, name="Ordinary Reporter"),
    }


@pytest.fixture
def volunteer(team):
    return client_for(person_in(team, "volunteer", "vera"))


@pytest.fixture
def viewer(team):
    return client_for(person_in(team, "viewer", "victor"))


def test_only_the_named_roles_see_sensitive_records(team, member, records, settings):
    volunteer = person_in(team, "volunteer", "vera")
    viewer = person_in(team, "viewer", "victor")
    for model in (Material, Draft, Journalist):
        assert model.objects.visible_to(member).filter(sensitive=True).exists()
        assert not model.objects.visible_to(volunteer).filter(sensitive=True).exists()
        assert not model.objects.visible_to(viewer).filter(sensitive=True).exists()
        assert model.objects.visible_to(volunteer).filter(sensitive=False).exists()
    settings.COMMSDESK_SENSITIVE_ROLES = ["admin", "editor", "viewer"]
    assert Material.objects.visible_to(viewer).filter(sensitive=True).exists()


def test_the_team_scope_itself_hides_sensitive_records(team, records):
    """for_team is the same check, so a view written the old way cannot leak them."""
    volunteer = person_in(team, "volunteer", "vera")
    assert not Material.objects.for_team(volunteer).filter(sensitive=True).exists()


def test_sensitive_records_of_one_team_stay_hidden_from_an_editor_of_another(team, outsider):
    material(team, "Crisis holding statement", sensitive=True)
    assert not Material.objects.visible_to(outsider).exists()


def test_a_volunteer_does_not_find_sensitive_materials_in_the_library(volunteer, records):
    page = volunteer.get(reverse("materials:library")).content.decode()
    assert "Ordinary FAQ" in page and "Crisis holding statement" not in page
    searched = volunteer.get(reverse("materials:library"), {"q": "holding"}).content.decode()
    assert "Crisis holding statement" not in searched
    for name in ("material", "material_history", "material_edit"):
        url = reverse(f"materials:{name}", args=[records["statement"].pk])
        assert volunteer.get(url).status_code == 404, name


def test_staff_see_sensitive_records_with_a_pill(member_client, records):
    page = member_client.get(reverse("materials:library")).content.decode()
    assert "Crisis holding statement" in page and 'class="pill sensitive"' in page
    drafts = member_client.get(reverse("materials:drafts")).content.decode()
    assert "Embargoed release" in drafts and 'class="pill sensitive"' in drafts
    contacts = member_client.get(reverse("relations:journalists")).content.decode()
    assert "Confidential Source" in contacts and 'class="pill sensitive"' in contacts


def test_a_viewer_does_not_see_embargoed_drafts_nor_export_them(viewer, records):
    page = viewer.get(reverse("materials:drafts")).content.decode()
    assert "Open release" in page and "Embargoed release" not in page
    pk = records["embargoed"].pk
    assert viewer.get(reverse("materials:draft", args=[pk])).status_code == 404
    assert viewer.get(reverse("materials:draft_export", args=[pk, "md"])).status_code == 404


def test_a_volunteer_does_not_see_sensitive_contacts_in_lists_pages_or_exports(
    volunteer, team, records
):
    page = volunteer.get(reverse("relations:journalists")).content.decode()
    assert "Ordinary Reporter" in page and "Confidential Source" not in page
    url = reverse("relations:journalist", args=[records["source"].pk])
    assert volunteer.get(url).status_code == 404
    for fmt in ("csv", "vcf"):
        response = volunteer.get(reverse("relations:journalist_export", args=[fmt]))
        exported = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Ordinary Reporter" in exported and b"Confidential Source" not in exported, fmt


def test_a_media_list_hides_its_sensitive_members_from_a_volunteer(volunteer, team, records):
    media_list = MediaList.objects.create(team=team, name="Science desk")
    for who in ("source", "reporter"):
        MediaListMember.objects.create(media_list=media_list, journalist=records[who])
    page = volunteer.get(reverse("relations:media_list", args=[media_list.pk])).content.decode()
    assert "Ordinary Reporter" in page and "Confidential Source" not in page
    response = volunteer.get(reverse("relations:media_list_export", args=[media_list.pk]))
    exported = b"".join(response.streaming_content).decode()
    assert "Ordinary Reporter" in exported and "Confidential Source" not in exported


def test_the_press_room_never_shows_a_sensitive_release_even_approved(client, team, records):
    room(team)
    material(team, "Secret boilerplate", kind="boilerplate", public=True, sensitive=True)
    page = client.get(reverse("press:room", args=["comms"])).content.decode()
    assert "Open release" in page
    assert "Embargoed release" not in page and "Secret boilerplate" not in page
    hidden = reverse("press:release", args=["comms", "embargoed"])
    assert client.get(hidden).status_code == 404
    feed = client.get(reverse("press:feed", args=["comms"])).content.decode()
    assert "Embargoed release" not in feed


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_kit_zips_leave_out_what_the_reader_may_not_see(client, volunteer, team, records):
    room(team)
    press_kit = kit(team, slug="launch")
    press_kit.materials.add(records["statement"], records["faq"])
    press_kit.releases.add(records["embargoed"], records["release"])
    public = _zip(client.get(reverse("press:kit_zip", args=["comms", "launch"])))
    team_zip = _zip(volunteer.get(reverse("materials:kit_zip", args=[press_kit.pk])))
    for archive in (public, team_zip):
        manifest = archive.read("MANIFEST.txt").decode()
        assert "Ordinary FAQ" in manifest and "Open release" in manifest
        assert "Crisis holding statement" not in manifest
        assert "Embargoed release" not in manifest


def test_a_volunteer_cannot_insert_a_sensitive_material_into_a_draft(volunteer, team):
    material(team, "Crisis holding statement", sensitive=True, status=Status.APPROVED)
    material(team, "Ordinary FAQ", status=Status.APPROVED)
    found = volunteer.get(reverse("materials:draft_sources"), {"q": "a"}).content.decode()
    assert "Ordinary FAQ" in found and "Crisis holding statement" not in found


def test_only_staff_get_the_sensitive_checkbox_and_it_is_saved(
    member_client, volunteer, team, records
):
    url = reverse("materials:material_edit", args=[records["faq"].pk])
    assert 'name="sensitive"' in member_client.get(url).content.decode()
    assert 'name="sensitive"' not in volunteer.get(url).content.decode()
    contact_url = reverse("relations:journalist_new")
    assert 'name="sensitive"' in member_client.get(contact_url).content.decode()
    assert 'name="sensitive"' not in volunteer.get(contact_url).content.decode()

    form = {
        "kind": "faq",
        "title": "Ordinary FAQ",
        "language": "en",
        "body": "## Q\nA.",
        "based_on": 1,
        "sensitive": "on",
    }
    volunteer.post(url, form)
    saved = Material.objects.get(pk=records["faq"].pk)
    assert not saved.sensitive  # the box is ignored
    response = member_client.post(url, {**form, "based_on": saved.version})
    assert response.status_code == 302
    assert Material.objects.get(pk=records["faq"].pk).sensitive


def test_a_volunteer_cannot_reach_a_sensitive_draft_and_staff_can_clear_the_flag(
    team, volunteer, member_client
):
    draft = release(team, "Embargoed release", slug="e", sensitive=True, status=Status.DRAFT)
    url = reverse("materials:draft_edit", args=[draft.pk])
    assert volunteer.post(url, {"title": "Changed", "language": "en"}).status_code == 404
    assert Draft.objects.get(pk=draft.pk).sensitive and draft.title == "Embargoed release"
    response = member_client.post(url, {"title": "Embargoed release", "language": "en"})
    assert response.status_code == 302
    assert Draft.objects.get(pk=draft.pk).sensitive is False  # the box left unticked


def test_an_unknown_role_in_the_setting_stops_the_start():
    from tests.accounts.test_sign_in_security import deploy_check

    result = deploy_check(COMMSDESK_SENSITIVE_ROLES="admin,boss")
    assert result.returncode != 0
    assert "COMMSDESK_SENSITIVE_ROLES" in result.stderr and "boss" in result.stderr
