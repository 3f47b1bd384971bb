"""The social sources in the web app, as a communicator sees them: adding a Mastodon, Bluesky or
Reddit source, its health page with the platform's reason, a post shown as a post, and the
archive filtered to posts. Anonymous visitors are sent to log in; contacts stay team-scoped."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from commsdesk.ingest.fetching import make_api_client
from commsdesk.ingest.sources import poll_source
from commsdesk.monitoring.models import Article, Source
from commsdesk.relations.models import Journalist
from tests.servers import Route

pytestmark = pytest.mark.django_db
JSON = {"Content-Type": "application/json"}


def add(client, kind: str, **fields):
    return client.post(reverse("monitoring:source_add"), {"kind": kind, **fields})


@pytest.mark.parametrize("kind", ["mastodon", "bluesky", "reddit"])
def test_anonymous_visitors_are_sent_to_log_in_from_the_social_add_page(client, kind):
    response = client.get(reverse("monitoring:source_add") + f"?kind={kind}")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert add(client, kind, mode="search", value="x").status_code == 302
    assert not Source.objects.exists()


def test_the_add_page_offers_each_platform_with_its_own_fields(member_client):
    page = member_client.get(reverse("monitoring:source_add") + "?kind=mastodon").content.decode()
    assert 'name="instance"' in page and 'name="access_token"' in page and "A hashtag" in page
    page = member_client.get(reverse("monitoring:source_add") + "?kind=reddit").content.decode()
    assert "subreddit" in page and 'name="instance"' not in page
    assert f'href="{reverse("monitoring:source_add")}?kind=bluesky"' in page


def test_adding_a_mastodon_hashtag_keeps_the_token_without_showing_it(member_client):
    response = add(
        member_client,
        "mastodon",
        instance="https://Mastodon.Example/",
        mode="hashtag",
        value="#OpenData",
        access_token="tok-123456-wxyz",
    )

    source = Source.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "monitoring:source", args=[source.pk]
    )
    assert source.kind == "mastodon" and source.url == "https://mastodon.example/tags/OpenData"
    assert source.name == "#OpenData on mastodon.example"
    assert source.access_token == "tok-123456-wxyz"
    page = member_client.get(response.url).content.decode()
    assert "Mastodon hashtag #OpenData on mastodon.example" in page
    assert "••••wxyz" in page and "tok-123456" not in page
    edit = member_client.get(reverse("monitoring:source_edit", args=[source.pk])).content.decode()
    assert "tok-123456" not in edit and "••••wxyz" in edit


def test_a_bad_subreddit_name_is_refused_with_a_reason(member_client):
    response = add(member_client, "reddit", mode="subreddit", value="not a sub!")
    assert response.status_code == 200
    assert "A subreddit name is 2–21 letters" in response.content.decode()
    assert not Source.objects.exists()


def test_adding_the_same_bluesky_search_twice_leads_to_the_first(member_client):
    add(member_client, "bluesky", mode="search", value="wikipedia")
    response = add(member_client, "bluesky", mode="search", value="wikipedia")
    assert Source.objects.count() == 1
    assert response.url == reverse("monitoring:source", args=[Source.objects.get().pk])


def test_the_token_can_be_replaced_or_forgotten_on_the_edit_page(member_client):
    source = Source.objects.create(
        name="s", kind="mastodon", url="https://m.example/search?q=x", access_token="old-token"
    )
    url = reverse("monitoring:source_edit", args=[source.pk])
    form = {"name": "s", "interval_minutes": 30, "active": "on"}

    member_client.post(url, {**form, "new_token": ""})
    source.refresh_from_db()
    assert source.access_token == "old-token"
    member_client.post(url, {**form, "new_token": "new-token"})
    source.refresh_from_db()
    assert source.access_token == "new-token" and source.url == "https://m.example/search?q=x"
    member_client.post(url, {**form, "forget_token": "on"})
    source.refresh_from_db()
    assert source.access_token is None


def test_the_health_page_shows_a_rate_limit_in_words(member_client, server):
    server.add(
        "/api/v1/timelines/tag/busy",
        Route(b"{}", 429, {**JSON, "Retry-After": "120"}),
    )
    source = Source.objects.create(name="busy", kind="mastodon", url=server.url("/tags/busy"))
    with make_api_client() as client:
        poll_source(source, client)

    page = member_client.get(reverse("monitoring:source", args=[source.pk])).content.decode()
    assert "rate limited by 127.0.0.1" in page and " UTC" in page


@pytest.fixture
def post_article(server, team, outsider):
    status = {
        "id": "7",
        "created_at": "2026-11-20T10:00:00Z",
        "url": "https://m.example/@ana/7",
        "content": "<p>Our report is out</p>",
        "language": "en",
        "account": {
            "acct": "ana@m.example",
            "display_name": "Ana Reporter",
            "url": "https://m.example/@ana",
        },
        "reblog": None,
        "replies_count": 2,
        "reblogs_count": 4,
        "favourites_count": 9,
    }
    server.add("/api/v1/timelines/tag/report", Route(json.dumps([status]).encode(), 200, JSON))
    source = Source.objects.create(name="t", kind="mastodon", url=server.url("/tags/report"))
    with make_api_client() as client:
        poll_source(source, client)
    Journalist.objects.create(team=team, name="Ana Reporter", social={"mastodon": "@ana@m.example"})
    other_team = outsider.memberships.get().team
    Journalist.objects.create(
        team=other_team, name="Hidden Contact", social={"mastodon": "@ana@m.example"}
    )
    return Article.objects.get()


def test_a_post_is_shown_as_a_post_with_engagement_and_the_teams_contact(
    member_client, post_article
):
    page = member_client.get(reverse("monitoring:article", args=[post_article.pk])).content.decode()
    assert "Mastodon post" in page and "@ana@m.example" in page
    assert "9 likes · 4 reposts · 2 replies" in page and "as read " in page
    assert "Open the post on Mastodon" in page and 'href="https://m.example/@ana/7"' in page
    assert "Ana Reporter</a> (in your contacts)" in page and "Hidden Contact" not in page


def test_an_outsider_never_sees_another_teams_contact_on_a_post(client, outsider, post_article):
    client.force_login(outsider)
    page = client.get(reverse("monitoring:article", args=[post_article.pk])).content.decode()
    assert "Hidden Contact</a> (in your contacts)" in page and "Ana Reporter</a>" not in page


def test_the_archive_filters_to_posts_or_articles(member_client, post_article):
    Article.objects.create(
        url="https://news.example/a",
        canonical_url="https://news.example/a",
        url_hash="h" * 64,
        language="en",
        title="A web article",
        text="Body",
    )
    posts = member_client.get(reverse("monitoring:articles") + "?kind=post").content.decode()
    pages = member_client.get(reverse("monitoring:articles") + "?kind=article").content.decode()
    assert "Our report is out" in posts and "A web article" not in posts
    assert "A web article" in pages and "Our report is out" not in pages


def test_the_opml_export_lists_feeds_not_social_sources(member_client):
    Source.objects.create(name="Feed", url="https://news.example/feed.xml")
    Source.objects.create(name="Tag", kind="mastodon", url="https://m.example/tags/x")
    exported = member_client.get(reverse("monitoring:opml_export")).content.decode()
    assert "news.example/feed.xml" in exported and "m.example" not in exported


def test_the_admin_never_shows_a_source_token(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw-long-enough-1")
    source = Source.objects.create(
        name="s", kind="mastodon", url="https://m.example/search?q=x", access_token="tok-secret"
    )
    client.force_login(admin)
    page = client.get(reverse("admin:monitoring_source_change", args=[source.pk])).content
    assert b"tok-secret" not in page and b"access_token" not in page
