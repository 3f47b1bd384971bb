"""The audit log as admins read it: people's changes to materials, journalists and saved
searches with field changes and actor; downloads of personal data; who may read which entries."""

from __future__ import annotations

import pytest
from auditlog.context import set_actor
from django.urls import reverse

from commsdesk.accounts.models import Membership
from commsdesk.audit.models import AuditEntry
from commsdesk.materials.models import Material
from commsdesk.monitoring.models import SavedSearch
from commsdesk.relations.models import Journalist
from tests.fixtures.contacts import journalist
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db

NEW_MATERIAL = {"kind": "talking_points", "title": "Funding", "language": "en", "body": "Donors."}


@pytest.fixture
def admin(team):
    return person_in(team, Membership.Role.ADMIN, "ada")


@pytest.fixture
def admin_client(admin):
    return client_for(admin)


def _entries(model, pk) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type__model=model._meta.model_name, object_pk=str(pk)
        ).order_by("timestamp", "pk")
    )


def test_a_material_created_changed_and_deleted_is_in_the_log_with_its_changes_and_actor(
    member_client, member, team
):
    member_client.post(reverse("materials:material_new"), NEW_MATERIAL)
    material = Material.objects.get(title="Funding")
    pk = material.pk
    member_client.post(
        reverse("materials:material_edit", args=[material.pk]),
        {**NEW_MATERIAL, "title": "Funding in 2026", "based_on": material.version},
    )
    with set_actor(member):  # materials are retired, not deleted, in the web UI
        material.delete()

    entries = _entries(Material, pk)
    actions = [entry.action for entry in entries]
    assert actions[0] == AuditEntry.Action.CREATE and actions[-1] == AuditEntry.Action.DELETE
    assert AuditEntry.Action.UPDATE in actions
    assert all(entry.actor == member and entry.team == team for entry in entries)
    update = [e for e in entries if e.action == AuditEntry.Action.UPDATE][-1]
    assert update.changes_dict["title"] == ["Funding", "Funding in 2026"]
    assert "versions" not in entries[0].changes_dict  # related records have entries of their own


def test_a_journalist_created_changed_and_deleted_is_in_the_log(member_client, member, team):
    member_client.post(
        reverse("relations:journalist_new"), {"name": "Dee New", "email": "dee@daily.example"}
    )
    dee = Journalist.objects.get(name="Dee New")
    member_client.post(
        reverse("relations:journalist_edit", args=[dee.pk]),
        {"name": "Dee Newer", "email": "dee@daily.example"},
    )
    member_client.post(reverse("relations:journalist_delete", args=[dee.pk]))

    entries = _entries(Journalist, dee.pk)
    assert [e.action for e in entries] == [
        AuditEntry.Action.CREATE,
        AuditEntry.Action.UPDATE,
        AuditEntry.Action.DELETE,
    ]
    assert entries[1].changes_dict["name"] == ["Dee New", "Dee Newer"]
    assert {e.actor for e in entries} == {member} and {e.team for e in entries} == {team}


def test_a_saved_search_created_changed_and_deleted_is_in_the_log(member_client, member, team):
    member_client.post(reverse("monitoring:search_new"), {"name": "Us", "query": "wikipedia"})
    saved = SavedSearch.objects.get(name="Us")
    member_client.post(
        reverse("monitoring:search_edit", args=[saved.pk]),
        {"name": "Us", "query": "wikipedia OR wikimedia"},
    )
    member_client.post(reverse("monitoring:search_delete", args=[saved.pk]))

    entries = _entries(SavedSearch, saved.pk)
    assert entries[0].action == AuditEntry.Action.CREATE
    assert entries[-1].action == AuditEntry.Action.DELETE
    change = next(e for e in entries if e.action == AuditEntry.Action.UPDATE)
    assert change.changes_dict["query"] == ["wikipedia", "wikipedia OR wikimedia"]
    assert {e.actor for e in entries} == {member} and {e.team for e in entries} == {team}


def test_a_change_made_outside_a_request_has_no_actor(team):
    saved = SavedSearch.objects.create(team=team, name="Nightly", query="x")

    (entry,) = _entries(SavedSearch, saved.pk)
    assert entry.actor is None and entry.team == team


def test_a_journalist_export_writes_an_entry_with_the_count(member_client, member, team):
    journalist(team, name="Ana Lima", email="ana@daily.example")
    journalist(team, name="Bo Chen", email="bo@daily.example")

    response = member_client.get(reverse("relations:journalist_export", args=["csv"]))
    b"".join(response.streaming_content)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS)
    assert entry.actor == member and entry.team == team
    assert entry.additional_data == {"download": "Journalists as CSV", "count": 2}


def test_a_subject_access_download_writes_an_entry_for_the_record(member_client, member, team):
    ana = journalist(team, name="Ana Lima", email="ana@daily.example")

    member_client.get(reverse("relations:journalist_data", args=[ana.pk]))

    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS)
    assert entry.object_pk == str(ana.pk) and entry.actor == member and entry.team == team


