"""Speaking opportunities: the board by stage, moving between stages, choosing a speaker from
the suggestions, and who may do what."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from commsdesk.accounts.models import Team
from commsdesk.relations.models import SpeakingOpportunity, Spokesperson
from tests.relations.roles import client_for, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def summit(team) -> SpeakingOpportunity:
    return SpeakingOpportunity.objects.create(
        team=team,
        title="Open Climate Summit",
        kind="cfp",
        languages=["es"],
        topics=["climate"],
        location="Bogotá, Colombia",
        deadline=datetime(2026, 6, 1, 17, 0, tzinfo=UTC),
    )


def test_the_board_shows_each_stage_as_a_column(member_client, team, summit, outsider):
    SpeakingOpportunity.objects.create(
        team=team, title="Radio interview", kind="interview", stage="accepted"
    )
    SpeakingOpportunity.objects.create(team=Team.objects.get(slug="other"), title="Their panel")
    response = member_client.get(reverse("relations:speaking"))
    columns = {value: [i.title for i in items] for value, _, items in response.context["columns"]}
    assert list(columns) == ["idea", "submitted", "accepted", "declined", "done"]
    assert columns["idea"] == ["Open Climate Summit"] and columns["accepted"] == ["Radio interview"]
    assert "Their panel" not in response.content.decode()


def test_it_moves_an_opportunity_through_the_stages(member_client, summit):
    url = reverse("relations:opportunity_move", args=[summit.pk])
    board = reverse("relations:speaking")
    for stage in ("submitted", "accepted", "done"):
        response = member_client.post(url, {"stage": stage, "next": board})
        assert response.status_code == 302 and response.url == board
        summit.refresh_from_db()
        assert summit.stage == stage
    member_client.post(url, {"stage": "declined"})
    summit.refresh_from_db()
    assert summit.stage == "declined"


def test_an_unknown_stage_is_refused_with_a_message(member_client, summit):
    response = member_client.post(
        reverse("relations:opportunity_move", args=[summit.pk]), {"stage": "won"}, follow=True
    )
    summit.refresh_from_db()
    assert summit.stage == "idea"
    assert "Choose one of the stages" in response.content.decode()


def test_it_does_not_follow_a_next_address_to_another_site(member_client, summit):
    response = member_client.post(
        reverse("relations:opportunity_move", args=[summit.pk]),
        {"stage": "submitted", "next": "https://evil.example/"},
    )
    assert response.url == reverse("relations:opportunity", args=[summit.pk])


def test_the_opportunity_page_suggests_speakers_and_one_is_chosen(member_client, team, summit):
    lucia = Spokesperson.objects.create(
        team=team, name="Lucía", languages=["es"], topics=["climate"]
    )
    Spokesperson.objects.create(team=team, name="Ben", languages=["en"], topics=["sport"])
    page = member_client.get(reverse("relations:opportunity", args=[summit.pk]))
    assert [s.spokesperson.name for s in page.context["suggestions"]] == ["Lucía"]
    assert "Suggested spokespeople" in page.content.decode()

    member_client.post(
        reverse("relations:opportunity_speaker", args=[summit.pk]), {"spokesperson": lucia.pk}
    )
    summit.refresh_from_db()
    assert summit.speaker == lucia
    page = member_client.get(reverse("relations:opportunity", args=[summit.pk])).content.decode()
    assert "Chosen" in page
    assert (
        "Open Climate Summit"
        in member_client.get(reverse("relations:speaker", args=[lucia.pk])).content.decode()
    )


def test_another_teams_spokesperson_cannot_be_made_the_speaker(member_client, summit, outsider):
    theirs = Spokesperson.objects.create(team=Team.objects.get(slug="other"), name="Eve's speaker")
    response = member_client.post(
        reverse("relations:opportunity_speaker", args=[summit.pk]),
        {"spokesperson": theirs.pk},
        follow=True,
    )
    summit.refresh_from_db()
    assert summit.speaker is None
    assert "not on this team" in response.content.decode()


def test_it_adds_an_opportunity_with_times_and_a_speaker(member_client, member, team):
    ana = Spokesperson.objects.create(team=team, name="Ana")
    response = member_client.post(
        reverse("relations:opportunity_add"),
        {
            "title": "Data festival panel",
            "kind": "event",
            "stage": "idea",
            "owner": member.pk,
            "speaker": ana.pk,
            "deadline": "2026-04-01T12:00",
            "starts_at": "2026-05-10T14:00",
            "ends_at": "2026-05-10T15:00",
            "location": "Nairobi",
            "url": "festival.example.org",
            "languages": "en, sw",
            "topics": "open data",
        },
    )
    item = SpeakingOpportunity.objects.get(title="Data festival panel")
    assert response.status_code == 302 and item.team == team and item.speaker == ana
    assert item.ends_at == datetime(2026, 5, 10, 15, tzinfo=UTC) and item.languages == ["en", "sw"]
    assert item.url == "https://festival.example.org"


def test_an_end_before_the_start_is_refused_and_nothing_is_lost(member_client):
    response = member_client.post(
        reverse("relations:opportunity_add"),
        {
            "title": "Panel",
            "kind": "event",
            "stage": "idea",
            "starts_at": "2026-05-10T14:00",
            "ends_at": "2026-05-10T13:00",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The end is before the start." in html and 'value="Panel"' in html
    assert not SpeakingOpportunity.objects.exists()


def test_a_viewer_cannot_move_and_a_volunteer_cannot_delete(team, summit):
    viewer = client_for(person_in(team, "viewer", "vic"))
    volunteer = client_for(person_in(team, "volunteer", "val"))
    assert viewer.get(reverse("relations:opportunity", args=[summit.pk])).status_code == 200
    assert (
        viewer.post(
            reverse("relations:opportunity_move", args=[summit.pk]), {"stage": "done"}
        ).status_code
        == 403
    )
    assert (
        volunteer.post(
            reverse("relations:opportunity_move", args=[summit.pk]), {"stage": "submitted"}
        ).status_code
        == 302
    )
    assert (
        volunteer.post(reverse("relations:opportunity_delete", args=[summit.pk])).status_code == 403
    )
    summit.refresh_from_db()
    assert summit.stage == "submitted"


def test_staff_delete_an_opportunity(member_client, summit):
    response = member_client.post(reverse("relations:opportunity_delete", args=[summit.pk]))
    assert response.url == reverse("relations:speaking")
    assert not SpeakingOpportunity.objects.exists()


def test_an_outsider_gets_404_for_another_teams_opportunity(client, outsider, summit):
    client.force_login(outsider)
    for name in ("opportunity", "opportunity_edit"):
        assert client.get(reverse(f"relations:{name}", args=[summit.pk])).status_code == 404
    for name in ("opportunity_move", "opportunity_speaker", "opportunity_delete"):
        assert (
            client.post(
                reverse(f"relations:{name}", args=[summit.pk]), {"stage": "done"}
            ).status_code
            == 404
        )
    summit.refresh_from_db()
    assert summit.stage == "idea"


@pytest.mark.parametrize("name", ["speaking", "opportunity_add"])
def test_anonymous_visitors_are_sent_to_log_in_from_speaking(client, name):
    response = client.get(reverse(f"relations:{name}"))
    assert response.status_code == 302 and "/login/" in response.url
