"""Queueing alerts: one delivery per story per recipient, at the right time, never twice."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from commsdesk.accounts.models import Profile
from commsdesk.monitoring.alerting.queue import queue_mentions, queue_spike
from commsdesk.monitoring.models import AlertRule, Delivery, Mention, Spike
from tests.fixtures.alerts import mention, placement, rule, saved_search

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 14, 20, tzinfo=UTC)


def test_it_queues_a_delivery_for_each_rule_of_the_mentions_search(team, member):
    search = saved_search(team)
    email, hook = (
        rule(search, member),
        rule(search, member, channel=AlertRule.Channel.WEBHOOK, target="https://hooks.example/x"),
    )
    article = placement("a", "Wikipedia turns 25")
    assert queue_mentions([mention(search, article)], now=NOW) == 2
    deliveries = {d.rule_id: d for d in Delivery.objects.all()}
    assert deliveries[email.pk].recipient == "email:ana@example.org"
    assert deliveries[hook.pk].recipient == "webhook:https://hooks.example/x"
    assert {d.story_id for d in deliveries.values()} == {article.story_id}
    assert all(d.next_attempt_at == NOW for d in deliveries.values())


def test_it_never_queues_a_story_twice_for_one_inbox_from_two_searches_or_copies(team, member):
    first, second = saved_search(team, "Us"), saved_search(team, "Our movement")
    rule(first, member)
    rule(second, member, target="ANA@example.org")  # the same inbox, written differently
    original = placement("a", "Wikipedia turns 25")
    copy = placement("b", "Wikipedia turns 25", outlet_name="Wire", story=original.story)
    assert queue_mentions([mention(first, original), mention(second, copy)], now=NOW) == 1
    # Later, another copy of the same story matches again: already owed, nothing new.
    later = placement("c", "Wikipedia turns 25", outlet_name="Daily", story=original.story)
    assert queue_mentions([mention(first, later)], now=NOW) == 0
    assert Delivery.objects.count() == 1


def test_hidden_mentions_muted_searches_paused_and_daily_rules_queue_nothing(team, member):
    live, muted = saved_search(team, "Live"), saved_search(team, "Muted", muted=True)
    rule(live, member, active=False)
    rule(live, member, cadence=AlertRule.Cadence.DAILY, target="daily@example.org")
    rule(muted, member, target="muted@example.org")
    hidden = mention(live, placement("a", "Hidden one"), state=Mention.State.HIDDEN)
    assert queue_mentions([hidden, mention(muted, placement("b", "Muted one"))], now=NOW) == 0
    assert queue_mentions([mention(live, placement("c", "Daily one"))], now=NOW) == 0
    assert not Delivery.objects.exists()


def test_an_immediate_alert_in_quiet_hours_waits_until_they_end_in_the_persons_zone(team, member):
    Profile.objects.create(
        user=member, timezone="Europe/Paris", quiet_start=time(22), quiet_end=time(7)
    )
    search = saved_search(team)
    rule(search, member)
    late_evening = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    queue_mentions([mention(search, placement("a", "Night news"))], now=late_evening)
    # 07:00 in Paris the next morning is 06:00 UTC in November.
    assert Delivery.objects.get().next_attempt_at == datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def test_an_alert_outside_quiet_hours_is_due_now(team, member):
    Profile.objects.create(
        user=member, timezone="America/New_York", quiet_start=time(22), quiet_end=time(7)
    )
    search = saved_search(team)
    rule(search, member)
    queue_mentions([mention(search, placement("a", "Afternoon news"))], now=NOW)  # 09:20 NY
    assert Delivery.objects.get().next_attempt_at == NOW


def test_an_hourly_rule_is_due_at_the_next_full_hour(team, member):
    search = saved_search(team)
    rule(search, member, cadence=AlertRule.Cadence.HOURLY)
    queue_mentions(
        [mention(search, placement("a", "News")), mention(search, placement("b", "More"))], now=NOW
    )
    assert {d.next_attempt_at for d in Delivery.objects.all()} == {
        datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    }


def test_a_story_without_a_story_row_is_still_alerted_once(team, member):
    from tests.fixtures.articles import stored_article

    first, second = saved_search(team, "One"), saved_search(team, "Two")
    rule(first, member)
    rule(second, member)
    article = stored_article("loose", title="Not folded yet")
    assert queue_mentions([mention(first, article), mention(second, article)], now=NOW) == 1
    assert queue_mentions([mention(saved_search(team, "Three"), article)], now=NOW) == 0


def test_a_spike_is_queued_once_per_recipient_for_rules_that_include_spikes(team, member):
    search = saved_search(team)
    rule(search, member)
    rule(search, member, target="ana@example.org")  # same inbox again
    rule(search, member, target="quiet@example.org", include_spikes=False)
    spike = Spike.objects.create(
        saved_search=search, hour=NOW.replace(minute=0), count=40, baseline=3, spread=1, score=9
    )
    assert queue_spike(spike, now=NOW) == 1
    assert queue_spike(spike, now=NOW) == 0
    assert Delivery.objects.get().spike == spike
