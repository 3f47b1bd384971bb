"""The trends page and the home page's breaking stories, as a member and as an outsider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership, Team
from commsdesk.monitoring import trends
from commsdesk.monitoring.models import Mention, Outlet, SavedSearch, Spike, Story
from tests.fixtures.articles import stored_article

pytestmark = pytest.mark.django_db


def story_link(story: Story) -> str:
    """The story page once story folding has one; the story's first article until then."""
    try:
        return reverse("monitoring:story", args=[story.pk])
    except NoReverseMatch:
        return reverse("monitoring:article", args=[story.articles.order_by("sort_at").first().pk])


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # emerging terms are cached per hour


@pytest.fixture
def search(team, member):
    return SavedSearch.objects.create(team=team, owner=member, name="Heatwave watch", query="x")


@pytest.fixture
def spike(search):
    hour = trends.hour_start(timezone.now()) - timedelta(hours=2)
    article = stored_article("why-1", title="Libraries close in heat")
    why = {
        "stories": [{"story": None, "article": article.pk, "title": article.title, "count": 5}],
        "outlets": [{"name": "Daily Planet", "count": 5}],
        "terms": [{"term": "heatwave", "count": 5}],
    }
    return Spike.objects.create(
        saved_search=search, hour=hour, count=9, baseline=1, spread=1, score=8, why=why
    )


@pytest.fixture
def coverage(search):
    """A story breaking in the last hours (five copies) and a term new today in four more
    stories, all matched by `search`."""
    now = timezone.now()
    outlet = Outlet.objects.create(name="Daily Planet", domain="planet.example")
    story = Story.objects.create(first_seen=now - timedelta(hours=3), last_seen=now)
    for i in range(12):
        article = stored_article(
            f"old-{i}",
            title="Volunteers edit encyclopedia articles",
            text="Volunteers edited the encyclopedia.",
            sort_at=now - timedelta(days=3, hours=i),
        )
        Mention.objects.create(saved_search=search, article=article, sort_at=article.sort_at)
    for i in range(5):
        article = stored_article(
            f"new-{i}",
            title="Heatwave closes libraries",
            text="The heatwave closed libraries across the region.",
            sort_at=now - timedelta(minutes=30 * i + 5),
            story=story,
            outlet=outlet,
        )
        Mention.objects.create(saved_search=search, article=article, sort_at=article.sort_at)
    for i, town in enumerate(["Leeds", "Porto", "Lyon", "Graz"]):
        article = stored_article(
            f"town-{i}",
            title=f"Heatwave reaches {town}",
            text=f"{town} opened cooling centres.",
            sort_at=now - timedelta(hours=2 + i),
        )
        Mention.objects.create(saved_search=search, article=article, sort_at=article.sort_at)
    return story


def test_a_member_sees_the_chart_spikes_and_why(member_client, search, spike):
    response = member_client.get(reverse("monitoring:trends"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Heatwave watch" in page
    assert "<svg" in page and "mention" in page
    assert "9 mentions at" in page
    assert "Libraries close in heat" in page and "Daily Planet</bdi> (5)" in page
    assert reverse("monitoring:article", args=[spike.why["stories"][0]["article"]]) in page
    assert 'aria-current="page">Trends<' in page


def test_a_chosen_search_shows_daily_counts_with_its_spike(member_client, search, spike):
    url = reverse("monitoring:trends") + f"?search={search.pk}&scale=day"
    page = member_client.get(url).content.decode()
    assert "Mentions per day" in page
    assert "1 spike " in page


def test_emerging_terms_and_breaking_stories_appear(member_client, search, coverage):
    page = member_client.get(reverse("monitoring:trends") + f"?search={search.pk}").content
    page = page.decode()
    assert "heatwave" in page  # emerging in English
    assert "encyclopedia" not in page.split("Emerging terms")[1]  # steady: not rising
    assert story_link(coverage) in page
    assert "5 placements in the last 6 hours" in page


def test_the_home_page_shows_breaking_stories(member_client, coverage):
    page = member_client.get(reverse("home")).content.decode()
    assert "Breaking stories" in page
    assert "Heatwave closes libraries" in page
    assert story_link(coverage) in page


def test_an_outsider_gets_404_for_another_teams_search(client, outsider, search):
    client.force_login(outsider)
    response = client.get(reverse("monitoring:trends") + f"?search={search.pk}")
    assert response.status_code == 404


def test_an_outsider_does_not_see_another_teams_searches_or_spikes(client, outsider, spike):
    client.force_login(outsider)
    page = client.get(reverse("monitoring:trends")).content.decode()
    assert "Heatwave watch" not in page and "9 mentions at" not in page
    assert "no saved searches yet" in page


def test_a_search_id_that_is_not_a_number_is_404(member_client, search):
    response = member_client.get(reverse("monitoring:trends") + "?search=abc")
    assert response.status_code == 404


def test_a_visitor_must_sign_in(client):
    response = client.get(reverse("monitoring:trends"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_member_of_two_teams_sees_both_teams_searches(member_client, member, search):
    other = Team.objects.create(name="Regional", slug="regional")
    Membership.objects.create(user=member, team=other)
    SavedSearch.objects.create(team=other, name="Regional floods", query="floods")
    page = member_client.get(reverse("monitoring:trends")).content.decode()
    assert "Heatwave watch" in page and "Regional floods" in page


def test_a_syndicated_story_counts_once_in_emerging_terms(search, coverage):
    terms = {t.term: t for t in trends.emerging(timezone.now(), "en", search)}
    assert terms["heatwave"].recent == 5  # the five-copy story once, plus four other stories
    assert "libraries" not in terms  # only in the one syndicated story: below minimum support
