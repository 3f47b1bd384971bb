"""Campaign metrics on the hand-built March campaign (tests/campaigns/conftest.py works out
each answer), and the drill-down listing exactly the mentions behind each number."""

from __future__ import annotations

from datetime import date

import pytest

from commsdesk.campaigns import metrics
from commsdesk.campaigns.models import Peer
from commsdesk.campaigns.periods import Period
from commsdesk.monitoring.metrics import Counts
from tests.campaigns.conftest import MARCH, article, at, mention


def _ids(found) -> set[int]:
    return set(found.values_list("pk", flat=True))


def test_it_counts_a_syndicated_story_once(built):
    assert metrics.volume(built.campaign, MARCH) == Counts(stories=3, placements=5, outlets=4)


def test_it_leaves_hidden_mentions_and_other_periods_out(built):
    found = metrics.mentions(built.campaign, MARCH)
    assert built.mentions["A6"].pk not in _ids(found)
    assert built.mentions["F0"].pk not in _ids(found)


def test_it_breaks_volume_down_by_language_tier_and_country(built):
    by_language = {b.key: b.counts for b in metrics.breakdown(built.campaign, MARCH, "language")}
    assert by_language == {"en": Counts(2, 4, 3), "es": Counts(1, 1, 1)}
    by_tier = {b.key: b.counts.placements for b in metrics.breakdown(built.campaign, MARCH, "tier")}
    assert by_tier == {1: 2, 2: 2, 3: 1}
    by_country = {b.key for b in metrics.breakdown(built.campaign, MARCH, "country")}
    assert by_country == {"GB", "KE", "AR", None}  # outlet's country when the article has none


def test_it_counts_stories_per_day_with_a_story_on_each_day_it_ran(built):
    days = {b.key: b.counts for b in metrics.over_time(built.campaign, MARCH)}
    assert days[date(2026, 3, 3)] == Counts(1, 2, 2)
    assert days[date(2026, 3, 4)] == Counts(1, 1, 1)
    assert sum(c.placements for c in days.values()) == 5


def test_it_counts_reach_once_per_outlet_with_the_floor_and_lists_missing_audiences(built):
    reach = metrics.reach(built.campaign, MARCH)
    assert reach.total == 1_000_000 + 500 + 50_000
    assert reach.outlets == 4 and reach.with_figure == 3 and reach.floored == 1
    assert [o.name for o in reach.missing] == ["Paper Two"]
    wire = next(o for o in reach.figures if o.name == "Wire")
    assert (wire.source, wire.as_of, wire.counted) == ("Comscore", date(2026, 1, 1), 1_000_000)


def test_it_does_not_add_reach_again_for_a_second_article_on_an_outlet(built):
    extra = article("again", built.outlets["wire"], at(20))
    mention(built.ours, extra)
    assert metrics.reach(built.campaign, MARCH).total == 1_050_500


def test_share_of_voice_is_own_over_own_and_peers(built):
    voice = metrics.share_of_voice(built.campaign, MARCH)
    assert (voice.own, voice.total, voice.share) == (5, 8, 62.5)
    assert [(v.name, v.mentions, v.share) for v in voice.voices] == [
        ("Us", 5, 62.5),
        ("Peer A", 2, 25.0),
        ("Peer B", 1, 12.5),
    ]


def test_share_of_voice_counts_peers_over_the_same_sources(built):
    from commsdesk.monitoring.models import Source

    source = Source.objects.create(name="Wire feed", url="https://wire.example/feed")
    for key in ("S1a", "S1b", "S1c", "A4", "A5"):
        built.articles[key].source = source
        built.articles[key].save()
    built.ours.sources.set([source])
    built.ours_es.sources.set([source])
    voice = metrics.share_of_voice(built.campaign, MARCH)
    # Peer A's wire copy (S1a) comes from the feed; its Global Times article does not.
    assert [(v.name, v.mentions) for v in voice.voices] == [("Us", 5), ("Peer A", 1), ("Peer B", 0)]


def test_share_of_voice_without_peers_is_not_a_figure(built):
    Peer.objects.all().delete()
    assert metrics.share_of_voice(built.campaign, MARCH).share is None


def test_normalized_attention_is_our_stories_over_all_stories(built):
    attention = metrics.attention(built.campaign, MARCH)
    assert (attention.stories, attention.all_stories, attention.share) == (3, 7, 42.86)


