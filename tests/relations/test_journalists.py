"""Journalist and outlet pages: the team's contacts only, contact details hidden from
volunteers, staff-only deletion, duplicates offered for merge, merging, byline suggestions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership, Team
from commsdesk.relations.models import (
    Affiliation,
    Inquiry,
    Journalist,
    MediaList,
    MediaListMember,
    Pitch,
    PitchRecipient,
)
from tests.fixtures.articles import stored_article
from tests.fixtures.contacts import journalist, outlet, person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(team):
    return journalist(
        team,
        "Ana Reporter",
        works_for=outlet(),
        email="ana@daily.example",
        phone="+44 20 7946 0000",
        social={"mastodon": "@ana@news.social"},
        beats=["climate", "health"],
        languages=["en", "es"],
        country="GB",
        bylines=["A. Reporter"],
    )


@pytest.fixture
def volunteer_client(client, team, django_user_model):
    client.force_login(person_in(team, "volunteer", django_user_model))
    return client


def test_it_lists_and_searches_the_teams_journalists_by_beat_and_outlet(member_client, team, ana):
    journalist(team, "Bo Writer", beats=["sport"], languages=["fr"])
    other = Team.objects.get_or_create(slug="other", defaults={"name": "Other"})[0]
    journalist(other, "Their Secret Contact", beats=["climate"])

    by_beat = member_client.get(reverse("relations:journalists"), {"q": "climat"})
    by_outlet = member_client.get(reverse("relations:journalists"), {"q": "The Daily"})
    by_language = member_client.get(reverse("relations:journalists"), {"language": "fr"})

    assert [j.name for j in by_beat.context["page"]] == ["Ana Reporter"]
    assert [j.name for j in by_outlet.context["page"]] == ["Ana Reporter"]
    assert [j.name for j in by_language.context["page"]] == ["Bo Writer"]
    assert "Their Secret Contact" not in by_beat.content.decode()


def test_it_filters_journalists_who_must_not_be_contacted(member_client, team, ana):
    journalist(team, "Cy Private", do_not_contact=True, do_not_contact_reason="Asked us to stop")

    response = member_client.get(reverse("relations:journalists"), {"dnc": "yes"})

    assert [j.name for j in response.context["page"]] == ["Cy Private"]


def test_the_page_shows_details_history_and_recent_bylined_articles(member_client, team, ana):
    old = outlet("weekly.example", "The Weekly")
    Affiliation.objects.create(
        journalist=ana,
        outlet=old,
        since=timezone.localdate() - timedelta(days=900),
        until=timezone.localdate() - timedelta(days=400),
    )
    now = timezone.now()
    stored_article(
        "a1", title="Older piece", authors=["A. Reporter"], sort_at=now - timedelta(days=3)
    )
    stored_article("a2", title="Newest piece", authors=["ana reporter", "Bo"], sort_at=now)
    stored_article("a3", title="Someone else", authors=["Anatole Reporterson"], sort_at=now)

    response = member_client.get(reverse("relations:journalist", args=[ana.pk]))

    html = response.content.decode()
    assert [a.title for a in response.context["articles"]] == ["Newest piece", "Older piece"]
    assert "ana@daily.example" in html and "@ana@news.social" in html
    assert "The Weekly" in html and "(past)" in html


def test_it_finds_bylines_with_accents_on_either_database(member_client, team):
    jose = journalist(team, "José Núñez")
    stored_article("j1", title="Por José", authors=["José Núñez"])

    response = member_client.get(reverse("relations:journalist", args=[jose.pk]))

    assert [a.title for a in response.context["articles"]] == ["Por José"]


def test_do_not_contact_is_shown_prominently_with_its_reason(member_client, team):
    cy = journalist(team, "Cy", do_not_contact=True, do_not_contact_reason="Legal dispute")

    html = member_client.get(reverse("relations:journalist", args=[cy.pk])).content.decode()

    assert 'id="do-not-contact"' in html and "Legal dispute" in html


def test_an_outsider_gets_404_for_another_teams_journalist(client, outsider, ana):
    client.force_login(outsider)
    for name in (
        "journalist",
        "journalist_edit",
        "journalist_merge",
        "journalist_data",
        "journalist_erase",
    ):
        assert client.get(reverse(f"relations:{name}", args=[ana.pk])).status_code == 404
    assert client.post(reverse("relations:journalist_delete", args=[ana.pk])).status_code == 404
    assert Journalist.objects.filter(pk=ana.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, ana):
    for url in (
        reverse("relations:journalists"),
        reverse("relations:journalist", args=[ana.pk]),
        reverse("relations:outlets"),
        reverse("relations:suggestions"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_a_volunteer_sees_no_contact_details_and_cannot_delete(volunteer_client, ana):
    page = volunteer_client.get(reverse("relations:journalist", args=[ana.pk])).content.decode()
    listing = volunteer_client.get(reverse("relations:journalists")).content.decode()
    form = volunteer_client.get(
        reverse("relations:journalist_edit", args=[ana.pk])
    ).content.decode()
    deleted = volunteer_client.post(reverse("relations:journalist_delete", args=[ana.pk]))

    for html in (page, listing, form):
        assert "ana@daily.example" not in html
        assert "7946" not in html and "news.social" not in html
    assert "Ana Reporter" in page and "climate" in page
    assert deleted.status_code == 403
    assert Journalist.objects.filter(pk=ana.pk).exists()


def test_a_volunteer_editing_keeps_the_contact_details_they_cannot_see(volunteer_client, ana):
    response = volunteer_client.post(
        reverse("relations:journalist_edit", args=[ana.pk]),
        {"name": "Ana Reporter", "beats": "climate, oceans", "outlet": ana.outlets.get().pk},
    )

    ana.refresh_from_db()
    assert response.status_code == 302
    assert ana.beats == ["climate", "oceans"]
    assert ana.email == "ana@daily.example" and ana.social == {"mastodon": "@ana@news.social"}


def test_staff_can_delete_a_journalist(member_client, ana):
    response = member_client.post(reverse("relations:journalist_delete", args=[ana.pk]))

    assert response.status_code == 302
    assert not Journalist.objects.filter(pk=ana.pk).exists()


def test_it_adds_a_journalist_with_their_outlet(member_client, team):
    daily = outlet()
    response = member_client.post(
        reverse("relations:journalist_new"),
        {
            "name": "Dee New",
            "email": "dee@daily.example",
            "outlet": daily.pk,
            "title": "Editor",
            "beats": "science; health",
            "languages": "en, pt-BR",
            "country": "br",
            "social": "bluesky=dee.bsky.social",
        },
    )

    dee = Journalist.objects.get(name="Dee New")
    assert response.status_code == 302
    assert dee.team == team and dee.beats == ["science", "health"]
    assert dee.languages == ["en", "pt-br"] and dee.country == "BR"
    assert dee.social == {"bluesky": "dee.bsky.social"}
    assert dee.affiliations.get().outlet == daily and dee.affiliations.get().title == "Editor"


def test_bad_input_is_explained_and_nothing_is_saved(member_client):
    response = member_client.post(
        reverse("relations:journalist_new"),
        {
            "name": "Ed",
            "email": "not-an-address",
            "social": "just a handle",
            "do_not_contact": "on",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address" in html
    assert "is not written as network=handle" in html
    assert "Say why" in html
    assert not Journalist.objects.filter(name="Ed").exists()


def test_changing_outlet_keeps_the_old_one_in_the_history(member_client, ana):
    weekly = outlet("weekly.example", "The Weekly")

    member_client.post(
        reverse("relations:journalist_edit", args=[ana.pk]),
        {"name": ana.name, "email": ana.email, "outlet": weekly.pk, "title": "Editor"},
    )

    jobs = {job.outlet.domain: job for job in ana.affiliations.select_related("outlet")}
    assert jobs["daily.example"].until == timezone.localdate()
    assert jobs["weekly.example"].until is None and jobs["weekly.example"].title == "Editor"


# ------------------------------------------------------------------------------ duplicates


def test_adding_the_same_email_is_offered_for_merge_not_doubled(member_client, team, ana):
    response = member_client.post(
        reverse("relations:journalist_new"), {"name": "Ana R.", "email": "ANA@daily.example"}
    )

    assert response.status_code == 200
    assert response.context["duplicates"] == [ana]
    assert Journalist.objects.filter(team=team).count() == 1


def test_adding_the_same_name_at_the_same_outlet_is_detected(member_client, team, ana):
    response = member_client.post(
        reverse("relations:journalist_new"), {"name": "ana reporter", "outlet": outlet().pk}
    )

    assert response.context["duplicates"] == [ana]
    assert Journalist.objects.filter(team=team).count() == 1


def test_the_new_details_can_go_onto_the_existing_journalist(member_client, team, ana):
    response = member_client.post(
        reverse("relations:journalist_new"),
        {
            "name": "Ana Reporter",
            "email": "ana@daily.example",
            "beats": "oceans",
            "merge_into": ana.pk,
        },
    )

    ana.refresh_from_db()
    assert response.status_code == 302
    assert ana.beats == ["climate", "health", "oceans"]
    assert Journalist.objects.filter(team=team).count() == 1


def test_a_person_can_say_it_is_someone_else_with_the_same_name(member_client, team, ana):
    member_client.post(
        reverse("relations:journalist_new"),
        {"name": "Ana Reporter", "outlet": outlet().pk, "not_duplicate": "1"},
    )

    assert Journalist.objects.filter(team=team, name="Ana Reporter").count() == 2


def test_merging_moves_jobs_lists_pitches_and_inquiries(member_client, team, ana):
    twin = journalist(
        team,
        "Ana Reporter",
        works_for=outlet("weekly.example", "The Weekly"),
        email="ana@weekly.example",
        beats=["oceans"],
    )
    both = MediaList.objects.create(team=team, name="Both")
    only_twin = MediaList.objects.create(team=team, name="Only twin")
    for media_list in (both, only_twin):
        MediaListMember.objects.create(media_list=media_list, journalist=twin)
    MediaListMember.objects.create(media_list=both, journalist=ana)
    pitch = Pitch.objects.create(team=team, subject="Report launch", body="Hi")
    PitchRecipient.objects.create(pitch=pitch, journalist=twin, email=twin.email, status="sent")
    inquiry = Inquiry.objects.create(team=team, topic="Question", journalist=twin)

    page = member_client.get(reverse("relations:journalist", args=[ana.pk]))
    response = member_client.post(
        reverse("relations:journalist_merge", args=[ana.pk]), {"other": twin.pk}
    )

    ana.refresh_from_db()
    inquiry.refresh_from_db()
    assert twin in page.context["duplicates"]
    assert response.status_code == 302
    assert not Journalist.objects.filter(pk=twin.pk).exists()
    assert {o.domain for o in ana.outlets.all()} == {"daily.example", "weekly.example"}
    assert set(ana.media_lists.values_list("name", flat=True)) == {"Both", "Only twin"}
    assert pitch.recipients.get().journalist == ana
    assert inquiry.journalist == ana
    assert ana.email == "ana@daily.example"
    assert ana.beats == ["climate", "health", "oceans"]


def test_a_volunteer_cannot_merge(volunteer_client, team, ana):
    twin = journalist(team, "Ana Reporter")

    response = volunteer_client.post(
        reverse("relations:journalist_merge", args=[ana.pk]), {"other": twin.pk}
    )

    assert response.status_code == 403
    assert Journalist.objects.filter(pk=twin.pk).exists()


def test_another_teams_journalist_cannot_be_merged_in(member_client, ana, outsider):
    theirs = journalist(Team.objects.get(slug="other"), "Ana Reporter")

    response = member_client.post(
        reverse("relations:journalist_merge", args=[ana.pk]), {"other": theirs.pk}
    )

    assert response.status_code == 404
    assert Journalist.objects.filter(pk=theirs.pk).exists()


# ------------------------------------------------------------------------------- outlets


def test_the_outlet_page_lists_current_and_past_journalists_and_articles(member_client, team, ana):
    daily = outlet()
    left = journalist(team, "Former Staffer")
    Affiliation.objects.create(journalist=left, outlet=daily, until=timezone.localdate())
    stored_article("d1", title="Daily news", outlet=daily, authors=["Ana Reporter"])

    response = member_client.get(reverse("relations:outlet", args=[daily.pk]))

    assert [j.journalist.name for j in response.context["current"]] == ["Ana Reporter"]
    assert [j.journalist.name for j in response.context["past"]] == ["Former Staffer"]
    assert [a.title for a in response.context["articles"]] == ["Daily news"]


def test_an_outsider_sees_the_outlet_but_none_of_our_journalists(client, outsider, ana):
    client.force_login(outsider)

    response = client.get(reverse("relations:outlet", args=[outlet().pk]))
    listing = client.get(reverse("relations:outlets"))

    assert response.status_code == 200
    assert "Ana Reporter" not in response.content.decode()
    assert [o.contacts for o in listing.context["page"]] == [0]
    assert client.get(reverse("relations:outlet", args=[9999])).status_code == 404


def test_staff_edit_an_outlets_relations_fields(member_client):
    daily = outlet()

    response = member_client.post(
        reverse("relations:outlet_edit", args=[daily.pk]),
        {
            "type": "national",
            "tier": "1",
            "monthly_audience": "250000",
            "audience_source": "Publisher media kit",
            "audience_as_of": "2026-01-31",
            "languages": "en",
            "country": "GB",
            "notes": "Prefers embargoed copies",
        },
    )

    daily.refresh_from_db()
    assert response.status_code == 302
    assert (daily.type, daily.tier, daily.monthly_audience) == ("national", 1, 250000)
    assert str(daily.audience_as_of) == "2026-01-31"


def test_a_bad_tier_is_refused_with_a_reason(member_client):
    daily = outlet()

    response = member_client.post(
        reverse("relations:outlet_edit", args=[daily.pk]), {"type": "national", "tier": "7"}
    )

    assert "Tier is 1 (top), 2 or 3." in response.content.decode()


def test_a_volunteer_cannot_edit_an_outlet(volunteer_client):
    daily = outlet()

    assert (
        volunteer_client.get(reverse("relations:outlet_edit", args=[daily.pk])).status_code == 403
    )


# --------------------------------------------------------------------------- suggestions


def test_it_suggests_bylines_not_yet_in_the_contacts_with_counts(member_client, team, ana):
    daily, weekly = outlet(), outlet("weekly.example", "The Weekly")
    stored_article("s1", authors=["Bo Writer"], outlet=daily)
    stored_article("s2", authors=["Bo Writer", "A. Reporter"], outlet=daily)
    stored_article("s3", authors=["Cy Columnist"], outlet=weekly)
    stored_article(
        "s4", authors=["Old Timer"], outlet=weekly, sort_at=timezone.now() - timedelta(days=60)
    )

    response = member_client.get(reverse("relations:suggestions"))

    rows = [(r.author, r.outlet.name, r.articles) for r in response.context["rows"]]
    assert rows == [("Bo Writer", "The Daily", 2), ("Cy Columnist", "The Weekly", 1)]


def test_one_click_adds_a_suggested_journalist_from_their_byline(member_client, team):
    weekly = outlet("weekly.example", "The Weekly")
    stored_article("s3", authors=["Cy Columnist"], outlet=weekly)

    member_client.post(
        reverse("relations:suggestion_add"), {"author": "Cy Columnist", "outlet": weekly.pk}
    )
    again = member_client.post(
        reverse("relations:suggestion_add"), {"author": "Cy Columnist", "outlet": weekly.pk}
    )

    cy = Journalist.objects.get(team=team, name="Cy Columnist")
    assert cy.origin == "byline" and cy.bylines == ["Cy Columnist"]
    assert cy.affiliations.get().outlet == weekly
    assert again.status_code == 302 and Journalist.objects.filter(team=team).count() == 1
    assert member_client.get(reverse("relations:suggestions")).context["rows"] == []


def test_the_relations_front_page_links_the_contacts_areas(member_client):
    html = member_client.get(reverse("relations:overview")).content.decode()

    for name in ("journalists", "outlets", "suggestions", "research", "media_lists"):
        assert reverse(f"relations:{name}") in html


def test_every_contacts_page_renders_for_a_member(member_client, team, ana):
    media_list = MediaList.objects.create(team=team, name="Desk")
    twin = journalist(team, "Ana Reporter")
    pages = [
        reverse("relations:journalists"),
        reverse("relations:journalist_new"),
        reverse("relations:journalist_import"),
        reverse("relations:journalist", args=[ana.pk]),
        reverse("relations:journalist_edit", args=[ana.pk]),
        reverse("relations:journalist_merge", args=[ana.pk]),
        reverse("relations:journalist_merge", args=[ana.pk]) + f"?other={twin.pk}",
        reverse("relations:journalist_erase", args=[ana.pk]),
        reverse("relations:outlets"),
        reverse("relations:outlet", args=[outlet().pk]),
        reverse("relations:outlet_edit", args=[outlet().pk]),
        reverse("relations:suggestions"),
        reverse("relations:research"),
        reverse("relations:media_lists"),
        reverse("relations:media_list_new"),
        reverse("relations:media_list", args=[media_list.pk]),
    ]
    for url in pages:
        response = member_client.get(url)
        assert response.status_code == 200, url
        assert b"<h1>" in response.content, url


def test_someone_in_two_teams_chooses_the_team_of_a_new_journalist(
    member_client, member, team, outsider
):
    other = Team.objects.get(slug="other")
    Membership.objects.create(user=member, team=other, role="editor")

    form = member_client.get(reverse("relations:journalist_new")).context["form"]
    member_client.post(reverse("relations:journalist_new"), {"name": "Fay", "team": other.pk})

    assert set(form.fields["team"].queryset) == {team, other}
    assert Journalist.objects.get(name="Fay").team == other


def test_a_team_one_is_not_in_cannot_be_chosen(member_client, team, outsider):
    other = Team.objects.get(slug="other")

    member_client.post(reverse("relations:journalist_new"), {"name": "Gus", "team": other.pk})

    assert Journalist.objects.get(name="Gus").team == team