def test_the_audit_page_shows_the_teams_entries_with_changes_and_links(
    admin_client, member_client, team
):
    member_client.post(
        reverse("relations:journalist_new"), {"name": "Dee New", "email": "dee@daily.example"}
    )
    dee = Journalist.objects.get(name="Dee New")
    member_client.post(
        reverse("relations:journalist_edit", args=[dee.pk]),
        {"name": "Dee Newer", "email": "dee@daily.example"},
    )

    page = admin_client.get(reverse("audit:log")).content.decode()

    assert "Dee New</del> → Dee Newer" in page.replace("\n", "")
    assert reverse("relations:journalist", args=[dee.pk]) in page
    assert "ana" in page  # the member who made the change


def test_the_filters_narrow_the_entries_and_a_bad_date_is_explained(admin_client, member, team):
    with set_actor(member):
        SavedSearch.objects.create(team=team, name="By a person", query="x")
    SavedSearch.objects.create(team=team, name="By the system", query="y")

    by_member = admin_client.get(reverse("audit:log"), {"actor": member.pk}).content.decode()
    by_system = admin_client.get(reverse("audit:log"), {"actor": "system"}).content.decode()
    bad = admin_client.get(reverse("audit:log"), {"start": "2026-02-10", "end": "2026-01-01"})

    assert "By a person" in by_member and "By the system" not in by_member
    assert "By the system" in by_system and "By a person" not in by_system
    assert bad.status_code == 400 and "before the start date" in bad.content.decode()


@pytest.mark.parametrize("role", ["editor", "volunteer", "viewer"])
def test_only_admins_read_the_audit_log(team, role):
    assert (
        client_for(person_in(team, role, f"p-{role}")).get(reverse("audit:log")).status_code == 403
    )


def test_an_admin_of_another_team_does_not_see_this_teams_entries(outsider, team):
    SavedSearch.objects.create(team=team, name="Our secret search", query="x")
    Membership.objects.filter(user=outsider).update(role=Membership.Role.ADMIN)

    page = client_for(outsider).get(reverse("audit:log"))

    assert page.status_code == 200 and "Our secret search" not in page.content.decode()


def test_a_superuser_sees_every_team_and_installation_wide_entries(
    django_user_model, team, outsider
):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-123456789")
    SavedSearch.objects.create(team=team, name="Our search", query="x")

    page = client_for(root).get(reverse("audit:log")).content.decode()

    assert "Our search" in page and "eve" in page  # eve: the outsider's account, no team


def test_anonymous_visitors_are_sent_to_log_in(client):
    for method, url in (("get", reverse("audit:log")), ("post", reverse("audit:export"))):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response.url


def test_only_a_superuser_may_download_the_full_export(admin_client):
    assert admin_client.post(reverse("audit:export")).status_code == 403


def test_a_fetch_updating_a_sources_health_writes_no_entry(db):
    from django.utils import timezone

    from commsdesk.monitoring.models import Source

    source = Source.objects.create(name="Daily", url="https://daily.example/feed")
    source.last_fetch_at = source.next_fetch_at = timezone.now()
    source.consecutive_failures = 2
    source.save()
    source.name = "The Daily"
    source.save()

    entries = _entries(Source, source.pk)
    assert [e.action for e in entries] == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]
    assert entries[1].changes_dict == {"name": ["Daily", "The Daily"]}


def test_deleting_a_team_keeps_the_entries_of_its_records_without_a_team(team, member):
    from django.db import connection

    ana = journalist(team, name="Ana Lima")
    with set_actor(member):
        team.delete()

    connection.check_constraints()  # no entry points at the deleted team
    deleted = _entries(Journalist, ana.pk)[-1]
    assert deleted.action == AuditEntry.Action.DELETE
    assert deleted.team is None and deleted.actor == member


def test_links_added_to_a_record_show_what_was_added(admin_client, member, team):
    from commsdesk.monitoring.models import Source

    with set_actor(member):
        saved = SavedSearch.objects.create(team=team, name="Us", query="x")
        saved.sources.add(Source.objects.create(name="Daily feed", url="https://d.example/f"))

    page = admin_client.get(reverse("audit:log")).content.decode()

    assert "<strong>Sources</strong>: added: Daily feed" in page


def test_the_menu_offers_the_audit_log_to_admins_only(admin_client, member_client):
    link = f'href="{reverse("audit:log")}"'

    assert link in admin_client.get(reverse("home")).content.decode()
    assert link not in member_client.get(reverse("home")).content.decode()


def test_every_domain_model_is_either_followed_or_left_out_on_purpose():
    """A new model must be added to the registry (or to NOT_TRACKED, with the reason there)."""
    from django.apps import apps as django_apps

    from commsdesk.audit.registry import NOT_TRACKED, TRACKED

    domain = ("accounts", "monitoring", "relations", "campaigns", "materials", "operations")
    models = {m._meta.label for m in django_apps.get_models() if m._meta.app_label in domain}
    assert models - set(TRACKED) - set(NOT_TRACKED) == set()
