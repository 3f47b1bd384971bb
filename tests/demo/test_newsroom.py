"""The demo `make run` shows: real feeds from the local newsroom through the real pipeline."""

from __future__ import annotations

import pytest

from commsdesk.demo.load import load_demo
from commsdesk.ingest.tasks import fetch_source
from commsdesk.monitoring.models import Article, Item, Source, Story

pytestmark = pytest.mark.django_db


def test_the_demo_shows_six_languages_a_failing_source_and_every_outcome(newsroom):
    assert load_demo(newsroom) == 11
    assert load_demo(newsroom) == 0  # idempotent

    for source in Source.objects.all():
        fetch_source.call(source.pk)

    languages = set(Article.objects.values_list("language", flat=True))
    assert {"en", "es", "fr", "de", "ar", "ja"} <= languages
    failing = set(Source.objects.failing().values_list("name", flat=True))
    assert failing == {"Commons Community Blog", "Regional Herald", "Offline Gazette (unreachable)"}
    states = set(Item.objects.values_list("state", flat=True))
    assert {"stored", "duplicate", "filtered", "quarantined"} <= states
    herald = Source.objects.get(name="Regional Herald")
    assert "500" in herald.last_error


def test_later_articles_arrive_after_the_newsroom_has_run_a_while(newsroom):
    load_demo(newsroom)
    source = Source.objects.get(name="The Morning Ledger")
    fetch_source.call(source.pk)
    before = source.articles.count()

    newsroom.started -= 120  # as if two minutes had passed
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    fetch_source.call(source.pk)

    assert source.articles.count() == before + 1


def test_the_demo_wire_story_is_one_story_with_placements_on_three_outlets(newsroom):
    load_demo(newsroom)
    for source in Source.objects.all():
        fetch_source.call(source.pk)

    copies = Article.objects.filter(title__icontains="edit-a-thon").select_related("outlet")
    story = Story.objects.get(pk=copies.first().story_id)

    assert {a.story_id for a in copies} == {story.pk}
    assert (story.size, story.outlet_count) == (3, 3)
    assert story.representative.outlet.name == "Globe Wire Service"  # published first
    partner = copies.get(outlet__name__icontains="partner")
    assert 0.5 <= partner.story_similarity < 1.0  # a cut copy with its own opening line
    # The canonical duplicate on the partner site is not a placement: it is the same page.
    assert Item.objects.filter(state="duplicate", url__contains="partner-news").exists()


def test_the_demo_searches_and_campaign_collect_coverage_as_it_arrives(newsroom):
    from datetime import timedelta

    from django.utils import timezone

    from commsdesk.campaigns.assemble import build_report
    from commsdesk.campaigns.models import Campaign
    from commsdesk.monitoring.models import SavedSearch

    load_demo(newsroom)
    for source in Source.objects.all():
        fetch_source.call(source.pk)

    ours = SavedSearch.objects.get(name="Our organisation")
    assert ours.mentions.count() >= 5  # matched while they were stored, in several languages
    assert len({m.article.language for m in ours.mentions.all()}) >= 3
    campaign = Campaign.objects.get(name="Record edit-a-thon")
    today = timezone.localdate()
    report = build_report(campaign, today - timedelta(days=13), today)
    stories = next(f for s in report.sections for f in s.figures if f.label == "Stories")
    assert stories.value >= 3  # the syndicated wire story counts once


def test_the_demo_watches_a_wikipedia_page_read_from_the_newsrooms_pageviews_api(
    newsroom, settings
):
    from commsdesk.monitoring import attention
    from commsdesk.monitoring.models import WatchedPage

    settings.COMMSDESK_PAGEVIEWS_API = newsroom.pageviews_api
    load_demo(newsroom)
    load_demo(newsroom)

    assert attention.refresh_due() == 1
    page = WatchedPage.objects.get()
    assert page.last_error == "" and page.days.count() == settings.COMMSDESK_PAGEVIEWS_DAYS
    assert max(page.days.values_list("views", flat=True)) > 5_000  # the rise after the news
    top = attention.top_articles("en.wikipedia", page.days.last().day)
    assert top[1].title == "Edit-a-thon"
