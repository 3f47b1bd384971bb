"""Campaign pages: list, create and edit, and a campaign's KPIs (with manual entries), key
messages, peers and activity log — as a member, a viewer, an outsider and anonymously."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from commsdesk.accounts.models import Membership
from commsdesk.campaigns.models import KPI, Activity, Campaign, KeyMessage, KPIEntry, Peer
from commsdesk.monitoring.models import SavedSearch
from commsdesk.relations.models import Pitch


@pytest.fixture
def campaign(team):
    return Campaign.objects.create(
        team=team, name="Open knowledge week", starts_on=date(2026, 3, 1)
    )


@pytest.fixture
def search(team):
    return SavedSearch.objects.create(team=team, name="Us", query="us")


def test_the_navigation_leads_to_the_campaign_list(member_client, campaign):
    page = member_client.get("/").content.decode()
    assert f'href="{reverse("campaigns:list")}"' in page
    listed = member_client.get(reverse("campaigns:list"))
    assert listed.status_code == 200 and "Open knowledge week" in listed.content.decode()


def test_the_list_shows_only_the_teams_campaigns(client, outsider, campaign):
    client.force_login(outsider)
    assert "Open knowledge week" not in client.get(reverse("campaigns:list")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, campaign):
    response = client.get(reverse("campaigns:campaign", args=[campaign.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_member_creates_a_campaign_with_its_coverage_searches(member_client, team, search):
    response = member_client.post(
        reverse("campaigns:new"),
        {
            "name": "Free knowledge",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-31",
            "objectives": "More Spanish coverage.",
            "searches": [search.pk],
        },
    )
    campaign = Campaign.objects.get(name="Free knowledge")
    assert response.status_code == 302 and campaign.team == team
    assert list(campaign.searches.all()) == [search]


def test_a_campaign_cannot_end_before_it_starts(member_client):
    response = member_client.post(
        reverse("campaigns:new"),
        {"name": "Backwards", "starts_on": "2026-03-31", "ends_on": "2026-03-01"},
    )
    assert "cannot end before it starts" in response.content.decode()
    assert not Campaign.objects.filter(name="Backwards").exists()


def test_another_teams_search_cannot_be_chosen_as_coverage(member_client, outsider, campaign):
    from commsdesk.accounts.models import Team

    theirs = SavedSearch.objects.create(team=Team.objects.get(slug="other"), name="X", query="x")
    response = member_client.post(
        reverse("campaigns:edit", args=[campaign.pk]),
        {"name": campaign.name, "starts_on": "2026-03-01", "searches": [theirs.pk]},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not campaign.searches.exists()


def test_a_member_adds_and_edits_a_kpi_and_records_a_manual_entry(member_client, campaign):
    add = reverse("campaigns:part_add", args=[campaign.pk, "kpis"])
    member_client.post(
        add, {"name": "Donations", "level": "impact", "metric": "manual", "target": 500}
    )
    kpi = KPI.objects.get(campaign=campaign)
    member_client.post(
        reverse("campaigns:part_edit", args=[campaign.pk, "kpis", kpi.pk]),
        {"name": "Donations (EUR)", "level": "impact", "metric": "manual", "target": 800},
    )
    member_client.post(
        reverse("campaigns:entry_add", args=[campaign.pk, kpi.pk]),
        {"value": 120, "as_of": "2026-03-10", "source": "CRM export", "note": "first week"},
    )
    kpi.refresh_from_db()
    assert (kpi.name, kpi.target) == ("Donations (EUR)", 800)
    entry = KPIEntry.objects.get(kpi=kpi)
    assert (entry.value, entry.source) == (120, "CRM export")
    page = member_client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()
    assert "Donations (EUR)" in page and "CRM export" in page


def test_key_message_phrasings_are_read_per_language(member_client, campaign):
    member_client.post(
        reverse("campaigns:part_add", args=[campaign.pk, "messages"]),
        {
            "text": "Knowledge belongs to everyone",
            "phrasings_text": "en: knowledge belongs to everyone\nes: el conocimiento es de todos\n"
            "ES: el saber es de todos\n",
        },
    )
    message = KeyMessage.objects.get(campaign=campaign)
    assert message.phrasings == {
        "en": ["knowledge belongs to everyone"],
        "es": ["el conocimiento es de todos", "el saber es de todos"],
    }
    edit = member_client.get(
        reverse("campaigns:part_edit", args=[campaign.pk, "messages", message.pk])
    )
    assert "es: el saber es de todos" in edit.content.decode()


def test_a_phrasing_line_without_a_language_is_refused_and_the_text_kept(member_client, campaign):
    response = member_client.post(
        reverse("campaigns:part_add", args=[campaign.pk, "messages"]),
        {"text": "Our message", "phrasings_text": "en: fine\nno language here"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Line 2" in page and "no language here" in page
    assert not KeyMessage.objects.exists()


def test_a_peer_is_one_of_the_teams_saved_searches(member_client, campaign, search):
    member_client.post(
        reverse("campaigns:part_add", args=[campaign.pk, "peers"]),
        {"name": "Other org", "saved_search": search.pk},
    )
    assert Peer.objects.get(campaign=campaign).saved_search == search


def test_an_activity_may_link_a_pitch_of_the_team(member_client, campaign, team):
    pitch = Pitch.objects.create(team=team, subject="Launch", body="Hello")
    member_client.post(
        reverse("campaigns:part_add", args=[campaign.pk, "activities"]),
        {
            "kind": "pitch",
            "title": "Pitched the launch",
            "happened_on": "2026-03-02",
            "pitch": pitch.pk,
        },
    )
    assert Activity.objects.get(campaign=campaign).pitch == pitch


def test_a_member_deletes_a_part_of_the_campaign(member_client, campaign, search):
    peer = Peer.objects.create(campaign=campaign, name="Gone", saved_search=search)
    member_client.post(reverse("campaigns:part_delete", args=[campaign.pk, "peers", peer.pk]))
    assert not Peer.objects.exists()


def test_a_viewer_reads_but_cannot_change(client, team, campaign, django_user_model):
    viewer = django_user_model.objects.create_user("vic", password="a-long-test-password")
    Membership.objects.create(user=viewer, team=team, role=Membership.Role.VIEWER)
    client.force_login(viewer)
    assert client.get(reverse("campaigns:campaign", args=[campaign.pk])).status_code == 200
    response = client.post(
        reverse("campaigns:part_add", args=[campaign.pk, "kpis"]),
        {"name": "X", "level": "output", "metric": "stories"},
    )
    assert response.status_code == 403 and not KPI.objects.exists()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("campaigns:campaign", []),
        ("campaigns:edit", []),
        ("campaigns:part_add", ["kpis"]),
        ("campaigns:report", []),
        ("campaigns:mentions", []),
    ],
)
def test_an_outsider_gets_404_for_another_teams_campaign(client, outsider, campaign, name, args):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[campaign.pk, *args])).status_code == 404


def test_an_outsider_cannot_delete_another_teams_campaign_or_its_parts(
    client, outsider, campaign, search
):
    peer = Peer.objects.create(campaign=campaign, name="Kept", saved_search=search)
    client.force_login(outsider)
    assert client.post(reverse("campaigns:delete", args=[campaign.pk])).status_code == 404
    url = reverse("campaigns:part_delete", args=[campaign.pk, "peers", peer.pk])
    assert client.post(url).status_code == 404
    assert (
        Campaign.objects.filter(pk=campaign.pk).exists()
        and Peer.objects.filter(pk=peer.pk).exists()
    )


def test_a_part_of_another_campaign_is_404_through_this_one(member_client, campaign, team, search):
    other = Campaign.objects.create(team=team, name="Other", starts_on=date(2026, 1, 1))
    peer = Peer.objects.create(campaign=other, name="Theirs", saved_search=search)
    url = reverse("campaigns:part_edit", args=[campaign.pk, "peers", peer.pk])
    assert member_client.get(url).status_code == 404
