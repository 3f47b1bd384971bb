"""Story pages and a person's split and merge: counters, audit trail, access and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Membership
from commsdesk.monitoring import stories as editing
from commsdesk.monitoring.metrics import Counts, coverage_counts
from commsdesk.monitoring.models import Article, Outlet, Story, StoryEvent, StoryKey
from commsdesk.pipeline import dedupe
from tests.fixtures.articles import stored_article

pytestmark = pytest.mark.django_db

TEXT = (
    "Volunteers in more than forty countries spent the weekend improving articles about local "
    "history on the free encyclopedia during the largest edit-a-thon of the year."
)
NOW = timezone.now()


def placement(story: Story, slug: str, outlet: Outlet, *, hours_ago: float, **fields) -> Article:
    article = stored_article(
        slug,
        title=fields.pop("title", "Record edit-a-thon"),
        text=TEXT,
        outlet=outlet,
        story=story,
        sort_at=NOW - timedelta(hours=hours_ago),
        minhash=dedupe.signature(TEXT + slug).to_bytes(),
        **fields,
    )
    StoryKey.objects.create(key=f"k-{slug}", story=story, article=article, at=article.sort_at)
    return article


@pytest.fixture
def outlets():
    return [
        Outlet.objects.create(name=name, domain=f"{name.lower()}.example")
        for name in ("Wire", "Ledger", "Herald")
    ]


@pytest.fixture
def syndicated(outlets):
    """A wire story with three placements on three outlets, in two languages."""
    story = Story.objects.create()
    wire, ledger, herald = outlets
    placement(story, "wire", wire, hours_ago=5)
    placement(story, "ledger", ledger, hours_ago=4)
    placement(story, "herald", herald, hours_ago=3, language="es")
    return editing.recount(story)


@pytest.fixture
def lone(outlets):
    story = Story.objects.create()
    placement(story, "lone", outlets[1], hours_ago=1, title="Library opens archive")
    return editing.recount(story)


def test_it_recounts_a_story_from_its_placements(syndicated):
    first = Article.objects.get(url__endswith="/wire")
    assert (syndicated.size, syndicated.outlet_count) == (3, 3)
    assert syndicated.representative_id == first.pk and syndicated.first_seen == first.sort_at


def test_coverage_counts_a_syndicated_story_once_and_each_copy_as_a_placement(syndicated, lone):
    stored_article("unfolded", outlet=lone.representative.outlet)  # no story yet: its own

    assert coverage_counts(Article.objects.all()) == Counts(stories=3, placements=5, outlets=3)
    assert coverage_counts(Article.objects.none()) == Counts(0, 0, 0)


def test_the_story_list_shows_placements_outlets_first_publisher_and_languages(
    member_client, syndicated
):
    page = member_client.get(reverse("monitoring:stories")).content.decode()

    assert reverse("monitoring:story", args=[syndicated.pk]) in page
    assert "Record edit-a-thon" in page and ">3</td>" in page
    assert "Wire" in page and "en, es" in page


def test_the_story_list_filters_by_language_and_date(member_client, syndicated, lone):
    spanish = member_client.get(reverse("monitoring:stories"), {"language": "es"})
    assert reverse("monitoring:story", args=[syndicated.pk]) in spanish.content.decode()
    assert reverse("monitoring:story", args=[lone.pk]) not in spanish.content.decode()

    tomorrow = (NOW + timedelta(days=1)).date().isoformat()
    future = member_client.get(reverse("monitoring:stories"), {"since": tomorrow})
    assert "No stories match" in future.content.decode()


def test_a_bad_date_in_the_story_filters_says_so(member_client, syndicated):
    page = member_client.get(reverse("monitoring:stories"), {"since": "not-a-date"})

    assert page.status_code == 200
    assert "Enter a valid date" in page.content.decode()


def test_the_header_counts_stories_placements_and_outlets(member_client, syndicated, lone):
    counts = member_client.get(reverse("monitoring:coverage_counts")).content.decode()
    assert "<strong>2</strong> stories · <strong>4</strong> placements" in counts
    assert "<strong>3</strong> outlets" in counts

    spanish = member_client.get(reverse("monitoring:coverage_counts"), {"language": "es"})
    assert "<strong>1</strong> story · <strong>1</strong> placement ·" in spanish.content.decode()


def test_the_home_page_counts_today_in_stories_placements_and_outlets(member_client, syndicated):
    Article.objects.update(fetched_at=NOW)

    page = member_client.get(reverse("home")).content.decode()

    assert "<strong>1</strong> story today: 3 placements on 3 outlets" in page


def test_the_story_page_lists_every_placement_the_first_publisher_and_history(
    member_client, syndicated
):
    page = member_client.get(reverse("monitoring:story", args=[syndicated.pk])).content.decode()

    for article in Article.objects.filter(story=syndicated):
        assert reverse("monitoring:article", args=[article.pk]) in page
    assert "first publisher" in page and "Herald" in page
    assert "History" in page


def test_the_article_page_links_its_story_and_counts_the_other_outlets(member_client, syndicated):
    article = syndicated.representative

    page = member_client.get(reverse("monitoring:article", args=[article.pk])).content.decode()

    assert reverse("monitoring:story", args=[syndicated.pk]) in page
    assert "Also published by 2 outlets" in page


def test_splitting_placements_off_makes_a_new_story_with_right_counters(
    member, member_client, syndicated
):
    herald = Article.objects.get(url__endswith="/herald")
    ledger = Article.objects.get(url__endswith="/ledger")

    response = member_client.post(
        reverse("monitoring:story_split", args=[syndicated.pk]),
        {"placements": [herald.pk, ledger.pk]},
    )

    new = Story.objects.get(articles=herald)
    assert response.status_code == 302 and response.url == reverse(
        "monitoring:story", args=[new.pk]
    )
    syndicated.refresh_from_db()
    assert (syndicated.size, syndicated.outlet_count) == (1, 1)
    assert (new.size, new.outlet_count, new.representative_id) == (2, 2, ledger.pk)
    assert new.first_seen == ledger.sort_at and new.last_seen == herald.sort_at
    assert set(StoryKey.objects.filter(story=new).values_list("article_id", flat=True)) == {
        herald.pk,
        ledger.pk,
    }
    event = StoryEvent.objects.get(story=syndicated, kind=StoryEvent.Kind.SPLIT)
    assert event.actor == member and event.other_story_id == new.pk
    herald.refresh_from_db()
    assert herald.story_similarity is not None  # re-scored against the new first publisher


def test_merging_a_story_moves_its_placements_history_and_keys(
    member, member_client, syndicated, lone
):
    response = member_client.post(
        reverse("monitoring:story_merge", args=[syndicated.pk]), {"other": lone.pk}
    )

    assert response.status_code == 302
    assert not Story.objects.filter(pk=lone.pk).exists()
    syndicated.refresh_from_db()
    assert (syndicated.size, syndicated.outlet_count) == (4, 3)
    assert StoryKey.objects.filter(story=syndicated).count() == 4
    merged = StoryEvent.objects.get(kind=StoryEvent.Kind.MERGED)
    assert merged.story == syndicated and merged.actor == member
    assert merged.other_story_id == lone.pk
    # An old link to the merged story leads to the story it became part of.
    old = member_client.get(reverse("monitoring:story", args=[lone.pk]))
    assert old.url == reverse("monitoring:story", args=[syndicated.pk])


def test_the_merge_search_box_offers_recent_stories_by_headline(member_client, syndicated, lone):
    url = reverse("monitoring:story_choices", args=[syndicated.pk])

    found = member_client.get(url, {"q": "library"}).content.decode()
    assert f'value="{lone.pk}"' in found and "Library opens archive" in found
    assert "No recent story" in member_client.get(url, {"q": "zebra"}).content.decode()
    assert f'value="{syndicated.pk}"' not in member_client.get(url).content.decode()


def test_splitting_nothing_or_everything_is_refused_with_a_reason(member_client, syndicated):
    url = reverse("monitoring:story_split", args=[syndicated.pk])
    every = list(Article.objects.filter(story=syndicated).values_list("pk", flat=True))

    none = member_client.post(url, {"placements": []})
    assert none.status_code == 400 and "Choose at least one placement" in none.content.decode()
    whole = member_client.post(url, {"placements": every})
    assert whole.status_code == 400 and "Leave at least one placement" in whole.content.decode()
    assert Story.objects.count() == 1 and Story.objects.get().size == 3


def test_merging_a_missing_story_or_itself_shows_the_error_and_keeps_the_input(
    member_client, syndicated
):
    url = reverse("monitoring:story_merge", args=[syndicated.pk])

    missing = member_client.post(url, {"other": "99999"})
    assert missing.status_code == 400
    assert "There is no story 99999" in missing.content.decode()
    assert 'value="99999"' in missing.content.decode()
    itself = member_client.post(url, {"other": syndicated.pk})
    assert "cannot be merged into itself" in itself.content.decode()
    words = member_client.post(url, {"other": "the wire one"})
    assert "Enter a story number" in words.content.decode()


def test_an_outsider_reads_the_shared_story_archive(client, outsider, syndicated):
    client.force_login(outsider)

    assert client.get(reverse("monitoring:stories")).status_code == 200
    assert client.get(reverse("monitoring:story", args=[syndicated.pk])).status_code == 200
    assert client.get(reverse("monitoring:story", args=[987654])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client, syndicated, lone):
    urls = [
        reverse("monitoring:stories"),
        reverse("monitoring:story", args=[syndicated.pk]),
        reverse("monitoring:story_choices", args=[syndicated.pk]),
        reverse("monitoring:coverage_counts"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.url

    client.post(reverse("monitoring:story_merge", args=[syndicated.pk]), {"other": lone.pk})
    assert Story.objects.filter(pk=lone.pk).exists()


def test_a_viewer_cannot_split_or_merge(client, member, syndicated, lone):
    Membership.objects.filter(user=member).update(role=Membership.Role.VIEWER)
    client.force_login(member)

    merge = client.post(reverse("monitoring:story_merge", args=[syndicated.pk]), {"other": lone.pk})
    page = client.get(reverse("monitoring:story", args=[syndicated.pk])).content.decode()

    assert merge.status_code == 403 and Story.objects.filter(pk=lone.pk).exists()
    assert "Split the chosen" not in page and "merge-form" not in page


def test_the_navigation_leads_to_the_story_list(member_client):
    page = member_client.get(reverse("home")).content.decode()

    assert f'href="{reverse("monitoring:stories")}"' in page
    assert member_client.get("/stories/").status_code == 404  # the placeholder is gone


def test_splitting_off_the_first_publisher_makes_the_next_copy_first(member_client, syndicated):
    wire = Article.objects.get(url__endswith="/wire")
    ledger = Article.objects.get(url__endswith="/ledger")

    member_client.post(
        reverse("monitoring:story_split", args=[syndicated.pk]), {"placements": [wire.pk]}
    )

    syndicated.refresh_from_db()
    ledger.refresh_from_db()
    assert syndicated.representative_id == ledger.pk and syndicated.first_seen == ledger.sort_at
    assert ledger.story_similarity is None  # the first publisher is compared with nothing


def test_the_article_list_counts_follow_the_search_words(member_client, syndicated, lone):
    counts = member_client.get(reverse("monitoring:coverage_counts"), {"q": "library"})

    assert "<strong>1</strong> story · <strong>1</strong> placement ·" in counts.content.decode()