def test_net_sentiment_takes_the_override_then_stance_then_the_article(built):
    s = metrics.sentiment(built.campaign, MARCH)
    assert (s.positive, s.neutral, s.negative, s.not_analysed) == (2, 2, 1, 1)
    assert (s.overridden, s.total, s.net, s.share_overridden) == (1, 6, 0.333, 16.7)


def test_sentiment_drill_down_lists_the_mentions_behind_each_label(built):
    positive = metrics.drill(built.campaign, MARCH, "sentiment", "positive")
    assert _ids(positive) == {built.mentions["S1a"].pk, built.mentions["S1c"].pk}
    unknown = metrics.drill(built.campaign, MARCH, "sentiment", "none")
    assert _ids(unknown) == {built.mentions["A4"].pk}


def test_pull_through_is_the_share_of_stories_carrying_the_message(built):
    [pulled] = metrics.pull_through(built.campaign, MARCH)
    assert (pulled.stories, pulled.headline, pulled.body, pulled.total) == (2, 1, 1, 3)
    assert pulled.share == 66.7
    body = metrics.drill(built.campaign, MARCH, "message", f"{built.message.pk}:body")
    assert _ids(body) == {built.mentions["A5"].pk, built.mentions["A5es"].pk}


def test_kpis_show_progress_and_the_latest_manual_entry_in_the_period(built):
    progress = {p.kpi.name: p for p in metrics.kpi_progress(built.campaign, MARCH)}
    assert (progress["Stories"].value, progress["Stories"].progress) == (3, 30.0)
    assert progress["Stories"].behind
    assert (progress["Donations"].value, progress["Donations"].source) == (100, "CRM")


@pytest.mark.parametrize(
    ("metric", "value", "expected"),
    [
        ("coverage", "", {"S1a", "S1b", "S1c", "A4", "A5", "A5es"}),
        ("language", "es", {"A5", "A5es"}),
        ("tier", "1", {"S1a", "S1c"}),
        ("tier1", "", {"S1a", "S1c"}),
        ("country", "none", {"S1c"}),
        ("audience", "", {"S1c"}),
        ("day", "2026-03-03", {"S1a", "S1b"}),
        ("overridden", "", {"S1a"}),
        ("peer", "A", {"P1", "S1a-peer"}),
    ],
)
def test_drill_down_lists_exactly_the_mentions_behind_a_number(built, metric, value, expected):
    if metric == "peer":
        value = str(built.peer_a.pk)
    found = metrics.drill(built.campaign, MARCH, metric, value)
    assert _ids(found) == {built.mentions[key].pk for key in expected}


def test_drill_down_refuses_what_it_cannot_read(built):
    with pytest.raises(ValueError, match="not a figure"):
        metrics.drill(built.campaign, MARCH, "impressions", "")
    with pytest.raises(ValueError, match="not a date"):
        metrics.drill(built.campaign, MARCH, "day", "yesterday")


def test_an_empty_period_has_no_figures_rather_than_errors(built):
    empty = Period(date(2025, 1, 1), date(2025, 1, 31))
    assert metrics.volume(built.campaign, empty) == Counts(0, 0, 0)
    assert metrics.attention(built.campaign, empty).share is None
    assert metrics.sentiment(built.campaign, empty).net is None
    assert metrics.pull_through(built.campaign, empty)[0].share is None


def test_the_one_pass_volume_gives_the_same_answers_as_each_figure(built):
    from commsdesk.campaigns import onepass

    found = onepass.volume(built.campaign, MARCH)
    assert found.summary == metrics.summary(built.campaign, MARCH)
    assert found.summary.counts == Counts(3, 5, 4) and found.summary.tier1 == 2
    assert found.days == metrics.over_time(built.campaign, MARCH)
    for by in ("language", "country", "tier", "type"):
        assert found.breakdowns[by] == metrics.breakdown(built.campaign, MARCH, by)


def test_the_one_pass_volume_of_an_empty_period_is_zero(built):
    from commsdesk.campaigns import onepass

    found = onepass.volume(built.campaign, Period(date(2025, 1, 1), date(2025, 1, 31)))
    assert found.summary.counts == Counts(0, 0, 0) and found.days == []
