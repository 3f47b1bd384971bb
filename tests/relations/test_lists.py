"""Media lists and media research: lists of the team's journalists, research over articles in
the archive turned into a list in one step, query errors shown with their position."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Team
from commsdesk.monitoring.models import SavedSearch
from commsdesk.relations.models import Journalist, MediaList, MediaListMember
from tests.fixtures.articles import stored_article
from tests.fixtures.contacts import journalist, outlet, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def coverage(team):
    """Three authors on a water topic (one already a contact), one off topic."""
    daily, weekly = outlet(), outlet("weekly.example", "The Weekly")
    now = timezone.now()
    stored_article(
        "w1",
        title="Water crisis deepens",
        text="Drought and water.",
        authors=["Bo Writer"],
        outlet=daily,
        sort_at=now - timedelta(days=1),
    )
    stored_article(
        "w2",
        title="Water prices",
        text="Water again.",
        authors=["Bo Writer", "Cy Columnist"],
        outlet=weekly,
        sort_at=now,
    )
    stored_article(
        "w3",
        title="Water rights",
        text="Water law.",
        authors=["Bo Writer"],
        outlet=daily,
        sort_at=now - timedelta(days=2),
    )
    stored_article(
        "w4",
        title="Dry wells",
        text="Water tables fall.",
        authors=["Ana Reporter"],
        outlet=daily,
        sort_at=now - timedelta(days=5),
    )
    stored_article(
        "f1", title="Football final", text="A match.", authors=["Di Sport"], outlet=daily
    )
    return journalist(team, "Ana Reporter", works_for=daily, email="ana@daily.example")


def test_research_ranks_the_authors_and_outlets_of_a_topic(member_client, coverage):
    response = member_client.get(reverse("relations:research"), {"q": "water", "days": "30"})

    found = response.context["found"]
    authors = [(r.author, r.articles, r.journalist_id) for r in found.authors]
    assert authors == [
        ("Bo Writer", 3, None),
        ("Cy Columnist", 1, None),
        ("Ana Reporter", 1, coverage.pk),
    ]
    assert found.authors[0].latest == found.authors[1].latest  # Bo's newest is w2
    assert [(r.outlet.name, r.articles) for r in found.outlets] == [
        ("The Daily", 3),
        ("The Weekly", 1),
    ]
    assert "Di Sport" not in response.content.decode()


def test_research_turns_chosen_authors_into_a_media_list(member_client, team, coverage):
    response = member_client.post(
        reverse("relations:research"),
        {
            "q": "water",
            "days": "30",
            "author": ["Bo Writer", "Ana Reporter"],
            "list_name": "Water desk",
        },
    )

    media_list = MediaList.objects.get(team=team, name="Water desk")
    bo = Journalist.objects.get(team=team, name="Bo Writer")
    assert response.status_code == 302
    assert media_list.query == "water"
    assert set(media_list.journalists.all()) == {bo, coverage}
    assert bo.origin == "byline" and bo.bylines == ["Bo Writer"]
    assert bo.outlets.get().name == "The Daily"  # where Bo wrote most
    assert Journalist.objects.filter(team=team).count() == 2


def test_research_starts_from_a_saved_search(member_client, team, coverage):
    saved = SavedSearch.objects.create(team=team, name="Water", query='"water prices"')

    response = member_client.get(reverse("relations:research"), {"search": saved.pk})

    assert response.context["form"]["q"].value() == '"water prices"'
    assert [r.author for r in response.context["found"].authors] == ["Bo Writer", "Cy Columnist"]


def test_an_invalid_query_shows_the_error_and_where_it_is(member_client, coverage):
    response = member_client.get(reverse("relations:research"), {"q": "water AND (", "days": "30"})

    html = response.content.decode()
    assert response.context["query_error"].pointer in html.replace("&quot;", '"')
    assert 'id="query-error"' in html


def test_research_only_counts_my_teams_contacts(client, outsider, coverage):
    client.force_login(outsider)

    response = client.get(reverse("relations:research"), {"q": "water", "days": "30"})

    assert all(r.journalist_id is None for r in response.context["found"].authors)


@pytest.fixture
def water_list(team, coverage):
    media_list = MediaList.objects.create(team=team, name="Water desk")
    MediaListMember.objects.create(media_list=media_list, journalist=coverage)
    journalist(team, "Cy Private", do_not_contact=True, do_not_contact_reason="On leave")
    return media_list


def test_a_list_is_created_by_hand_and_journalists_added_and_removed(member_client, team, coverage):
    cy = journalist(team, "Cy Private", do_not_contact=True, do_not_contact_reason="On leave")
    member_client.post(reverse("relations:media_list_new"), {"name": "Health desk"})
    media_list = MediaList.objects.get(name="Health desk")

    member_client.post(
        reverse("relations:media_list_add", args=[media_list.pk]), {"journalist": cy.pk}
    )
    member_client.post(
        reverse("relations:media_list_add", args=[media_list.pk]), {"journalist": coverage.pk}
    )
    page = member_client.get(reverse("relations:media_list", args=[media_list.pk]))
    member_client.post(reverse("relations:media_list_remove", args=[media_list.pk, coverage.pk]))

    assert media_list.team == team and media_list.query == ""
    assert "do not contact" in page.content.decode()
    assert list(media_list.journalists.all()) == [cy]


def test_another_teams_journalist_cannot_be_added_to_my_list(member_client, water_list, outsider):
    theirs = journalist(Team.objects.get(slug="other"), "Their Contact")

    response = member_client.post(
        reverse("relations:media_list_add", args=[water_list.pk]), {"journalist": theirs.pk}
    )

    assert response.status_code == 404


def test_the_list_exports_as_csv(member_client, water_list):
    response = member_client.get(reverse("relations:media_list_export", args=[water_list.pk]))

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["name"], r["email"], r["outlet"]) for r in rows] == [
        ("Ana Reporter", "ana@daily.example", "The Daily")
    ]


def test_a_volunteer_gets_no_contact_details_in_the_list_or_its_export(
    client, team, django_user_model, water_list
):
    client.force_login(person_in(team, "volunteer", django_user_model))

    page = client.get(reverse("relations:media_list", args=[water_list.pk])).content.decode()
    export = client.get(reverse("relations:media_list_export", args=[water_list.pk]))
    deleted = client.post(reverse("relations:media_list_delete", args=[water_list.pk]))

    assert "Ana Reporter" in page and "ana@daily.example" not in page
    assert b"ana@daily.example" not in b"".join(export.streaming_content)
    assert deleted.status_code == 403


def test_an_outsider_gets_404_for_another_teams_list(client, outsider, water_list):
    client.force_login(outsider)

    assert client.get(reverse("relations:media_list", args=[water_list.pk])).status_code == 404
    assert (
        client.get(reverse("relations:media_list_export", args=[water_list.pk])).status_code == 404
    )
    assert (
        client.post(reverse("relations:media_list_delete", args=[water_list.pk])).status_code == 404
    )
    assert client.get(reverse("relations:media_lists")).context["lists"].count() == 0


def test_anonymous_visitors_cannot_see_lists_or_research(client, water_list):
    for url in (
        reverse("relations:media_lists"),
        reverse("relations:research"),
        reverse("relations:media_list", args=[water_list.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_staff_delete_a_list_and_its_journalists_stay(member_client, water_list, coverage):
    member_client.post(reverse("relations:media_list_delete", args=[water_list.pk]))

    assert not MediaList.objects.filter(pk=water_list.pk).exists()
    assert Journalist.objects.filter(pk=coverage.pk).exists()
