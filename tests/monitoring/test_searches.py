"""Saved-search pages as a team member and as an outsider: create with a live preview, the
mentions feed grouped by story, curation, bulk actions and exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from commsdesk.monitoring import searches
from commsdesk.monitoring.models import Mention, Outlet, SavedSearch, Story
from tests.fixtures.articles import stored_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def coverage():
    """Two placements of one syndicated story, one other story, one old article, one off-topic."""
    wire = Outlet.objects.create(name="Globe Wire", domain="wire.example", tier=1, country="GB")
    daily = Outlet.objects.create(name="Daily Post", domain="daily.example", tier=2, country="KE")
    syndicated = Story.objects.create()
    now = timezone.now()
    stored_article(
        "wire",
        title="Volunteers write Wikipedia articles",
        text="Editors of Wikipédia met.",
        outlet=wire,
        country="GB",
        story=syndicated,
        sort_at=now - timedelta(hours=3),
    )
    stored_article(
        "copy",
        title="Volunteers write Wikipedia articles",
        text="Editors of Wikipedia met.",
        outlet=daily,
        story=syndicated,
        sort_at=now - timedelta(hours=2),
    )
    stored_article(
        "other",
        title="Museum opens",
        text="A Wikipedia editor opened a museum in Nairobi.",
        outlet=daily,
        story=Story.objects.create(),
        sort_at=now - timedelta(hours=1),
    )
    stored_article(
        "old",
        title="Wikipedia turns twenty",
        text="An old Wikipedia story.",
        outlet=daily,
        sort_at=now - timedelta(days=45),
    )
    stored_article("offtopic", title="Cheap watches", text="Nothing of interest.", outlet=daily)


@pytest.fixture
def saved(team, member, coverage):
    search = SavedSearch.objects.create(team=team, owner=member, name="Us", query="wikipedia")
    searches.backfill(search)
    return search


def test_saving_a_search_collects_the_last_30_days_of_matches(
    member_client, coverage, immediate_tasks
):
    response = member_client.post(
        reverse("monitoring:search_new"), {"name": "Us", "query": "wikipedia OR wikipédia"}
    )

    saved = SavedSearch.objects.get(name="Us")
    assert response.status_code == 302 and response.url == reverse(
        "monitoring:search", args=[saved.pk]
    )
    titles = sorted(m.article.url.rsplit("/", 1)[1] for m in saved.mentions.all())
    assert titles == ["copy", "other", "wire"]  # not the 45-day-old one, not the off-topic one


def test_an_invalid_query_is_refused_with_its_position(member_client):
    response = member_client.post(
        reverse("monitoring:search_new"), {"name": "Broken", "query": 'wikipedia AND ("open'}
    )

    assert response.status_code == 200
    assert "never closed" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_the_live_preview_shows_matches_with_hit_terms_highlighted(member_client, coverage):
    response = member_client.get(
        reverse("monitoring:search_preview"), {"query": "nairobi OR wiki*"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "<mark>Nairobi</mark>" in html and "<mark>Wikipedia</mark>" in html
    assert "Museum opens" in html and "Wikipedia turns twenty" not in html  # 30 days only
    assert "Articles that mention" in html  # the query explained in words


def test_the_live_preview_points_at_a_mistake(member_client):
    response = member_client.get(reverse("monitoring:search_preview"), {"query": "wikipedia OR"})

    html = response.content.decode()
    assert "cannot run" in html and "^" in html


def test_the_live_preview_applies_the_filters(member_client, coverage):
    response = member_client.get(
        reverse("monitoring:search_preview"), {"query": "wikipedia", "countries": "GB"}
    )

    html = response.content.decode()
    assert "Globe Wire" in html and "Daily Post" not in html


def test_the_feed_groups_mentions_by_story_and_counts_stories_placements_outlets(
    member_client, saved
):
    response = member_client.get(reverse("monitoring:search", args=[saved.pk]))

    html = response.content.decode()
    assert response.context["counts"] == {"stories": 2, "placements": 3, "outlets": 2}
    groups = response.context["groups"]
    assert [g["placements"] for g in groups] == [1, 2]  # newest story first
    assert "why it matched" in html


def test_keep_and_hide_change_the_feed(member_client, saved):
    museum = saved.mentions.get(article__title="Museum opens")

    response = member_client.post(
        reverse("monitoring:mention_state", args=[museum.pk]),
        {"state": "hidden"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200 and 'class="mention hidden"' in response.content.decode()
    feed = member_client.get(reverse("monitoring:search", args=[saved.pk]))
    assert feed.context["counts"]["placements"] == 2
    hidden = member_client.get(reverse("monitoring:search", args=[saved.pk]), {"state": "hidden"})
    assert [m.pk for g in hidden.context["groups"] for m in g["mentions"]] == [museum.pk]


def test_bulk_actions_tag_and_keep_the_selected_mentions(member_client, member, saved):
    chosen = list(
        saved.mentions.filter(article__story__size__gte=0).values_list("pk", flat=True)[:2]
    )
    url = reverse("monitoring:mention_bulk", args=[saved.pk])

    member_client.post(url, {"mention": chosen, "action": "tag", "tag": "follow up"})
    member_client.post(url, {"mention": chosen, "action": "keep"})

    for mention in Mention.objects.filter(pk__in=chosen):
        assert mention.tags == ["follow up"] and mention.state == "kept"
        assert mention.curated_by == member


def test_a_mention_page_explains_the_match_and_saves_curation(member_client, saved):
    mention = saved.mentions.get(article__title="Museum opens")
    url = reverse("monitoring:mention", args=[mention.pk])

    page = member_client.get(url).content.decode()
    member_client.post(
        url,
        {
            "state": "kept",
            "tags": "nairobi, events",
            "note": "Call them",
            "sentiment_override": "positive",
        },
    )

    assert "<mark>Wikipedia</mark>" in page and "in the text" in page
    mention.refresh_from_db()
    assert (mention.state, mention.tags, mention.note, mention.sentiment_override) == (
        "kept",
        ["nairobi", "events"],
        "Call them",
        "positive",
    )


def test_csv_export_has_every_mention_and_reads_as_utf8(member_client, saved):
    response = member_client.get(reverse("monitoring:search_export", args=[saved.pk, "csv"]))

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 3
    assert {r["outlet"] for r in rows} == {"Globe Wire", "Daily Post"}
    assert all(r["terms"] == "wikipedia" for r in rows)


def test_xlsx_export_opens_as_a_workbook_with_every_mention(member_client, saved):
    response = member_client.get(reverse("monitoring:search_export", args=[saved.pk, "xlsx"]))

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book["Mentions"].iter_rows(values_only=True))
    assert rows[0][:3] == ("published (UTC)", "outlet", "title") and len(rows) == 4


def test_a_person_without_a_team_gets_one_when_saving_their_first_search(client, django_user_model):
    admin = django_user_model.objects.create_user("first", "first@example.org", "pw-123456789")
    client.force_login(admin)

    client.post(reverse("monitoring:search_new"), {"name": "Mine", "query": "wikipedia"})

    assert SavedSearch.objects.get(name="Mine").team.memberships.get().user == admin


@pytest.mark.parametrize(
    "name,method",
    [
        ("monitoring:search", "get"),
        ("monitoring:search_edit", "get"),
        ("monitoring:search_mute", "post"),
        ("monitoring:search_delete", "post"),
        ("monitoring:mention_bulk", "post"),
    ],
)
def test_an_outsider_gets_404_for_another_teams_search(client, outsider, saved, name, method):
    client.force_login(outsider)

    response = getattr(client, method)(reverse(name, args=[saved.pk]))

    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk, muted=False).exists()


def test_an_outsider_gets_404_for_another_teams_mentions_and_exports(client, outsider, saved):
    client.force_login(outsider)
    mention = saved.mentions.first()

    assert client.get(reverse("monitoring:mention", args=[mention.pk])).status_code == 404
    assert (
        client.post(
            reverse("monitoring:mention_state", args=[mention.pk]), {"state": "hidden"}
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("monitoring:search_export", args=[saved.pk, "csv"])).status_code == 404
    )
    assert client.get(reverse("monitoring:searches")).context["searches"].count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, saved):
    response = client.get(reverse("monitoring:search", args=[saved.pk]))

    assert response.status_code == 302 and "/login/" in response.url


def test_names_are_expanded_into_the_chosen_languages_in_preview_and_percolation(
    member_client, team
):
    russian = stored_article(
        "ru", title="Википедия растёт", text="Редакторы обсуждают правила.", language="ru"
    )

    preview = member_client.get(
        reverse("monitoring:search_preview"), {"query": "Wikipedia", "name_languages": "ru, ja"}
    ).content.decode()

    assert "Википедия" in preview and "ウィキペディア" in preview  # the expansion is shown
    assert "<mark>Википедия</mark>" in preview  # and the Russian article is found
    saved = SavedSearch.objects.create(
        team=team, name="Us", query="Wikipedia", name_languages=["ru"]
    )
    searches.backfill(saved)
    assert [m.article for m in saved.mentions.all()] == [russian]


def test_home_lists_my_teams_searches_with_todays_matches_not_other_teams(
    member_client, saved, outsider
):
    from commsdesk.accounts.models import Team

    SavedSearch.objects.create(team=Team.objects.get(slug="other"), name="Theirs", query="x")

    response = member_client.get(reverse("home"))

    assert [(s.name, s.today) for s in response.context["my_searches"]] == [("Us", 3)]
    assert "Theirs" not in response.content.decode()
