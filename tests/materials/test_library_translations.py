"""Translations: made from a version of the source, flagged stale when the source moves on
(with what changed), fresh again once the translator marks it updated."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commsdesk.accounts.models import Membership
from commsdesk.materials.models import Material
from tests.materials.library_fixtures import edit, write
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(team, member):
    return write(
        team, member, title="Key messages", body="We have 60 million articles.", tags=["growth"]
    )


def _translate(client, source, language="es", title="Mensajes clave") -> Material:
    response = client.post(
        reverse("materials:material_translate", args=[source.pk]),
        {"language": language, "title": title},
    )
    assert response.status_code == 302
    translation = Material.objects.get(translation_of=source, language=language)
    assert response["Location"] == reverse("materials:material_edit", args=[translation.pk])
    return translation


def test_a_translation_starts_from_the_sources_current_version(member_client, source, member):
    edit(source, member, body="We have 65 million articles.")
    translation = _translate(member_client, source)
    assert (translation.source_version, translation.version) == (2, 1)
    assert translation.body == "We have 65 million articles."
    assert (translation.kind, translation.tags, translation.title) == (
        source.kind,
        ["growth"],
        "Mensajes clave",
    )
    assert translation.owner == member
    assert not translation.is_stale_translation
    listing = member_client.get(reverse("materials:library")).content.decode()
    assert "also in es" in listing


def test_the_translation_is_stale_after_the_source_changes_and_shows_what_changed(
    member_client, source, member
):
    translation = _translate(member_client, source)
    edit(source, member, body="We have 65 million articles.")

    page = member_client.get(reverse("materials:material", args=[translation.pk]))
    html = page.content.decode()
    assert 'class="pill stale"' in html
    changes = html.split('id="source-changes"')[1].split("</div>")[0]
    assert "<del>60</del><ins>65</ins>" in changes

    listing = member_client.get(reverse("materials:library") + "?stale=on")
    assert [m.title for m in listing.context["materials"]] == ["Mensajes clave"]
    assert listing.context["counts"]["stale"] == 1

    on_source = member_client.get(reverse("materials:material", args=[source.pk])).content
    assert b'title="Made from version 1">stale</span>' in on_source


def test_mark_as_updated_makes_it_fresh_until_the_source_changes_again(
    member_client, source, member
):
    translation = _translate(member_client, source)
    edit(source, member, body="We have 65 million articles.")

    member_client.post(reverse("materials:material_caught_up", args=[translation.pk]))
    translation.refresh_from_db()
    assert translation.source_version == 2
    assert not translation.is_stale_translation
    listing = member_client.get(reverse("materials:library") + "?stale=on")
    assert list(listing.context["materials"]) == []

    edit(source, member, body="We have 66 million articles.")
    translation.refresh_from_db()
    assert translation.is_stale_translation


def test_changing_only_the_sources_tags_does_not_make_translations_stale(
    member_client, source, member
):
    translation = _translate(member_client, source)
    source.tags = ["growth", "2026"]
    edit(source, member)
    translation.refresh_from_db()
    assert not translation.is_stale_translation


def test_a_viewer_cannot_translate_or_mark_updated(team, member_client, source, member):
    translation = _translate(member_client, source)
    edit(source, member, body="Changed.")
    viewer = client_for(person_in(team, Membership.Role.VIEWER, "vic"))
    translate_url = reverse("materials:material_translate", args=[source.pk])
    assert viewer.post(translate_url, {"language": "fr", "title": "x"}).status_code == 403
    caught_up = reverse("materials:material_caught_up", args=[translation.pk])
    assert viewer.post(caught_up).status_code == 403
    translation.refresh_from_db()
    assert translation.source_version == 1
    page = viewer.get(reverse("materials:material", args=[translation.pk])).content
    assert b"Mark as updated" not in page


def test_translating_into_the_sources_own_language_is_refused(member_client, source):
    response = member_client.post(
        reverse("materials:material_translate", args=[source.pk]),
        {"language": "en", "title": "Same"},
    )
    assert response.status_code == 400
    assert "other than the source" in response.content.decode()
    assert Material.objects.count() == 1


def test_marking_an_original_as_updated_is_not_found(member_client, source):
    response = member_client.post(reverse("materials:material_caught_up", args=[source.pk]))
    assert response.status_code == 404
