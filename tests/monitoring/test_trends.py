"""Spike detection on stored mentions, the alerts it queues, and the hourly scheduling of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commsdesk.ingest import scheduler
from commsdesk.monitoring import trends
from commsdesk.monitoring.models import (
    AlertRule,
    Delivery,
    Mention,
    Outlet,
    SavedSearch,
    Spike,
    Story,
)
from tests.fixtures.articles import stored_article

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 12, 20, tzinfo=UTC)
SPIKE_HOUR = datetime(2026, 3, 2, 11, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.fixture
def search(team, member):
    return SavedSearch.objects.create(team=team, owner=member, name="Heatwave", query="heatwave")


@pytest.fixture
def outlets():
    return [
        Outlet.objects.create(name="Daily Planet", domain="planet.example"),
        Outlet.objects.create(name="Gazette", domain="gazette.example"),
    ]


def mention(search, at, *, slug, outlet=None, story=None, hits=("heatwave",), title="Heatwave"):
    article = stored_article(slug, title=title, sort_at=at, outlet=outlet, story=story)
    return Mention.objects.create(
        saved_search=search,
        article=article,
        sort_at=at,
        matched_at=at,
        hits=[{"term": term, "field": "text"} for term in hits],
    )


def quiet_week(search, prefix="q"):
    """One mention every six hours for the week before: a baseline of 0 per hour."""
    for i in range(28):
        mention(search, SPIKE_HOUR - (6 * i + 3) * H, slug=f"{prefix}{search.pk}-{i}")


@pytest.fixture
def spiking(search, outlets):
    """Eight mentions in the hour 11:00-12:00 after a quiet week: five copies of one story in
    the Daily Planet, three other articles in the Gazette."""
    quiet_week(search)
    story = Story.objects.create(first_seen=SPIKE_HOUR, last_seen=SPIKE_HOUR + 50 * 60 * H / 60)
    for i in range(5):
        mention(
            search,
            SPIKE_HOUR + i * 10 * H / 60,
            slug=f"story-{i}",
            outlet=outlets[0],
            story=story,
            hits=("heatwave", "libraries closed"),
            title="Heatwave closes libraries",
        )
    for i in range(3):
        mention(search, SPIKE_HOUR + (5 + i) * H / 60, slug=f"other-{i}", outlet=outlets[1])
    return story


def rule(search, user, **fields):
    return AlertRule.objects.create(saved_search=search, user=user, **fields)


def test_it_writes_one_spike_with_its_baseline_for_a_jump(search, spiking):
    [spike] = trends.detect_spikes(NOW)
    assert spike.saved_search == search
    assert spike.hour == SPIKE_HOUR
    assert spike.count == 8
    assert spike.baseline == 0.0 and spike.spread == 1.0 and spike.score == 8.0
    assert Spike.objects.count() == 1


def test_the_why_lists_the_stories_outlets_and_terms_driving_it(search, spiking):
    [spike] = trends.detect_spikes(NOW)
    why = spike.why
    assert why["stories"][0]["story"] == spiking.pk
    assert why["stories"][0]["count"] == 5
    assert why["stories"][0]["title"] == "Heatwave closes libraries"
    assert [o["name"] for o in why["outlets"]] == ["Daily Planet", "Gazette"]
    assert [o["count"] for o in why["outlets"]] == [5, 3]
    assert why["terms"][0] == {"term": "heatwave", "count": 8}
    assert {"term": "libraries closed", "count": 5} in why["terms"]


def test_it_queues_one_delivery_per_active_spike_rule(search, spiking, member, outsider):
    email = rule(search, member)
    hook = rule(search, member, channel=AlertRule.Channel.WEBHOOK, target="https://hooks.example/a")
    rule(search, member, channel=AlertRule.Channel.SLACK, target="https://x.example", active=False)
    rule(search, outsider, include_spikes=False)
    [spike] = trends.detect_spikes(NOW)
    deliveries = Delivery.objects.filter(spike=spike)
    assert {d.rule_id for d in deliveries} == {email.pk, hook.pk}
    assert {d.recipient for d in deliveries} == {
        "email:ana@example.org",
        "webhook:https://hooks.example/a",
    }
    assert all(d.state == Delivery.State.PENDING and d.next_attempt_at == NOW for d in deliveries)


def test_a_spike_is_owed_once_to_an_inbox_reached_by_two_rules(search, spiking, member):
    rule(search, member)
    rule(search, member, cadence=AlertRule.Cadence.DAILY)
    trends.detect_spikes(NOW)
    assert Delivery.objects.count() == 1


def test_running_it_twice_writes_nothing_twice(search, spiking, member):
    rule(search, member)
    assert len(trends.detect_spikes(NOW)) == 1
    assert trends.detect_spikes(NOW) == []
    assert trends.detect_spikes(NOW + 2 * H) == []  # the hour is still inside the lookback
    assert Spike.objects.count() == 1 and Delivery.objects.count() == 1


def test_a_muted_search_is_skipped(search, spiking, member):
    rule(search, member)
    SavedSearch.objects.filter(pk=search.pk).update(muted=True)
    assert trends.detect_spikes(NOW) == []
    assert not Spike.objects.exists() and not Delivery.objects.exists()


def test_a_steady_busy_search_does_not_spike(team, outlets):
    busy = SavedSearch.objects.create(team=team, name="Busy", query="news")
    # Five an hour for the last 90 hours: more than half the week, so the median is 5.
    for hour in range(90):
        for i in range(5):
            mention(busy, SPIKE_HOUR - hour * H + i * H / 10, slug=f"b{hour}-{i}")
    assert trends.detect_spikes(NOW) == []


def test_hidden_mentions_do_not_count(search, spiking):
    Mention.objects.filter(article__url__contains="/other-").update(state=Mention.State.HIDDEN)
    Mention.objects.filter(article__url__contains="/story-").exclude(
        article__url__endswith="-0"
    ).update(state=Mention.State.HIDDEN)
    counts = trends.hourly_counts([search.pk], SPIKE_HOUR, SPIKE_HOUR + H)
    assert counts[search.pk] == {SPIKE_HOUR: 1}
    assert trends.detect_spikes(NOW) == []


def test_the_scheduler_enqueues_spike_detection_when_asked(db):
    from django_tasks_db.models import DBTaskResult

    scheduler.tick(sweep=False, spikes=False)
    assert not DBTaskResult.objects.exists()
    scheduler.tick(sweep=False, spikes=True)
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path.endswith("detect_spikes_task")


def test_the_task_detects_spikes_up_to_now(search, outlets):
    hour = trends.hour_start(datetime.now(UTC)) - H
    for i in range(7):
        mention(search, hour + i * H / 10, slug=f"now-{i}", outlet=outlets[0])
    assert trends.detect_spikes_task.call() == 1
    assert Spike.objects.get().hour == hour
