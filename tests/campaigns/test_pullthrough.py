"""Key-message pull-through over a campaign's coverage: one presence per message and article that
carries it, with prominence and passage; idempotent; hidden and out-of-period mentions left out;
recomputed when a key message changes and nightly for new coverage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from commsdesk.campaigns import pullthrough
from commsdesk.campaigns.models import Campaign, KeyMessage, MessagePresence
from commsdesk.ingest import scheduler
from commsdesk.monitoring.models import Mention, SavedSearch
from tests.fixtures.articles import stored_article

pytestmark = pytest.mark.django_db

IN_PERIOD = datetime(2026, 3, 10, 12, tzinfo=UTC)
FILLER = "The meeting went on for hours and many people attended it. " * 8


@pytest.fixture
def campaign(team):
    search = SavedSearch.objects.create(team=team, name="Us", query="foundation")
    made = Campaign.objects.create(
        team=team, name="Open knowledge", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31)
    )
    made.searches.add(search)
    return made


def covered(campaign, slug, title, text, *, language="en", at=IN_PERIOD, **fields) -> Mention:
    article = stored_article(slug, title=title, text=text, language=language, sort_at=at)
    return Mention.objects.create(
        saved_search=campaign.searches.get(), article=article, sort_at=at, **fields
    )


def message(campaign, **phrasings) -> KeyMessage:
    return KeyMessage.objects.create(
        campaign=campaign, text="Knowledge belongs to everyone", phrasings=phrasings
    )


def test_it_records_presence_prominence_and_passage_per_language(campaign):
    lead = covered(campaign, "lead", "Foundation news", "Knowledge belongs to everyone, she said.")
    body = covered(
        campaign,
        "body",
        "Fundación",
        FILLER + "Dijeron que el conocimiento es de todos.",
        language="es",
    )
    ja = covered(
        campaign,
        "ja",
        "財団",
        "会議があった。" * 60 + "知識はみんなのものだと語った。",
        language="ja",
    )
    absent = covered(campaign, "absent", "Foundation budget", FILLER)
    km = message(
        campaign,
        en=["knowledge belongs to everyone"],
        es=["el conocimiento es de todos"],
        ja=["知識はみんなのもの"],
    )

    pullthrough.refresh(campaign)

    found = {p.article_id: p for p in MessagePresence.objects.filter(key_message=km)}
    assert set(found) == {lead.article_id, body.article_id, ja.article_id}
    assert absent.article_id not in found
    assert (found[lead.article_id].prominence, found[body.article_id].prominence) == (2, 1)
    assert found[body.article_id].passage == "Dijeron que el conocimiento es de todos."
    assert found[ja.article_id].passage == "知識はみんなのものだと語った。"
    assert found[ja.article_id].language == "ja"
    assert all(p.score >= 85 for p in found.values())


def test_running_it_twice_changes_nothing(campaign):
    covered(campaign, "lead", "Knowledge belongs to everyone", "Text.")
    message(campaign, en=["knowledge belongs to everyone"])

    pullthrough.refresh(campaign)
    first = list(MessagePresence.objects.values("article_id", "prominence", "score", "passage"))
    pullthrough.refresh(campaign)

    assert (
        list(MessagePresence.objects.values("article_id", "prominence", "score", "passage"))
        == first
    )
    assert len(first) == 1


def test_hidden_and_out_of_period_mentions_are_not_coverage(campaign):
    covered(campaign, "hidden", "Knowledge belongs to everyone", "x", state=Mention.State.HIDDEN)
    covered(
        campaign, "late", "Knowledge belongs to everyone", "x", at=IN_PERIOD + timedelta(days=40)
    )
    message(campaign, en=["knowledge belongs to everyone"])

    assert pullthrough.refresh(campaign) == 0
    assert not MessagePresence.objects.exists()


def test_a_changed_key_message_is_recomputed_and_stale_presences_go(campaign, immediate_tasks):
    covered(campaign, "a", "Knowledge belongs to everyone", "Text.")
    km = message(campaign, en=["knowledge belongs to everyone"])  # the save enqueues the refresh
    assert MessagePresence.objects.filter(key_message=km).count() == 1

    km.phrasings = {"en": ["clean water is a human right"]}
    km.save()

    assert not MessagePresence.objects.filter(key_message=km).exists()


def test_the_message_text_is_used_when_it_has_no_phrasings(campaign):
    covered(campaign, "a", "Editors: knowledge belongs to everyone", "Text.")
    message(campaign)

    assert pullthrough.refresh(campaign) == 1


def test_the_nightly_task_covers_mentions_matched_lately(campaign, immediate_tasks):
    old = covered(campaign, "old", "Knowledge belongs to everyone", "Text.")
    km = KeyMessage.objects.bulk_create(  # no signal: as if written before the old mention
        [KeyMessage(campaign=campaign, text="Knowledge belongs to everyone")]
    )[0]
    Mention.objects.filter(pk=old.pk).update(matched_at=timezone.now() - timedelta(days=5))
    new = covered(campaign, "new", "Knowledge belongs to everyone, again", "Text.")

    scheduler.tick(sweep=False, alerts=False, nightly=True)

    assert list(
        MessagePresence.objects.filter(key_message=km).values_list("article_id", flat=True)
    ) == [new.article_id]


def test_adding_a_saved_search_to_the_campaign_brings_its_coverage_in(
    campaign, team, immediate_tasks
):
    km = message(campaign, en=["knowledge belongs to everyone"])
    other = SavedSearch.objects.create(team=team, name="Them", query="them")
    article = stored_article("other", title="Knowledge belongs to everyone", sort_at=IN_PERIOD)
    Mention.objects.create(saved_search=other, article=article, sort_at=IN_PERIOD)
    assert not MessagePresence.objects.exists()

    campaign.searches.add(other)

    assert list(MessagePresence.objects.values_list("key_message", "article")) == [
        (km.pk, article.pk)
    ]


def test_a_mention_hidden_later_loses_its_presence_on_the_next_full_refresh(campaign):
    mention = covered(campaign, "a", "Knowledge belongs to everyone", "Text.")
    message(campaign, en=["knowledge belongs to everyone"])
    pullthrough.refresh(campaign)
    assert MessagePresence.objects.count() == 1

    Mention.objects.filter(pk=mention.pk).update(state=Mention.State.HIDDEN)
    pullthrough.refresh(campaign)

    assert not MessagePresence.objects.exists()
