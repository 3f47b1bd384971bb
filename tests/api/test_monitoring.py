"""Monitoring over the API: archive search agrees with the Articles page, cursor pagination walks
the archive without gaps or repeats, saved searches and mentions change through the web forms'
rules, and bad input is a 4xx with a message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commsdesk.monitoring.models import Mention, SavedSearch, Source
from tests.fixtures.articles import stored_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"q": "volunteers"},
        {"q": "volunteers OR voluntarios"},
        {"q": '"history of their towns"'},
        {"q": "volunteers -librarians"},
        {"q": "title:wikipedia"},
        {"q": "volunteers", "language": "en"},
        {"language": "es"},
        {"q": "lang:es OR towns"},
    ],
)
def test_search_finds_what_the_articles_page_finds(api, member_client, seeded, params):
    page = member_client.get(reverse("monitoring:articles"), params)
    expected = [a.pk for a in page.context["articles"]]
    found = [a["id"] for a in api.get("articles", params).json()["items"]]
    assert found == expected and found


def test_a_query_error_is_a_400_with_the_position(api, seeded):
    response = api.get("articles", {"q": '"unclosed'})
    assert response.status_code == 400 and "character" in response.json()["detail"]


def test_an_unknown_source_filter_is_a_422_not_everything(api, seeded):
    response = api.get("articles", {"source": 999999})
    assert response.status_code == 422 and "source" in response.json()["errors"]


def test_the_cursor_walks_the_archive_newest_first_without_repeats(api, seeded):
    more = [stored_article(f"more{i}", title=f"Volunteers {i}") for i in range(7)]
    seen, cursor = [], None
    while True:
        params = {"q": "volunteers", "limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get("articles", params).json()
        seen += [a["id"] for a in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    wanted = [
        a.pk
        for a in sorted(
            [*more, seeded["articles"][0], seeded["articles"][2]],
            key=lambda a: (a.sort_at, a.pk),
            reverse=True,
        )
    ]
    assert seen == wanted


def test_a_forged_cursor_is_a_400(api, seeded):
    assert api.get("articles", {"cursor": "bm90IGEgY3Vyc29y"}).status_code == 400


def test_lists_are_paginated_with_a_count(api, seeded):
    for i in range(3):
        Source.objects.create(name=f"Feed {i}", url=f"https://f{i}.example/feed")
    first = api.get("sources", {"page_size": 2}).json()
    second = api.get("sources", {"page_size": 2, "page": 2}).json()
    assert first["count"] == 4 and len(first["items"]) == 2 and len(second["items"]) == 2
    assert not {s["id"] for s in first["items"]} & {s["id"] for s in second["items"]}


def test_a_saved_search_is_created_and_backfilled(api, team, seeded, immediate_tasks):
    response = api.post(
        "searches", {"name": "Towns", "query": "towns", "languages": ["en"], "tiers": [1]}
    )
    assert response.status_code == 201
    saved = SavedSearch.objects.get(pk=response.json()["id"])
    assert saved.team == team and saved.languages == ["en"] and saved.tiers == [1]
    assert saved.mentions.count() == 2


def test_a_bad_query_is_refused_with_the_forms_message(api, seeded):
    response = api.post("searches", {"name": "Broken", "query": "(wikipedia"})
    assert response.status_code == 422 and "query" in response.json()["errors"]
    assert not SavedSearch.objects.filter(name="Broken").exists()


def test_patching_a_search_changes_only_the_fields_given(api, seeded, immediate_tasks):
    search = seeded["search"]
    response = api.patch(f"searches/{search.pk}", {"muted": True, "countries": ["gb"]})
    assert response.status_code == 200
    search.refresh_from_db()
    assert search.muted and search.countries == ["GB"] and search.query == "volunteers"


def test_a_mention_is_curated(api, member, seeded):
    mention = seeded["mention"]
    response = api.patch(
        f"mentions/{mention.pk}", {"state": "kept", "tags": ["interview", "follow up"]}
    )
    assert response.status_code == 200
    mention.refresh_from_db()
    assert mention.state == Mention.State.KEPT and mention.tags == ["interview", "follow up"]
    assert mention.curated_by == member
    hidden = api.get(f"searches/{seeded['search'].pk}/mentions", {"state": "kept"}).json()
    assert [m["id"] for m in hidden["items"]] == [mention.pk]


def test_a_source_is_added_and_a_duplicate_refused(api, seeded):
    body = {"url": "https://news.example/rss", "name": "News", "language": "en"}
    created = api.post("sources", body)
    assert created.status_code == 201 and created.json()["status"] == "new"
    again = api.post("sources", body)
    assert again.status_code == 422 and "url" in again.json()["errors"]


def test_a_story_lists_its_placements(api, seeded):
    body = api.get(f"stories/{seeded['story'].pk}").json()
    assert body["title"] == seeded["articles"][0].title
    assert {a["id"] for a in body["articles"]} == {a.pk for a in seeded["articles"]}


@pytest.mark.parametrize(
    "path",
    ["articles/99999999999999999999", "sources/0", "articles?since=yesterday", "stories?page=0"],
)
def test_bad_numbers_and_dates_are_422(api, seeded, path):
    response = api.client.get("/api/v1/" + path, headers=api.headers)
    assert response.status_code == 422 and "detail" in response.json()
